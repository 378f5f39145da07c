#!/bin/bash
# Per-spawn cost of the waiter chain: old (setsid unshare sh, exec) vs the sandbox helper (setsid,
# unshare, pivot into a minimal root, setuid, caps dropped, exec). Monitor: /usr/bin/true.
# Usage (root): scripts/bench-sandbox.sh [HELPER] [RUNS]. Prints medians in microseconds; compare the
# two lines of one run (note `uptime`: the numbers move with the load).
REPO=$(cd "$(dirname "$0")/.." && pwd)
H=${1:-$REPO/cli/target/dist/libexec/jurunc-sandbox}; N=${2:-30}
d=$(mktemp -d); mkdir -p $d/root; trap 'rm -rf "$d"' EXIT
D=$d python3 - <<'PY'
import os
d=os.environ["D"]
recs=["root="+d+"/root","rox=/usr","ro=/etc/ld.so.cache","hostlink=/lib","hostlink=/lib64","hostlink=/bin",
"dev=/dev/null","dev=/dev/zero","dev=/dev/full","dev=/dev/random","dev=/dev/urandom","dev=/dev/net/tun",
"uid=1000000001","gid=1000000001",
"env=PATH=/usr/bin","arg=/usr/bin/true"]
open(d+'/monitor.launch','wb').write(b''.join(r.encode()+b'\0' for r in recs))
PY
run() { # kind
  local t0 t1 p
  rm -f $d/waiter.ready $d/start.fifo; mkfifo $d/start.fifo
  t0=$(date +%s%N)
  if [ $1 = old ]; then
    setsid unshare --ipc --uts --net /bin/sh -c ': jurunc-waiter; : > "$2"; read _ < "$0" || exit 1; exec /usr/bin/true' $d/start.fifo x $d/waiter.ready &
  else
    $H jurunc-waiter $d --new-net &
  fi
  p=$!
  while [ ! -e $d/waiter.ready ]; do :; done
  echo start > $d/start.fifo
  wait $p
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}
uptime
for k in old new; do
  for i in $(seq $N); do run $k; done | sort -n | awk -v k=$k '{a[NR]=$1} END {print k, "median_us", a[int((NR+1)/2)], "min_us", a[1]}'
done
