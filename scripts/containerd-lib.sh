# Sourced by demo.sh and the benchmarks: a private containerd under a work dir, a free /24 for a
# bridge network, and that network's CNI conflist. The caller defines fail().

# write_containerd_config WORK SOCK CNI_CONF_DIR: WORK/config.toml for a containerd whose root, state
# and opt live under WORK and that listens on SOCK (ttrpc on SOCK.ttrpc). With CNI_CONF_DIR empty the
# CRI plugin is disabled; otherwise CRI keeps its network namespaces under the state dir and reads
# its CNI configuration from CNI_CONF_DIR.
write_containerd_config() {
  local work=$1 sock=$2 cni=$3 cri_plugin='"io.containerd.grpc.v1.cri", '
  [ -n "$cni" ] && cri_plugin=
  cat >"$work/config.toml" <<TOML
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = [${cri_plugin}"io.containerd.snapshotter.v1.aufs",
                    "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
                    "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$work/opt"
TOML
  if [ -n "$cni" ]; then
    cat >>"$work/config.toml" <<TOML
  [plugins."io.containerd.grpc.v1.cri"]
    netns_mounts_under_state_dir = true
    [plugins."io.containerd.grpc.v1.cri".cni]
      conf_dir = "$cni"
TOML
  fi
}

# start_containerd WORK CHECK...: starts containerd on WORK/config.toml in the background (it inherits
# the caller's environment, prefixes included), logging to WORK/containerd.log; sets ctrd_pid and waits
# up to 20 s for the command CHECK... to succeed.
start_containerd() {
  local work=$1
  shift
  containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
  ctrd_pid=$!
  for _ in $(seq 200); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  tail -20 "$work/containerd.log" >&2
  fail "containerd did not start"
}

# free_subnet [TAKEN...]: prints a "10.a.b." prefix that no host address or route mentions and that is
# none of TAKEN; fails when 64 random tries find none.
free_subnet() {
  local used cand
  used=$( (ip -4 -o addr show; ip -4 route show table all) 2>/dev/null)
  for _ in $(seq 64); do
    cand="10.$((200 + RANDOM % 50)).$((RANDOM % 256))."
    grep -qF "$cand" <<<"$used" && continue
    case " $* " in *" $cand "*) continue ;; esac
    echo "$cand"
    return 0
  done
  fail "no free 10.x.y.0/24 subnet"
}

# write_bridge_conflist FILE NAME BRIDGE LEASES SUBNET: a CNI bridge network (no masquerade) on
# SUBNET0/24 with gateway SUBNET1, host-local leases from SUBNET2 under LEASES.
write_bridge_conflist() {
  cat >"$1" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "$2",
  "plugins": [{
    "type": "bridge", "bridge": "$3", "isGateway": true, "ipMasq": false,
    "ipam": {"type": "host-local", "dataDir": "$4",
             "ranges": [[{"subnet": "${5}0/24", "rangeStart": "${5}2", "gateway": "${5}1"}]],
             "routes": [{"dst": "0.0.0.0/0"}]}
  }]
}
JSON
}
