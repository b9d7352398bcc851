#!/usr/bin/env bash
# Soak (issue 16, item 5), one command:   bench/soak/run.sh
# The packaged server on free ports (own working directory, embedded PostgreSQL, reference conf/), load over
# submission (STARTTLS + AUTH, the demo sender, two demo recipients in turn, 1 KB).
#  1. capacity: a short ramp (RAMP="SECONDS:RATE,..."), the highest step whose messages all became visible at the
#     offered rate (visible rate >= 95 % of the offer and the backlog not growing); CAPACITY=<msg/s> skips the ramp;
#  2. soak: DURATION seconds (3600) at half that capacity, sampled every SAMPLE seconds (5): RSS, spool queue
#     size, established client connections, accept->IMAP-visible latency (p50/p99/max per window), backlog;
#  3. results/<UTC time>.csv, .json (totals: lost, duplicates, latency percentiles) and a PNG (Plot.java: matplotlib is not installed here).
# Needs python3, java 17, ss, a packaged server. Exit 0 only when nothing accepted was lost.
set -euo pipefail
BENCH_NAME=soak
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../resilience/lib.sh
. "$HERE/../resilience/lib.sh"
DURATION="${DURATION:-3600}"
SAMPLE="${SAMPLE:-5}"
CONNECTIONS="${CONNECTIONS:-8}"
RAMP="${RAMP:-30:10,30:20,30:30,30:40,30:60,30:80,30:100}"
require_dist
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-soak.XXXXXX")"
RESULTS="$HERE/results"; mkdir -p "$RESULTS"
STAMP="$(date -u +%Y%m%dT%H%MZ)"
cleanup() { local rc=$?; stop_server "$WORK/server"; [ "$rc" = 0 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$WORK" || say "kept $WORK"; exit "$rc"; }
trap cleanup EXIT

prepare_server "$WORK/server"
start_server "$WORK/server"
wait_ready "$WORK/server"
# shellcheck disable=SC2046
export $(load_env "$WORK/server")
PID="$(server_pid "$WORK/server")"
say "server ready (pid $PID), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "${CAPACITY:-}" ]; then
  python3 "$HERE/../resilience/load.py" soak "$WORK/server" "ramp$$" --schedule "$RAMP" --connections "$CONNECTIONS" \
    --csv "$RESULTS/$STAMP-ramp.csv" --sample "$SAMPLE" --pid "$PID" --drain 300 >"$RESULTS/$STAMP-ramp.json"
  CAPACITY="$(python3 - "$RESULTS/$STAMP-ramp.csv" "$RAMP" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
best = 0.0
for step in sorted({float(r["target_rate"]) for r in rows if float(r["target_rate"]) > 0}):
    part = [r for r in rows if float(r["target_rate"]) == step]
    part = part[len(part) // 3:]  # the step's settled part
    if not part:
        continue
    visible = sum(float(r["visible_per_s"]) for r in part) / len(part)
    growth = float(part[-1]["backlog"]) - float(part[0]["backlog"])
    if visible >= 0.95 * step and growth <= step * 2:
        best = step
print(best)
PY
)"
  say "capacity from the ramp: $CAPACITY msg/s ($(cat "$RESULTS/$STAMP-ramp.json"))"
fi
RATE="$(awk -v c="$CAPACITY" 'BEGIN { printf "%.1f", c / 2 }')"
say "soak: ${DURATION}s at $RATE msg/s (half of $CAPACITY), load average $(cut -d' ' -f1-3 /proc/loadavg)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
status=0
python3 "$HERE/../resilience/load.py" soak "$WORK/server" "soak$$" --schedule "$DURATION:$RATE" --connections "$CONNECTIONS" \
  --csv "$RESULTS/$STAMP.csv" --sample "$SAMPLE" --pid "$PID" >"$RESULTS/$STAMP.json" || status=$?
echo "{\"capacity\": $CAPACITY, \"rate\": $RATE, \"load_before\": \"$load_before\", \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$RESULTS/$STAMP.json"
cat "$RESULTS/$STAMP.json"
java -Djava.awt.headless=true "$HERE/Plot.java" "$RESULTS/$STAMP.csv" "$ROOT/docs/soak.png" "Soak: ${DURATION}s at $RATE msg/s (half of the ramp's $CAPACITY msg/s)" || say "no plot (see Plot.java)"
exit "$status"
