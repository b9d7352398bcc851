#!/usr/bin/env bash
# The MSSanté operator server launcher.
#   ./mss up        build what is missing, start everything in the foreground (embedded defaults, demo data);
#                   the operator console follows on http://127.0.0.1:18082/ once the server is ready
#   ./mss up -d     the same in the background (logs in var/log/server.log)
#   ./mss down      stop (SIGTERM, then after MSS_STOP_TIMEOUT s SIGKILL of everything it started)
#   ./mss status    exit 0 only when every service this server started is ready
#   ./mss build     force a build (no tests)
#   ./mss trust-list [refresh [--accept-smaller]]   liste blanche in force / refresh now (accept a smaller one)
#   ./mss broker up|down   the shared ActiveMQ broker of a development cluster (Debian activemq, 127.0.0.1:18061)
#   ./mss up --node N [-d]  node N (2, 3…) of a development cluster: other ports (+100 per node), node 1's database
#                   and broker (start node 1 with MSS_QUEUE_URL=tcp://127.0.0.1:18061), state in var/nodes/N
#   ./mss down --node N / ./mss status --node N
#   ./mss directory import FILE|URL | search NAME | refresh ADDRESS | publish --out F | unused
#                                    national directory (embedded database unless MSS_DB_URL)
# Settings come from MSS_* environment variables (docs/configuration.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# scale-out (issue 18): "--node N" (N >= 2) = another node of a development cluster, working in var/nodes/N
NODE=1
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --node ]; then NODE="${2:?--node needs a number}"; shift 2; else args+=("$1"); shift; fi
done
set -- "${args[@]+"${args[@]}"}"
[[ "$NODE" =~ ^[1-9][0-9]?$ ]] || { printf 'mss: --node needs a number from 1 to 99\n' >&2; exit 2; }
WORKDIR="$ROOT"
[ "$NODE" -gt 1 ] && WORKDIR="$ROOT/var/nodes/$NODE"
VAR="$WORKDIR/var"
BROKER_DIR="$ROOT/var/broker"
BROKER_PORT="${MSS_BROKER_PORT:-18061}"
RUN="$VAR/run"
PROCS="$RUN/procs"          # one record per process we supervise: "<pid> <starttime> <marker>"
READY="$RUN/server.ready"   # written by the server (its pid) once everything is started
SERVICES="$RUN/services"    # written by the server: "<name> <host> <port>" for exactly the services it started
LOG="$VAR/log/server.log"
PGDATA_DIR="$VAR/store/postgres"
DIST="$ROOT/server/target/dist"
MAIN=fr.mssante.operator.server.MssServer
SERVER_MARKER="-Dworking.directory=$WORKDIR"
HEALTH_SPACE_JAR="$ROOT/health-space/target/health-space.jar"   # the citizens' inbox, its own JVM (127.0.0.1:18081)
HEALTH_SPACE_MARKER="-Dmss.health-space.root=$ROOT"
CONSOLE_JAR="$ROOT/admin-ui/target/admin-ui.jar"                 # the operator console, its own JVM (127.0.0.1:18082)
CONSOLE_MARKER="-Dmss.console.root=$ROOT"
START_TIMEOUT="${MSS_START_TIMEOUT:-300}"
STOP_TIMEOUT="${MSS_STOP_TIMEOUT:-30}"

say() { printf 'mss: %s\n' "$*" >&2; }

needs_build() {
  [ -f "$DIST/mss-server.jar" ] || return 0
  [ -f "$ROOT/dmp-standin/target/dist/dmp-standin.jar" ] && [ -f "$ROOT/dmp-connector/target/dist/dmp-connector.jar" ] || return 0
  [ ! -d "$ROOT/health-space" ] || [ -f "$HEALTH_SPACE_JAR" ] || return 0
  [ ! -d "$ROOT/admin-ui" ] || [ -f "$CONSOLE_JAR" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/audit-trail" "$ROOT/citizen-bridge" "$ROOT/trust-space" "$ROOT/smime" "$ROOT/directory-sync" "$ROOT/dmp-outbox" \
      "$ROOT/documents" "$ROOT/dmp-connector" "$ROOT/dmp-standin" \
      "$ROOT/mss-vocabulary" "$ROOT/mss-database" "$ROOT/mailbox-register" "$ROOT/authentication" \
      "$ROOT/james-extensions" "$ROOT/server" "$ROOT/web-parent" "$ROOT/health-space" "$ROOT/admin-ui/src" "$ROOT/admin-ui/pom.xml" \
      \( -path '*/target' -prune \) -o -type f -newer "$DIST/mss-server.jar" -print -quit 2>/dev/null)" ]
}

build() {
  command -v mvn >/dev/null || { say "Maven (mvn) is required to build; install it first"; exit 1; }
  say "building the server (first run downloads dependencies; a few minutes)..."
  (cd "$ROOT" && mvn -q -B -DskipTests install -pl server,dmp-standin,dmp-connector,health-space,admin-ui -am)
}

# --- process identity -------------------------------------------------------------------------------------------
# A PID alone proves nothing: a killed server that nobody reaped is a zombie (kill -0 succeeds), and a PID can be
# reused. A process is ours when /proc/<pid>/stat shows it running (not Z/X), with the recorded start time (field 22),
# and its command line contains the recorded marker.

# proc_stat PID: sets STAT_STATE and STAT_START; fails when there is no such process
proc_stat() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  read -r -a fields <<<"${stat##*) }"
  STAT_STATE="${fields[0]}"
  STAT_START="${fields[19]}"
}

# is_ours PID STARTTIME|- MARKER
is_ours() {
  local pid="$1" start="$2" marker="$3" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  proc_stat "$pid" || return 1
  case "$STAT_STATE" in Z|X|x) return 1 ;; esac
  [ "$start" = - ] || [ "$start" = "$STAT_START" ] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [ -n "$marker" ] && [[ "$cmd" == *"$marker"* ]]
}

# record ROLE PID MARKER
record() {
  local start=-
  mkdir -p "$PROCS"
  proc_stat "$2" && start="$STAT_START"
  printf '%s %s %s\n' "$2" "$start" "$3" >"$PROCS/.$1.tmp"
  mv -f "$PROCS/.$1.tmp" "$PROCS/$1"
}

# recorded ROLE: prints "<pid> <starttime> <marker>" when the recorded process is still ours
recorded() {
  local pid start marker
  [ -f "$PROCS/$1" ] || return 1
  read -r pid start marker <"$PROCS/$1" || [ -n "${pid:-}" ] || return 1
  is_ours "$pid" "$start" "$marker" || return 1
  echo "$pid $start $marker"
}

running_pid() {
  local entry
  entry="$(recorded server)" || return 1
  echo "${entry%% *}"
}

# wait_gone SECONDS PID START MARKER: 0 once the process is no longer ours (exited, zombie, PID reused)
wait_gone() {
  local limit=$(( $1 * 10 )) waited=0
  shift
  while is_ours "$@"; do
    [ "$waited" -ge "$limit" ] && return 1
    sleep 0.1; waited=$((waited + 1))
  done
}

# terminate ROLE: SIGTERM, wait, SIGKILL the recorded process ROLE if it is still ours; forget the record
terminate() {
  local role="$1" seconds="$2" entry pid start marker
  if entry="$(recorded "$role")"; then
    read -r pid start marker <<<"$entry"
    say "stopping $role (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$seconds" "$pid" "$start" "$marker"; then
      say "$role (pid $pid) did not stop in ${seconds}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone 5 "$pid" "$start" "$marker" || say "$role (pid $pid) survives SIGKILL"
    fi
  fi
  rm -f "$PROCS/$role"
}

# The embedded PostgreSQL: from our record, else from its own postmaster.pid (the record of last resort: PostgreSQL
# writes it itself). Stopped with a fast shutdown (SIGINT: sessions are cut, nothing committed is lost), then
# immediate (SIGQUIT), then SIGKILL with its backends. A smart shutdown (SIGTERM) would wait for every client.
stop_postgres() {
  local entry pid start=- marker="$PGDATA_DIR" children
  if entry="$(recorded postgres)"; then
    read -r pid start marker <<<"$entry"
  elif [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
    is_ours "$pid" - "$PGDATA_DIR" || pid=""
  fi
  if [ -n "${pid:-}" ]; then
    say "stopping the embedded PostgreSQL (pid $pid, fast shutdown)"
    children="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -s ' \n' ' ' || true)"
    kill -INT "$pid" 2>/dev/null || true
    if ! wait_gone 15 "$pid" "$start" "$marker"; then
      say "PostgreSQL (pid $pid) did not stop in 15s; immediate shutdown"
      kill -QUIT "$pid" 2>/dev/null || true
      if ! wait_gone 10 "$pid" "$start" "$marker"; then
        say "PostgreSQL (pid $pid) did not stop; killing it and its backends"
        # shellcheck disable=SC2086
        kill -KILL "$pid" $children 2>/dev/null || true
        wait_gone 5 "$pid" "$start" "$marker" || true
      fi
    fi
  fi
  rm -f "$PROCS/postgres"
  # a postmaster.pid whose process is gone, a zombie or someone else would stop PostgreSQL from starting
  if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
    pid="$(head -n 1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
    is_ours "$pid" - "$PGDATA_DIR" || rm -f "$PGDATA_DIR/postmaster.pid"
  fi
}

# Everything a server started, once the server itself is gone (crash, kill -9, or down after SIGKILL).
stop_leftovers() {
  local role
  for role in dmp-connector dmp-standin; do
    terminate "$role" 10
  done
  stop_postgres
  for role in "$PROCS"/*; do   # roles a newer server may record
    [ -e "$role" ] || continue
    role="${role##*/}"
    [ "$role" = server ] || terminate "$role" 10
  done
}

# The health space (citizens' inbox): a Spring Boot JVM beside the server, recorded as role health-space (stopped by
# ./mss down like everything recorded). It reaches the server through WebAdmin, IMAPS and submission; its settings
# are MSS_HEALTH_SPACE_* (docs/features/health-space.md), the server's ports are passed on. MSS_HEALTH_SPACE_ENABLED=false: not started.
start_health_space() {
  [ "${MSS_HEALTH_SPACE_ENABLED:-true}" = true ] || return 0
  # a copy of the launcher without the module (e.g. the crash bench's) runs without it
  [ -f "$HEALTH_SPACE_JAR" ] || { say "no health space (health-space/target/health-space.jar missing)"; return 0; }
  local pid
  (close_inherited_fds
   export MSS_HEALTH_SPACE_WEBADMIN_URL="${MSS_HEALTH_SPACE_WEBADMIN_URL:-http://127.0.0.1:${MSS_WEBADMIN_PORT:-18000}}"
   export MSS_HEALTH_SPACE_IMAPS_PORT="${MSS_HEALTH_SPACE_IMAPS_PORT:-${MSS_IMAPS_PORT:-10993}}"
   export MSS_HEALTH_SPACE_SUBMISSIONS_PORT="${MSS_HEALTH_SPACE_SUBMISSIONS_PORT:-${MSS_SUBMISSIONS_PORT:-10465}}"
   # shellcheck disable=SC2086
   exec nohup java ${MSS_HEALTH_SPACE_JAVA_OPTS:--Xms64m -Xmx256m} "$HEALTH_SPACE_MARKER" -jar "$HEALTH_SPACE_JAR" \
     >>"$VAR/log/health-space.log" 2>&1 </dev/null) &
  pid=$!
  record health-space "$pid" "$HEALTH_SPACE_MARKER"
  say "health space starting (pid $pid, http://127.0.0.1:${MSS_HEALTH_SPACE_PORT:-18081}/, logs in var/log/health-space.log)"
}

# The ports of the previous run's services must be free again before a new start.
wait_ports_free() {
  local name host port waited=0 busy
  [ -f "$SERVICES" ] || return 0
  while :; do
    busy=""
    while read -r name host port; do
      [ -n "${port:-}" ] && check_tcp "$host" "$port" && busy="$busy $name($host:$port)"
    done <"$SERVICES"
    [ -z "$busy" ] && break
    if [ "$waited" -ge 100 ]; then
      say "still in use after 10s by a process this launcher did not start:$busy"; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  rm -f "$SERVICES"
}

# One ./mss at a time changes the state of this directory.
lock() {
  mkdir -p "$RUN"
  exec 9>"$RUN/launcher.lock"
  command -v flock >/dev/null || return 0
  flock -w 300 9 || { say "another ./mss up/down is still running"; exit 1; }
}

# The server keeps no descriptor of its caller beyond 0-2: a lock held around ./mss (flock … ./mss up -d), or our own
# launcher.lock, would otherwise stay held by the daemon for its whole life.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd="${fd##*/}"
    [[ "$fd" =~ ^[0-9]+$ ]] && [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
  done
}

java_command() {
  local opts="${MSS_JAVA_OPTS:--Xms256m -Xmx1g}"
  # shellcheck disable=SC2086
  echo java $opts "$SERVER_MARKER" -Dlogback.configurationFile="$ROOT/conf/logback.xml" \
    -cp "$DIST/mss-server.jar:$DIST/lib/*" "$MAIN"
}

check_tcp() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

webadmin_token() {
  local token="${MSS_WEBADMIN_TOKEN:-}"
  [ -z "$token" ] && [ -f "$VAR/dev/webadmin.token" ] && token="$(cat "$VAR/dev/webadmin.token")"
  echo "$token"
}

# Exactly what this server started: the list it wrote in var/run/services, plus the processes it recorded.
status() {
  local ok=0 pid name host port token code role
  if pid="$(running_pid)"; then printf '%-14s %s\n' process "running (pid $pid)"; else printf '%-14s %s\n' process "not running"; return 1; fi
  if [ -f "$READY" ] && [ "$(cat "$READY")" = "$pid" ] && [ -f "$SERVICES" ]; then
    printf '%-14s %s\n' startup complete
  else
    printf '%-14s %s\n' startup "in progress"; return 1
  fi
  token="$(webadmin_token)"
  while read -r name host port; do
    [ -n "${port:-}" ] || continue
    if [ "$name" = webadmin ]; then
      code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 ${token:+-H "Authorization: Bearer $token"} \
              "http://$host:$port/healthcheck" || true)"
      if [ "$code" = 200 ]; then printf '%-14s %s\n' webadmin "ready, healthy ($host:$port)"
      else printf '%-14s %s\n' webadmin "NOT READY (healthcheck HTTP $code)"; ok=1; fi
    elif check_tcp "$host" "$port"; then printf '%-14s %s\n' "$name" "ready ($host:$port)"
    else printf '%-14s %s\n' "$name" "DOWN ($host:$port)"; ok=1; fi
  done <"$SERVICES"
  for role in "$PROCS"/*; do
    [ -e "$role" ] || continue
    role="${role##*/}"
    [ "$role" = server ] && continue
    if ! recorded "$role" >/dev/null; then printf '%-14s %s\n' "$role" "NOT RUNNING"; ok=1
    elif [ "$role" = health-space ] && ! check_tcp 127.0.0.1 "${MSS_HEALTH_SPACE_PORT:-18081}"; then
      printf '%-14s %s\n' "$role" "NOT READY (pid $(cut -d' ' -f1 "$PROCS/$role"), 127.0.0.1:${MSS_HEALTH_SPACE_PORT:-18081})"; ok=1
    else printf '%-14s %s\n' "$role" "running (pid $(cut -d' ' -f1 "$PROCS/$role"))"; fi
  done
  return $ok
}

# The operator console (admin-ui: its own JVM on ${MSS_CONSOLE_PORT:-18082}) once the server SERVER_PID is ready: it
# keeps its accounts in the server's database (embedded one unless MSS_DB_URL) and calls WebAdmin. Recorded as the
# role "console", so that down/status/stop_leftovers handle it like everything else the server started.
start_console() {
  local server_pid="$1" waited=0 pid
  [ -f "$CONSOLE_JAR" ] || { say "no console (admin-ui/target/admin-ui.jar missing)"; return 0; }
  until [ -f "$READY" ] && [ "$(cat "$READY" 2>/dev/null)" = "$server_pid" ]; do
    kill -0 "$server_pid" 2>/dev/null || return 0
    [ "$waited" -ge "$((START_TIMEOUT * 5))" ] && return 0
    sleep 0.2; waited=$((waited + 1))
  done
  (
    if [ -z "${MSS_DB_URL:-}" ]; then
      export MSS_DB_URL="jdbc:postgresql://127.0.0.1:${MSS_DB_EMBEDDED_PORT:-15432}/mss" MSS_DB_USER=mss
      MSS_DB_PASSWORD="$(cat "$VAR/store/postgres.password")"; export MSS_DB_PASSWORD
    fi
    close_inherited_fds
    # shellcheck disable=SC2086
    exec nohup java ${MSS_CONSOLE_JAVA_OPTS:--Xmx256m} "$CONSOLE_MARKER" -jar "$CONSOLE_JAR" >>"$VAR/log/console.log" 2>&1 </dev/null
  ) &
  pid=$!
  record console "$pid" "$CONSOLE_MARKER"
  say "console starting (pid $pid): http://${MSS_CONSOLE_HOST:-127.0.0.1}:${MSS_CONSOLE_PORT:-18082}/ (accounts in var/dev/console-accounts.properties)"
}

up() {
  local detach=0 pid
  [ "${1:-}" = "-d" ] && detach=1
  lock
  if pid="$(running_pid)"; then say "already running (pid $pid)"; exit 0; fi
  # whatever a previous run left (a crash, a kill -9, a zombie server): stop it before starting
  rm -f "$READY" "$RUN/server.pid"
  terminate server 5
  stop_leftovers
  wait_ports_free
  needs_build && build
  mkdir -p "$RUN" "$VAR/log"
  cd "$ROOT"
  if [ "$NODE" -gt 1 ]; then prepare_node; else start_health_space; fi
  if [ "$detach" = 0 ]; then
    record server $$ "$SERVER_MARKER"
    [ "$NODE" -gt 1 ] || ( close_inherited_fds; start_console $$ ) &
    close_inherited_fds
    # shellcheck disable=SC2046
    exec $(java_command)
  fi
  # shellcheck disable=SC2046
  (close_inherited_fds; exec nohup $(java_command) >>"$LOG" 2>&1 </dev/null) &
  pid=$!
  record server "$pid" "$SERVER_MARKER"
  say "starting in the background (pid $pid, logs in ${LOG#"$ROOT"/})"
  local waited=0 start
  start="$(cut -d' ' -f2 "$PROCS/server")"
  until status >/dev/null 2>&1; do
    # our own child (its marker may not be in its command line for the first milliseconds, before exec)
    if ! { proc_stat "$pid" && [ "$STAT_STATE" != Z ] && [ "$STAT_START" = "$start" ]; }; then
      say "the server stopped during start-up; last log lines:"; tail -n 20 "$LOG" >&2
      stop_leftovers; exit 1
    fi
    if [ "$waited" -ge "$((START_TIMEOUT * 5))" ]; then say "not ready after ${START_TIMEOUT}s (see $LOG)"; exit 1; fi
    sleep 0.2; waited=$((waited + 1))
  done
  say "ready in $((waited / 5))s"
  [ "$NODE" -gt 1 ] || start_console "$pid"
  status
}

# Node N of a development cluster: its own working directory (conf of the repository, a copy of node 1's development
# PKI, secrets and demo passwords), node 1's embedded database and the shared broker, ports shifted by 100 per node.
prepare_node() {
  local offset=$(( (NODE - 1) * 100 )) setting default
  [ -f "$ROOT/var/store/postgres.password" ] || { say "start node 1 first (MSS_QUEUE_URL=tcp://127.0.0.1:$BROKER_PORT ./mss up -d)"; exit 1; }
  export MSS_QUEUE_URL="${MSS_QUEUE_URL:-tcp://127.0.0.1:$BROKER_PORT}"
  check_tcp 127.0.0.1 "$BROKER_PORT" || [ "$MSS_QUEUE_URL" != "tcp://127.0.0.1:$BROKER_PORT" ] \
    || { say "no shared broker on 127.0.0.1:$BROKER_PORT: ./mss broker up, then restart node 1 with MSS_QUEUE_URL=$MSS_QUEUE_URL"; exit 1; }
  mkdir -p "$WORKDIR"
  [ -e "$WORKDIR/conf" ] || ln -s "$ROOT/conf" "$WORKDIR/conf"
  [ -d "$VAR/dev" ] || { mkdir -p "$VAR"; cp -a "$ROOT/var/dev" "$VAR/dev"; }
  if [ -z "${MSS_DB_URL:-}" ]; then
    export MSS_DB_URL="jdbc:postgresql://127.0.0.1:${MSS_DB_EMBEDDED_PORT:-15432}/mss" MSS_DB_USER=mss
    MSS_DB_PASSWORD="$(cat "$ROOT/var/store/postgres.password")"; export MSS_DB_PASSWORD
  fi
  export MSS_NODE_NAME="${MSS_NODE_NAME:-node-$NODE}"
  for setting in SMTP_MX_PORT:10025 SUBMISSION_PORT:10587 SUBMISSIONS_PORT:10465 IMAP_PORT:10143 IMAPS_PORT:10993 \
                 WEBADMIN_PORT:18000 LDAP_PORT:10389 LDAPS_PORT:10636 OIDC_DEV_PORT:18091 AUTOCONFIG_PORT:18080 \
                 DMP_STANDIN_PORT:18090; do
    default="${setting#*:}"; setting="MSS_${setting%%:*}"
    [ -n "${!setting:-}" ] || export "$setting=$((default + offset))"
  done
  say "node $NODE ($MSS_NODE_NAME): IMAP $MSS_IMAP_PORT, submission $MSS_SUBMISSION_PORT, MX $MSS_SMTP_MX_PORT, WebAdmin $MSS_WEBADMIN_PORT; database and broker of node 1"
}

# The shared broker of a development cluster: the Debian activemq package, KahaDB in var/broker (synced writes).
broker() {
  local jar=/usr/share/activemq/bin/activemq.jar pid
  case "${1:-status}" in
    up)
      [ -f "$jar" ] || { say "install the Debian package activemq first"; exit 1; }
      if check_tcp 127.0.0.1 "$BROKER_PORT"; then say "broker already listening on 127.0.0.1:$BROKER_PORT"; return 0; fi
      mkdir -p "$BROKER_DIR" "$ROOT/var/run"
      (close_inherited_fds; exec nohup java -Xmx512m -Dactivemq.home=/usr/share/activemq -Dactivemq.base="$BROKER_DIR" \
        -Dactivemq.data="$BROKER_DIR/data" -jar "$jar" start \
        "broker:(tcp://127.0.0.1:$BROKER_PORT)?useJmx=false&persistent=true&brokerName=mss-dev&dataDirectory=$BROKER_DIR/data" \
        >>"$BROKER_DIR/broker.log" 2>&1 </dev/null) &
      pid=$!; echo "$pid" >"$BROKER_DIR/broker.pid"
      for _ in $(seq 1 150); do check_tcp 127.0.0.1 "$BROKER_PORT" && break; sleep 0.2; done
      check_tcp 127.0.0.1 "$BROKER_PORT" || { say "the broker did not start (see var/broker/broker.log)"; exit 1; }
      say "broker ready (pid $pid): MSS_QUEUE_URL=tcp://127.0.0.1:$BROKER_PORT" ;;
    down)
      [ -f "$BROKER_DIR/broker.pid" ] && kill -TERM "$(cat "$BROKER_DIR/broker.pid")" 2>/dev/null || true
      rm -f "$BROKER_DIR/broker.pid"; say "broker stopped" ;;
    *) if check_tcp 127.0.0.1 "$BROKER_PORT"; then echo "broker 127.0.0.1:$BROKER_PORT ready"; else echo "broker NOT RUNNING"; exit 1; fi ;;
  esac
}

# Bounded whatever the server is doing: SIGTERM and MSS_STOP_TIMEOUT seconds for a clean stop, then SIGKILL of the
# server, then of what it started (by record), then a fast shutdown of the embedded PostgreSQL.
down() {
  local entry pid start marker
  lock
  if entry="$(recorded server)"; then
    read -r pid start marker <<<"$entry"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$STOP_TIMEOUT" "$pid" "$start" "$marker"; then
      say "the server (pid $pid) did not stop in ${STOP_TIMEOUT}s; killing it and what it started"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone 10 "$pid" "$start" "$marker" || say "the server (pid $pid) survives SIGKILL"
    fi
  else
    say "the server is not running"
  fi
  rm -f "$PROCS/server" "$RUN/server.pid" "$READY"
  stop_leftovers
  rm -f "$SERVICES"
  say "stopped"
}

webadmin() {
  local method="$1" path="$2" token
  token="$(webadmin_token)"
  curl -sS --fail-with-body -X "$method" ${token:+-H "Authorization: Bearer $token"} \
       "http://${MSS_WEBADMIN_HOST:-127.0.0.1}:${MSS_WEBADMIN_PORT:-18000}$path"; echo
}

directory() {
  needs_build && build
  if [ -z "${MSS_DB_URL:-}" ]; then
    [ -f "$VAR/store/postgres.password" ] || { say "no embedded database yet: run ./mss up once"; exit 1; }
    running_pid >/dev/null || { say "the embedded database runs with the server: ./mss up -d first"; exit 1; }
    export MSS_DB_URL="jdbc:postgresql://127.0.0.1:${MSS_DB_EMBEDDED_PORT:-15432}/mss" MSS_DB_USER=mss
    MSS_DB_PASSWORD="$(cat "$VAR/store/postgres.password")"; export MSS_DB_PASSWORD
  fi
  exec java -cp "$DIST/mss-server.jar:$DIST/lib/*" fr.mssante.operator.directory.cli.DirectoryCli "$@"
}

# a server started by an older launcher is known by var/run/server.pid only
if [ ! -f "$PROCS/server" ] && [ -f "$RUN/server.pid" ]; then
  record server "$(cat "$RUN/server.pid")" "$SERVER_MARKER" 2>/dev/null || true
  rm -f "$RUN/server.pid"
fi

case "${1:-}" in
  directory) shift; directory "$@" ;;
  broker) shift; broker "$@" ;;
  trust-list)
    running_pid >/dev/null || { say "the server is not running (./mss up -d)"; exit 1; }
    if [ "${2:-}" = refresh ] && [ "${3:-}" = --accept-smaller ]; then webadmin POST '/mss/trust-list/refresh?acceptSmaller=true'
    elif [ "${2:-}" = refresh ]; then webadmin POST /mss/trust-list/refresh; else webadmin GET /mss/trust-list; fi ;;
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  build) build ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
