#!/usr/bin/env bash
# virtio-9p (served by QEMU) against virtiofs (Debian's virtiofsd) on the project kernel, unconfined,
# under TCG: one microVM mounts the same host directory both ways and times, with busybox `time`,
# reading a 100 MB file, `ls -l` of 2000 small files and `cat` of them. Needs the kit
# (/var/lib/jurunc/kit) and qemu-system-common's virtiofsd. RUNS (default 3) boots.
#
#   sudo bash guest/bench/ninep-vs-virtiofs.sh [RUNS]
set -euo pipefail
runs=${1:-3}
kit=${KIT:-/var/lib/jurunc/kit}
w=$(mktemp -d /tmp/jurunc-9p-vfs.XXXXXX)
vfsd=
trap '[ -n "$vfsd" ] && kill "$vfsd" 2>/dev/null; rm -rf "$w"' EXIT
mkdir -p "$w/share/small" "$w/ird/jurunc" "$w/ird/dev" "$w/ird/bin" "$w/ird/a" "$w/ird/b" "$w/ird/proc" "$w/ird/sys"
head -c 100M /dev/urandom > "$w/share/data.bin"
for i in $(seq 1 2000); do echo "$i" > "$w/share/small/f$i"; done
cp /bin/busybox "$w/ird/bin/"; cp "$kit/init" "$w/ird/jurunc/init"; mknod "$w/ird/dev/console" c 5 1
python3 - "$w/ird/jurunc/process" <<'PY'
import sys
script = ("cd /; /bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose a /a; "
  "/bin/busybox mount -t virtiofs b /b; for d in a b; do "
  "/bin/busybox time -f \"$d read100MB %e s\" /bin/busybox cat /$d/data.bin > /dev/null; "
  "/bin/busybox time -f \"$d ls2000 %e s\" /bin/busybox ls -l /$d/small > /dev/null; "
  "/bin/busybox time -f \"$d cat2000 %e s\" /bin/busybox sh -c \"/bin/busybox cat /$d/small/* > /dev/null\"; done")
parts = ["JURUNC-PROCESS-1", "arg", "/bin/busybox", "arg", "sh", "arg", "-c", "arg", script, "env", "PATH=/bin",
         "cwd", "/", "uid", "0", "gid", "0"]
open(sys.argv[1], "wb").write(b"".join(p.encode() + b"\0" for p in parts))
PY
(cd "$w/ird" && find . | cpio -o -H newc --quiet > ../boot.cpio)
kernel=$kit/$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['kernel'])" "$kit/kit.json")
echo "load: $(cat /proc/loadavg)"
for ((r = 0; r < runs; r++)); do
  /usr/lib/qemu/virtiofsd --socket-path="$w/vfs.sock" -o source="$w/share" -o cache=auto > "$w/vfsd.log" 2>&1 &
  vfsd=$!
  sleep 1
  # virtiofsd (libvhost-user) takes no legacy virtio: microvm's mmio transports must be modern
  timeout 120 qemu-system-x86_64 -M microvm,x-option-roms=off,acpi=off,memory-backend=mem \
    -global virtio-mmio.force-legacy=false -object memory-backend-memfd,id=mem,size=512M,share=on \
    -accel tcg,tb-size=32 -m 512M -smp 1 -nodefaults -no-user-config -display none -serial stdio -no-reboot \
    -kernel "$kernel" -initrd "$w/boot.cpio" \
    -append "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init noapictimer" \
    -fsdev local,id=fs0,path="$w/share",security_model=none,multidevs=remap \
    -device virtio-9p-device,fsdev=fs0,mount_tag=a \
    -chardev socket,id=char0,path="$w/vfs.sock" -device vhost-user-fs-device,chardev=char0,tag=b \
    | grep -E '^(a|b) ' | tr '\n' ';'
  echo
  kill "$vfsd" 2>/dev/null || true
  wait "$vfsd" 2>/dev/null || true
  vfsd=
done
echo "load: $(cat /proc/loadavg)"
