#!/usr/bin/env bash
# Reproduces the monitor-option table of docs/performance.md: builds a busybox rootfs, packs it
# with InitramfsWriter for both kernels of the kit, and runs boot-matrix.sh over
# monitor-options.txt. Needs the kit (scripts/build-kernel.sh && scripts/build-kit.sh), a built
# guest module (mvn -pl guest -am install -DskipTests), busybox-static and qemu-system-x86.
#
#   guest/bench/run-monitor-options.sh [ROUNDS] [KITDIR]      (defaults: 7, /var/lib/jurunc/kit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=${1:-7}
export KIT=${2:-/var/lib/jurunc/kit}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin"
cp /bin/busybox "$work/rootfs/bin/busybox"
for a in sh true sleep; do ln -s busybox "$work/rootfs/bin/$a"; done
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
(cd "$repo" && mvn -q -o -pl guest dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$work/cp" >/dev/null)
cp=$repo/guest/target/classes:$(cat "$work/cp")
"$java" -cp "$cp" "$here/MakeInitrd.java" "$work/rootfs" "$KIT" default "$work/micro.cpio" /bin/true
"$java" -cp "$cp" "$here/MakeInitrd.java" "$work/rootfs" "$KIT" standard "$work/std.cpio" /bin/true
export MICRO=$work/micro.cpio STD=$work/std.cpio
# Under TCG the guest TSC runs at the host's rate.
export TSC_KHZ=$(awk '/cpu MHz/ {printf "%d", $4 * 1000; exit}' /proc/cpuinfo)
export C="console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init jurunc.timestamps=1"
export COM="-accel tcg -m 256 -nodefaults -no-user-config -nographic -serial stdio -no-reboot"
export M="-M microvm,x-option-roms=off,acpi=off"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$here/boot-matrix.sh" "$here/monitor-options.txt" "$rounds"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
