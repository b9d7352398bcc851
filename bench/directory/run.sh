#!/usr/bin/env bash
# Directory import/lookup benchmark: synthetic national-size files, our import vs `psql \copy` (the floor),
# lookup and search latency. Usage: bench/directory/run.sh [WORKDIR] [MAILBOX_LINES] [ACTIVITY_LINES]
# Needs: a built module (mvn -pl directory-sync install), /usr/bin/psql (Debian postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-/tmp/directory-bench}"
mailboxes="${2:-536000}"
activities="${3:-2000000}"
mkdir -p "$work"
cp_file="$work/classpath.cp"
flock /tmp/mss-maven.lock mvn -q -B -o -pl directory-sync dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cp="directory-sync/target/classes:directory-sync/target/test-classes:$(cat "$cp_file")"
java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$cp" fr.mssante.operator.directory.bench.DirectoryBench "$work" "$mailboxes" "$activities" \
  | tee "$work/report.md"
rm -f "$work"/*_bench*.txt
