#!/usr/bin/env python3
"""Cost of the monitor's pid namespace in the sandbox helper's wait phase (docs/security.md).

    sudo python3 scripts/bench-pidns.py <jurunc-sandbox>   (e.g. cli/target/dist/libexec/jurunc-sandbox)

Spawns the helper 40 times per round, without and with --new-pid, and times spawn -> waiter.ready
(with --new-pid also the exit of the helper's first pid and waiter.pid); then closes the start FIFO,
so the waiter exits without launching anything. Prints medians and p90; leaves nothing behind.
"""
import os, subprocess, time, tempfile, statistics, sys
helper = sys.argv[1]
def run(pidns):
    d = tempfile.mkdtemp(prefix="pidnsb")
    os.chmod(d, 0o700)
    os.mkfifo(d + "/start.fifo", 0o600)
    args = [helper, "jurunc-waiter", d, "--new-net"] + (["--new-pid"] if pidns else [])
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    while not os.path.exists(d + "/waiter.ready"):
        time.sleep(0.0001)
    if pidns:
        p.wait()
        assert open(d + "/waiter.pid").read().strip()
    t = time.perf_counter() - t0
    fd = os.open(d + "/start.fifo", os.O_WRONLY)  # the waiter has it open for reading
    os.close(fd)  # EOF: the waiter exits 1
    if not pidns: p.wait()
    else:
        pid = int(open(d + "/waiter.pid").read())
        while os.path.exists("/proc/%d/status" % pid) and "State:\tZ" not in open("/proc/%d/status" % pid).read():
            time.sleep(0.0005)
    subprocess.run(["rm", "-rf", d])
    return t * 1000
for mode in (False, True, False, True):
    xs = [run(mode) for _ in range(40)]
    print("pidns" if mode else "host ", "median %.2f ms  p90 %.2f ms" % (statistics.median(xs), sorted(xs)[35]))
