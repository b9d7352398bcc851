#!/usr/bin/env bash
# The MSSanté operator server launcher.
#   ./mss up        build what is missing, start everything in the foreground (embedded defaults, demo data)
#   ./mss up -d     the same in the background (logs in var/log/server.log)
#   ./mss down      stop cleanly
#   ./mss status    exit 0 only when every service is ready
#   ./mss build     force a build (no tests)
#   ./mss trust-list [refresh [--accept-smaller]]   liste blanche in force / refresh now (accept a smaller one)
#   ./mss directory import FILE|URL | search NAME | refresh ADDRESS | publish --out F | unused
#                                    national directory (embedded database unless MSS_DB_URL)
# Settings come from MSS_* environment variables (docs/configuration.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VAR="$ROOT/var"
PIDFILE="$VAR/run/server.pid"
READY="$VAR/run/server.ready"
LOG="$VAR/log/server.log"
DIST="$ROOT/server/target/dist"
MAIN=fr.mssante.operator.server.MssServer
START_TIMEOUT="${MSS_START_TIMEOUT:-300}"

say() { printf 'mss: %s\n' "$*" >&2; }

needs_build() {
  [ -f "$DIST/mss-server.jar" ] || return 0
  [ -f "$ROOT/dmp-standin/target/dist/dmp-standin.jar" ] && [ -f "$ROOT/dmp-connector/target/dist/dmp-connector.jar" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/trust-space" "$ROOT/smime" "$ROOT/directory-sync" "$ROOT/dmp-outbox" \
      "$ROOT/documents" "$ROOT/dmp-connector" "$ROOT/dmp-standin" \
      "$ROOT/james-extensions" "$ROOT/server" \
      \( -path '*/target' -prune \) -o -type f -newer "$DIST/mss-server.jar" -print -quit 2>/dev/null)" ]
}

build() {
  command -v mvn >/dev/null || { say "Maven (mvn) is required to build; install it first"; exit 1; }
  say "building the server (first run downloads dependencies; a few minutes)..."
  (cd "$ROOT" && mvn -q -B -DskipTests install -pl server,dmp-standin,dmp-connector -am)
}

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

java_command() {
  local opts="${MSS_JAVA_OPTS:--Xms256m -Xmx1g}"
  # shellcheck disable=SC2086
  echo java $opts -Dworking.directory="$ROOT" -Dlogback.configurationFile="$ROOT/conf/logback.xml" \
    -cp "$DIST/mss-server.jar:$DIST/lib/*" "$MAIN"
}

port() { local name="$1" default="$2"; echo "${!name:-$default}"; }

check_tcp() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

status() {
  local ok=0 pid host="${MSS_BIND_ADDRESS:-127.0.0.1}"
  [ "$host" = "0.0.0.0" ] && host=127.0.0.1
  if pid="$(running_pid)"; then printf '%-14s %s\n' process "running (pid $pid)"; else printf '%-14s %s\n' process "not running"; return 1; fi
  if [ -f "$READY" ] && [ "$(cat "$READY")" = "$pid" ]; then printf '%-14s %s\n' startup complete; else printf '%-14s %s\n' startup "in progress"; ok=1; fi
  local entry name var default p
  for entry in "smtp-mx:MSS_SMTP_MX_PORT:10025" "submission:MSS_SUBMISSION_PORT:10587" "submissions:MSS_SUBMISSIONS_PORT:10465" \
               "imap:MSS_IMAP_PORT:10143" "imaps:MSS_IMAPS_PORT:10993" "ldap:MSS_LDAP_PORT:10389" "ldaps:MSS_LDAPS_PORT:10636" \
               "autoconfig:MSS_AUTOCONFIG_PORT:18080" $([ "${MSS_MODE:-development}" = production ] || echo "oidc-dev:MSS_OIDC_DEV_PORT:18091 dmp-standin:MSS_DMP_STANDIN_PORT:18090"); do
    IFS=: read -r name var default <<<"$entry"
    p="$(port "$var" "$default")"
    if check_tcp "$host" "$p"; then printf '%-14s %s\n' "$name" "ready ($host:$p)"; else printf '%-14s %s\n' "$name" "DOWN ($host:$p)"; ok=1; fi
  done
  local wport token code
  wport="$(port MSS_WEBADMIN_PORT 18000)"
  token="${MSS_WEBADMIN_TOKEN:-}"
  [ -z "$token" ] && [ -f "$VAR/dev/webadmin.token" ] && token="$(cat "$VAR/dev/webadmin.token")"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 ${token:+-H "Authorization: Bearer $token"} \
          "http://${MSS_WEBADMIN_HOST:-127.0.0.1}:$wport/healthcheck" || true)"
  if [ "$code" = 200 ]; then printf '%-14s %s\n' webadmin "ready, healthy (127.0.0.1:$wport)"
  else printf '%-14s %s\n' webadmin "NOT READY (healthcheck HTTP $code)"; ok=1; fi
  return $ok
}

up() {
  local detach=0
  [ "${1:-}" = "-d" ] && detach=1
  if pid="$(running_pid)"; then say "already running (pid $pid)"; exit 0; fi
  needs_build && build
  mkdir -p "$VAR/run" "$VAR/log"
  rm -f "$READY"
  cd "$ROOT"
  if [ "$detach" = 0 ]; then
    echo $$ > "$PIDFILE"
    # shellcheck disable=SC2046
    exec $(java_command)
  fi
  # shellcheck disable=SC2046
  nohup $(java_command) >>"$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  say "starting in the background (pid $!, logs in ${LOG#"$ROOT"/})"
  local waited=0
  until status >/dev/null 2>&1; do
    if ! running_pid >/dev/null; then say "the server stopped during start-up; last log lines:"; tail -n 20 "$LOG" >&2; exit 1; fi
    if [ "$waited" -ge "$START_TIMEOUT" ]; then say "not ready after ${START_TIMEOUT}s (see $LOG)"; exit 1; fi
    sleep 1; waited=$((waited + 1))
  done
  say "ready in ${waited}s"
  status
}

down() {
  local pid
  if ! pid="$(running_pid)"; then say "not running"; rm -f "$PIDFILE" "$READY"; exit 0; fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 120 ]; then say "still running after 120s; not forcing (kill -9 $pid if you must)"; exit 1; fi
    sleep 1; waited=$((waited + 1))
  done
  rm -f "$PIDFILE" "$READY"
  say "stopped"
}

webadmin() {
  local method="$1" path="$2" token="${MSS_WEBADMIN_TOKEN:-}"
  [ -z "$token" ] && [ -f "$VAR/dev/webadmin.token" ] && token="$(cat "$VAR/dev/webadmin.token")"
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

case "${1:-}" in
  directory) shift; directory "$@" ;;
  trust-list)
    running_pid >/dev/null || { say "the server is not running (./mss up -d)"; exit 1; }
    if [ "${2:-}" = refresh ] && [ "${3:-}" = --accept-smaller ]; then webadmin POST '/mss/trust-list/refresh?acceptSmaller=true'
    elif [ "${2:-}" = refresh ]; then webadmin POST /mss/trust-list/refresh; else webadmin GET /mss/trust-list; fi ;;
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  build) build ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
