#!/usr/bin/env bash
# vAccel overhead benchmark: per-op latency (noop, exec, classify; local vs unix socket vs TCP, interleaved call by
# call) and payload throughput 1 KiB..64 MiB, with p50/p99, wake-ups (cs/op) and CPU per op; ends with issue 15's
# targets as MET/NOT, each with the load average of its reading.
# Usage: scripts/bench-vaccel.sh [--quick] [--only latency|throughput] [--modes local,handoff,unix,tcp] [--ops noop,exec,classify] [--sizes 16K,1M]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -pl vaccel/bench -am install -DskipTests
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q -pl vaccel/bench dependency:build-classpath -Dmdep.outputFile="$cp_file"
# Transparent huge pages for the Java heap: on this VM a noop round trip with the default young generation
# (hundreds of MiB of 4 KiB pages) cost 84-86 us p50 and ~48 us of client CPU, with huge pages or a 32 MiB young
# generation 21-27 us and 17-23 us (page walks per allocation; docs/vaccel.md). VACCEL_BENCH_JAVA_OPTS replaces it.
exec "$JAVA_HOME/bin/java" ${VACCEL_BENCH_JAVA_OPTS--XX:+UseTransparentHugePages} --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true \
  -cp "vaccel/bench/target/classes:$(cat "$cp_file")" io.jurunc.vaccel.bench.VaccelBench "$@"
