# Shared by bench/resilience/*.sh and bench/soak/run.sh (sourced): the packaged server (server/target/dist) in its
# own working directory with the reference conf/, its own embedded PostgreSQL and free ports, as web-testkit's
# PackagedServer and bench/relay/run.sh start it. Never the default ports.
HERE_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE_LIB/../.." && pwd)"
DIST="${DIST:-$ROOT/server/target/dist}"
CONF="${CONF:-$ROOT/conf}"   # the reference configuration that goes with DIST
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx1g}"
PORT_VARIABLES="MSS_SMTP_MX_PORT MSS_SUBMISSION_PORT MSS_SUBMISSIONS_PORT MSS_IMAP_PORT MSS_IMAPS_PORT MSS_WEBADMIN_PORT
  MSS_DB_EMBEDDED_PORT MSS_LDAP_PORT MSS_LDAPS_PORT MSS_OIDC_DEV_PORT MSS_AUTOCONFIG_PORT MSS_DMP_STANDIN_PORT"

say() { printf '%s: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
require_dist() {
  [ -f "$DIST/mss-server.jar" ] || { say "no $DIST: package the server first (/work/bin/mvnl -B -q -pl server -am package -DskipTests)"; exit 2; }
}

# prepare_server DIR [KEY=VALUE ...]: working directory, conf/ copy, free ports (DIR/ports.env) and extra settings
prepare_server() {
  local dir="$1"; shift
  mkdir -p "$dir/conf"
  cp "$CONF"/* "$dir/conf/"
  local variable
  : >"$dir/ports.env"
  for variable in $PORT_VARIABLES; do echo "$variable=$(free_port)" >>"$dir/ports.env"; done
  printf '%s\n' "$@" >>"$dir/ports.env"
}
# start_server DIR: starts (or restarts) the server of DIR in the background; its java pid in DIR/pid
start_server() {
  local dir="$1"
  rm -f "$dir/var/run/server.ready"
  # shellcheck disable=SC2046,SC2086
  (cd "$dir" && exec env $(grep -v '^$' "$dir/ports.env") java $JAVA_OPTS ${EXTRA_JAVA_OPTS:-} -Dworking.directory="$dir" \
      -Dlogback.configurationFile="$dir/conf/logback.xml" -cp "$DIST/mss-server.jar:$DIST/lib/*" \
      fr.mssante.operator.server.MssServer >>"$dir/server.log" 2>&1) &
  echo $! >"$dir/pid"
}
# wait_ready DIR [LIMIT_SECONDS]
wait_ready() {
  local dir="$1" limit="${2:-${START_LIMIT:-600}}" begin
  begin="$(date +%s)"
  until [ -f "$dir/var/run/server.ready" ]; do
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { tail -40 "$dir/server.log" >&2; say "server of $dir exited during start-up"; return 1; }
    [ $(( $(date +%s) - begin )) -ge "$limit" ] && { say "server of $dir not ready after ${limit}s"; return 1; }
    sleep 0.1
  done
}
port_of() { sed -n "s/^$2=//p" "$1/ports.env"; }
# the java process of DIR (the subshell execs java, so the pid is java's)
server_pid() { cat "$1/pid"; }
stop_server() { # DIR
  local pid; pid="$(cat "$1/pid" 2>/dev/null)" || return 0
  kill "$pid" 2>/dev/null || return 0
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 600 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -KILL "$pid" 2>/dev/null || true
  # a PostgreSQL left running (killed server, or restarted by a run): fast shutdown
  local pg="$1/var/store/postgres/postmaster.pid" pg_pid
  if [ -f "$pg" ] && pg_pid="$(head -1 "$pg")" && kill -0 "$pg_pid" 2>/dev/null; then
    kill -INT "$pg_pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pg_pid" 2>/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
  fi
}
# the environment load.py needs for DIR
load_env() { # DIR
  echo "MSS_SUBMISSION_PORT=$(port_of "$1" MSS_SUBMISSION_PORT) MSS_IMAP_PORT=$(port_of "$1" MSS_IMAP_PORT) MSS_WEBADMIN_PORT=$(port_of "$1" MSS_WEBADMIN_PORT)"
}
# wait_delivered DIR RUN_ID ACCEPTED_FILE DELIVERED_FILE LIMIT_SECONDS: until every accepted token is in an INBOX, or the
# spool queue is empty and the count stopped moving (what is missing then is lost), or the limit; sets $lost
wait_delivered() {
  local dir="$1" run="$2" accepted="$3" delivered="$4" limit="$5" deadline previous=-1 queue now
  deadline=$(( $(date +%s) + limit ))
  while :; do
    python3 "$HERE_LIB/load.py" count "$dir" "$run" >"$delivered" 2>>"$delivered.log" || true
    lost="$(sort -u "$accepted" | comm -23 - <(sort -u "$delivered") | wc -l)"
    [ "$lost" -eq 0 ] && return 0
    queue="$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import load; print(load.queue_size(sys.argv[2]))' "$HERE_LIB" "$dir" 2>/dev/null || echo -1)"
    now="$(wc -l <"$delivered")"
    [ "$queue" -eq 0 ] && [ "$now" -eq "$previous" ] && return 0
    previous="$now"
    [ "$(date +%s)" -ge "$deadline" ] && { say "still $lost missing, $queue in the spool queue after ${limit}s"; return 0; }
    sleep 10
  done
}
