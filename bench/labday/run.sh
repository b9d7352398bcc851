#!/usr/bin/env bash
# A lab's day (issue 16, item 3; M17), one command:   bench/labday/run.sh [MESSAGES=10000] [RECIPIENTS=500]
#
#   The packaged server (server/target/dist, reference conf/, development mode, free ports, its own embedded
#   PostgreSQL) with the DMP stand-in and the DMP connector in their own JVMs (started by the server's development mode
#   from dmp-standin/target/dist and dmp-connector/target/dist, as ./mss up does) and a real clamd (EICAR-only
#   database, as bench/relay/run.sh) when clamd is installed (ANTIVIRUS=0: none).
#   The driver (bench/src/main/.../labday/LabDay.java) creates RECIPIENTS professional mailboxes over WebAdmin, then the
#   lab's APP mailbox (laboratoire.resultats@, client certificate, SASL EXTERNAL on implicit-TLS submission) submits
#   MESSAGES CR-BIO results (an IHE_XDM.ZIP holding a CDA with an embedded PDF, ~60 KB message), one recipient each, over
#   CONNECTIONS connections, NOTIFY=SUCCESS,FAILURE on every DSN_EVERY-th message; it waits until every message is in its
#   recipient's mailbox, every document filed in the stand-in and every DSN in the lab's mailbox (or TIMEOUT_S), then
#   checks all of it over IMAP and SQL and prints a Markdown report (also bench/labday/results/<UTC time>.md).
#
# Settings (environment): CONNECTIONS (4), DSN_EVERY (2), COPY_EVERY (0; N: every Nth message also goes to a second
# professional, one document for two mailboxes, filed once), RATE (0 = as fast as accepted; else messages/s), TIMEOUT_S
# (5400), ANTIVIRUS (1), SERVER_JAVA_OPTS (-Xms256m -Xmx1g), PROFILE=1 (a JFR recording of the server, summarised by
# bench/relay/jfr_top.py into results/<time>-hot.txt), SKIP_BUILD=1 (use what is packaged), KEEP=1 (keep the working
# directory). Needs java 17 (jfr, jcmd), python3, clamd unless ANTIVIRUS=0.
# the whole script is one compound command: bash parses it before running it, so editing this file during a run
# (a run takes tens of minutes) cannot change what the run executes
{
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="$ROOT/server/target/dist"
MESSAGES="${1:-${MESSAGES:-10000}}"
RECIPIENTS="${2:-${RECIPIENTS:-500}}"
CONNECTIONS="${CONNECTIONS:-4}"
DSN_EVERY="${DSN_EVERY:-2}"
COPY_EVERY="${COPY_EVERY:-0}"
RATE="${RATE:-0}"
TIMEOUT_S="${TIMEOUT_S:-5400}"
ANTIVIRUS="${ANTIVIRUS:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms256m -Xmx1g}"   # ./mss's default (MSS_JAVA_OPTS)
say() { printf 'labday: %s\n' "$*" >&2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn_cmd=(mvn); [ -x /work/bin/mvnl ] && mvn_cmd=(/work/bin/mvnl)
  say "packaging server, dmp-standin, dmp-connector, bench (${mvn_cmd[*]})"
  (cd "$ROOT" && "${mvn_cmd[@]}" -B -q -o -pl server,dmp-standin,dmp-connector,bench -am package -DskipTests) >&2
fi
for jar in "$DIST/mss-server.jar" "$ROOT/dmp-standin/target/dist/dmp-standin.jar" \
    "$ROOT/dmp-connector/target/dist/dmp-connector.jar" "$ROOT/bench/target/benchmarks.jar"; do
  [ -f "$jar" ] || { say "missing $jar: package first (mvn -pl server,dmp-standin,dmp-connector,bench -am package -DskipTests)"; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-labday.XXXXXX")"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then say "working directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- clamd (optional): the real daemon with the EICAR signature only (no signature download here)
CLAMD_ENV=()
if [ "$ANTIVIRUS" = 1 ]; then
  command -v clamd >/dev/null || { say "clamd missing (Debian clamav-daemon): install it or run with ANTIVIRUS=0"; exit 2; }
  CLAMD_PORT="$(free_port)"
  mkdir -p "$WORK/clamav"
  printf '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n' >"$WORK/clamav/eicar.hdb"
  cat >"$WORK/clamav/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $WORK/clamav
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
LogFile $WORK/clamav/clamd.log
MaxThreads 20
StreamMaxLength 40M
CONF
  clamd -c "$WORK/clamav/clamd.conf" >"$WORK/clamav/stdout" 2>&1 &
  PIDS+=($!)
  CLAMD_ENV=(MSS_CLAMD_ADDRESS="127.0.0.1:$CLAMD_PORT")
fi

# --- the server (as web-testkit's PackagedServer: own working directory, reference conf/, free ports); its
# development mode starts the DMP stand-in and connector from <working directory>/dmp-*/target/dist
SERVER="$WORK/server"
mkdir -p "$SERVER/conf" "$SERVER/dmp-standin/target" "$SERVER/dmp-connector/target"
cp "$ROOT"/conf/* "$SERVER/conf/"
ln -s "$ROOT/dmp-standin/target/dist" "$SERVER/dmp-standin/target/dist"
ln -s "$ROOT/dmp-connector/target/dist" "$SERVER/dmp-connector/target/dist"
ENV=(MSS_SMTP_MX_PORT="$(free_port)")
for variable in MSS_SUBMISSION_PORT MSS_SUBMISSIONS_PORT MSS_IMAP_PORT MSS_IMAPS_PORT MSS_WEBADMIN_PORT \
    MSS_DB_EMBEDDED_PORT MSS_LDAP_PORT MSS_LDAPS_PORT MSS_OIDC_DEV_PORT MSS_AUTOCONFIG_PORT MSS_DMP_STANDIN_PORT; do
  ENV+=("$variable=$(free_port)")
done
ENV+=("${CLAMD_ENV[@]}")
printf '%s\n' "${ENV[@]}" >"$SERVER/ports.env"
port_of() { sed -n "s/^$1=//p" "$SERVER/ports.env"; }
# shellcheck disable=SC2086
PROFILE_OPTS=()
[ "${PROFILE:-0}" = 1 ] && PROFILE_OPTS=(-XX:StartFlightRecording=filename="$WORK/server.jfr",settings=profile)
(cd "$SERVER" && exec env "${ENV[@]}" java $SERVER_JAVA_OPTS "${PROFILE_OPTS[@]}" -Dworking.directory="$SERVER" \
    -Dlogback.configurationFile="$SERVER/conf/logback.xml" -cp "$DIST/mss-server.jar:$DIST/lib/*" \
    fr.mssante.operator.server.MssServer >"$SERVER/server.log" 2>&1) &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
waited=0
until [ -f "$SERVER/var/run/server.ready" ]; do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -50 "$SERVER/server.log" >&2; say "the server exited during start-up"; exit 1; }
  [ "$waited" -ge 3000 ] && { say "server not ready after 300 s"; exit 1; }
  sleep 0.1; waited=$((waited + 1))
done
say "server ready in $WORK (submissions $(port_of MSS_SUBMISSIONS_PORT), IMAPS $(port_of MSS_IMAPS_PORT), WebAdmin $(port_of MSS_WEBADMIN_PORT))"

# --- the lab's day
RESULTS_DIR="$HERE/results"
mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%MZ)"
REPORT="$RESULTS_DIR/$STAMP.md"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
# load average every 30 s during the run (the machine is shared)
( while sleep 30; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; done ) >"$WORK/loadavg.log" &
PIDS+=($!)
java -Xmx1g -cp "$ROOT/bench/target/benchmarks.jar" fr.mssante.operator.bench.labday.LabDay dir="$SERVER" \
  submissions="$(port_of MSS_SUBMISSIONS_PORT)" imaps="$(port_of MSS_IMAPS_PORT)" webadmin="$(port_of MSS_WEBADMIN_PORT)" \
  db="$(port_of MSS_DB_EMBEDDED_PORT)" messages="$MESSAGES" recipients="$RECIPIENTS" connections="$CONNECTIONS" \
  dsnEvery="$DSN_EVERY" copyEvery="$COPY_EVERY" rate="$RATE" timeoutSeconds="$TIMEOUT_S" >"$WORK/report.md"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
rss() { awk '/VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
server_java="$SERVER_PID"   # the subshell exec'd java
standin_pid="$(pgrep -P "$server_java" -f 'mss.role=dmp-standin' || true)"
connector_pid="$(pgrep -P "$server_java" -f 'mss.role=dmp-connector' || true)"
load_max="$(awk '{ if ($2 > m) m = $2 } END { print m + 0 }' "$WORK/loadavg.log")"
{
  echo "Run of $started (bench/labday/run.sh $MESSAGES $RECIPIENTS; CONNECTIONS=$CONNECTIONS DSN_EVERY=$DSN_EVERY COPY_EVERY=$COPY_EVERY RATE=$RATE ANTIVIRUS=$ANTIVIRUS)."
  echo
  cat "$WORK/report.md"
  echo
  echo "Machine: $(nproc) vCPU ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), shared with other helpers' builds"
  echo "and tests: load average (1/5/15 min) before $load_before, after $load_after, highest 1-min sample $load_max."
  echo "RSS at the end: server $(rss "$server_java"), DMP stand-in ${standin_pid:+$(rss "$standin_pid")}, DMP connector ${connector_pid:+$(rss "$connector_pid")}."
} | tee "$REPORT"
cp "$WORK/loadavg.log" "$RESULTS_DIR/$STAMP.loadavg"
if [ "${PROFILE:-0}" = 1 ]; then   # PROFILE=1: the server ran with a JFR recording; its summary beside the report
  jcmd "$server_java" JFR.dump filename="$WORK/server.jfr" >/dev/null
  python3 "$ROOT/bench/relay/jfr_top.py" "$WORK/server.jfr" >"$RESULTS_DIR/$STAMP-hot.txt" || true
  say "profile: $RESULTS_DIR/$STAMP-hot.txt (recording $WORK/server.jfr, kept with KEEP=1)"
fi
say "results: $REPORT"
exit
}
