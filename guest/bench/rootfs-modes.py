#!/usr/bin/env python3
"""The three rootfs modes of a Linux microVM, measured through the CLI (issue 12, item 2).

    sudo python3 guest/bench/rootfs-modes.py [--sizes 10,300] [--runs 3] [--jurunc cli/target/dist/bin/jurunc]

For each image size (MB of incompressible file data next to the static busybox) and mode it makes a
hand-made OCI bundle and runs `jurunc --root TMP run --bundle B ID` (create + start + wait + delete) with
an app that prints "ready", then sleeps 2 s:

  initramfs  the rootfs packed into an initramfs (the default)
  block      the same files in an ext4 image in the rootfs (com.urunc.unikernel.block=/disk.ext4); our
             init comes in a boot-only initramfs and switches to /dev/vda
  shared     com.urunc.unikernel.mountRootfs=true: the rootfs shared over virtio-9p, nothing packed

and prints, per run: seconds from the `jurunc run` exec to "ready" on its stdout, and QEMU's RSS
(VmRSS just after "ready", VmHWM = peak) read from /proc of the monitor's pid (jurunc.json).
Preparing the bundles (and mkfs.ext4 for block) is not timed. The uptime load is printed.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

PREFIX = "com.urunc.unikernel."


def config(annotations, args):
    return {
        "ociVersion": "1.0.2",
        "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": args,
                    "env": ["PATH=/bin"], "cwd": "/"},
        "root": {"path": "rootfs", "readonly": False},
        "hostname": "bench",
        "annotations": annotations,
        "linux": {"namespaces": [{"type": t} for t in ("network", "ipc", "uts", "mount")]},
    }


def fill(directory, mb):
    os.makedirs(os.path.join(directory, "bin"), exist_ok=True)
    shutil.copy2("/bin/busybox", os.path.join(directory, "bin/busybox"))
    for d in ("proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(directory, d), exist_ok=True)
    with open(os.path.join(directory, "data.bin"), "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1 << 20))


def bundle(work, mode, mb):
    b = os.path.join(work, f"{mode}-{mb}")
    rootfs = os.path.join(b, "rootfs")
    ann = {PREFIX + "unikernelType": "linux", PREFIX + "hypervisor": "qemu"}
    if mode == "block":
        staging = os.path.join(work, f"staging-{mb}")
        if not os.path.isdir(staging):
            fill(staging, mb)
        os.makedirs(os.path.join(rootfs, "bin"))
        shutil.copy2("/bin/busybox", os.path.join(rootfs, "bin/busybox"))
        size_mb = mb + mb // 5 + 16
        subprocess.run(["mkfs.ext4", "-q", "-d", staging, os.path.join(rootfs, "disk.ext4"), f"{size_mb}M"],
                       check=True)
        ann[PREFIX + "block"] = "/disk.ext4"
    else:
        fill(rootfs, mb)
        os.chmod(rootfs, 0o755)
        if mode == "shared":
            ann[PREFIX + "mountRootfs"] = "true"
    args = ["/bin/busybox", "sh", "-c", "echo ready; /bin/busybox sleep 2"]
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(config(ann, args), f)
    return b


def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_once(jurunc, b, root, cid):
    t0 = time.monotonic()
    p = subprocess.Popen([jurunc, "--root", root, "run", "--bundle", b, cid], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    first = None
    rss = hwm = None
    for line in p.stdout:
        if "ready" in line and first is None:
            first = time.monotonic() - t0
            try:
                with open(os.path.join(root, cid, "jurunc.json")) as f:
                    pid = json.load(f)["pid"]
                rss, hwm = status(pid, "VmRSS"), status(pid, "VmHWM")
                time.sleep(1.5)
                hwm = status(pid, "VmHWM") or hwm
            except (OSError, KeyError, ValueError):
                pass
    err = p.stderr.read()
    p.wait()
    if p.returncode != 0 or first is None:
        print(f"  {cid}: no 'ready' (exit {p.returncode}): {err.strip()[-300:]}", flush=True)
        return None
    return first, rss, hwm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,300")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", default="initramfs,block,shared")
    ap.add_argument("--config", default=None, help="JURUNC_CONFIG for the runs (e.g. debug_guest = true)")
    ap.add_argument("--jurunc", default=os.path.join(os.path.dirname(__file__), "../../cli/target/dist/bin/jurunc"))
    a = ap.parse_args()
    jurunc = os.path.abspath(a.jurunc)
    if a.config:
        os.environ["JURUNC_CONFIG"] = a.config
    work = tempfile.mkdtemp(prefix="jurunc-rootfs-modes-")
    os.chmod(work, 0o755)
    root = os.path.join(work, "state")
    try:
        print("load:", open("/proc/loadavg").read().strip())
        for mb in (int(s) for s in a.sizes.split(",")):
            for mode in a.modes.split(","):
                b = bundle(work, mode, mb)
                firsts, rsss, hwms = [], [], []
                for i in range(a.runs):
                    got = run_once(jurunc, b, root, f"bench-{mode}-{mb}-{i}")
                    if got is None:
                        continue
                    f, r, h = got
                    firsts.append(f)
                    rsss.append(r or 0)
                    hwms.append(h or 0)
                    print(f"  {mode:9} {mb:4} MB run {i}: first output {f:.2f} s, QEMU RSS {r or 0:.0f} MiB, "
                          f"peak {h or 0:.0f} MiB", flush=True)
                if not firsts:
                    print(f"{mode:9} {mb:4} MB: failed", flush=True)
                    shutil.rmtree(b)
                    continue
                print(f"{mode:9} {mb:4} MB: median first output {statistics.median(firsts):.2f} s, "
                      f"RSS {statistics.median(rsss):.0f} MiB, peak {statistics.median(hwms):.0f} MiB "
                      f"(n={a.runs})", flush=True)
                shutil.rmtree(b)
        print("load:", open("/proc/loadavg").read().strip())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
