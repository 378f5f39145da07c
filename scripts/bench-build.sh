#!/usr/bin/env bash
# Build time and peak memory of `jurunc build` against umoci for the same 200 MB context, in one run.
#
#   scripts/bench-build.sh [SIZE_MB]          (default 200)
#
# The context holds SIZE_MB of files: half random bytes (incompressible), half base64 text
# (compressible), in 1 MiB files under data/, as a unikernel rootfs with assets might. Both tools
# put it into one gzipped layer of a fresh OCI layout:
#   jurunc: java ... BuildCommand -t bench:1 -o oci:DIR CTX      (Containerfile: FROM scratch / COPY data /data)
#   umoci : umoci init + umoci new + umoci insert CTX/data /data (umoci 0.4.7 writes a tar+gzip layer
#           that is about the size of the input, i.e. it hardly compresses; compare with jurunc level 0)
# Time and peak RSS come from GNU time (wall seconds, max resident set size). The page cache is
# warm for both (the context is read once before timing). Runs each tool 3 times, prints each run
# and the median.
set -euo pipefail
SIZE_MB=${1:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
WORK=$(mktemp -d /tmp/jurunc-bench-build.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# classpath of the builder (compiled module + its dependencies)
( cd "$ROOT/build" && MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow" mvn -q -o compile dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp.txt" >/dev/null )
CP="$ROOT/builder/target/classes:$(cat "$WORK/cp.txt")"

CTX=$WORK/ctx
mkdir -p "$CTX/data/random" "$CTX/data/text"
half=$((SIZE_MB / 2))
for i in $(seq 1 "$half"); do
  head -c 1048576 /dev/urandom > "$CTX/data/random/f$i.bin"
  head -c 775000 /dev/urandom | base64 -w 76 > "$CTX/data/text/f$i.txt"   # about 1 MiB of text
done
printf 'FROM scratch\nCOPY data /data\n' > "$CTX/Containerfile"
cat "$CTX"/data/*/* > /dev/null   # warm the page cache for both tools
echo "context: $(du -sm "$CTX/data" | cut -f1) MB in $(find "$CTX/data" -type f | wc -l) files; $(nproc) CPUs"

measure() { # label, command... -> prints "label wall_s cpu_s maxrss_mb"
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > /dev/null 2> "$WORK/err" || { cat "$WORK/err"; exit 1; }
  read -r wall usr sys rss < "$WORK/time"
  echo "$label $wall $(echo "$usr $sys" | awk '{printf "%.2f", $1+$2}') $((rss / 1024))"
}

blobs_mb() { du -sm "$1/blobs" | cut -f1; }

run_jurunc() { # level
  rm -rf "$WORK/j"
  echo "$(measure "jurunc(gzip-$1)" "$JAVA" -XX:+UseSerialGC -cp "$CP" io.jurunc.build.cli.BuildCommand \
      -t bench:1 --compression-level "$1" -o "oci:$WORK/j" "$CTX") $(blobs_mb "$WORK/j")"
}

run_umoci() {
  rm -rf "$WORK/u"
  local r1 r2 r3
  r1=$(measure init umoci init --layout "$WORK/u")
  r2=$(measure new umoci new --image "$WORK/u:bench")
  r3=$(measure insert umoci insert --rootless --image "$WORK/u:bench" "$CTX/data" /data)
  # columns: wall and CPU = sums of the three steps; peak RSS = max of them
  echo "$(echo "$r1 $r2 $r3" | awk '{w=$2+$6+$10; c=$3+$7+$11; m=$4; if($8>m)m=$8; if($12>m)m=$12; printf "umoci %.2f %.2f %d", w, c, m}') $(blobs_mb "$WORK/u")"
}

RESULTS=$WORK/results
echo "label wall_s cpu_s peak_rss_mb blobs_mb"
for round in 1 2 3; do
  for level in 0 1 6; do run_jurunc "$level" | tee -a "$RESULTS"; done
  run_umoci | tee -a "$RESULTS"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine may be shared; CPU seconds are steadier than wall time)"
echo
echo "| tool | median wall s | median CPU s (user+sys) | median peak RSS MB | blobs MB |"
echo "|---|---|---|---|---|"
for tool in "jurunc(gzip-0)" "jurunc(gzip-1)" "jurunc(gzip-6)" umoci; do
  w=$(grep -F "$tool " "$RESULTS" | awk '{print $2}' | sort -n | sed -n 2p)
  c=$(grep -F "$tool " "$RESULTS" | awk '{print $3}' | sort -n | sed -n 2p)
  m=$(grep -F "$tool " "$RESULTS" | awk '{print $4}' | sort -n | sed -n 2p)
  b=$(grep -F "$tool " "$RESULTS" | awk '{print $5}' | sort -n | sed -n 2p)
  echo "| $tool | $w | $c | $m | $b |"
done
