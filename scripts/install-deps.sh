#!/usr/bin/env bash
# Idempotent: installs the Debian packages jurunc needs and prepares host paths.
set -euo pipefail
PKGS=(containerd runc qemu-system-x86 busybox-static containernetworking-plugins iproute2
      linux-image-cloud-amd64 docker-registry skopeo umoci runsc maven gcc cpio
      e2fsprogs erofs-utils curl jq
      linux-source-6.1 make flex bison bc libelf-dev libssl-dev xz-utils
      clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 nodejs podman)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# CNI plugins live in /usr/lib/cni on Debian; ctr --cni looks in /opt/cni/bin.
if [ ! -e /opt/cni/bin ]; then mkdir -p /opt/cni; ln -s /usr/lib/cni /opt/cni/bin; fi
# docker-registry's package starts a system service; our tests run their own on loopback.
systemctl disable --now docker-registry >/dev/null 2>&1 || true
echo "install-deps: ok"
