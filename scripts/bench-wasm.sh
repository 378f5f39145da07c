#!/usr/bin/env bash
# WASM benchmark (issue 14): how fast a WASI module starts and runs as a container, against its peers, all
# measured in the same run, round-robin (so that a change in host load hits every subject alike).
#
#   sudo bash scripts/bench-wasm.sh [-n N] [-i ITERATIONS]     (N runs per subject, default 5)
#
# Spawn: `ctr run --rm` until it returns (the task exited and was deleted) of the probe module's "hello"
# (wasm/src/test/resources/wasm/probe.c, built by clang-14 for wasm32-wasi, image built by `jurunc build`):
#   shim-cached    ctr run --runtime io.containerd.jurunc.v2, warm daemon (JURUNC_SHIM_SCOPE=pod; a group kept
#                  alive by an anchor container), module already compiled in its cache
#   shim-uncached  same warm daemon, a module it has not seen (same code, another digest: a custom section
#                  with a nonce), so it is parsed and compiled
#   shim-new       same module, a new daemon per container (its own group): JVM start + compile
#   cli            ctr run --runc-binary jurunc (containerd's runc shim + the jurunc CLI, a JVM per container)
#   runc           ctr run --runc-binary runc of busybox `true` (a plain container, the floor)
#   node           node's WASI running the same module from process start to exit (no container)
# CPU: the probe's "spin ITERATIONS" (xorshift + modulo), time of _start alone after loading, under Chicory's
# interpreter, Chicory's compiler (JVM bytecode) and Node (V8).
# Output: a table of medians with ratios against a peer of the same run, and the load average beside it.
# The machine runs other builds: read the ratios, not the absolute numbers.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
N=5
ITER=30000000
while getopts "n:i:h" opt; do
  case $opt in
    n) N=$OPTARG ;;
    i) ITER=$OPTARG ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "bench-wasm: -n needs a positive number, got '$N'" >&2; exit 2; }
[[ $ITER =~ ^[1-9][0-9]*$ ]] || { echo "bench-wasm: -i needs a positive number, got '$ITER'" >&2; exit 2; }
fail() { echo "bench-wasm: $*" >&2; exit 1; }
# shellcheck source=containerd-lib.sh
. "$repo/scripts/containerd-lib.sh"
say() { echo "bench-wasm: $*" >&2; }
[ "$(id -u)" = 0 ] || fail "needs root (containerd)"
for t in containerd ctr runc node clang-14 busybox; do command -v "$t" >/dev/null || fail "$t missing: run scripts/install-deps.sh"; done
[ -x cli/target/dist/bin/jurunc ] || fail "no cli/target/dist/bin/jurunc: run mvn -q install -DskipTests"

work=$(mktemp -d /tmp/jurunc-bench-wasm-XXXXXX)
sock=$work/containerd.sock
ctrd_pid=
anchor=
cp -a cli/target/dist "$work/dist"   # a concurrent rebuild must not change what is measured
J=$work/dist/bin/jurunc
ctrw() { command ctr --address "$sock" --namespace jrbench-wasm "$@"; }

cleanup() {
  local rc=$?
  set +e
  if [ -n "$ctrd_pid" ]; then
    for c in $(ctrw containers ls -q 2>/dev/null); do
      ctrw tasks kill -s SIGKILL "$c" >/dev/null 2>&1; ctrw tasks delete --force "$c" >/dev/null 2>&1
      ctrw containers delete "$c" >/dev/null 2>&1
    done
    kill -TERM "$ctrd_pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$ctrd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ctrd_pid" 2>/dev/null
  fi
  # the shim daemons of this containerd carry its socket path in their argv
  for d in /proc/[0-9]*; do
    if tr '\0' ' ' 2>/dev/null <"$d/cmdline" | grep -qF -- "$sock"; then kill -KILL "${d#/proc/}" 2>/dev/null; fi
  done
  awk -v w="$work" 'index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null; done
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------- modules and images
say "building the probe module and the images"
mkdir -p "$work/ctx" "$work/rootfs" "$work/true"
clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-all -o "$work/rootfs/app.wasm" \
  wasm/src/test/resources/wasm/probe.c
cp wasm/src/test/resources/wasm/node-wasi.mjs "$work/node-wasi.mjs"
# A custom section (id 0, name "nonce") appended to a module changes its digest, not its code.
with_nonce() { # in out nonce
  local name=nonce payload=$3
  local len=$(( 1 + ${#name} + ${#payload} ))
  { cat "$1"; printf '\x00'; printf "\\x$(printf %02x "$len")"; printf "\\x$(printf %02x ${#name})"; printf '%s%s' "$name" "$payload"; } >"$2"
}
images=(probe)
cp "$work/rootfs/app.wasm" "$work/ctx/app.wasm"
build_wasm_image() { # ctxdir ref
  printf 'FROM scratch\nCOPY app.wasm /app.wasm\nENTRYPOINT ["/app.wasm"]\nCMD ["hello"]\nLABEL com.urunc.unikernel.unikernelType=wasm\n' >"$1/Containerfile"
  "$J" build -t "$2" --output "oci-archive:$1.tar" "$1" >/dev/null
}
build_wasm_image "$work/ctx" bench/wasm:probe
for i in $(seq "$N"); do
  mkdir -p "$work/ctx$i"
  with_nonce "$work/rootfs/app.wasm" "$work/ctx$i/app.wasm" "run-$i-$$"
  build_wasm_image "$work/ctx$i" "bench/wasm:nonce$i"
done
cp "$(command -v busybox)" "$work/true/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT ["/bin/busybox", "true"]\n' >"$work/true/Containerfile"
"$J" build -t bench/true:latest --output "oci-archive:$work/true.tar" "$work/true" >/dev/null

# ---------------------------------------------------------------- private containerd
write_containerd_config "$work" "$sock" ""
# pod scope: a daemon per group (io.containerd.runc.v2.group), so that "new" and "warm" daemons can be chosen
JURUNC_SHIM_SCOPE=pod PATH="$work/dist/bin:$PATH" start_containerd "$work" ctrw version
ctrw images import --all-platforms "$work/ctx.tar" >/dev/null
for i in $(seq "$N"); do ctrw images import --all-platforms "$work/ctx$i.tar" >/dev/null; done
ctrw images import "$work/true.tar" >/dev/null

now() { date +%s%N; }
declare -A samples
sample() { samples[$1]+="$2 "; }
WASM=(--platform wasi/wasm)
GROUP=(--annotation io.containerd.runc.v2.group=jrbench-warm)
shim_run() { ctrw run --rm "${WASM[@]}" --runtime io.containerd.jurunc.v2 "$@" >/dev/null; }

# the warm daemon: an anchor container of the group keeps it alive
say "starting the anchor container of the warm shim daemon"
anchor=wasm-anchor
ctrw run -d "${WASM[@]}" --runtime io.containerd.jurunc.v2 "${GROUP[@]}" docker.io/bench/wasm:probe "$anchor" /app.wasm loop >/dev/null
shim_run "${GROUP[@]}" docker.io/bench/wasm:probe warmup-shim /app.wasm hello
ctrw run --rm "${WASM[@]}" --runc-binary "$J" docker.io/bench/wasm:probe warmup-cli /app.wasm hello >/dev/null
ctrw run --rm --runc-binary runc docker.io/bench/true:latest warmup-runc >/dev/null

for i in $(seq "$N"); do
  say "round $i of $N (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  t=$(now); shim_run "${GROUP[@]}" docker.io/bench/wasm:probe "c$i" /app.wasm hello; sample shim-cached $(( $(now) - t ))
  t=$(now); shim_run "${GROUP[@]}" "docker.io/bench/wasm:nonce$i" "u$i" /app.wasm hello; sample shim-uncached $(( $(now) - t ))
  t=$(now); shim_run --annotation "io.containerd.runc.v2.group=jrbench-new-$i" docker.io/bench/wasm:probe "n$i" /app.wasm hello
  sample shim-new $(( $(now) - t ))
  t=$(now); ctrw run --rm "${WASM[@]}" --runc-binary "$J" docker.io/bench/wasm:probe "l$i" /app.wasm hello >/dev/null
  sample cli $(( $(now) - t ))
  t=$(now); ctrw run --rm --runc-binary runc docker.io/bench/true:latest "r$i" >/dev/null; sample runc $(( $(now) - t ))
  t=$(now); node --no-warnings "$work/node-wasi.mjs" \
    "{\"module\":\"$work/rootfs/app.wasm\",\"args\":[\"/app.wasm\",\"hello\"],\"env\":{},\"preopens\":{}}" >/dev/null
  sample node $(( $(now) - t ))
done
load_spawn=$(cut -d' ' -f1-3 /proc/loadavg)
ctrw tasks kill -s SIGKILL "$anchor" >/dev/null 2>&1 || true

say "CPU-bound: spin $ITER under Chicory's interpreter, its compiler and Node"
CP=$(ls "$work"/dist/lib/*.jar | paste -sd: -)
for i in $(seq "$N"); do
  for e in interpreter compiler; do
    ns=$(java -XX:+UseSerialGC -cp "$CP" io.jurunc.wasm.WasmRunMain "$e" "$work/rootfs" /app.wasm spin "$ITER" 2>&1 >/dev/null |
      awk '/^wasm-run-ns/ {print $2}')
    sample "cpu-$e" "$ns"
  done
  ns=$(node --no-warnings "$work/node-wasi.mjs" \
    "{\"module\":\"$work/rootfs/app.wasm\",\"args\":[\"/app.wasm\",\"spin\",\"$ITER\"],\"env\":{},\"preopens\":{},\"timing\":true}" \
    2>&1 >/dev/null | awk '/^node-wasi-run-ns/ {print $2}')
  sample cpu-node "$ns"
done
load_cpu=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
ms() { awk -v n="$1" 'BEGIN {printf "%.0f", n/1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a/b}'; }
runc_m=$(median "${samples[runc]}")
echo
echo "## WASM spawn: ctr run --rm to exit, median of $N (load average $load_spawn)"
echo
echo "| subject | median ms | × runc /bin/true |"
echo "|---|---:|---:|"
for s in shim-cached shim-uncached shim-new cli runc node; do
  m=$(median "${samples[$s]}")
  echo "| $s | $(ms "$m") | $(ratio "$m" "$runc_m") |"
done
node_m=$(median "${samples[cpu-node]}")
echo
echo "## WASM CPU-bound: spin $ITER, time of _start, median of $N (load average $load_cpu)"
echo
echo "| engine | median ms | × Node (V8) |"
echo "|---|---:|---:|"
for s in cpu-interpreter cpu-compiler cpu-node; do
  m=$(median "${samples[$s]}")
  echo "| ${s#cpu-} | $(ms "$m") | $(ratio "$m" "$node_m") |"
done
