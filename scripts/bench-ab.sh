#!/usr/bin/env bash
# A/B benchmark of two builds of jurunc's per-container entry points, in one run, so that a regression
# shows as a ratio (B / A) measured under the same load. Each revision is exported with `git archive`
# into a temp dir (the working tree and its git state are not touched) and built there with
# `mvn -o package -pl cli -am -DskipTests` (nothing is installed into ~/.m2), which also builds the
# native shim front and trains the AOT cache. Then the cases below run round-robin, A then B, N rounds:
#
#   version       jurunc --version                                 (bare JVM start + CLI dispatch)
#   state         jurunc --root <empty> state nope                 (a hot verb, error path)
#   kill          jurunc --root <empty> kill nope KILL
#   shim-start    containerd-shim-jurunc-v2 ... start, node daemon already serving (the per-container
#                 call containerd 1.6/1.7 makes; each build's own daemon, private socket directory)
#
# Usage: sudo bash scripts/bench-ab.sh [-n N] BASE_REV CHANGE_REV      (N default 10)
#   e.g. sudo bash scripts/bench-ab.sh HEAD~3 HEAD
# Output: a Markdown table (median wall ms and median CPU ms per case, B/A ratios) on stdout, the raw
# samples in results/ab-<UTC timestamp>/samples.tsv, and the load average at start and end.
# No timing is asserted: read the ratios, and compare rows of one run only.
set -euo pipefail
# The verbs compared are the JVM's: a node daemon that happens to serve the CLI socket must not answer them.
export JURUNC_NODE_SOCKET=off
N=10
while getopts "n:" o; do
  case $o in
    n) N=$OPTARG ;;
    *) echo "usage: $0 [-n N] BASE_REV CHANGE_REV" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { echo "usage: $0 [-n N] BASE_REV CHANGE_REV" >&2; exit 2; }
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "bench-ab: -n needs a positive integer" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
say() { echo "bench-ab: $*" >&2; }
fail() { echo "bench-ab: FAILED: $*" >&2; exit 1; }

revs=()
for r in "$1" "$2"; do
  revs+=("$(git rev-parse --verify --quiet "$r^{commit}")") || fail "not a revision: $r"
done
work=$(mktemp -d /tmp/jurunc-ab.XXXXXX)
out="$repo/results/ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
daemons=()
cleanup() {
  local p
  for p in "${daemons[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM HUP

for k in 0 1; do
  label=$([ $k = 0 ] && echo A || echo B)
  src="$work/$label/src"
  mkdir -p "$src"
  git archive "${revs[$k]}" | tar -x -C "$src"
  say "building $label (${revs[$k]:0:12}) in $src"
  (cd "$src" && mvn -B -q -ntp -o package -pl cli -am -DskipTests >"$work/$label/build.log" 2>&1) ||
    { tail -30 "$work/$label/build.log" >&2; fail "build of $label failed"; }
  [ -x "$src/cli/target/dist/bin/jurunc" ] || fail "$label has no cli/target/dist"
done

# Each build gets its own node daemon in a private socket directory (the shim honours
# JURUNC_SHIM_SOCKET_ROOT; a build without it uses /run/containerd/s, still with its own address key).
start_daemon() { # label
  local label=$1 dir="$work/$1" shim="$work/$1/src/cli/target/dist/bin/containerd-shim-jurunc-v2"
  mkdir -p "$dir/bundle" "$dir/sockets" "$dir/root"
  (cd "$dir/bundle" && JURUNC_SHIM_SOCKET_ROOT="$dir/sockets" "$shim" -namespace ab -address "$dir/none.sock" \
      -id warm start </dev/null >"$dir/address" 2>"$dir/start.err") || { cat "$dir/start.err" >&2; fail "$label: shim start failed"; }
  local pid
  pid=$(pgrep -f -- "-address $dir/none.sock" | head -1)
  [ -n "$pid" ] || fail "$label: no shim daemon after start"
  daemons+=("$pid")
}
start_daemon A
start_daemon B

# One timed command: prints "wall_ms cpu_ms" (CPU = user + sys of the command and its children).
timed() {
  local t0 t1 r
  t0=$(date +%s%N)
  /usr/bin/time -o "$work/time.out" -f "%U %S" "$@" >/dev/null 2>/dev/null || true
  r=$(tail -1 "$work/time.out")
  t1=$(date +%s%N)
  awk -v w=$(( (t1 - t0) / 1000000 )) -v r="$r" 'BEGIN {split(r, a, " "); printf "%d %d\n", w, (a[1] + a[2]) * 1000}'
}

run_case() { # label case
  local label=$1 c=$2 dir="$work/$1" j="$work/$1/src/cli/target/dist/bin/jurunc"
  local shim="$work/$1/src/cli/target/dist/bin/containerd-shim-jurunc-v2"
  case $c in
    version) timed "$j" --version ;;
    state) timed "$j" --root "$dir/root" state nope ;;
    kill) timed "$j" --root "$dir/root" kill nope KILL ;;
    shim-start) (cd "$dir/bundle" && JURUNC_SHIM_SOCKET_ROOT="$dir/sockets" timed "$shim" -namespace ab \
        -address "$dir/none.sock" -id warm start) ;;
  esac
}

cases=(version state kill shim-start)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
printf 'round\tcase\tbuild\twall_ms\tcpu_ms\n' >"$out/samples.tsv"
for ((i = 1; i <= N; i++)); do
  for c in "${cases[@]}"; do
    for label in A B; do
      read -r w cpu < <(run_case "$label" "$c")
      printf '%d\t%s\t%s\t%d\t%d\n' "$i" "$c" "$label" "$w" "$cpu" >>"$out/samples.tsv"
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) {print 0; exit} if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
col() { awk -F'\t' -v c="$1" -v b="$2" -v k="$3" 'NR > 1 && $2 == c && $3 == b {print $k}' "$out/samples.tsv" | median; }
{
  echo "A = ${revs[0]:0:12} ($1), B = ${revs[1]:0:12} ($2); N = $N rounds, round-robin A/B"
  echo "load average at start: $load_start; at end: $load_end ($(nproc) CPUs)"
  echo
  echo "| case | A wall (ms) | B wall (ms) | B/A wall | A CPU (ms) | B CPU (ms) | B/A CPU |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for c in "${cases[@]}"; do
    aw=$(col "$c" A 4); bw=$(col "$c" B 4); ac=$(col "$c" A 5); bc=$(col "$c" B 5)
    awk -v c="$c" -v aw="$aw" -v bw="$bw" -v ac="$ac" -v bc="$bc" 'BEGIN {
      printf "| %s | %.0f | %.0f | %s | %.0f | %.0f | %s |\n", c, aw, bw, (aw > 0 ? sprintf("%.2f", bw / aw) : "-"),
        ac, bc, (ac > 0 ? sprintf("%.2f", bc / ac) : "-") }'
  done
} | tee "$out/report.md"
say "samples in $out/samples.tsv"
