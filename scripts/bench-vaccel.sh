#!/usr/bin/env bash
# vAccel overhead benchmark: per-op latency (noop, exec, classify; local vs unix socket vs TCP, interleaved call by
# call) and payload throughput 1 KiB..64 MiB, with p50/p99, wake-ups (cs/op) and CPU per op; ends with issue 15's
# targets as MET/NOT, each with the load average of its reading.
# Usage: scripts/bench-vaccel.sh [--quick] [--only latency|throughput] [--modes local,unix,tcp] [--ops noop,exec,classify] [--sizes 16K,1M]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -pl vaccel/bench -am install -DskipTests
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -pl vaccel/bench dependency:build-classpath -Dmdep.outputFile="$cp_file"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true \
  -cp "vaccel/bench/target/classes:$(cat "$cp_file")" io.jurunc.vaccel.bench.VaccelBench "$@"
