#!/usr/bin/env bash
# Measures QEMU boot configurations for the jurunc guest, round-robin (so that a change in host
# load hits every configuration alike), and prints a Markdown table of medians:
#   guest uptime when the jurunc init starts and when it execs the app (its "started at uptime"
#   and "exec at uptime" lines; the kernel cmdline must carry jurunc.timestamps=1), QEMU wall time, QEMU CPU time (user+sys), QEMU peak RSS.
#
#   guest/bench/boot-matrix.sh CONFIGS N
#
# CONFIGS has one configuration per line, as shell words: LABEL QEMU-ARGV... ('#' lines skipped).
# The guest should run a program that exits at once (for example /bin/true), so that the wall
# time is boot + shutdown. See docs/performance.md for the configurations we measured.
set -euo pipefail
configs=$1; n=$2
mapfile -t lines < <(grep -v '^\s*#' "$configs" | grep -v '^\s*$')
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for ((r = 0; r < n; r++)); do
  for ((c = 0; c < ${#lines[@]}; c++)); do
    eval "set -- ${lines[$c]}"; shift
    /usr/bin/time -o "$tmp/time" -f '%e %U %S %M' timeout 60 "$@" </dev/null >"$tmp/out" 2>&1 || true
    up=$(grep -ao 'started at uptime [0-9.]*' "$tmp/out" | awk '{print $4}' || true)
    if [ -z "$up" ]; then echo "config $c run $r: no init timestamp; console tail:" >&2; tail -3 "$tmp/out" >&2; continue; fi
    ex=$(grep -ao 'exec at uptime [0-9.]*' "$tmp/out" | awk '{print $4}' || true)
    read -r wall user sys kb < "$tmp/time"
    echo "$up ${ex:-$up} $wall $(echo "$user + $sys" | bc) $((kb / 1024))" >> "$tmp/c$c"
  done
done
median() { sort -g | awk '{a[NR]=$1} END {if (!NR) print "-"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
echo "| configuration | uptime at init (s) | uptime at app exec (s) | QEMU wall (s) | QEMU CPU (s) | peak RSS (MiB) | runs |"
echo "|---|---|---|---|---|---|---|"
for ((c = 0; c < ${#lines[@]}; c++)); do
  eval "set -- ${lines[$c]}"
  f=$tmp/c$c; [ -s "$f" ] || { echo "| $1 | failed | | | | 0/$n |"; continue; }
  echo "| $1 | $(cut -d' ' -f1 "$f" | median) | $(cut -d' ' -f2 "$f" | median) | $(cut -d' ' -f3 "$f" | median) | $(cut -d' ' -f4 "$f" | median) | $(cut -d' ' -f5 "$f" | median) | $(wc -l < "$f")/$n |"
done
