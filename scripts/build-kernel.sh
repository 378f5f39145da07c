#!/usr/bin/env bash
# Builds the jurunc guest kernel from Debian's linux-source-6.1 with the project's minimal
# configuration (guest/kernel/jurunc-guest.config, merged on top of `make tinyconfig`) and
# caches it under $JURUNC_KERNEL_CACHE/<key>/ (default /var/cache/jurunc/kernel), where <key>
# hashes the fragment, this script and the source package version. Idempotent: a cached
# build is reused. Prints the path of the cached vmlinux (an ELF with a PVH note) on stdout.
#
#   scripts/build-kernel.sh [--print-key]
#
# Environment: JURUNC_KERNEL_CACHE, JOBS (default: nproc), NICE (default 10).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
fragment="$repo/guest/kernel/jurunc-guest.config"
cache=${JURUNC_KERNEL_CACHE:-/var/cache/jurunc/kernel}
jobs=${JOBS:-$(nproc)}
nice_level=${NICE:-10}
src_pkg=linux-source-6.1

log() { echo "build-kernel: $*" >&2; }

# Build dependencies (also listed in scripts/install-deps.sh). Installed only when missing.
deps=("$src_pkg" make gcc flex bison bc libelf-dev libssl-dev xz-utils)
missing=()
for p in "${deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

src_version=$(dpkg-query -W -f='${Version}' "$src_pkg")
key=$( { cat "$fragment"; cat "$0"; echo "$src_version"; } | sha256sum | cut -c1-16)
if [ "${1:-}" = "--print-key" ]; then echo "$key"; exit 0; fi
out="$cache/$key"
if [ -s "$out/vmlinux" ]; then
  log "cached: $out/vmlinux"
  echo "$out/vmlinux"; exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jurunc-kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
log "extracting $src_pkg $src_version into $work"
tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
ksrc="$work/linux-source-6.1"
cd "$ksrc"
log "configuring (tinyconfig + $(basename "$fragment"))"
nice -n "$nice_level" make -s ARCH=x86_64 tinyconfig >&2
./scripts/kconfig/merge_config.sh -m -O . .config "$fragment" >/dev/null
nice -n "$nice_level" make -s ARCH=x86_64 olddefconfig >&2
# Every line of the fragment must have survived Kconfig's dependency resolution.
bad=0
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=n) opt=${line%%=*}; grep -q "^$opt=" .config && { log "not applied: $line"; bad=1; } ;;
    CONFIG_*=*) grep -qxF "$line" .config || { log "not applied: $line ($(grep "^${line%%=*}=" .config || echo unset))"; bad=1; } ;;
  esac
done < "$fragment"
if [ "$bad" != 0 ]; then log "the configuration fragment does not apply cleanly"; exit 1; fi
log "building vmlinux with $jobs jobs"
nice -n "$nice_level" make -s ARCH=x86_64 -j"$jobs" vmlinux >&2
mkdir -p "$out.tmp"
cp vmlinux "$out.tmp/vmlinux"
cp .config "$out.tmp/config"
echo "$src_version" > "$out.tmp/source-version"
rm -rf "$out"; mv "$out.tmp" "$out"
log "done in $(( $(date +%s) - start )) s: $out/vmlinux ($(stat -c %s "$out/vmlinux") bytes)"
echo "$out/vmlinux"
