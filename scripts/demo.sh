#!/usr/bin/env bash
# jurunc demo, from a fresh Debian 12 machine (run as root; idempotent, cleans up after itself):
#
#   1. installs the Debian packages            (scripts/install-deps.sh)
#   2. builds jurunc                           (mvn -q install -DskipTests)
#   3. builds the guest kit                    (scripts/build-kit.sh -> /var/lib/jurunc/kit)
#   4. builds an HTTP echo image with jurunc's own builder (e2e/images/echo: busybox httpd + a CGI that
#      prints the request's headers; labels com.urunc.unikernel.unikernelType=linux, hypervisor=qemu)
#   5. starts a private containerd under a temp dir and imports the image
#   6. runs it:  ctr run --rm --cni --runc-binary cli/target/dist/bin/jurunc IMAGE ID
#      -> a QEMU microVM in the container's CNI network namespace; the QEMU process is the container
#   7. asks it over HTTP from the host (curl) and prints the answer
#   8. stops it and removes everything: task, container, containerd, CNI bridge, temp dir
#
# Exits non-zero with a "demo: FAILED: ..." line when a step fails. Environment:
#   JURUNC_DEMO_SKIP_BUILD=1   reuse an existing cli/target/dist/bin/jurunc instead of running Maven
#   JURUNC_DEMO_TIMEOUT=SECS   how long to wait for the first HTTP answer (default 120)
#   JURUNC_DEMO_NET=cni|netns  cni (default): ctr run --cni on a private bridge network; netns: a network
#                              namespace prepared beforehand (as CRI does) and passed with --with-ns
set -euo pipefail
# shellcheck source=java-env.sh
. "$(dirname "$0")/java-env.sh"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { printf '%d.%02d' $(( $1 / 1000 )) $(( $1 % 1000 / 10 )); }  # milliseconds -> seconds
t_start=$(now_ms)

say() { echo "demo: $*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }
# shellcheck source=containerd-lib.sh
. "$repo/scripts/containerd-lib.sh"
step() { echo; echo "=== demo [$(( ($(now_ms) - t_start) / 1000 ))s] $*"; }

[ "$(id -u)" = 0 ] || fail "run as root: sudo bash scripts/demo.sh"

step "1/8 Debian packages"
bash scripts/install-deps.sh || fail "scripts/install-deps.sh failed (see above)"

step "2/8 build jurunc (Maven)"
J="$repo/cli/target/dist/bin/jurunc"
if [ "${JURUNC_DEMO_SKIP_BUILD:-0}" = 1 ] && [ -x "$J" ]; then
  say "reusing $J (JURUNC_DEMO_SKIP_BUILD=1)"
else
  mvn -q install -DskipTests || fail "the Maven build failed (see above)"
fi
[ -x "$J" ] || fail "no launcher at $J after the build"
"$J" --version

step "3/8 guest kit"
bash scripts/build-kit.sh || fail "scripts/build-kit.sh failed (see above)"

# Everything below lives in $work and is removed by cleanup, on success and on failure.
work=$(mktemp -d /tmp/jurunc-demo-XXXXXX)
ns=jurunc-demo
id=jurunc-demo-echo-$$
image=jurunc.demo/echo:latest
sock=$work/containerd.sock
bridge=jrdemo$(printf '%04x' $((RANDOM % 65536)))
netns_name=jurunc-demo-$$
net_mode=${JURUNC_DEMO_NET:-cni}
ctrd_pid=
run_pid=
ctr() { command ctr --address "$sock" --namespace "$ns" "$@"; }

cleanup() {
  local rc=$?
  set +e
  echo
  say "cleaning up"
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    ctr tasks kill --signal SIGTERM "$id" >/dev/null 2>&1
    for _ in $(seq 100); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
    ctr tasks kill --signal SIGKILL "$id" >/dev/null 2>&1
    for _ in $(seq 50); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$run_pid" 2>/dev/null
  fi
  if [ -n "$ctrd_pid" ] && kill -0 "$ctrd_pid" 2>/dev/null; then
    ctr tasks delete --force "$id" >/dev/null 2>&1
    ctr containers delete "$id" >/dev/null 2>&1
    ctr images remove "$image" >/dev/null 2>&1
    kill -TERM "$ctrd_pid"
    for _ in $(seq 100); do kill -0 "$ctrd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ctrd_pid" 2>/dev/null
  fi
  # shims that still serve this containerd (they carry its socket in their argv), and their children
  for p in $(pgrep -f -- "-address $sock" 2>/dev/null); do
    pkill -KILL -P "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null
  done
  # mounts below $work (container rootfs, snapshots), deepest first
  awk -v w="$work" '$5 == w || index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null; done
  ip netns pids "$netns_name" >/dev/null 2>&1 && ip netns delete "$netns_name"
  ip link show dev "$bridge" >/dev/null 2>&1 && ip link delete dev "$bridge"
  rmdir "/run/containerd/runc/$ns" 2>/dev/null
  if awk -v w="$work" 'index($5, w) == 1 {found=1} END {exit !found}' /proc/self/mountinfo; then
    echo "demo: WARNING: $work still has mounts; not deleting it" >&2
  else
    rm -rf "$work"
  fi
  if [ "$rc" = 0 ]; then say "all clean"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP

step "4/8 build the echo image with jurunc build"
mkdir -p "$work/ctx"
cp -a e2e/images/echo/. "$work/ctx/"
cp /bin/busybox "$work/ctx/busybox"
"$J" build -f "$work/ctx/Containerfile" -t "$image" --output "oci-archive:$work/echo.tar" "$work/ctx" ||
  fail "jurunc build failed (see above)"
ls -l "$work/echo.tar"

step "5/8 private containerd under $work"
write_containerd_config "$work" "$sock" "$work/cri-net.d"
start_containerd "$work" ctr version
say "containerd $(ctr version 2>/dev/null | awk '/Version:/ {v=$2} END {print v}') up (pid $ctrd_pid)"
ctr images import --base-name jurunc.demo/echo "$work/echo.tar" || fail "ctr images import failed"
ctr images ls -q | grep -qx "$image" || fail "$image is not in containerd after the import"

step "6/8 ctr run --runc-binary jurunc ($net_mode network)"
# A private bridge network. ctr --cni reads /etc/cni/net.d and has no flag to change it, so ctr runs
# in its own mount namespace with our conflist directory bind-mounted there.
subnet=$(free_subnet)
ip_addr=${subnet}2
case "$net_mode" in
  cni)
    mkdir -p "$work/net.d"
    write_bridge_conflist "$work/net.d/10-jurunc-demo.conflist" jurunc-demo "$bridge" "$work/cni-leases" "$subnet"
    t_run=$(now_ms)
    unshare --mount --propagation private -- sh -c \
      'mkdir -p /etc/cni/net.d && mount --bind "$1" /etc/cni/net.d && shift && exec "$@"' sh "$work/net.d" \
      ctr --address "$sock" --namespace "$ns" run --rm --cni --runc-binary "$J" --fifo-dir "$work/fifo" \
      "$image" "$id" >"$work/ctr-run.log" 2>&1 &
    ;;
  netns)
    # CRI-style: the netns exists, networked, before the container (config.json names it by path)
    ip link add "$bridge" type bridge
    ip addr add "${subnet}1/24" dev "$bridge"
    ip link set "$bridge" up
    ip netns add "$netns_name"
    ip link add "${bridge}v" type veth peer name eth0 netns "$netns_name"
    ip link set "${bridge}v" master "$bridge" up
    ip -n "$netns_name" addr add "$ip_addr/24" dev eth0
    ip -n "$netns_name" link set lo up
    ip -n "$netns_name" link set eth0 up
    ip -n "$netns_name" route add default via "${subnet}1" dev eth0
    t_run=$(now_ms)
    ctr run --rm --with-ns "network:/run/netns/$netns_name" --runc-binary "$J" --fifo-dir "$work/fifo" \
      "$image" "$id" >"$work/ctr-run.log" 2>&1 &
    ;;
  *) fail "JURUNC_DEMO_NET must be cni or netns, not $net_mode" ;;
esac
run_pid=$!
say "started: ctr run --rm $([ "$net_mode" = cni ] && echo --cni || echo "--with-ns network:/run/netns/$netns_name") --runc-binary $J $image $id"

step "7/8 HTTP request from the host to $ip_addr:8080"
limit=${JURUNC_DEMO_TIMEOUT:-120}
answer=
while :; do
  # Only once the bridge routes the address (until then it would follow the default route off the
  # machine), and bound to the bridge, so that the request cannot go anywhere else.
  if ip -o -4 route get "$ip_addr" 2>/dev/null | grep -q " dev $bridge " &&
     answer=$(curl -sS --noproxy '*' --interface "$bridge" --max-time 3 \
       -H "X-Jurunc-Demo: hello from the host" "http://$ip_addr:8080/cgi-bin/echo" 2>/dev/null); then
    break
  fi
  if ! kill -0 "$run_pid" 2>/dev/null; then
    echo "--- ctr run output ---" >&2; cat "$work/ctr-run.log" >&2
    fail "the container exited before it answered"
  fi
  if (( $(now_ms) - t_run > limit * 1000 )); then
    echo "--- ctr run output ---" >&2; cat "$work/ctr-run.log" >&2
    fail "no HTTP answer from http://$ip_addr:8080 within ${limit}s"
  fi
  sleep 0.2
done
t_answer=$(now_ms)
pid=$(ctr tasks ls 2>/dev/null | awk -v id="$id" '$1 == id {print $2}')
echo "--- HTTP answer from the microVM ---"
echo "$answer"
echo "-----------------------------------"
grep -q "HTTP_X_JURUNC_DEMO=hello from the host" <<<"$answer" ||
  fail "the answer does not echo the X-Jurunc-Demo header we sent"
say "first answer $(secs $((t_answer - t_run))) s after ctr run"
if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ]; then
  # the container's process is jurunc's sandbox init; the monitor (QEMU) is its child
  say "the container's process (pid $pid) is: $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-60)..., RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status")"
  mon=$(pgrep -P "$pid" | head -1)
  if [ -n "$mon" ] && [ -r "/proc/$mon/cmdline" ]; then
    say "its child, the monitor (pid $mon): $(tr '\0' ' ' <"/proc/$mon/cmdline" | cut -c1-60)..., RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$mon/status")"
  fi
fi

step "8/8 stop (SIGTERM) and remove"
ctr tasks kill --signal SIGTERM "$id" || fail "ctr tasks kill failed"
for _ in $(seq 300); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$run_pid" 2>/dev/null; then fail "the microVM did not stop within 30 s of SIGTERM"; fi
wait "$run_pid" || true
run_pid=
ctr containers ls -q | grep -qx "$id" && fail "container $id still exists after ctr run --rm"
say "OK: jurunc ran the echo image as a QEMU microVM under containerd and it answered over HTTP"
