#!/usr/bin/env bash
# Resilience (issue 16 #4c), one command:   bench/resilience/dmp-outage.sh [DOWN_SECONDS=600]
# The packaged server on free ports with the DMP stand-in and connector it starts itself (their packaged layouts,
# dmp-standin/target/dist and dmp-connector/target/dist); the demo lab (client certificate, SASL EXTERNAL) sends
# DOCUMENTS (120) CR-BIO messages (IHE_XDM.ZIP, one CDA each) to a professional at RATE (0.5 msg/s): a third before,
# a third during, a third after an outage of the DMP stand-in (its JVM stopped for DOWN seconds, then started again
# with the same command line). The outbox (PostgreSQL) keeps what cannot be filed and the connector retries.
# Counts: every message delivered over IMAP; every document filed exactly once in the stand-in; every outbox row
# ACCEPTED; how long the backlog took to be filed once the stand-in was back.
set -euo pipefail
BENCH_NAME=dmp-outage
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
DOWN="${1:-${DOWN:-600}}"
DOCUMENTS="${DOCUMENTS:-120}"
RATE="${RATE:-0.5}"
FILING_LIMIT="${FILING_LIMIT:-900}"
require_dist
for module in dmp-standin dmp-connector documents; do
  [ -d "$ROOT/$module/target/${module/documents/test-classes}" ] || [ -d "$ROOT/$module/target/dist" ] || {
    say "package $module first (/work/bin/mvnl -B -q -pl server -am package -DskipTests)"; exit 2; }
done
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-dmpoutage.XXXXXX")"
STANDIN2=""
cleanup() { local rc=$?; [ -n "$STANDIN2" ] && kill "$STANDIN2" 2>/dev/null
  [ -f "$WORK/standin2.pid" ] && kill "$(cat "$WORK/standin2.pid")" 2>/dev/null; stop_server "$WORK/server"
  [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$WORK" || say "kept $WORK"; exit "$rc"; }
trap cleanup EXIT
RUN_ID="dmp$(date +%s)"
UID_ROOT="1.2.250.1.999.16"

prepare_server "$WORK/server"
for module in dmp-standin dmp-connector; do   # DmpProcesses looks for <working directory>/<module>/target/dist
  mkdir -p "$WORK/server/$module/target"
  ln -s "${DMP_DIST_ROOT:-$ROOT}/$module/target/dist" "$WORK/server/$module/target/dist"
done
start_server "$WORK/server"
wait_ready "$WORK/server"
# shellcheck disable=SC2046
export $(load_env "$WORK/server") MSS_SUBMISSIONS_PORT="$(port_of "$WORK/server" MSS_SUBMISSIONS_PORT)" MSS_LOAD_RECIPIENTS=alice.martin
sql() {
  PGPASSWORD="$(cat "$WORK/server/var/store/postgres.superuser.password")" psql -X -q -t -A -h 127.0.0.1 \
    -p "$(port_of "$WORK/server" MSS_DB_EMBEDDED_PORT)" -U postgres -d mss -c "$1"
}
filed() { sql "SELECT count(*) FROM dmp_standin.document WHERE unique_id LIKE '$UID_ROOT^$RUN_ID-%'"; }
standin_pid() { awk '{ print $1 }' "$WORK/server/var/run/procs/dmp-standin"; }
until [ -f "$WORK/server/var/run/procs/dmp-standin" ] && ss -Hltn "sport = :$(port_of "$WORK/server" MSS_DMP_STANDIN_PORT)" | grep -q .; do sleep 0.5; done
say "server ready with its DMP stand-in (pid $(standin_pid)) and connector; load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$ROOT/documents/target/test-classes:$ROOT/documents/target/classes:$DIST/lib/*" "$HERE/LabMessages.java" \
  "$WORK/lab" "$DOCUMENTS" "$RUN_ID" "${MSS_DEMO_DOMAIN:-demo.mss.test}"
third=$((DOCUMENTS / 3))
lab() { python3 "$HERE/load.py" lab "$WORK/server" "$RUN_ID" "$WORK/lab" "$1" "$2" --rate "$RATE" --accepted "$WORK/accepted"; }

say "phase 1: $third documents with the DMP up"
lab 0 "$third"
deadline=$(( $(date +%s) + 300 ))
until [ "$(filed)" -ge "$third" ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 2; done
say "phase 1 filed: $(filed)"

pid="$(standin_pid)"
mapfile -d '' command <"/proc/$pid/cmdline"
cwd="$(readlink "/proc/$pid/cwd")"
tr '\0' '\n' <"/proc/$pid/environ" | grep -v '^MSS_EXIT_WITH_PARENT=' >"$WORK/standin.env"
kill -TERM "$pid"
down_at="$(date +%s)"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
say "DMP stand-in (pid $pid) stopped; down for ${DOWN}s; phase 2: $((2 * third - third)) documents sent meanwhile"
lab "$third" "$((2 * third))"
max_attempts=0
while [ $(( $(date +%s) - down_at )) -lt "$DOWN" ]; do
  a="$(sql "SELECT coalesce(max(attempts), 0) FROM dmp.submission WHERE state = 'QUEUED'")"
  [ "$a" -gt "$max_attempts" ] && max_attempts="$a"
  sleep 10
done
states_down="$(sql "SELECT string_agg(state || '=' || n, ' ') FROM (SELECT state, count(*) n FROM dmp.submission GROUP BY state) s")"
filed_before_restart="$(filed)"
python3 - "$WORK/standin.env" "$cwd" "$WORK/standin-restarted.log" "${command[@]}" <<'PY' &
import os, subprocess, sys
env = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]) if "=" in line)
log = open(sys.argv[3], "ab")
process = subprocess.Popen(sys.argv[4:], cwd=sys.argv[2], env=env, stdout=log, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, start_new_session=True)
open(sys.argv[3].replace("standin-restarted.log", "standin2.pid"), "w").write(str(process.pid))
sys.exit(process.wait())
PY
STANDIN2=$!
up_at="$(date +%s)"
say "DMP stand-in started again after $((up_at - down_at))s (outbox while down: $states_down; filed meanwhile: $filed_before_restart; most attempts of a waiting row: $max_attempts)"
say "phase 3: $((DOCUMENTS - 2 * third)) documents"
lab "$((2 * third))" "$DOCUMENTS" &
LAB3=$!
deadline=$(( $(date +%s) + FILING_LIMIT ))
until [ "$(filed)" -ge "$((2 * third))" ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 1; done
backlog_filed_in=$(( $(date +%s) - up_at ))
wait "$LAB3"
until [ "$(filed)" -ge "$DOCUMENTS" ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 2; done
sleep 5
filed_rows="$(filed)"
filed_distinct="$(sql "SELECT count(DISTINCT unique_id) FROM dmp_standin.document WHERE unique_id LIKE '$UID_ROOT^$RUN_ID-%'")"
states="$(sql "SELECT string_agg(state || '=' || n, ' ') FROM (SELECT state, count(*) n FROM dmp.submission WHERE document_unique_id LIKE '$UID_ROOT^$RUN_ID-%' GROUP BY state) s")"
accepted_rows="$(sql "SELECT count(*) FROM dmp.submission WHERE document_unique_id LIKE '$UID_ROOT^$RUN_ID-%' AND state = 'ACCEPTED'")"
attempts="$(sql "SELECT max(attempts) FROM dmp.submission WHERE document_unique_id LIKE '$UID_ROOT^$RUN_ID-%'")"
sent="$(sort -u "$WORK/accepted" | wc -l)"
delivered="$(python3 "$HERE/load.py" count "$WORK/server" "$RUN_ID" | sort -u | wc -l)"
say "documents=$DOCUMENTS sent(250)=$sent delivered(IMAP)=$delivered filed=$filed_rows distinct=$filed_distinct outbox: $states most-attempts=$attempts down=${DOWN}s backlog-filed-in=${backlog_filed_in}s-after-restart load-average=$(cut -d' ' -f1-3 /proc/loadavg)"
ok=1
[ "$sent" -eq "$DOCUMENTS" ] || { say "FAIL: $sent of $DOCUMENTS sent"; ok=0; }
[ "$delivered" -eq "$DOCUMENTS" ] || { say "FAIL: $delivered of $DOCUMENTS delivered"; ok=0; }
[ "$filed_rows" -eq "$DOCUMENTS" ] && [ "$filed_distinct" -eq "$DOCUMENTS" ] || { say "FAIL: filed $filed_rows rows, $filed_distinct distinct, of $DOCUMENTS"; ok=0; }
[ "$accepted_rows" -eq "$DOCUMENTS" ] || { say "FAIL: $accepted_rows outbox rows ACCEPTED of $DOCUMENTS"; ok=0; }
[ "$ok" = 1 ] && say "PASS" || exit 1
