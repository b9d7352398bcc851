#!/usr/bin/env bash
# Scale-out benchmark (issue 18), one command:   bench/scaleout/run.sh
#
#   one PostgreSQL (embedded, its own process) + one ActiveMQ broker (Debian activemq, its own process) + the packaged
#   server as node A (taskset -c 0) and node B (taskset -c 1), on free ports;
#   1. throughput: ROUNDS rounds, interleaved "1 node" (A alone) / "2 nodes" (A and B, connections alternating), each
#      MESSAGES messages of 1 KB over CONNECTIONS submission connections (STARTTLS + AUTH), recipients rotating over 3
#      mailboxes, timed until all are visible over IMAP; medians and the ratio;
#   2. unless FULL=0: TwoNodesIT (server/src/test/…/scaleout) with the issue's counts (2,000 messages spread over both nodes, then kill -9 of a
#      node during a load of FAILOVER_MESSAGES), counts printed.
# Writes server/target/scaleout-throughput.txt and server/target/scaleout-two-nodes.txt.
# Settings: ROUNDS (3), MESSAGES (300), CONNECTIONS (8), WARMUP (2000), NODE_CPU_QUOTA (cores per node by cgroup, e.g. 0.5; root), FULL (1), FULL_MESSAGES (2000), FAILOVER_MESSAGES (1000).
# Needs java 17, taskset (util-linux), the Debian package activemq, a packaged server
# (/work/bin/mvnl -B -q -pl server -am package -DskipTests, which also compiles the tests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
say() { printf 'scaleout: %s\n' "$*" >&2; }
[ -f /usr/share/activemq/bin/activemq.jar ] || { say "install the Debian package activemq"; exit 2; }
command -v taskset >/dev/null || { say "missing taskset (util-linux)"; exit 2; }
[ -f "$ROOT/server/target/dist/mss-server.jar" ] || { say "package the server first (mvn -pl server -am package -DskipTests)"; exit 2; }
[ -d "$ROOT/server/target/test-classes/fr/mssante/operator/server/scaleout" ] || { say "compile the tests first (mvn -pl server -am test-compile)"; exit 2; }
# the packaged server's libraries plus the few test libraries the bench classes use (no Maven run: the measurement
# must not wait for, or hold, the team's build lock)
M2="${M2_REPO:-$HOME/.m2/repository}"
jar() { find "$M2/$1" -name "$2-*.jar" ! -name '*-sources.jar' ! -name '*-tests.jar' 2>/dev/null | sort -V | tail -1; }
CP="target/test-classes:target/classes:$ROOT/test-support/target/classes:$ROOT/server/target/dist/lib/*"
for dep in "org/awaitility/awaitility awaitility" "org/assertj/assertj-core assertj-core" "org/hamcrest/hamcrest hamcrest" \
           "org/junit/jupiter/junit-jupiter-api/5.10.3 junit-jupiter-api" "org/opentest4j/opentest4j opentest4j" \
           "org/junit/platform/junit-platform-commons/1.10.3 junit-platform-commons" "org/apiguardian/apiguardian-api apiguardian-api"; do
  set -- $dep; found="$(jar "$1" "$2")"; [ -n "$found" ] || { say "missing $2 in $M2 (build the tests once)"; exit 2; }
  CP="$CP:$found"
done
say "load average before: $(cat /proc/loadavg)"
cd "$ROOT/server"
exec java -Xmx512m -Dlogback.configurationFile="$ROOT/server/src/test/resources/logback-test.xml" \
  -Dmss.scaleout.messages="${FULL_MESSAGES:-2000}" -Dmss.scaleout.failoverMessages="${FAILOVER_MESSAGES:-1000}" \
  -cp "$CP" fr.mssante.operator.server.scaleout.ScaleOutBench
