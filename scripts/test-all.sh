#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine (run as root):
# installs the packages, builds the guest kernel and kit, then builds and tests every module,
# end-to-end tests (private containerd, QEMU microVMs) included.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
start=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - start ))s] $*"; }

step "install Debian packages"
bash scripts/install-deps.sh
step "no package import cycles"
python3 scripts/check-cycles.py
step "guest kernel (cached) and kit"
bash scripts/build-kernel.sh
bash scripts/build-kit.sh
step "build and test all modules (unit, integration, end-to-end)"
mvn -B -ntp install -De2e.skip=false "$@"
step "done"
