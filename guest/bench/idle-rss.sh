#!/usr/bin/env bash
# Memory of idle microVMs: boots COUNT copies of INITRD (whose app must stay alive, e.g.
# `sleep 60`) on the project kernel, waits WAIT seconds, and reports for each QEMU its RSS and PSS,
# the part that is guest RAM (the MEM_MIB-sized anonymous mapping), the part beyond it, and the
# TCG translation cache (the TB_MIB-sized anonymous mapping). PSS shares the QEMU binary, its
# libraries and the kernel file among the running copies.
#
#   guest/bench/idle-rss.sh KERNEL INITRD MEM_MIB TB_MIB COUNT WAIT
set -euo pipefail
kernel=$1 initrd=$2 mem=$3 tb=$4 count=$5 wait=$6
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for ((i = 0; i < count; i++)); do
  qemu-system-x86_64 -M microvm,x-option-roms=off,acpi=off -accel tcg,tb-size="$tb" -m "$mem" \
    -nodefaults -no-user-config -display none -serial null -no-reboot \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init noapictimer" &
  pids+=($!)
done
sleep "$wait"
for pid in "${pids[@]}"; do
  awk -v mem=$((mem * 1024)) -v tb=$((tb * 1024)) '
    /^[0-9a-f]+-[0-9a-f]+ / { anon = (NF < 6) }
    /^Size:/ { size = $2 }
    /^Rss:/ { rss += $2; if (size == mem) ramrss += $2; if (anon && size <= tb && size > tb - 2048) tcg += $2 }
    /^Pss:/ { pss += $2; if (size == mem) rampss += $2 }
    END { printf "RSS %.1f MiB (guest RAM %.1f, beyond %.1f, of it TCG cache %.1f); PSS %.1f MiB (beyond guest RAM %.1f)\n",
          rss/1024, ramrss/1024, (rss-ramrss)/1024, tcg/1024, pss/1024, (pss-rampss)/1024 }' "/proc/$pid/smaps"
done
