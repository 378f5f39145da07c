#!/usr/bin/env bash
# Builds the jurunc guest kit: the kernels, virtio modules and static init that a Linux microVM
# boots with. Idempotent; safe to rerun. Usage:
#
#   scripts/build-kit.sh [KITDIR]          (default /var/lib/jurunc/kit)
#
# KITDIR afterwards holds:
#   vmlinuz              the default kernel: the project kernel (an uncompressed ELF vmlinux with a
#                        PVH note, flavour "microvm") when scripts/build-kernel.sh has built it,
#                        otherwise Debian's cloud kernel (flavour "standard")
#   microvm/vmlinux      the project kernel, when built
#   debian/vmlinuz       Debian's cloud kernel (the fallback)
#   debian/modules/*.ko  the virtio/vsock modules Debian's kernel needs, decompressed
#   debian/modules.order their load order (dependencies first), one file name per line
#   init                 the static guest init (guest/src/main/c/init.c)
#   kit.json             what is where (read by io.jurunc.guest.GuestKit)
#
# Environment: JURUNC_BUILD_KERNEL=1 builds the project kernel first when no cached build exists
# (about 3-6 min on 2 cores); otherwise a cached build is used if present. DEBIAN_KERNEL=<version>
# picks the Debian kernel (default: the newest /boot/vmlinuz-*-cloud-amd64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
kit=${1:-/var/lib/jurunc/kit}
log() { echo "build-kit: $*" >&2; }

# Debian modules the cloud kernel needs, by module name (dependencies are added from modules.dep).
WANTED=(virtio_pci virtio_mmio virtio_net virtio_blk virtio_console virtio-rng vsock vmw_vsock_virtio_transport)

if [ -n "${DEBIAN_KERNEL:-}" ]; then
  kver=$DEBIAN_KERNEL
else
  kver=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n1 || true)
fi
if [ -z "$kver" ] || [ ! -r "/boot/vmlinuz-$kver" ] || [ ! -d "/lib/modules/$kver" ]; then
  log "no Debian cloud kernel found (/boot/vmlinuz-*-cloud-amd64 and /lib/modules/<version>):"
  log "install it with scripts/install-deps.sh (package linux-image-cloud-amd64)"
  exit 1
fi
command -v gcc >/dev/null || { log "gcc is missing: run scripts/install-deps.sh"; exit 1; }

stage=$(mktemp -d "$(dirname "$kit")/.kit.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$kit")"; mktemp -d "$(dirname "$kit")/.kit.XXXXXX"; })
trap 'rm -rf "$stage" "$stage.old"' EXIT
mkdir -p "$stage/debian/modules"

# --- init ---------------------------------------------------------------------------------
gcc -static -Os -s -Wall -Wextra -Werror -o "$stage/init" "$repo/guest/src/main/c/init.c"

# --- Debian kernel + modules --------------------------------------------------------------
cp "/boot/vmlinuz-$kver" "$stage/debian/vmlinuz"
moddir=/lib/modules/$kver
declare -A path_of=() deps_of=() added=()
while IFS= read -r line; do
  mod=${line%%:*}
  name=$(basename "$mod"); name=${name%%.ko*}
  path_of[$name]=$mod
  deps_of[$name]=${line#*:}
done < "$moddir/modules.dep"
order=()
add_module() { # depth-first: dependencies before the module itself
  local name=$1 dep depname
  [ -n "${added[$name]:-}" ] && return 0
  [ -n "${path_of[$name]:-}" ] || [ -z "${builtin[$name]:-}" ] || return 0
  [ -n "${path_of[$name]:-}" ] || { log "module $name not in $moddir/modules.dep"; exit 1; }
  added[$name]=1
  for dep in ${deps_of[$name]}; do
    depname=$(basename "$dep"); depname=${depname%%.ko*}
    add_module "$depname"
  done
  order+=("$name")
}
declare -A builtin=()
if [ -r "$moddir/modules.builtin" ]; then
  while IFS= read -r line; do
    name=$(basename "$line"); builtin[${name%%.ko*}]=1
  done < "$moddir/modules.builtin"
fi
for m in "${WANTED[@]}"; do
  # A driver this kernel has built in needs no module.
  if [ -n "${builtin[$m]:-}" ] || [ -n "${builtin[${m//-/_}]:-}" ]; then continue; fi
  add_module "$m"
done
: > "$stage/debian/modules.order"
for name in "${order[@]}"; do
  src=$moddir/${path_of[$name]}
  dst=$stage/debian/modules/$name.ko
  case "$src" in
    *.ko) cp "$src" "$dst" ;;
    *.ko.xz) xz -dc "$src" > "$dst" ;;
    *.ko.zst) zstd -qdc "$src" > "$dst" ;;
    *.ko.gz) gzip -dc "$src" > "$dst" ;;
    *) log "unknown module format: $src"; exit 1 ;;
  esac
  echo "$name.ko" >> "$stage/debian/modules.order"
done

# --- project kernel -------------------------------------------------------------------------
vmlinux=""
if [ "${JURUNC_BUILD_KERNEL:-0}" = 1 ]; then
  vmlinux=$("$here/build-kernel.sh")
else
  key=$("$here/build-kernel.sh" --print-key 2>/dev/null || true)
  cache=${JURUNC_KERNEL_CACHE:-/var/cache/jurunc/kernel}
  if [ -n "$key" ] && [ -s "$cache/$key/vmlinux" ]; then vmlinux=$cache/$key/vmlinux; fi
fi

json_modules() { local first=1; printf '['; for n in "${order[@]}"; do
  [ $first = 1 ] || printf ', '; first=0; printf '"debian/modules/%s.ko"' "$n"; done; printf ']'; }
if [ -n "$vmlinux" ]; then
  mkdir -p "$stage/microvm"
  cp "$vmlinux" "$stage/microvm/vmlinux"
  cp "$stage/microvm/vmlinux" "$stage/vmlinuz"
  flavor=microvm; default_modules='[]'; kernel_source="jurunc $(cat "$(dirname "$vmlinux")/source-version" 2>/dev/null || echo linux-source-6.1)"
  log "default kernel: project kernel $vmlinux"
else
  cp "$stage/debian/vmlinuz" "$stage/vmlinuz"
  flavor=standard; default_modules=$(json_modules); kernel_source="debian $kver"
  log "default kernel: Debian $kver (run scripts/build-kernel.sh, then this script again, for the faster project kernel)"
fi
cat > "$stage/kit.json" <<JSON
{
  "version": 1,
  "kernel": "vmlinuz",
  "flavor": "$flavor",
  "kernelSource": "$kernel_source",
  "init": "init",
  "modules": $default_modules,
  "standard": {
    "kernel": "debian/vmlinuz",
    "flavor": "standard",
    "kernelSource": "debian $kver",
    "modules": $(json_modules)
  }
}
JSON

# --- publish: swap the finished directory in, so a reader never sees a half-written kit -------
chmod 0755 "$stage"
if [ -d "$kit" ]; then
  mv "$kit" "$stage.old"
  mv "$stage" "$kit"
  rm -rf "$stage.old"
else
  mv "$stage" "$kit"
fi
log "kit ready in $kit (default flavour $flavor, ${#order[@]} Debian modules)"
