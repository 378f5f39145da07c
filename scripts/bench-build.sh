#!/usr/bin/env bash
# Build time and peak memory of `jurunc build` against umoci for the same 200 MB context, in one run.
#
#   scripts/bench-build.sh [SIZE_MB] [ROUNDS]          (defaults 200 and 3)
#
# The context holds SIZE_MB of files: half random bytes (incompressible), half base64 text
# (compressible), in 1 MiB files under data/, as a unikernel rootfs with assets might. Both tools
# put it into one layer of a fresh OCI layout:
#   jurunc: the distribution's launcher, as users run it: cli/target/dist/bin/jurunc build -t bench:1
#           --compression-level L -o oci:DIR CTX (Containerfile: FROM scratch / COPY data /data); level 0
#           writes a plain tar layer, level 1 (the default) a gzip layer. The launcher gives `build` its
#           JVM flags, heap limits and the AOT cache make-dist.sh trained on builds (BuildTraining).
#           Build the distribution first: rm -rf cli/target/dist; mvn -B -ntp -o -q -pl builder,cli install -DskipTests
#   umoci : umoci init + umoci new + umoci insert CTX/data /data (umoci 0.4.7 writes a tar+gzip layer
#           that is about the size of the input, i.e. it hardly compresses)
# Time and peak RSS come from GNU time (wall seconds, max resident set size); each run's line ends
# with the 1-minute load average when it finished. The page cache is
# warm for both (the context is read once before timing). Runs each tool ROUNDS times, prints each
# run, the medians, and whether each target of issue 15 is met, with the load average.
set -euo pipefail
SIZE_MB=${1:-200}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
WORK=$(mktemp -d /tmp/jurunc-bench-build.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# JURUNC_BENCH_BIN: another distribution's launcher (e.g. one built from a clean checkout of a commit)
JURUNC=${JURUNC_BENCH_BIN:-$ROOT/cli/target/dist/bin/jurunc}
DISTLIB=$(dirname "$(dirname "$JURUNC")")/lib
if [ ! -x "$JURUNC" ]; then
  echo "no distribution at $JURUNC: rm -rf cli/target/dist; mvn -B -ntp -o -q -pl builder,cli install -DskipTests" >&2
  exit 1
fi
if [ -f "$DISTLIB/jurunc-build.aot" ]; then
  echo "jurunc: $JURUNC build (AOT cache lib/jurunc-build.aot, $(du -h "$DISTLIB/jurunc-build.aot" | cut -f1))"
else
  echo "jurunc: $JURUNC build (WARNING: no lib/jurunc-build.aot: make-dist's build training failed, the JVM starts without it)"
fi
echo "launcher line for build: $(grep -m1 "MAIN=io.jurunc.builder" "$JURUNC" | sed 's/^ *//')"

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
  echo "$label $wall $(echo "$usr $sys" | awk '{printf "%.2f", $1+$2}') $(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')"
}

load1() { cut -d' ' -f1 /proc/loadavg; }

blobs_mb() { du -sm "$1/blobs" | cut -f1; }

run_jurunc() { # level
  rm -rf "$WORK/j"
  echo "$(measure "jurunc(level-$1)" "$JURUNC" build -t bench:1 --compression-level "$1" -o "oci:$WORK/j" "$CTX") $(blobs_mb "$WORK/j") $(load1)"
}

run_umoci() {
  rm -rf "$WORK/u"
  local r1 r2 r3
  r1=$(measure init umoci init --layout "$WORK/u")
  r2=$(measure new umoci new --image "$WORK/u:bench")
  r3=$(measure insert umoci insert --rootless --image "$WORK/u:bench" "$CTX/data" /data)
  # columns: wall and CPU = sums of the three steps; peak RSS = max of them
  echo "$(echo "$r1 $r2 $r3" | awk '{w=$2+$6+$10; c=$3+$7+$11; m=$4; if($8>m)m=$8; if($12>m)m=$12; printf "umoci %.2f %.2f %.1f", w, c, m}') $(blobs_mb "$WORK/u") $(load1)"
}

RESULTS=$WORK/results
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label wall_s cpu_s peak_rss_MiB blobs_MiB load1"
for round in $(seq 1 "$ROUNDS"); do
  for level in 0 1; do run_jurunc "$level" | tee -a "$RESULTS"; done
  run_umoci | tee -a "$RESULTS"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (the machine may be shared; CPU seconds are steadier than wall time)"
echo
median() { # tool column
  grep -F "$1 " "$RESULTS" | awk -v c="$2" '{print $c}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
echo "| tool | median wall s | median CPU s (user+sys) | median peak RSS MiB | blobs MiB |"
echo "|---|---|---|---|---|"
for tool in "jurunc(level-0)" "jurunc(level-1)" umoci; do
  echo "| $tool | $(median "$tool" 2) | $(median "$tool" 3) | $(median "$tool" 4) | $(median "$tool" 5) |"
done
echo
u=$(median umoci 2)
j0=$(median "jurunc(level-0)" 2)
j1=$(median "jurunc(level-1)" 2)
r0=$(median "jurunc(level-0)" 4)
r1=$(median "jurunc(level-1)" 4)
target() { # text ok(0/1)
  if [ "$2" = 1 ]; then echo "target met:     $1"; else echo "target NOT met: $1"; fi
}
target "uncompressed (level 0) wall <= 1.0 x umoci: $(awk -v a="$j0" -v b="$u" 'BEGIN{printf "%.2f x", a/b}')" \
  "$(awk -v a="$j0" -v b="$u" 'BEGIN{print (a <= 1.0*b) ? 1 : 0}')"
target "default compressed (level 1) wall <= 2.0 x umoci: $(awk -v a="$j1" -v b="$u" 'BEGIN{printf "%.2f x", a/b}')" \
  "$(awk -v a="$j1" -v b="$u" 'BEGIN{print (a <= 2.0*b) ? 1 : 0}')"
target "peak RSS <= 64 MiB: level 0 $r0 MiB, level 1 $r1 MiB" \
  "$(awk -v a="$r0" -v b="$r1" 'BEGIN{print (a <= 64 && b <= 64) ? 1 : 0}')"
echo "CPU seconds (steadier than wall at load): level 0 $(awk -v a="$(median "jurunc(level-0)" 3)" -v b="$(median umoci 3)" 'BEGIN{printf "%.2f", a/b}') x umoci's, level 1 $(awk -v a="$(median "jurunc(level-1)" 3)" -v b="$(median umoci 3)" 'BEGIN{printf "%.2f", a/b}') x"
echo "(load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs)"
if awk -v l="$(load1)" 'BEGIN{exit !(l > 2)}'; then
  echo "NOTE: load above 2: the wall-time readings are indicative only (both tools wait for CPUs); compare the ratios of this run"
fi
