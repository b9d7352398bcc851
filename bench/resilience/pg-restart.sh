#!/usr/bin/env bash
# Resilience (issue 16 #4b), one command:   bench/resilience/pg-restart.sh
# The packaged server on free ports (embedded PostgreSQL, the store of record); MESSAGES (3,000) submitted at RATE
# (20 msg/s) over CONNECTIONS (8) connections; once STOP_AFTER (600) were accepted, PostgreSQL is stopped (fast
# shutdown: clients cut), kept down DOWN seconds (30), and started again with its own command line (the server is not
# touched). While it is down SMTP must refuse clearly (4xx, never 5xx, never a 250 it cannot keep) and the clients
# retry; afterwards every message answered 250 must be in an INBOX over IMAP (lost = 0).
set -euo pipefail
BENCH_NAME=pg-restart
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
MESSAGES="${MESSAGES:-3000}"
CONNECTIONS="${CONNECTIONS:-8}"
RATE="${RATE:-20}"
STOP_AFTER="${STOP_AFTER:-600}"
DOWN="${DOWN:-30}"
DELIVERY_LIMIT="${DELIVERY_LIMIT:-3600}"
require_dist
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-pgrestart.XXXXXX")"
LOADER=""
cleanup() { local rc=$?; [ -n "$LOADER" ] && kill "$LOADER" 2>/dev/null; stop_server "$WORK/server"
  [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$WORK" || say "kept $WORK"; exit "$rc"; }
trap cleanup EXIT
RUN_ID="pg$(date +%s)"

prepare_server "$WORK/server"
start_server "$WORK/server"
wait_ready "$WORK/server"
# shellcheck disable=SC2046
export $(load_env "$WORK/server")
say "server ready (pid $(server_pid "$WORK/server")); load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/load.py" send "$WORK/server" "$RUN_ID" --messages "$MESSAGES" --connections "$CONNECTIONS" --rate "$RATE" \
  --accepted "$WORK/accepted" --codes "$WORK/codes" >"$WORK/load.json" 2>"$WORK/load.log" &
LOADER=$!
touch "$WORK/accepted" "$WORK/codes"
until [ "$(wc -l <"$WORK/accepted")" -ge "$STOP_AFTER" ]; do
  kill -0 "$LOADER" 2>/dev/null || { cat "$WORK/load.log"; say "the load ended before the stop"; exit 1; }
  sleep 0.2
done
PGDATA="$WORK/server/var/store/postgres"
pg_pid="$(head -1 "$PGDATA/postmaster.pid")"
mapfile -d '' pg_command <"/proc/$pg_pid/cmdline"
kill -INT "$pg_pid"
stopped_at="$(date +%s.%N)"
while kill -0 "$pg_pid" 2>/dev/null; do sleep 0.1; done
say "PostgreSQL (pid $pg_pid) stopped after $(wc -l <"$WORK/accepted") accepted messages; down for ${DOWN}s"
sleep "$DOWN"
restarted_at="$(date +%s.%N)"
# PostgreSQL refuses to start as root (io.zonky's own start gets around it; a plain start cannot): as root, the data
# directory goes to nobody and PostgreSQL starts as nobody (the server only talks to it over TCP)
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$WORK" "$WORK/server" "$WORK/server/var" "$WORK/server/var/store"
  chown -R 65534:65534 "$PGDATA"
  pg_command=(setpriv --reuid=65534 --regid=65534 --clear-groups "${pg_command[@]}")
fi
setsid "${pg_command[@]}" >"$WORK/postgres-restarted.log" 2>&1 </dev/null &
until grep -q "ready to accept connections" "$WORK/postgres-restarted.log" 2>/dev/null; do
  grep -q "FATAL\|not permitted" "$WORK/postgres-restarted.log" 2>/dev/null && { cat "$WORK/postgres-restarted.log"; say "PostgreSQL did not start again"; exit 1; }
  sleep 0.1
done
say "PostgreSQL started again (pid $!)"
wait "$LOADER" || true
LOADER=""
say "load done: $(cat "$WORK/load.json")"
accepted="$(sort -u "$WORK/accepted" | wc -l)"
wait_delivered "$WORK/server" "$RUN_ID" "$WORK/accepted" "$WORK/delivered" "$DELIVERY_LIMIT"
delivered="$(wc -l <"$WORK/delivered")"
distinct="$(sort -u "$WORK/delivered" | wc -l)"
# answers while PostgreSQL was down (from the stop to the restart + 5 s) and overall
during="$(awk -v a="$stopped_at" -v b="$restarted_at" '$1 >= a && $1 <= b + 5 { print $2 }' "$WORK/codes" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
overall="$(awk '{ print $2 }' "$WORK/codes" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
fivexx="$(awk '$2 == "5xx"' "$WORK/codes" | wc -l)"
errors="$(grep -c -E '"(ERROR|error)"|ERROR ' "$WORK/server/server.log" 2>/dev/null || true)"
repository="$(find "$WORK/server/var" -path '*mail*error*' -type f 2>/dev/null | wc -l)"
say "messages=$MESSAGES accepted(250)=$accepted delivered(IMAP)=$delivered distinct=$distinct lost=$lost duplicates=$((delivered - distinct)) answers-while-down: $during answers-overall: $overall 5xx=$fivexx down=${DOWN}s load-average=$(cut -d' ' -f1-3 /proc/loadavg)"
ok=1
[ "$lost" -eq 0 ] || { say "FAIL: $lost accepted messages lost"; ok=0; }
[ "$fivexx" -eq 0 ] || { say "FAIL: $fivexx permanent (5xx) refusals"; ok=0; }
[ "$accepted" -eq "$MESSAGES" ] || { say "FAIL: only $accepted of $MESSAGES accepted"; ok=0; }
[ "$ok" = 1 ] && say "PASS" || exit 1
