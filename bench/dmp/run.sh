#!/usr/bin/env bash
# DMP filing throughput: outbox → connector (ITI-41, mutual TLS, signed VIHF) → stand-in (its own JVM, the packaged
# dmp-standin/target/dist), embedded PostgreSQL. Prints a Markdown table (docs/benchmarks.md, "## DMP filing").
# Usage: bench/dmp/run.sh [DOCUMENTS=1000] [SIZE_BYTES=10000] [THREADS=1,4]
set -euo pipefail
cd "$(dirname "$0")/../.."
documents="${1:-1000}"
size="${2:-10000}"
threads="${3:-1,4}"
work="${TMPDIR:-/tmp}/dmp-bench"
mkdir -p "$work"
build() { "$@" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }; }
build flock /tmp/mss-maven.lock mvn -q -B -o -pl dmp-connector,dmp-standin -am install -DskipTests
build flock /tmp/mss-maven.lock mvn -q -B -o -pl dmp-connector dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.cp"
cp="dmp-connector/target/test-classes:dmp-connector/target/classes:$(cat "$work/classpath.cp")"
java -Xmx512m -Dmss.root="$PWD" -Dlogback.configurationFile="$PWD/dmp-connector/src/test/resources/logback-test.xml" \
  -cp "$cp" fr.mssante.operator.dmp.connector.bench.DmpFilingBench "$documents" "$size" "$threads" \
  | grep -v -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}' | tee "$work/report.md"
