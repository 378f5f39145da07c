#!/usr/bin/env bash
# Idempotent: installs the Debian packages jurunc needs and prepares host paths.
set -euo pipefail
PKGS=(containerd runc qemu-system-x86 busybox-static containernetworking-plugins iproute2
      linux-image-cloud-amd64 docker-registry skopeo umoci runsc maven gcc cpio
      e2fsprogs erofs-utils curl jq iputils-ping libseccomp2 python3
      linux-source-6.1 make flex bison bc libelf-dev libssl-dev xz-utils
      clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 nodejs podman docker.io)
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
# docker.io's package enables a system dockerd; the client tests (e2e/.../clients) start a private one.
systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
# The Solo5 tenders (solo5-spt needs libseccomp2) come as prebuilt binaries with the shared unikernels
# (../shared/unikernels/bin, built from the pinned sources there); jurunc finds them on PATH, as a user's.
uk_bin=${JURUNC_UNIKERNELS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/unikernels}/bin
if [ -d "$uk_bin" ]; then
  for t in solo5-spt solo5-hvt solo5-elftool; do
    if [ -f "$uk_bin/$t" ] && ! cmp -s "$uk_bin/$t" "/usr/local/bin/$t"; then
      install -m 0755 "$uk_bin/$t" "/usr/local/bin/$t"
    fi
  done
else
  echo "install-deps: no $uk_bin: the Solo5 tenders are not installed (the Unikernel* tests will say so)"
fi
echo "install-deps: ok"
