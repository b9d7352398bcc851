#!/usr/bin/env bash
# Resilience (issue 16 #4d), one command (as root):   bench/resilience/disk-full.sh
# The packaged server on free ports with its whole var/ (mail queue, embedded PostgreSQL, logs) on a small ext4
# volume of its own (a loop device of SIZE_MB, 1024 MB), MSS_MIN_FREE_SPACE=RESERVE (128M). Load: MESSAGES (3,000) over
# submission at RATE (20 msg/s). Once FILL_AFTER (500) were accepted a ballast file leaves only KEEP_MB (64 MB, below
# the reserve) usable for FULL_FOR seconds (60): SMTP must answer 452 4.3.1 (clients retry), accept nothing it could
# not store, and keep delivering what it had accepted; then the ballast goes and accepting must resume by itself.
# At the end every message answered 250 is in an INBOX (lost = 0), and after a restart of the server (KahaDB and
# PostgreSQL reopen their files: no corruption) the count is the same.
set -euo pipefail
BENCH_NAME=disk-full
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
MESSAGES="${MESSAGES:-3000}"
CONNECTIONS="${CONNECTIONS:-4}"
RATE="${RATE:-20}"
FILL_AFTER="${FILL_AFTER:-500}"
SIZE_MB="${SIZE_MB:-1024}"
RESERVE="${RESERVE:-128M}"
KEEP_MB="${KEEP_MB:-64}"
FULL_FOR="${FULL_FOR:-60}"
DELIVERY_LIMIT="${DELIVERY_LIMIT:-3600}"
[ "$(id -u)" = 0 ] || { say "run as root (mounts a loop device)"; exit 2; }
require_dist
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-diskfull.XXXXXX")"
LOADER=""
MOUNTED=""
cleanup() { local rc=$?; [ -n "$LOADER" ] && kill "$LOADER" 2>/dev/null; stop_server "$WORK/server"
  [ -n "$MOUNTED" ] && { cp "$WORK/server/var/log/"*.log "$WORK/" 2>/dev/null || true; umount "$MOUNTED" || umount -l "$MOUNTED"; }
  [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$WORK" || say "kept $WORK"; exit "$rc"; }
trap cleanup EXIT
RUN_ID="df$(date +%s)"

prepare_server "$WORK/server" "MSS_MIN_FREE_SPACE=$RESERVE"
truncate -s "${SIZE_MB}M" "$WORK/var.img"
mkfs.ext4 -q -F "$WORK/var.img"
mkdir -p "$WORK/server/var"
mount -o loop "$WORK/var.img" "$WORK/server/var"
MOUNTED="$WORK/server/var"
usable() { df --output=avail -B1 "$WORK/server/var" | tail -1; }
start_server "$WORK/server"
wait_ready "$WORK/server"
# shellcheck disable=SC2046
export $(load_env "$WORK/server")
say "server ready, var/ on its own ${SIZE_MB} MB ext4, $(( $(usable) >> 20 )) MB usable, reserve $RESERVE"
python3 "$HERE/load.py" send "$WORK/server" "$RUN_ID" --messages "$MESSAGES" --connections "$CONNECTIONS" --rate "$RATE" \
  --give-up 900 --accepted "$WORK/accepted" --codes "$WORK/codes" >"$WORK/load.json" 2>"$WORK/load.log" &
LOADER=$!
touch "$WORK/accepted" "$WORK/codes"
until [ "$(wc -l <"$WORK/accepted")" -ge "$FILL_AFTER" ]; do
  kill -0 "$LOADER" 2>/dev/null || { cat "$WORK/load.log"; say "the load ended before the disk was filled"; exit 1; }
  sleep 0.2
done
ballast=$(( $(usable) - KEEP_MB * 1024 * 1024 ))
fallocate -l "$ballast" "$WORK/server/var/ballast"
full_at="$(date +%s.%N)"
say "ballast of $((ballast >> 20)) MB after $(wc -l <"$WORK/accepted") accepted: $(( $(usable) >> 20 )) MB usable"
min_usable="$(usable)"
end=$(( $(date +%s) + FULL_FOR ))
while [ "$(date +%s)" -lt "$end" ]; do
  u="$(usable)"; [ "$u" -lt "$min_usable" ] && min_usable="$u"
  sleep 1
done
accepted_while_full="$(wc -l <"$WORK/accepted")"
rm -f "$WORK/server/var/ballast"
freed_at="$(date +%s.%N)"
say "ballast removed after ${FULL_FOR}s ($(( min_usable >> 20 )) MB usable at the lowest); $(( $(usable) >> 20 )) MB usable"
wait "$LOADER" || true
LOADER=""
say "load done: $(cat "$WORK/load.json")"
accepted="$(sort -u "$WORK/accepted" | wc -l)"
wait_delivered "$WORK/server" "$RUN_ID" "$WORK/accepted" "$WORK/delivered" "$DELIVERY_LIMIT"
delivered="$(wc -l <"$WORK/delivered")"
distinct="$(sort -u "$WORK/delivered" | wc -l)"
# answers while full (from 2 s after the ballast, in-flight DATA excluded, to its removal)
during="$(awk -v a="$full_at" -v b="$freed_at" '$1 >= a + 2 && $1 <= b { print $2 }' "$WORK/codes" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
ok_while_full="$(awk -v a="$full_at" -v b="$freed_at" '$1 >= a + 2 && $1 <= b && $2 == "250"' "$WORK/codes" | wc -l)"
first_after="$(awk -v b="$freed_at" '$1 > b && $2 == "250" { printf "%.1f", $1 - b; exit }' "$WORK/codes")"
fivexx="$(awk '$2 == "5xx"' "$WORK/codes" | wc -l)"
# no corruption: the server stopped and started again reads its queue and database, and counts the same
stop_server "$WORK/server"
start_server "$WORK/server"
wait_ready "$WORK/server"
python3 "$HERE/load.py" count "$WORK/server" "$RUN_ID" >"$WORK/delivered-after-restart" 2>>"$WORK/count.log" || true
after_restart="$(wc -l <"$WORK/delivered-after-restart")"
corrupt="$( (grep -ciE 'corrupt|checksum' "$WORK/server/server.log" "$WORK/server/var/log/"*.log 2>/dev/null || true) | awk -F: '{ s += $NF } END { print s + 0 }')"
say "messages=$MESSAGES accepted(250)=$accepted delivered(IMAP)=$delivered distinct=$distinct lost=$lost answers-while-full: $during 250-while-full=$ok_while_full first-250-after-space-returned=${first_after:-none}s 5xx=$fivexx after-restart=$after_restart corruption-lines=$corrupt load-average=$(cut -d' ' -f1-3 /proc/loadavg)"
ok=1
[ "$lost" -eq 0 ] || { say "FAIL: $lost accepted messages lost"; ok=0; }
[ "$fivexx" -eq 0 ] || { say "FAIL: $fivexx permanent (5xx) refusals"; ok=0; }
[ "$ok_while_full" -eq 0 ] || { say "FAIL: $ok_while_full messages accepted while the disk was below the reserve"; ok=0; }
[ "$accepted" -eq "$MESSAGES" ] || { say "FAIL: only $accepted of $MESSAGES accepted (no recovery?)"; ok=0; }
[ "$after_restart" -eq "$delivered" ] || { say "FAIL: $after_restart messages after the restart, $delivered before"; ok=0; }
[ "$ok" = 1 ] && say "PASS" || exit 1
