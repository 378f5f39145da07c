# Sourced first by demo.sh and the benchmarks: sets repo (the checkout's root), makes it the working
# directory, and puts Java 25 on PATH for Maven and the launchers (JAVA_HOME and MAVEN_OPTS as given
# are kept; MAVEN_OPTS gains the flag Maven needs on Java 25).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
