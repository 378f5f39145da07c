#!/usr/bin/env bash
# Spawn benchmark (issue 6 item 3, issue 2's measurement): the same HTTP echo service (busybox httpd,
# e2e/images/echo) started N times by each subject, measuring the time from `ctr run` (or, for bare
# QEMU, from the process start) to the first HTTP answer, and host memory per running sandbox.
#
#   sudo bash scripts/bench-spawn.sh [-n N] [-s SUBJECTS]      (N default 5; SUBJECTS comma-separated)
#
# Subjects (run round-robin, so that a change in host load hits all of them alike):
#   runc         ctr run --cni --runc-binary runc                        (plain container)
#   runsc        ctr run --with-ns network:<netns> --runc-binary <wrapper: runsc --ignore-cgroups
#                --network=host "$@">  (gVisor; it refuses ctr --cni here, so it gets a netns made
#                beforehand, wired to the host by a veth pair, and uses that netns' network directly)
#   jurunc-runc  ctr run --cni --runc-binary <copy of cli/target/dist>/bin/jurunc  (containerd's runc shim;
#                its create/start/state/kill/delete served by a node daemon through the native CLI front: the
#                daemon is started before the runs, outside the timed window, and binds the benchmark's own
#                CLI socket, JURUNC_NODE_SOCKET=<work>/node/cli.sock)
#   jurunc-runc-jvm  the same with JURUNC_NODE_SOCKET=off for the runtime calls (a wrapper script sets it):
#                every verb starts a JVM of its own, as before the front and wherever no daemon serves
#   jurunc-shim  ctr run --cni --runtime io.containerd.jurunc.v2          (jurunc's own shim, node daemon
#                already serving: started before the run, outside the timed window, as `jurunc install
#                containerd` does)
#   jurunc-shim-cold  the same with no shim daemon yet (the node's first container: it is stopped
#                before each run, outside the timed window)
#   qemu         the monitor argv jurunc recorded for its first jurunc-runc run (same kernel, initramfs,
#                QEMU options), run directly in a private netns on a tap that holds the gateway address
#                and a permanent neighbour entry for the guest's MAC (as jurunc's path has in effect)
# Unikernel subjects (real binaries from ../shared/unikernels; the service is Unikraft 0.16.3 httpreply,
# GET / on port 8123 answering "It works!"):
#   uk-jurunc-runc   ctr run --cni --runc-binary jurunc, the Unikraft image built by jurunc build
#   uk-jurunc-shim   the same through jurunc's shim, node daemon already serving
#   uk-qemu          the QEMU argv jurunc recorded for its first uk-jurunc-runc run (same binary, options;
#                    netdev.ip= pointed at the private netns), run directly, as for qemu
#   spt-hello        time from `ctr run --rm` (runc shim + jurunc CLI) to exit of Solo5's test_hello on
#                    solo5-spt (guest type mirage): a unikernel that starts, prints and ends
#   runc-true        time from `ctr run --rm --runc-binary runc` to exit of busybox `true`: its peer
# The default set is all of them; the report gives the unikernel rows in the same table and, below it,
# each unikernel subject as a ratio of its peer from the same run (uk-qemu, runc-true).
#
# Each run: t0 just before `ctr run` (or QEMU) starts; then a curl GET /cgi-bin/echo starts every
# 100 ms (overlapping; 0.5 s connect timeout), each only once the host routes the container's address
# through the benchmark's own bridge and bound to it (runsc: its veth; qemu: inside its private
# netns); t1 is when the first one got an answer that echoes its header.
# After one idle second, the PSS of the sandbox's processes (all descendants of its shim; for qemu the
# QEMU process) and of its shim is read from /proc/<pid>/smaps_rollup; for QEMU processes also the
# RSS of the guest-RAM mapping (the anonymous mapping of -m's size), the rest (monitor RSS beyond guest
# RAM) and, within that rest, the TCG code cache (the largest anonymous executable mapping).
# Then the sandbox is killed (SIGKILL) and removed, and the next run starts.
#
# jurunc runs with [timestamps] enabled (phase records in the results folder); the bare QEMU runs add
# jurunc.timestamps=1 to the kernel cmdline so that the guest init prints its uptime at start.
#
# Output: results/<UTC timestamp>/ with report.md (table of medians, ratios against runc from the same
# run, jurunc's phase breakdown), spawn.png (chart), samples.tsv, timestamps.log and the consoles.
# Environment:
#   JURUNC_BENCH_SKIP_BUILD=1   reuse the built launcher, kit and bench jar (no apt, no Maven)
#   JURUNC_BENCH_LIMIT_S=SECS   how long one run may take to answer (default 60)
#   JURUNC_BENCH_COUNT_JVMS=0   do not route the launchers' java through the counting wrapper (no JVM-start
#                               table): the shim's native start front starts a node's first daemon itself
#                               only with a real java binary, so jurunc-shim-cold measures that path only
#                               with this set
# docs/performance.md ("Spawn benchmark") explains the numbers.
set -euo pipefail
# shellcheck source=java-env.sh
. "$(dirname "$0")/java-env.sh"

N=5
SUBJECTS=runc,runsc,jurunc-runc,jurunc-runc-jvm,jurunc-shim-cold,jurunc-shim,qemu,uk-jurunc-runc,uk-jurunc-shim,uk-qemu,runc-true,spt-hello
while getopts "n:s:h" opt; do
  case $opt in
    n) N=$OPTARG ;;
    s) SUBJECTS=$OPTARG ;;
    *) sed -n '2,35p' "$0"; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "bench-spawn: -n needs a positive number, got '$N'" >&2; exit 2; }
IFS=, read -r -a subjects <<<"$SUBJECTS"
for s in "${subjects[@]}"; do
  case $s in runc|runsc|jurunc-runc|jurunc-runc-jvm|jurunc-shim|jurunc-shim-cold|qemu|uk-jurunc-runc|uk-jurunc-shim|uk-qemu|runc-true|spt-hello) ;; *)
    echo "bench-spawn: unknown subject '$s' (known: runc,runsc,jurunc-runc,jurunc-runc-jvm,jurunc-shim,jurunc-shim-cold,qemu,uk-jurunc-runc,uk-jurunc-shim,uk-qemu,runc-true,spt-hello)" >&2; exit 2 ;;
  esac
done

say() { echo "bench-spawn: $*" >&2; }
fail() { echo "bench-spawn: FAILED: $*" >&2; exit 1; }
# shellcheck source=containerd-lib.sh
. "$repo/scripts/containerd-lib.sh"
[ "$(id -u)" = 0 ] || fail "run as root: sudo bash scripts/bench-spawn.sh"

# ---------------------------------------------------------------- build (skippable)
if [ "${JURUNC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  bash scripts/install-deps.sh || fail "scripts/install-deps.sh failed"
  mvn -q install -DskipTests || fail "the Maven build failed"
  bash scripts/build-kit.sh || fail "scripts/build-kit.sh failed"
fi
[ -x cli/target/dist/bin/jurunc ] || fail "no cli/target/dist/bin/jurunc: run without JURUNC_BENCH_SKIP_BUILD"
[ -f bench/target/jurunc-bench-0.1.0-SNAPSHOT.jar ] || fail "no bench jar: run without JURUNC_BENCH_SKIP_BUILD"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$repo/results/$stamp
mkdir -p "$out/consoles"
work=$(mktemp -d /tmp/jurunc-bench-spawn-XXXXXX)
sock=$work/containerd.sock
bridge=jrbench$(printf '%04x' $((RANDOM % 65536)))
qnetns=jrbench-qemu-$$
rnetns=jrbench-runsc-$$
rveth=jrbr$(printf '%04x' $((RANDOM % 65536)))
ctrd_pid=
run_pid=
qemu_pid=

# A private copy of the launchers, so that a concurrent rebuild of the working tree cannot change
# what is measured half-way through.
cp -a cli/target/dist "$work/dist"
J=$work/dist/bin/jurunc
# The AOT cache is only valid for the exact jars it was trained with (a rebuilt module jar voids it
# silently), so train one for this copy, as the build does, and check that the JVM maps it.
say "training the JDK AOT cache for the copied launchers"
bash cli/src/main/dist/make-dist.sh "$work/dist" >&2 || fail "cli/src/main/dist/make-dist.sh failed"
if JURUNC_JAVA_OPTS="-Xlog:aot=error -Xlog:cds=error" "$J" --version 2>&1 | grep -q 'Unable to map'; then
  aot="NOT used (the cache does not match the jars)"
else
  aot="used"
fi
cp bench/target/jurunc-bench-0.1.0-SNAPSHOT.jar "$work/bench.jar"
# ... and of the guest kit (kernel + init), which jurunc is pointed at through its config.
[ -f /var/lib/jurunc/kit/kit.json ] || fail "no guest kit in /var/lib/jurunc/kit: run scripts/build-kit.sh"
for _ in 1 2 3; do   # a kit being rebuilt right now would give a torn copy: compare, else retry
  rm -rf "$work/kit"; cp -a /var/lib/jurunc/kit "$work/kit"
  diff -rq /var/lib/jurunc/kit "$work/kit" >/dev/null 2>&1 && break
  sleep 5
done
diff -rq /var/lib/jurunc/kit "$work/kit" >/dev/null || fail "the guest kit keeps changing under /var/lib/jurunc/kit"

cleanup() {
  local rc=$?
  set +e
  say "cleaning up"
  [ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null
  [ -n "$run_pid" ] && kill -KILL "$run_pid" 2>/dev/null
  if [ -n "$ctrd_pid" ] && kill -0 "$ctrd_pid" 2>/dev/null; then
    for ns in $(ctr_ns default namespaces ls -q 2>/dev/null); do
      for c in $(ctr_ns "$ns" containers ls -q 2>/dev/null); do
        ctr_ns "$ns" tasks kill -s SIGKILL "$c" >/dev/null 2>&1
        ctr_ns "$ns" tasks delete --force "$c" >/dev/null 2>&1
        ctr_ns "$ns" containers delete "$c" >/dev/null 2>&1
      done
    done
    ctr_ns default images ls -q 2>/dev/null | while read -r i; do ctr_ns default images rm "$i" >/dev/null 2>&1; done
    kill -TERM "$ctrd_pid"
    for _ in $(seq 100); do kill -0 "$ctrd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ctrd_pid" 2>/dev/null
  fi
  # shims that still serve this containerd (they carry its socket in their argv), and their children;
  # a node daemon's holder first gets SIGTERM: its clean stop removes the socket, lock, log and state dir
  for p in $(pgrep -f -- "-address $sock" 2>/dev/null); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */jurunc-shim-holder ]] && kill -TERM "$p" 2>/dev/null
  done
  sleep 1
  for p in $(pgrep -f -- "-address $sock" 2>/dev/null); do
    pkill -KILL -P "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null
  done
  awk -v w="$work" 'index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null; done
  ip link show dev "$bridge" >/dev/null 2>&1 && ip link delete dev "$bridge"
  ip netns list 2>/dev/null | grep -qw "$qnetns" && ip netns delete "$qnetns"
  ip link show dev "$rveth" >/dev/null 2>&1 && ip link delete dev "$rveth"
  # runsc keeps a failed container's sandbox state in the shim's --root; ours start with b<pid>-
  for st in "/run/containerd/runc/jrbench-runsc/b$$-"*.state; do
    [ -e "$st" ] || continue
    st=${st##*/}; runsc --root /run/containerd/runc/jrbench-runsc delete --force "${st%%_sandbox:*}" >/dev/null 2>&1
  done
  ip netns list 2>/dev/null | grep -qw "$rnetns" && ip netns delete "$rnetns"
  for ns in runc runsc jurunc-runc jurunc-runc-jvm jurunc-shim jurunc-shim-cold uk-jurunc-runc uk-jurunc-shim runc-true spt-hello; do
    rmdir "/run/containerd/runc/jrbench-$ns" 2>/dev/null
  done
  if awk -v w="$work" 'index($5, w) == 1 {f=1} END {exit !f}' /proc/self/mountinfo; then
    say "WARNING: $work still has mounts; not deleting it"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap '' PIPE   # a closed output pipe must not kill the script before its cleanup

ctr_ns() { local ns=$1; shift; command ctr --address "$sock" --namespace "$ns" "$@"; }

# ---------------------------------------------------------------- the echo image
say "building the echo image with jurunc build"
mkdir -p "$work/ctx"
cp -a e2e/images/echo/. "$work/ctx/"
cp /bin/busybox "$work/ctx/busybox"
"$J" build -f "$work/ctx/Containerfile" -t jurunc.bench/echo:latest --output "oci-archive:$work/echo.tar" \
  "$work/ctx" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "jurunc build failed"; }
image=jurunc.bench/echo:latest

# ---------------------------------------------------------------- the unikernel images
ukdir=${JURUNC_UNIKERNELS:-$repo/../shared/unikernels}
ukimage=jurunc.bench/uk-http:latest
sptimage=jurunc.bench/spt-hello:latest
if [[ " ${subjects[*]} " == *" uk-"* || " ${subjects[*]} " == *" spt-hello "* ]]; then
  [ -f "$ukdir/bin/httpreply_qemu-x86_64.uk0.16.3" ] ||
    fail "no $ukdir/bin: the unikernel subjects need ../shared/unikernels (or JURUNC_UNIKERNELS=DIR)"
  command -v solo5-spt >/dev/null || fail "no solo5-spt on PATH: run scripts/install-deps.sh"
  say "building the Unikraft httpreply and Solo5 spt images with jurunc build"
  mkdir -p "$work/ukctx" "$work/sptctx"
  cp "$ukdir/bin/httpreply_qemu-x86_64.uk0.16.3" "$work/ukctx/httpreply"
  printf '%s\n' 'FROM scratch' 'COPY httpreply /unikernel/httpreply' \
    'LABEL com.urunc.unikernel.binary=/unikernel/httpreply' 'LABEL com.urunc.unikernel.unikernelType=unikraft' \
    'LABEL com.urunc.unikernel.hypervisor=qemu' 'LABEL com.urunc.unikernel.unikernelVersion=0.16.3' \
    'CMD ["httpreply"]' >"$work/ukctx/Containerfile"
  cp "$ukdir/bin/test_hello.spt" "$work/sptctx/test_hello"
  printf '%s\n' 'FROM scratch' 'COPY test_hello /unikernel/test_hello' \
    'LABEL com.urunc.unikernel.binary=/unikernel/test_hello' 'LABEL com.urunc.unikernel.unikernelType=mirage' \
    'LABEL com.urunc.unikernel.hypervisor=spt' 'CMD ["hello"]' >"$work/sptctx/Containerfile"
  for k in uk spt; do
    "$J" build -f "$work/${k}ctx/Containerfile" -t "jurunc.bench/$( [ $k = uk ] && echo uk-http || echo spt-hello):latest" \
      --output "oci-archive:$work/$k.tar" "$work/${k}ctx" >"$work/build-$k.log" 2>&1 ||
      { cat "$work/build-$k.log" >&2; fail "jurunc build of the $k image failed"; }
  done
fi

# ---------------------------------------------------------------- jurunc config, runsc wrapper
cat >"$work/jurunc.toml" <<EOF
[runtime]
kit = "$work/kit"
[timestamps]
enabled = true
destination = "$out/timestamps.log"
EOF
cat >"$work/runsc-wrapper" <<'EOF'
#!/bin/sh
# gVisor under containerd's runc shim: this host's cgroup layout needs --ignore-cgroups.
exec runsc --ignore-cgroups --network=host "$@"
EOF
chmod +x "$work/runsc-wrapper"
# jurunc-runc-jvm: the runtime calls with the node daemon disabled (the front execs bin/jurunc.jvm at once)
printf '#!/bin/sh\nJURUNC_NODE_SOCKET=off exec "%s" "$@"\n' "$J" >"$work/jurunc-jvm"
chmod +x "$work/jurunc-jvm"

# ---------------------------------------------------------------- private containerd
write_containerd_config "$work" "$sock" ""
COUNT_JVMS=${JURUNC_BENCH_COUNT_JVMS:-1}
# Every JVM the launchers start goes through this wrapper (JURUNC_JAVA), which logs one line per start:
# the benchmark counts JVM starts per container from it. The shim daemon is started by the JVM of
# `shim start` with the real java binary, so it is counted from its pid instead (new_daemon).
printf '#!/bin/sh\necho "$(date +%%s%%N) $*" | cut -c1-200 >>"%s"\nexec "%s" "$@"\n' \
  "$work/jvm-starts.log" "$JAVA_HOME/bin/java" >"$work/java-counter"
chmod +x "$work/java-counter"
: >"$work/jvm-starts.log"
# The shims inherit containerd's environment: jurunc reads JURUNC_CONFIG, containerd finds
# containerd-shim-jurunc-v2 on PATH, and the CLI front (run by containerd's runc shim) and the node daemons
# (started by containerd) agree on the benchmark's own CLI socket, not the host's /run/jurunc-node/cli.sock.
if [ "$COUNT_JVMS" = 1 ]; then export JURUNC_JAVA=$work/java-counter; fi
cli_sock=$work/node/cli.sock
JURUNC_CONFIG=$work/jurunc.toml PATH="$work/dist/bin:$PATH" JURUNC_NODE_SOCKET=$cli_sock \
  start_containerd "$work" ctr_ns default version
for s in "${subjects[@]}"; do
  case $s in qemu|uk-qemu) continue ;; esac
  ctr_ns "jrbench-$s" images import --base-name jurunc.bench/echo "$work/echo.tar" >/dev/null ||
    fail "ctr images import failed"
  case $s in
    uk-*) ctr_ns "jrbench-$s" images import --base-name jurunc.bench/uk-http "$work/uk.tar" >/dev/null ||
            fail "ctr images import (uk) failed" ;;
    spt-hello) ctr_ns "jrbench-$s" images import --base-name jurunc.bench/spt-hello "$work/spt.tar" >/dev/null ||
            fail "ctr images import (spt) failed" ;;
  esac
done

# ---------------------------------------------------------------- CNI network (private conflist)
subnet=$(free_subnet)
qsubnet=$(free_subnet "$subnet")
rsubnet=$(free_subnet "$subnet" "$qsubnet")
mkdir -p "$work/net.d"
write_bridge_conflist "$work/net.d/10-jrbench.conflist" jrbench "$bridge" "$work/cni-leases" "$subnet"

# ---------------------------------------------------------------- measurement helpers
now_ns() { date +%s%N; }

# The address host-local leased to container <ns>-<id> (empty until then).
lease_ip() {
  local f
  for f in "$work/cni-leases/jrbench/$subnet"*; do
    [ -f "$f" ] || continue
    [ "$(head -1 "$f" | tr -d '\r')" = "$1" ] && { basename "$f"; return 0; }
  done
  return 0
}

# One GET; succeeds only with an answer that echoes our header. $1: "bridge" (only once the host
# routes the address through our bridge, and bound to it), "veth" (runsc's netns) or "netns" (qemu).
probe_kind=echo   # echo: the echo image (GET /cgi-bin/echo); uk: Unikraft httpreply (GET / on 8123)
probe() {
  local where=$1 ip=$2 answer
  local curl=(curl -sf --noproxy '*' --connect-timeout 0.5 --max-time 2 -H 'X-Jurunc-Bench: 1'
              "http://$ip:8080/cgi-bin/echo")
  [ "$probe_kind" = uk ] && curl=(curl -sf --noproxy '*' --connect-timeout 0.5 --max-time 2 "http://$ip:8123/")
  case $where in
    bridge)
      ip -o -4 route get "$ip" 2>/dev/null | grep -q " dev $bridge " || return 1
      answer=$("${curl[@]}" --interface "$bridge" 2>/dev/null) || return 1 ;;
    veth) answer=$("${curl[@]}" --interface "$rveth" 2>/dev/null) || return 1 ;;
    netns) answer=$(ip netns exec "$qnetns" "${curl[@]}" 2>/dev/null) || return 1 ;;
  esac
  if [ "$probe_kind" = uk ]; then [[ $answer == *"It works!"* ]]; else [[ $answer == *HTTP_X_JURUNC_BENCH* ]]; fi
}

# A probe in the background that, on success, appends its end time to file $3. Starting one every
# 100 ms, overlapping, keeps the resolution at about 0.1 s even though an attempt made while the
# guest is still booting blocks for its whole connect timeout (no ARP answer yet).
probe_async() { ( probe "$1" "$2" && now_ns >>"$3" ) </dev/null >/dev/null 2>&1 & }

pss_kb() { awk '/^Pss:/ {print $2; f=1} END {if (!f) print 0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
descendants() { # all descendants of pid $1
  ps -e -o pid=,ppid= | awk -v root="$1" '{p[$1]=$2} END {
    do { n=0; for (c in p) if (!(c in d) && (p[c]==root || (p[c] in d))) {d[c]=1; n++} } while (n)
    for (c in d) print c }'
}
# "total_rss_kb guest_ram_rss_kb tcg_rss_kb" of a QEMU process. The guest RAM is the anonymous mapping
# whose size is -m; the TCG code cache is the largest anonymous executable mapping (1 GiB by default).
qemu_rss() {
  local m kb
  m=$(tr '\0' '\n' <"/proc/$1/cmdline" | awk 'p {print; exit} $0 == "-m" {p = 1}')
  m=${m#size=}; m=${m%%,*}
  case $m in
    *G|*g) kb=$(( ${m%?} * 1048576 )) ;;
    *M|*m) kb=$(( ${m%?} * 1024 )) ;;
    *) kb=$(( m * 1024 )) ;;
  esac
  awk -v ram="$kb" '/^[0-9a-f]+-[0-9a-f]+ / {perm = $2; anon = (NF == 5)} /^Size:/ {sz = $2}
       /^Rss:/ {t += $2; if (anon && sz == ram && !gf) {g = $2; gf = 1}
                if (anon && perm ~ /x/ && sz > tsz) {tsz = sz; x = $2}}
       END {print t + 0, g + 0, x + 0}' "/proc/$1/smaps" 2>/dev/null || echo "0 0 0"
}
shim_of() { # the shim serving container $2 of namespace $1 (containerd 1.6: "-namespace NS -id ID -address
  # SOCK"); jurunc's node daemon carries the group "jurunc-node" as its id
  { pgrep -f -- "-namespace $1 -id $2 -address $sock"; pgrep -f -- "-namespace $1 -id jurunc-node -address $sock"; } |
    head -1 || true
}
# The node daemon's JVM (its holder's argv names the daemon too, after "--"); none: empty
node_daemon() {
  local p
  for p in $(pgrep -f -- "-namespace $1 -id jurunc-node -address $sock"); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */java ]] && { echo "$p"; return 0; }
  done
  return 0
}
# Its holder (shim-holder.c), which owns containerd's connections and restarts the JVM; none: empty
node_holder() {
  local p
  for p in $(pgrep -f -- "-namespace $1 -id jurunc-node -address $sock"); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */jurunc-shim-holder ]] && { echo "$p"; return 0; }
  done
  return 0
}
stop_node_daemon() { # $1: namespace; SIGTERM, a clean stop (the daemon removes its socket and lock)
  local p
  p=$(node_holder "$1")  # the holder stops its JVM first; without a holder, the JVM itself
  [ -n "$p" ] || p=$(node_daemon "$1")
  [ -n "$p" ] || return 0
  kill -TERM "$p"
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null || true
}
start_node_daemon() { # $1: namespace; as `jurunc install containerd` does, with containerd's environment
  [ -n "$(node_daemon "$1")" ] && return 0
  mkdir -p "$work/prestart"
  (cd "$work/prestart" && JURUNC_CONFIG=$work/jurunc.toml TTRPC_ADDRESS="$sock.ttrpc" JURUNC_NODE_SOCKET=$cli_sock \
    PATH="$work/dist/bin:$PATH" "$work/dist/bin/containerd-shim-jurunc-v2" -namespace "$1" -address "$sock" \
    -publish-binary "$(command -v containerd)" -id jurunc-node start </dev/null >/dev/null) ||
    fail "could not pre-start the shim daemon for $1"
}

# The node daemon that serves the CLI front (jurunc-runc, the CLI verbs): the jrbench-jurunc-runc namespace's,
# started before any other so that it is the one that binds $cli_sock (a daemon started later finds the socket
# served and leaves it alone), and never stopped (jurunc-shim-cold stops only its own namespace's).
cli_daemon_ns=jrbench-jurunc-runc
ensure_cli_daemon() {
  start_node_daemon "$cli_daemon_ns"
  for _ in $(seq 50); do [ -S "$cli_sock" ] && return 0; sleep 0.1; done
  say "WARNING: no node daemon serves $cli_sock: the front's calls run JVMs (see the daemon's log)"
}
# CPU (ms) of the node daemons of this containerd so far (user + system, all threads, those that ended too)
daemons_cpu_ms() {
  local p t=0 tck
  tck=$(getconf CLK_TCK)
  for p in $(pgrep -f -- "-id jurunc-node -address $sock"); do
    [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */java ]] || continue
    t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo $(( t * 1000 / tck ))
}

# Memory of the processes in $@ (the sandbox): "pss_kb qemu_rss_kb qemu_guest_ram_rss_kb qemu_tcg_rss_kb"
sandbox_mem() {
  local pss=0 qr=0 qg=0 qt=0 p r g t
  for p in "$@"; do
    pss=$((pss + $(pss_kb "$p")))
    if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = qemu-system-x86 ]; then
      read -r r g t < <(qemu_rss "$p"); qr=$((qr + r)); qg=$((qg + g)); qt=$((qt + t))
    fi
  done
  echo "$pss $qr $qg $qt"
}

# Records one sample: subject run id t0 t1 pss shim_pss qemu_rss qemu_guest_rss qemu_tcg_rss status
record() { (IFS=$'\t'; echo "$*") >>"$out/samples.tsv"; }
record subject run id t0_ns t1_ns sandbox_pss_kb shim_pss_kb qemu_rss_kb qemu_guest_ram_rss_kb qemu_tcg_rss_kb status

LIMIT_S=${JURUNC_BENCH_LIMIT_S:-60}
bare_ready=0

# Copies what the bare QEMU subject needs from a running jurunc container: the recorded monitor argv
# (state dir jurunc.json, monitorArgv) and the initramfs it names (deleted with the container).
capture_bare_qemu() {
  local ns=$1 id=$2 state
  state=$(find "/run/containerd/runc/$ns/$id" -maxdepth 1 -name 'jurunc.json' 2>/dev/null | head -1)
  [ -n "$state" ] || state=$(grep -rl --include='*.json' '"monitorArgv"' "/run/containerd/runc/$ns" 2>/dev/null | head -1)
  [ -n "$state" ] || { say "no jurunc state with monitorArgv under /run/containerd/runc/$ns; no bare qemu subject"; return; }
  mkdir -p "$work/bare"
  java -cp "$work/bench.jar:$(bench_cp)" io.jurunc.bench.spawn.BareQemuArgv \
    --state "$state" --copy-to "$work/bare" --tap tap0 --ip "${qsubnet}2" --gateway "${qsubnet}1" \
    >"$work/bare/argv" 2>"$work/bare/err" || { cat "$work/bare/err" >&2; say "no bare qemu subject"; return; }
  # Like with like: on jurunc's path the host resolves the guest's MAC before the guest boots (the
  # container's eth0, whose address and MAC the guest takes over, answers ARP until start redirects
  # it), so no request waits for ARP's 1 s retransmit. The bare netns gets the same MAC statically.
  local mac
  mac=$(grep -o 'mac=[0-9a-fA-F:]*' "$work/bare/argv" | head -1 | cut -d= -f2)
  [ -n "$mac" ] && ip -n "$qnetns" neigh replace "${qsubnet}2" lladdr "$mac" dev tap0 nud permanent
  bare_ready=1
}
bench_cp() { echo "$work/dist/lib/*"; }  # jackson comes with the launcher's libraries

# The bare-QEMU argv of the Unikraft subject, from jurunc's recorded monitor argv: the binary copied
# (it lives in the container's rootfs), the benchmark's tap, netdev.ip= pointed at the private netns.
uk_bare_ready=0
capture_uk_qemu() {
  local ns=$1 id=$2 state a prev=
  state=$(find "/run/containerd/runc/$ns/$id" -maxdepth 1 -name 'jurunc.json' 2>/dev/null | head -1)
  [ -n "$state" ] || { say "no jurunc state for $id; no uk-qemu subject"; return; }
  mkdir -p "$work/ukbare"
  : >"$work/ukbare/argv"
  while IFS= read -r a; do
    case $prev in
      -kernel) cp "$a" "$work/ukbare/kernel"; a=$work/ukbare/kernel ;;
      -netdev) a=$(sed "s/ifname=[^,]*/ifname=tap0/" <<<"$a") ;;
      -qmp) a="unix:$work/ukbare/qmp.sock,server=on,wait=off" ;;  # the state dir's socket is gone
      -append) a=$(sed -E "s#netdev\.ip=[^ ]*#netdev.ip=${qsubnet}2/24:${qsubnet}1:8.8.8.8#" <<<"$a") ;;
    esac
    printf '%s\n' "$a" >>"$work/ukbare/argv"
    prev=$a
  done < <(jq -r '.monitorArgv[]' "$state")
  grep -q 'netdev.ip=' "$work/ukbare/argv" || { say "the recorded Unikraft argv has no netdev.ip=; no uk-qemu"; return; }
  uk_bare_ready=1
}

# Time to exit (no HTTP): `ctr run --rm` in the foreground; t1 when it returns with status 0.
run_exit_subject() { # subject run
  local s=$1 i=$2 ns=jrbench-$1 id="b$$-$1-$2" t0 t1 status=ok rc=0
  local -a what
  case $s in
    spt-hello) what=(--runc-binary "$J" "$sptimage" "$id") ;;
    runc-true) what=(--runc-binary "$(command -v runc)" "$image" "$id" /bin/busybox true) ;;
  esac
  local jvm_before
  jvm_before=$(wc -l <"$work/jvm-starts.log")
  t0=$(now_ns)
  timeout "$LIMIT_S" ctr --address "$sock" --namespace "$ns" run --rm --fifo-dir "$work/fifo" "${what[@]}" \
    >"$out/consoles/$id.out" 2>&1 || rc=$?
  t1=$(now_ns)
  local jvms=$(( $(wc -l <"$work/jvm-starts.log") - jvm_before ))
  if [ "$COUNT_JVMS" = 1 ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$i" "$jvms" "$jvms" \
      "$([ "$rc" = 0 ] && echo ok || echo "exit$rc")" >>"$out/jvm-starts.tsv"
  fi
  [ "$rc" = 0 ] || status="exit$rc"
  record "$s" "$i" "$id" "$t0" "$([ "$status" = ok ] && echo "$t1" || echo 0)" 0 0 0 0 0 "$status"
  say "$(printf '%-12s run %d: %s %s ms to exit' "$s" "$i" "$status" "$(( t1 / 1000000 - t0 / 1000000 ))")"
  ctr_ns "$ns" containers delete "$id" >/dev/null 2>&1 || true
}

run_ctr_subject() { # subject run
  local s=$1 i=$2 ns=jrbench-$1 id="b$$-$1-$2" t0 t1= ip= shim pids status=ok mem=(0 0 0 0) spss=0
  local runtime=() cni=(--cni) where=bridge img=$image
  probe_kind=echo
  case $s in
    runc) runtime=(--runc-binary "$(command -v runc)") ;;
    runsc) runtime=(--runc-binary "$work/runsc-wrapper" --with-ns "network:/run/netns/$rnetns")
           cni=(); where=veth; ip=${rsubnet}2 ;;
    jurunc-runc) runtime=(--runc-binary "$J"); ensure_cli_daemon ;;
    jurunc-runc-jvm) runtime=(--runc-binary "$work/jurunc-jvm") ;;
    jurunc-shim) runtime=(--runtime io.containerd.jurunc.v2); start_node_daemon "$ns" ;;
    jurunc-shim-cold) runtime=(--runtime io.containerd.jurunc.v2); stop_node_daemon "$ns" ;;
    uk-jurunc-runc) runtime=(--runc-binary "$J"); img=$ukimage; probe_kind=uk; ensure_cli_daemon ;;
    uk-jurunc-shim) runtime=(--runtime io.containerd.jurunc.v2); img=$ukimage; probe_kind=uk; start_node_daemon "$ns" ;;
  esac
  local jvm_before daemon_before
  jvm_before=$(wc -l <"$work/jvm-starts.log")
  daemon_before=$(node_daemon "$ns")
  t0=$(now_ns)
  unshare --mount --propagation private -- sh -c \
    'mkdir -p /etc/cni/net.d && mount --bind "$1" /etc/cni/net.d && shift && exec "$@"' sh "$work/net.d" \
    ctr --address "$sock" --namespace "$ns" run --rm "${cni[@]}" "${runtime[@]}" --fifo-dir "$work/fifo" \
    "$img" "$id" >"$out/consoles/$id.out" 2>&1 &
  run_pid=$!
  local answers=$work/answers.$id
  : >"$answers"
  while :; do
    [ -n "$ip" ] || ip=$(lease_ip "$ns-$id")
    [ -n "$ip" ] && probe_async "$where" "$ip" "$answers"
    if [ -s "$answers" ]; then t1=$(sort -n "$answers" | head -1); break; fi
    kill -0 "$run_pid" 2>/dev/null || { status=exited; break; }
    (( $(now_ns) - t0 > LIMIT_S * 1000000000 )) && { status=timeout; break; }
    sleep 0.1
  done
  if [ "$status" = ok ]; then
    sleep 1
    shim=$(shim_of "$ns" "$id")
    if [ -n "$shim" ]; then
      mapfile -t pids < <(descendants "$shim")
      read -r -a mem < <(sandbox_mem "${pids[@]}")
      spss=$(pss_kb "$shim")
    fi
    [ "$s" = jurunc-runc ] && [ "$bare_ready" = 0 ] && [[ " ${subjects[*]} " == *" qemu "* ]] && capture_bare_qemu "$ns" "$id"
    [ "$s" = uk-jurunc-runc ] && [ "$uk_bare_ready" = 0 ] && [[ " ${subjects[*]} " == *" uk-qemu "* ]] && capture_uk_qemu "$ns" "$id"
  fi
  record "$s" "$i" "$id" "$t0" "${t1:-0}" "${mem[0]}" "$spss" "${mem[1]}" "${mem[2]}" "${mem[3]}" "$status"
  say "$(printf '%-12s run %d: %s %s ms, sandbox PSS %s MiB' "$s" "$i" "$status" \
    "$(( ${t1:-$t0} / 1000000 - t0 / 1000000 ))" "$(( mem[0] / 1024 ))")"
  local jvm_to_answer daemon_after
  jvm_to_answer=$(( $(wc -l <"$work/jvm-starts.log") - jvm_before ))
  daemon_after=$(node_daemon "$ns")
  ctr_ns "$ns" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
  for _ in $(seq 150); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  run_pid=
  ctr_ns "$ns" tasks delete --force "$id" >/dev/null 2>&1 || true
  ctr_ns "$ns" containers delete "$id" >/dev/null 2>&1 || true
  # JVM starts of this container: launcher JVMs to the first answer and over its whole life (kill and
  # delete included), plus a shim daemon started for it
  local new_daemon=0
  [ -n "$daemon_after" ] && [ "$daemon_after" != "$daemon_before" ] && new_daemon=1
  if [ "$COUNT_JVMS" = 1 ]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$i" "$((jvm_to_answer + new_daemon))" \
      "$(( $(wc -l <"$work/jvm-starts.log") - jvm_before + new_daemon ))" "$status" >>"$out/jvm-starts.tsv"
  fi
}

# gVisor refuses ctr --cni here ("cannot run with network enabled in root network namespace": ctr
# wires CNI into the task's netns only after create, and runsc checks at create). So runsc joins a
# netns made beforehand (ctr run --with-ns), wired to the host by a veth pair; its netstack takes the
# veth's address over. The netns is made once, outside the timed window (CNI's set-up is inside it
# for the other subjects).
setup_runsc_netns() {
  ip netns add "$rnetns"
  ip link add "$rveth" type veth peer name eth0 netns "$rnetns"
  ip addr add "${rsubnet}1/24" dev "$rveth"
  ip link set "$rveth" up
  ip -n "$rnetns" link set lo up
  ip -n "$rnetns" addr add "${rsubnet}2/24" dev eth0
  ip -n "$rnetns" link set eth0 up
  ip -n "$rnetns" route add default via "${rsubnet}1"
}

setup_qemu_netns() {
  ip netns add "$qnetns"
  ip -n "$qnetns" link set lo up
  ip -n "$qnetns" tuntap add dev tap0 mode tap
  ip -n "$qnetns" addr add "${qsubnet}1/24" dev tap0
  ip -n "$qnetns" link set tap0 up
}

run_bare_qemu() { # run [subject argv-file probe-kind]
  local i=$1 subj=${2:-qemu} argvfile=${3:-$work/bare/argv}
  local id="b$$-$subj-$1" t0 t1= status=ok mem=(0 0 0 0)
  local -a argv
  probe_kind=${4:-echo}
  mapfile -t argv <"$argvfile"
  local mac   # each guest's MAC as a permanent neighbour, as capture_bare_qemu explains
  mac=$(grep -o 'mac=[0-9a-fA-F:]*' "$argvfile" | head -1 | cut -d= -f2)
  [ -n "$mac" ] && ip -n "$qnetns" neigh replace "${qsubnet}2" lladdr "$mac" dev tap0 nud permanent
  t0=$(now_ns)
  ip netns exec "$qnetns" "${argv[@]}" </dev/null >"$out/consoles/$id.out" 2>&1 &
  qemu_pid=$!
  local answers=$work/answers.$id
  : >"$answers"
  while :; do
    probe_async netns "${qsubnet}2" "$answers"
    if [ -s "$answers" ]; then t1=$(sort -n "$answers" | head -1); break; fi
    kill -0 "$qemu_pid" 2>/dev/null || { status=exited; break; }
    (( $(now_ns) - t0 > LIMIT_S * 1000000000 )) && { status=timeout; break; }
    sleep 0.1
  done
  if [ "$status" = ok ]; then
    sleep 1
    read -r -a mem < <(sandbox_mem "$qemu_pid")
  fi
  record "$subj" "$i" "$id" "$t0" "${t1:-0}" "${mem[0]}" 0 "${mem[1]}" "${mem[2]}" "${mem[3]}" "$status"
  say "$(printf '%-12s run %d: %s %s ms, sandbox PSS %s MiB' "$subj" "$i" "$status" \
    "$(( ${t1:-$t0} / 1000000 - t0 / 1000000 ))" "$(( mem[0] / 1024 ))")"
  kill -KILL "$qemu_pid" 2>/dev/null || true
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=
}

# ---------------------------------------------------------------- the runs
if [[ " ${subjects[*]} " == *" qemu "* || " ${subjects[*]} " == *" uk-qemu "* ]]; then setup_qemu_netns; fi
if [[ " ${subjects[*]} " == *" runsc "* ]]; then setup_runsc_netns; fi
ensure_cli_daemon   # first, before any other node daemon: see ensure_cli_daemon
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "qemu: $(qemu-system-x86_64 --version | head -1)"
  echo "containerd: $(containerd --version)"
  echo "runc: $(runc --version | head -1); runsc: $(runsc --version 2>/dev/null | head -1)"
  echo "jurunc AOT cache: $aot"
  echo "jurunc CLI front: $(head -c4 "$J" | grep -q ELF && echo native || echo "none (bin/jurunc is the JVM launcher)"); node CLI socket $cli_sock: $([ -S "$cli_sock" ] && echo served || echo "NOT served")"
  echo "jurunc: $("$J" --version 2>&1 | head -1); kit: $(jq -r .kernelSource "$work/kit/kit.json" 2>/dev/null)"
  echo "command: sudo bash scripts/bench-spawn.sh -n $N -s $SUBJECTS"
} >"$out/env.txt"
cat "$out/env.txt" >&2

for ((i = 1; i <= N; i++)); do
  for s in "${subjects[@]}"; do
    if [ "$s" = qemu ]; then
      if [ "$bare_ready" = 1 ]; then run_bare_qemu "$i"; else say "qemu run $i skipped (no jurunc argv captured yet)"; fi
    elif [ "$s" = uk-qemu ]; then
      if [ "$uk_bare_ready" = 1 ]; then run_bare_qemu "$i" uk-qemu "$work/ukbare/argv" uk
      else say "uk-qemu run $i skipped (no jurunc Unikraft argv captured yet)"; fi
    elif [ "$s" = spt-hello ] || [ "$s" = runc-true ]; then
      run_exit_subject "$s" "$i"
    else
      run_ctr_subject "$s" "$i"
    fi
  done
done

# ---------------------------------------------------------------- shim density and CLI verbs (issue 10)
# Density: 1..20 echo microVMs at once through jurunc's shim (one node daemon); at 1, 10 and 20, once
# all answer, the daemon's RSS and PSS and the sandboxes' PSS. Untimed, after the spawn runs.
density() {
  local ns=jrbench-jurunc-shim k id ip d h p qpss ok ids=()
  probe_kind=echo  # the echo image; the last spawn subject may have been a Unikraft one
  start_node_daemon "$ns"
  printf 'sandboxes\tdaemon_rss_kb\tdaemon_pss_kb\tsandboxes_pss_kb\tanswered\n' >"$out/density.tsv"
  for k in $(seq 1 20); do
    id="d$$-$k"
    ids+=("$id")
    unshare --mount --propagation private -- sh -c \
      'mkdir -p /etc/cni/net.d && mount --bind "$1" /etc/cni/net.d && shift && exec "$@"' sh "$work/net.d" \
      ctr --address "$sock" --namespace "$ns" run -d --cni --runtime io.containerd.jurunc.v2 --fifo-dir "$work/fifo" \
      "$image" "$id" >"$out/consoles/$id.out" 2>&1 || say "density: $id did not start"
    case $k in 1|10|20) ;; *) continue ;; esac
    # wait (at most LIMIT_S) until every sandbox still running has answered once; a guest that exited
    # on its own is not waited for (it shows as answered < sandboxes in the table)
    local deadline=$(( $(now_ns) + LIMIT_S * 1000000000 )) running
    declare -A answered=()
    while :; do
      running=$(ctr_ns "$ns" tasks ls 2>/dev/null | awk '$3 == "RUNNING" {print $1}')
      local pending=0
      for id in "${ids[@]}"; do
        [ -n "${answered[$id]:-}" ] && continue
        grep -qx "$id" <<<"$running" || continue
        ip=$(lease_ip "$ns-$id")
        if [ -n "$ip" ] && probe bridge "$ip"; then answered[$id]=1; else pending=$((pending + 1)); fi
      done
      [ "$pending" = 0 ] && break
      (( $(now_ns) > deadline )) && { say "density: $pending of $k sandboxes did not answer within ${LIMIT_S} s"; break; }
      sleep 0.5
    done
    ok=${#answered[@]}
    unset answered
    sleep 1
    d=$(node_daemon "$ns")
    h=$(node_holder "$ns")
    qpss=0
    for p in $(descendants "$d"); do qpss=$((qpss + $(pss_kb "$p"))); done
    # the daemon is its JVM plus the holder in front of it (when there is one)
    printf '%s\t%s\t%s\t%s\t%s\n' "$k" \
      "$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$d/status" 2>/dev/null || echo 0) + $( [ -n "$h" ] && awk '/^VmRSS:/ {print $2}' "/proc/$h/status" 2>/dev/null || echo 0) ))" \
      "$(( $(pss_kb "$d") + $( [ -n "$h" ] && pss_kb "$h" || echo 0) ))" "$qpss" "$ok" >>"$out/density.tsv"
    say "density: $k sandboxes, $ok answered, daemon $(awk '/^VmRSS:/ {print $2}' "/proc/$d/status" 2>/dev/null) kB RSS"
  done
  for id in "${ids[@]}"; do ctr_ns "$ns" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  sleep 2
  for id in "${ids[@]}"; do
    ctr_ns "$ns" tasks delete --force "$id" >/dev/null 2>&1 || true
    ctr_ns "$ns" containers delete "$id" >/dev/null 2>&1 || true
  done
}
if [[ " ${subjects[*]} " == *" jurunc-shim "* ]] && [ "${JURUNC_BENCH_DENSITY:-1}" = 1 ]; then density; fi

# CLI verbs, wall and CPU (user+sys), median of 7, on the error path (no such container): what each of
# containerd's calls pays before any work, through both paths, alternating: `daemon` = the native front served
# by the node daemon (JURUNC_NODE_SOCKET=$cli_sock), `jvm` = JURUNC_NODE_SOCKET=off (the front execs the JVM
# launcher at once: argument binding, config and state lookup in a JVM of its own). cpu_ms is the caller's
# processes' (the front, or the JVM); daemon_cpu_ms is the node daemons' CPU over the verb's 7 served calls,
# divided by 7 (/proc/<pid>/stat, all threads); jvms is the JVM starts of the call (counting wrapper; -
# with JURUNC_BENCH_COUNT_JVMS=0).
ensure_cli_daemon
printf 'verb\tpath\twall_ms\tcpu_ms\tdaemon_cpu_ms\tjvms\n' >"$out/cli-verbs.tsv"
for verb in create state start kill delete; do
  case $verb in
    create) args=(--root "$work/cli-root" create --bundle "$work/no-bundle" --pid-file "$work/cli.pid" nope) ;;
    kill) args=(--root "$work/cli-root" kill nope KILL) ;;
    *) args=(--root "$work/cli-root" "$verb" nope) ;;
  esac
  rows=()
  dcpu0=$(daemons_cpu_ms)
  for _ in $(seq 7); do
    for path in daemon jvm; do
      socket_env=$cli_sock
      [ "$path" = jvm ] && socket_env=off
      jvm_before=$(wc -l <"$work/jvm-starts.log")
      t0=$(now_ns)
      /usr/bin/time -o "$work/time.out" -f "%U %S" env JURUNC_CONFIG="$work/jurunc.toml" \
        JURUNC_NODE_SOCKET="$socket_env" "$J" "${args[@]}" >/dev/null 2>/dev/null || true
      t1=$(now_ns)
      cpu=$(tail -1 "$work/time.out")
      jvms=-
      [ "$COUNT_JVMS" = 1 ] && jvms=$(( $(wc -l <"$work/jvm-starts.log") - jvm_before ))
      rows+=("$(printf '%s\t%s\t%s\t%s\t%s' "$verb" "$path" "$(( (t1 - t0) / 1000000 ))" \
        "$(awk -v r="$cpu" 'BEGIN {split(r, a, " "); printf "%d", (a[1] + a[2]) * 1000}')" "$jvms")")
    done
  done
  dcpu=$(awk -v a="$dcpu0" -v b="$(daemons_cpu_ms)" 'BEGIN {printf "%.1f", (b - a) / 7}')
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r v p w c j <<<"$row"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$p" "$w" "$c" "$([ "$p" = daemon ] && echo "$dcpu" || echo 0)" "$j" \
      >>"$out/cli-verbs.tsv"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
[ -f "$work/bare/argv" ] && cp "$work/bare/argv" "$out/bare-qemu-argv.txt"

# ---------------------------------------------------------------- report
java -Djava.awt.headless=true -cp "$work/bench.jar:$(bench_cp)" io.jurunc.bench.spawn.SpawnReport --results "$out" ||
  fail "the report failed"

# ---------------------------------------------------------------- issue 10's targets, met or not
median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) {print ""; exit} if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
spawn_ms() { awk -F'\t' -v s="$1" 'NR > 1 && $1 == s && $11 == "ok" {print ($5 - $4) / 1000000}' "$out/samples.tsv" | median; }
verdict() { # value limit -> "met"/"NOT met"/"not measured"
  [ -n "$1" ] && [ -n "$2" ] || { echo "not measured"; return; }
  awk -v v="$1" -v l="$2" 'BEGIN {print (v <= l ? "met" : "NOT met")}'
}
{
  q=$(spawn_ms qemu); w=$(spawn_ms jurunc-shim); c=$(spawn_ms jurunc-shim-cold); r=$(spawn_ms jurunc-runc)
  rj=$(spawn_ms jurunc-runc-jvm)
  lim() { [ -n "$q" ] && awk -v q="$q" -v f="$1" -v a="$2" 'BEGIN {printf "%.0f", q * f + a}'; }
  echo
  echo "### Issue 10: targets (medians of this run; load average in env.txt)"
  echo
  echo "| target | measured | limit | verdict |"
  echo "|---|---|---|---|"
  echo "| own shim, daemon serving: first answer ≤ 1.10 × bare QEMU | ${w:-–} ms | $(lim 1.10 0) ms | $(verdict "$w" "$(lim 1.10 0)") |"
  echo "| own shim, no daemon yet: first answer ≤ bare QEMU + 0.5 s | ${c:-–} ms | $(lim 1 500) ms | $(verdict "$c" "$(lim 1 500)") |"
  echo "| runc shim + jurunc CLI: first answer ≤ 1.5 × bare QEMU | ${r:-–} ms | $(lim 1.5 0) ms | $(verdict "$r" "$(lim 1.5 0)") |"
  echo "| the same, each verb its own JVM (JURUNC_NODE_SOCKET=off) | ${rj:-–} ms | $(lim 1.5 0) ms | $(verdict "$rj" "$(lim 1.5 0)") |"
  for verb in create state start kill delete; do
    for path in daemon jvm; do
      col() { awk -F'\t' -v b="$verb" -v p="$path" -v c="$1" 'NR > 1 && $1 == b && $2 == p {print $c}' \
        "$out/cli-verbs.tsv" 2>/dev/null | median; }
      v=$(col 3); cpu=$(col 4); dcpu=$(col 5); jvms=$(col 6)
      if [ "$path" = daemon ]; then
        what="served by the node daemon (CPU ${cpu:-–} ms + daemon ${dcpu:-–} ms; JVM starts ${jvms:-–})"
      else
        what="own JVM, JURUNC_NODE_SOCKET=off (CPU ${cpu:-–} ms; JVM starts ${jvms:-–})"
      fi
      echo "| \`jurunc $verb\` ≤ 60 ms wall (error path), $what | ${v:-–} ms | 60 ms | $(verdict "$v" 60) |"
    done
  done
  if [ -s "$out/density.tsv" ]; then
    d20=$(awk -F'\t' '$1 == 20 {print int($2 / 1024)}' "$out/density.tsv")
    p20=$(awk -F'\t' '$1 == 20 {printf "%.1f", $3 / 1024 / 20}' "$out/density.tsv")
    echo "| shim daemon RSS ≤ 96 MiB with 20 sandboxes | ${d20:-–} MiB | 96 MiB | $(verdict "$d20" 96) |"
    echo "| shim PSS per sandbox ≤ 5 MiB at 20 sandboxes | ${p20:-–} MiB | 5 MiB | $(verdict "$p20" 5) |"
    echo
    echo "| sandboxes at once (own shim, one daemon) | answered | daemon RSS (MiB) | daemon PSS (MiB) | daemon PSS per sandbox (MiB) | sandbox PSS each (MiB) |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 {printf "| %d | %d | %.1f | %.1f | %.1f | %.1f |\n", $1, $5, $2 / 1024, $3 / 1024, $3 / 1024 / $1, $4 / 1024 / $1}' "$out/density.tsv"
  fi
  if [ -s "$out/jvm-starts.tsv" ]; then
    echo
    echo "| subject | JVM starts per container to the first answer (median) | over its life, kill and delete included (median) |"
    echo "|---|---|---|"
    for s in "${subjects[@]}"; do
      case $s in qemu|uk-qemu) continue ;; esac
      a=$(awk -F'\t' -v s="$s" '$1 == s && $5 == "ok" {print $3}' "$out/jvm-starts.tsv" | median)
      l=$(awk -F'\t' -v s="$s" '$1 == s && $5 == "ok" {print $4}' "$out/jvm-starts.tsv" | median)
      echo "| $s | ${a:-–} | ${l:-–} |"
    done
  fi
  if awk -F'\t' 'NR > 1 && ($1 ~ /^uk-/ || $1 == "spt-hello") {f=1} END {exit !f}' "$out/samples.tsv"; then
    uq=$(spawn_ms uk-qemu); ur=$(spawn_ms uk-jurunc-runc); us=$(spawn_ms uk-jurunc-shim)
    sh=$(spawn_ms spt-hello); rt=$(spawn_ms runc-true)
    ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}' || echo "–"; }
    echo
    echo "### Unikernels (medians of this run, ms; each against its peer from the same run)"
    echo
    echo "| subject | what | median | peer | peer median | ratio |"
    echo "|---|---|---|---|---|---|"
    echo "| uk-jurunc-runc | Unikraft httpreply, first HTTP answer after ctr run | ${ur:-–} | uk-qemu | ${uq:-–} | $(ratio "$ur" "$uq") |"
    echo "| uk-jurunc-shim | the same through jurunc's shim (daemon serving) | ${us:-–} | uk-qemu | ${uq:-–} | $(ratio "$us" "$uq") |"
    echo "| spt-hello | Solo5 test_hello on solo5-spt, ctr run to exit | ${sh:-–} | runc-true | ${rt:-–} | $(ratio "$sh" "$rt") |"
  fi
} >>"$out/report.md"
say "results in $out"
