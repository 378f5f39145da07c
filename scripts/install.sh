#!/usr/bin/env bash
# Installs the built jurunc (cli/target/dist) to /usr/local: the jurunc binary and the containerd
# shim containerd-shim-jurunc-v2. Run after `mvn install`. Idempotent; `--uninstall` undoes it.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$PREFIX/lib/jurunc" "$PREFIX/bin/jurunc" "$PREFIX/bin/containerd-shim-jurunc-v2"
  echo "jurunc removed from $PREFIX"; exit 0
fi
DIST=cli/target/dist
[ -x "$DIST/bin/jurunc" ] || { echo "install.sh: $DIST/bin/jurunc missing: run mvn install first" >&2; exit 1; }
rm -rf "$PREFIX/lib/jurunc.new"
cp -a "$DIST" "$PREFIX/lib/jurunc.new"
rm -rf "$PREFIX/lib/jurunc" && mv "$PREFIX/lib/jurunc.new" "$PREFIX/lib/jurunc"
for b in jurunc containerd-shim-jurunc-v2; do
  [ -x "$PREFIX/lib/jurunc/bin/$b" ] && ln -sfn "$PREFIX/lib/jurunc/bin/$b" "$PREFIX/bin/$b"
done
echo "jurunc installed in $PREFIX/lib/jurunc ($(ls "$PREFIX/lib/jurunc/bin" | tr '\n' ' '))"
