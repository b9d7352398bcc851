#!/usr/bin/env bash
# Crash recovery of the launcher (issue 12, must-show 2), one command:
#   bench/crash/run.sh [ROOT]        ROOT: the directory of the ./mss to exercise (default: this repository)
# 1. ./mss up -d, started under a subreaper that never reaps (like PID 1 of a container without init), so that the
#    killed server stays a zombie; 2. load: submission (STARTTLS + AUTH, demo credentials), tokens of the 250s kept;
# 3. kill -9 of the server JVM mid-load (its DMP JVMs must end by themselves); 4. ./mss up -d alone: must be ready
# within RECOVERY_LIMIT seconds (30); 5. no process of the previous run left (recorded identities: pid + start time + command line, not zombies) and
# every port of the new run held by a process of the new run; 6. nothing accepted lost: every token answered 250 is
# in the recipient's INBOX over IMAP (counts printed); 7. ./mss down, bounded, leaves nothing.
# Ports and settings: the MSS_* variables of docs/configuration.md. Needs bash, python3, ss (iproute2), curl.
# Exit 0 only when every condition holds; the last line is a summary.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${1:-$HERE/../..}" && pwd)"
MSS="$ROOT/mss"
MESSAGES="${MESSAGES:-400}"
CONNECTIONS="${CONNECTIONS:-4}"
KILL_AFTER="${KILL_AFTER:-120}"          # accepted messages before the kill
RECOVERY_LIMIT="${RECOVERY_LIMIT:-30}"   # seconds for ./mss up -d after the crash
DELIVERY_LIMIT="${DELIVERY_LIMIT:-120}"  # seconds for every accepted message to reach the INBOX
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-crash.XXXXXX")"
RUN_ID="crash$(date +%s)$$"
failures=()

say() { printf 'crash: %s\n' "$*"; }
fail() { failures+=("$*"); say "FAIL: $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  local rc=$?
  [ -n "${LOADER:-}" ] && kill "$LOADER" 2>/dev/null || true
  "$MSS" down >/dev/null 2>&1 8>&- || true
  exec 8>&- 2>/dev/null || true     # lets the subreaper end (its zombies go to init)
  [ -n "${HOLDER:-}" ] && wait "$HOLDER" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# "<pid> <starttime> <marker>" per recorded process; is the process still that one (and not a zombie)?
still_running() {
  local pid="$1" start="$2" stat fields
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  read -r -a fields <<<"${stat##*) }"
  [ "${fields[0]}" != Z ] && [ "${fields[0]}" != X ] && [ "${fields[19]}" = "$start" ]
}

# 1. start, under a subreaper that does not reap
"$MSS" down >/dev/null 2>&1 || true
mkfifo "$WORK/hold"
python3 "$HERE/noreap.py" "$MSS" up -d <"$WORK/hold" >"$WORK/first-up.log" 2>&1 &
HOLDER=$!
exec 8>"$WORK/hold"
until grep -q '^exit ' "$WORK/first-up.log" 2>/dev/null; do
  kill -0 "$HOLDER" 2>/dev/null || { cat "$WORK/first-up.log"; say "the subreaper ended early"; exit 1; }
  sleep 0.2
done
grep -q '^exit 0$' "$WORK/first-up.log" || { cat "$WORK/first-up.log"; say "first ./mss up -d failed"; exit 1; }
say "stack up: $(cut -d' ' -f1 "$ROOT"/var/run/procs/* 2>/dev/null | tr '\n' ' ')($(ls "$ROOT/var/run/procs" 2>/dev/null | tr '\n' ' '))"
[ -f "$ROOT/var/run/procs/dmp-standin" ] || fail "no DMP stand-in was started (are dmp-standin/dmp-connector packaged?)"

# 2. load
: >"$WORK/accepted"
python3 "$HERE/mail.py" send "$ROOT" "$RUN_ID" "$MESSAGES" "$CONNECTIONS" "$WORK/accepted" 2>"$WORK/loader.log" 8>&- &
LOADER=$!
until [ "$(wc -l <"$WORK/accepted")" -ge "$KILL_AFTER" ]; do
  kill -0 "$LOADER" 2>/dev/null || { cat "$WORK/loader.log"; say "the load ended before the kill"; exit 1; }
  sleep 0.05
done

# 3. kill -9 of the server JVM, mid-load
mkdir -p "$WORK/previous-procs"
cp "$ROOT"/var/run/procs/* "$WORK/previous-procs/" 2>/dev/null || fail "the launcher recorded no process"
if [ -f "$ROOT/var/run/procs/server" ]; then
  read -r server_pid _ <"$ROOT/var/run/procs/server"
else   # a launcher that keeps a PID file only
  server_pid="$(cat "$ROOT/var/run/server.pid")"
  echo "$server_pid $(awk '{ print $22 }' "/proc/$server_pid/stat") server" >"$WORK/previous-procs/server"
fi
killed_at="$(now)"
kill -KILL "$server_pid"
say "kill -9 of the server (pid $server_pid) after $(wc -l <"$WORK/accepted") accepted messages"
wait "$LOADER" || true
LOADER=""
accepted="$(sort -u "$WORK/accepted" | wc -l)"
sleep 0.5
state="$(awk '{ print $3 }' "/proc/$server_pid/stat" 2>/dev/null || echo gone)"
say "killed server's state: $state (Z = zombie not reaped, as in a container without init)"

# the DMP JVMs end by themselves with the server that started them, before any ./mss command
for role in dmp-standin dmp-connector; do
  [ -f "$WORK/previous-procs/$role" ] || continue
  read -r pid start _ <"$WORK/previous-procs/$role"
  waited=0
  while still_running "$pid" "$start" && [ "$waited" -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
  still_running "$pid" "$start" && fail "$role (pid $pid) outlived the killed server by more than 10s"
done
say "the DMP JVMs of the killed server ended by themselves within $(elapsed "$killed_at")s of the kill"

# 4. ./mss up -d alone
begin="$(now)"
if "$MSS" up -d >"$WORK/second-up.log" 2>&1 8>&-; then
  took="$(elapsed "$begin")"
  say "./mss up -d after the crash: ready in ${took}s"
  awk -v t="$took" -v l="$RECOVERY_LIMIT" 'BEGIN { exit !(t <= l) }' || fail "ready in ${took}s, more than ${RECOVERY_LIMIT}s"
else
  took="$(elapsed "$begin")"
  cat "$WORK/second-up.log"
  fail "./mss up -d after the crash failed after ${took}s"
fi
grep -q 'already running' "$WORK/second-up.log" && fail "./mss up -d took the dead server for a running one"
new_server="$(cut -d' ' -f1 "$ROOT/var/run/procs/server" 2>/dev/null || cat "$ROOT/var/run/server.pid" 2>/dev/null || echo none)"
[ "$new_server" != "$server_pid" ] || fail "no new server was started"

# 5. nothing of the previous run left, by recorded identity and by port
left=0
for record in "$WORK"/previous-procs/*; do
  read -r pid start _ <"$record"
  if still_running "$pid" "$start"; then fail "${record##*/} of the previous run (pid $pid) still runs"; left=$((left + 1)); fi
done
new_pids=" $(cut -d' ' -f1 "$ROOT"/var/run/procs/* 2>/dev/null | tr '\n' ' ')"
db_port="${MSS_DB_EMBEDDED_PORT:-15432}"
ports_checked=0
while read -r name host port; do
  holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
  ports_checked=$((ports_checked + 1))
  if [ -z "$holder" ]; then fail "nobody listens on $name ($port)"
  elif [[ "$new_pids" != *" $holder "* ]]; then fail "$name ($port) is held by pid $holder, not by a process of the new run"; fi
done < <(cat "$ROOT/var/run/services"; echo "postgres 127.0.0.1 $db_port")
say "previous run: $(ls "$WORK/previous-procs" | wc -l) recorded processes, $left left; $ports_checked ports held by the new run"

# 6. nothing accepted lost
deadline=$(( $(date +%s) + DELIVERY_LIMIT ))
while :; do
  python3 "$HERE/mail.py" count "$ROOT" "$RUN_ID" >"$WORK/delivered" 2>"$WORK/count.log" 8>&- || true
  lost="$(sort -u "$WORK/accepted" | comm -23 - <(sort -u "$WORK/delivered") | wc -l)"
  [ "$lost" -eq 0 ] && break
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 2
done
delivered="$(wc -l <"$WORK/delivered")"
distinct="$(sort -u "$WORK/delivered" | wc -l)"
found="$(sort -u "$WORK/accepted" | comm -12 - <(sort -u "$WORK/delivered") | wc -l)"
say "accepted (250)=$accepted delivered (IMAP)=$delivered distinct=$distinct accepted-and-delivered=$found lost=$lost" \
    "unacknowledged-or-duplicate=$((delivered - found))"
[ "$lost" -eq 0 ] || fail "$lost accepted messages are not in the INBOX after ${DELIVERY_LIMIT}s"
[ "$found" -eq "$accepted" ] || fail "IMAP count of accepted messages $found != 250 count $accepted"
[ "$accepted" -ge "$KILL_AFTER" ] || fail "only $accepted messages accepted"

# 7. a bounded, complete stop
mkdir -p "$WORK/last-procs"
cp "$ROOT"/var/run/procs/* "$WORK/last-procs/" 2>/dev/null || true
begin="$(now)"
"$MSS" down >"$WORK/down.log" 2>&1 8>&- || fail "./mss down failed: $(cat "$WORK/down.log")"
say "./mss down: $(elapsed "$begin")s"
for record in "$WORK"/last-procs/*; do
  read -r pid start _ <"$record"
  still_running "$pid" "$start" && fail "${record##*/} (pid $pid) still runs after ./mss down"
done

if [ "${#failures[@]}" -eq 0 ]; then
  say "PASS recovery=${took}s accepted=$accepted delivered=$delivered lost=$lost left-over=$left"
else
  say "FAILED (${#failures[@]}): ${failures[*]}"
  exit 1
fi
