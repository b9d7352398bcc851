#!/usr/bin/env bash
# Resilience (issue 16 #4a), one command:   bench/resilience/kill9.sh
# The packaged server on free ports; MESSAGES (20,000) submitted over CONNECTIONS (8) submission connections
# (STARTTLS + AUTH, two demo recipients in turn, RATE msg/s, 0 = as fast as accepted); kill -9 of the server JVM once
# KILL_AFTER (8,000) were accepted; the server started again at once by the same command, nothing repaired by hand
# (the left-over embedded PostgreSQL is stopped by the server itself, KahaDB recovers its journal); the load keeps
# going against the restarted server, retrying what was cut (same token, as a client would).
# Counts: every token answered 250 must be in an INBOX over IMAP (lost = 0), duplicates <= 0.5 % of the accepted.
# (bench/crash/run.sh is the launcher's crash test on ./mss's ports; CrashDurabilityIT the in-JVM one: this one runs
# the packaged server under load, on free ports, at 20,000 messages.)
set -euo pipefail
BENCH_NAME=kill9
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
MESSAGES="${MESSAGES:-20000}"
CONNECTIONS="${CONNECTIONS:-8}"
RATE="${RATE:-0}"
KILL_AFTER="${KILL_AFTER:-8000}"
DELIVERY_LIMIT="${DELIVERY_LIMIT:-3600}"
MAX_DUPLICATES_PERCENT="${MAX_DUPLICATES_PERCENT:-0.5}"
require_dist
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-kill9.XXXXXX")"
LOADER=""
cleanup() { local rc=$?; [ -n "$LOADER" ] && kill "$LOADER" 2>/dev/null; stop_server "$WORK/server"
  [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$WORK" || say "kept $WORK"; exit "$rc"; }
trap cleanup EXIT
RUN_ID="k9$(date +%s)"

prepare_server "$WORK/server"
start_server "$WORK/server"
wait_ready "$WORK/server"
# shellcheck disable=SC2046
export $(load_env "$WORK/server")
say "server ready (pid $(server_pid "$WORK/server")); load average $(cut -d' ' -f1-3 /proc/loadavg)"
began="$(now)"
python3 "$HERE/load.py" send "$WORK/server" "$RUN_ID" --messages "$MESSAGES" --connections "$CONNECTIONS" --rate "$RATE" \
  --accepted "$WORK/accepted" --codes "$WORK/codes" >"$WORK/load.json" 2>"$WORK/load.log" &
LOADER=$!
touch "$WORK/accepted"
until [ "$(wc -l <"$WORK/accepted")" -ge "$KILL_AFTER" ]; do
  kill -0 "$LOADER" 2>/dev/null || { cat "$WORK/load.log"; say "the load ended before the kill"; exit 1; }
  sleep 0.2
done
pid="$(server_pid "$WORK/server")"
queued="$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import load; print(load.queue_size(sys.argv[2]))' "$HERE" "$WORK/server" 2>/dev/null || echo '?')"
kill -KILL "$pid"
killed_at="$(now)"
at_kill="$(wc -l <"$WORK/accepted")"
say "kill -9 of the server (pid $pid) after $at_kill accepted messages ($(elapsed "$began")s), $queued in the spool queue"
wait "$pid" 2>/dev/null || true
start_server "$WORK/server"
wait_ready "$WORK/server"
say "restarted, ready $(elapsed "$killed_at")s after the kill (pid $(server_pid "$WORK/server"))"
wait "$LOADER" || true
LOADER=""
say "load done in $(elapsed "$began")s: $(cat "$WORK/load.json")"
accepted="$(sort -u "$WORK/accepted" | wc -l)"
wait_delivered "$WORK/server" "$RUN_ID" "$WORK/accepted" "$WORK/delivered" "$DELIVERY_LIMIT"
delivered="$(wc -l <"$WORK/delivered")"
distinct="$(sort -u "$WORK/delivered" | wc -l)"
duplicates=$((delivered - distinct))
unaccepted="$(sort -u "$WORK/delivered" | comm -13 <(sort -u "$WORK/accepted") - | wc -l)"
percent="$(awk -v d="$duplicates" -v a="$accepted" 'BEGIN { printf "%.2f", (a ? 100 * d / a : 0) }')"
codes="$(awk '{ print $2 }' "$WORK/codes" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
result="messages=$MESSAGES accepted(250)=$accepted delivered(IMAP)=$delivered distinct=$distinct lost=$lost duplicates=$duplicates ($percent %) delivered-without-250=$unaccepted killed-after=$at_kill answers: $codes load-average=$(cut -d' ' -f1-3 /proc/loadavg)"
say "$result"
ok=1
[ "$lost" -eq 0 ] || { say "FAIL: $lost accepted messages lost"; ok=0; }
[ "$accepted" -eq "$MESSAGES" ] || { say "FAIL: only $accepted of $MESSAGES accepted"; ok=0; }
awk -v p="$percent" -v m="$MAX_DUPLICATES_PERCENT" 'BEGIN { exit !(p <= m) }' || { say "FAIL: duplicates $percent % > $MAX_DUPLICATES_PERCENT %"; ok=0; }
[ "$ok" = 1 ] && say "PASS" || exit 1
