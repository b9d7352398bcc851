#!/usr/bin/env bash
# Relay benchmark (issue 16, item 1), one command:   bench/relay/run.sh
#
#   smtp-source -> Postfix "other operator" (client certificate from a test PKI made now, smtp_tls_connection_reuse,
#   N connections) -> mutual TLS -> one of
#     A  ours   the packaged server (server/target/dist), reference conf/: liste blanche listing the Postfix peer,
#               operator-certificate and origin checks, antivirus (a real clamd), directory facts, S/MIME verify,
#               audit, JPA store in the embedded PostgreSQL; timed until the messages are visible over IMAP
#     B  stock  the same packaged server with James 3.8.1's default smtpserver.xml / mailetcontainer.xml
#               (bench/relay/stock/, see the comments there); same store; timed until visible over IMAP
#     before    (optional, TARGETS="before ours ...") the same as "ours" from another build, BEFORE_DIST (a copy of
#               an earlier server/target/dist): measures a change side by side, in the same interleaved run
#     C  postfix  a second Postfix, smtpd_tls_req_ccert=yes, virtual(8) into a Maildir; timed until the files are in new/
# for each message size (SIZES, bytes) and connection count (CONNECTIONS); rounds interleaved A/B/C, A/B/C, ...
# (ROUNDS of each). Prints the medians and ratios and writes them to bench/relay/results/<UTC time>.md (+ raw .csv).
#
# Settings (environment): ROUNDS (3), SIZES ("1024 102400"), CONNECTIONS ("20 1"), TARGETS ("ours stock postfix"),
# MESSAGES_<size>_<connections> (messages per round, defaults below), OURS_JAVA_OPTS (extra JVM options for A, e.g. a
# JFR recording), RECIPIENTS (demo mailboxes' local parts, default bruno.durand; several = a rotation: the
# messages and connections split between one smtp-source per recipient), STOCK_DIST (the build "stock" runs on; default: the same as ours) and STOCK_CONF (that build's conf/; BEFORE_CONF likewise), BEFORE_ENV (KEY=VALUE settings for "before" only), WARMUP (messages per target before the rounds of each cell, default 2 per connection; WARMUP_ONCE=1: before the first cell only), ABBA=1 (every other round in reverse order), KEEP=1 (keep the working directory), LATENCY=1 (then the 250->IMAP latency at half load, latency.py). Needs root (Postfix starts as root), postfix, smtp-source
# (Debian postfix), clamd (Debian clamav-daemon), python3, java 17, a packaged server (mvn -pl server -am package).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="${OURS_DIST:-$ROOT/server/target/dist}"   # OURS_DIST: another packaged server as "ours"
ROUNDS="${ROUNDS:-3}"
SIZES="${SIZES:-1024 102400}"
CONNECTIONS="${CONNECTIONS:-20 1}"
TARGETS="${TARGETS:-ours stock postfix}"
: "${MESSAGES_1024_20:=200}" "${MESSAGES_102400_20:=100}" "${MESSAGES_1024_1:=60}" "${MESSAGES_102400_1:=40}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx1g}"   # ./mss's default (MSS_JAVA_OPTS)

say() { printf 'relay: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "run as root (Postfix must start as root)"; exit 2; }
for tool in /usr/sbin/postfix /usr/sbin/smtp-source /usr/sbin/clamd python3 java; do
  command -v "$tool" >/dev/null || { say "missing $tool"; exit 2; }
done
[ -f "$DIST/mss-server.jar" ] || { say "no $DIST: package the server first (/work/bin/mvnl -B -q -pl server -am package -DskipTests)"; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-relay.XXXXXX")"
chmod 755 "$WORK"
PIDS=()
POSTFIXES=()
cleanup() {
  local rc=$?
  for conf in "${POSTFIXES[@]}"; do /usr/sbin/postfix -c "$conf" stop >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then say "working directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- test PKI: a root, a CA, one certificate per operator host, the CRL, and the liste blanche listing them
PKI="$WORK/pki"
java -cp "$DIST/lib/*" fr.mssante.operator.trust.testpki.TestPkiMain "$PKI" --password bench \
  ours.test=mx.ours.test peer.test=mx.peer.test sink.test=mx.sink.test >&2
chmod 755 "$PKI"
chmod 644 "$PKI"/*.key.pem   # Postfix reads its key after dropping privileges (throw-away test keys)

# --- Postfix instances (as server/src/test/.../trustspace/PostfixPeer.java: own conf, queue, data, Maildir)
postfix_instance() { # NAME DOMAIN MAIN_CF_EXTRA MASTER_CF_EXTRA
  local dir="$WORK/$1"
  mkdir -p "$dir/conf" "$dir/queue" "$dir/data" "$dir/mail"
  chown postfix "$dir/data"; chown postfix:postfix "$dir/mail"
  cat >"$dir/conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.$2
mydomain = $2
mydestination =
mynetworks = 127.0.0.0/8
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
default_process_limit = 200
smtpd_client_connection_count_limit = 0
$3
EOF
  cat >"$dir/conf/master.cf" <<EOF
$4
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
tlsproxy unix - - n - 0 tlsproxy
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
  /usr/sbin/postfix -c "$dir/conf" start >&2
  POSTFIXES+=("$dir/conf")
}

OURS_MX="$(free_port)"; STOCK_MX="$(free_port)"; BEFORE_MX="$(free_port)"; SINK_PORT="$(free_port)"; INJECT="$(free_port)"; CLAMD_PORT="$(free_port)"

# C: the Postfix that receives (client certificate required) into a Maildir
postfix_instance sink sink.test "
virtual_mailbox_domains = sink.test
virtual_mailbox_base = $WORK/sink/mail
virtual_mailbox_maps = static:mailbox/
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
smtpd_tls_cert_file = $PKI/mx.sink.test.chain.pem
smtpd_tls_key_file = $PKI/mx.sink.test.key.pem
smtpd_tls_CAfile = $PKI/ca-chain.pem" "$SINK_PORT inet n - n - - smtpd
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_ask_ccert=yes
  -o smtpd_tls_req_ccert=yes"

# the "other operator": takes smtp-source's mail in plain SMTP and relays it per recipient domain over mandatory TLS
cat >"$WORK/transport" <<EOF
ours.test smtp:[127.0.0.1]:$OURS_MX
stock.test smtp:[127.0.0.1]:$STOCK_MX
before.test smtp:[127.0.0.1]:$BEFORE_MX
sink.test smtp:[127.0.0.1]:$SINK_PORT
EOF
postfix_instance peer peer.test "
transport_maps = texthash:$WORK/transport
smtp_tls_security_level = encrypt
smtp_tls_CAfile = $PKI/ca-chain.pem
smtp_tls_cert_file = $PKI/mx.peer.test.chain.pem
smtp_tls_key_file = $PKI/mx.peer.test.key.pem
smtp_tls_connection_reuse = yes
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
initial_destination_concurrency = 20
default_destination_concurrency_limit = 20" "$INJECT inet n - n - - smtpd
  -o smtpd_tls_security_level=none"

# --- clamd: the real daemon; its signature database is the EICAR test signature only (no signature download here)
mkdir -p "$WORK/clamav"
printf '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n' >"$WORK/clamav/eicar.hdb"
cat >"$WORK/clamav/clamd.conf" <<EOF
Foreground yes
DatabaseDirectory $WORK/clamav
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
LogFile $WORK/clamav/clamd.log
MaxThreads 20
StreamMaxLength 40M
EOF
clamd -c "$WORK/clamav/clamd.conf" >"$WORK/clamav/stdout" 2>&1 &
PIDS+=($!)

# --- the two James servers (as web-testkit's PackagedServer: own working directory, reference conf/, free ports)
start_server() { # NAME DOMAIN MX_PORT EXTRA_JAVA_OPTS CONF_OVERLAY_DIR|- [KEY=VALUE ...]
  local name="$1" domain="$2" mx="$3" extra="$4" overlay="$5"; shift 5
  local DIST="$DIST"
  [ "$name" = before ] && DIST="$BEFORE_DIST"
  [ "$name" = stock ] && DIST="${STOCK_DIST:-$DIST}"   # STOCK_DIST: run "stock" on another build's James wiring
  local dir="$WORK/$name"
  mkdir -p "$dir/conf"
  local conf="$ROOT/conf"
  # an earlier build refuses the reference conf's newer elements: STOCK_CONF/BEFORE_CONF give that build's conf/
  # (e.g. git archive <commit> conf | tar -x -C /tmp/x, then STOCK_CONF=/tmp/x/conf)
  [ "$name" = stock ] && conf="${STOCK_CONF:-$conf}"
  [ "$name" = before ] && conf="${BEFORE_CONF:-$conf}"
  cp "$conf"/* "$dir/conf/"
  [ "$overlay" = - ] || cp "$overlay"/*.xml "$dir/conf/"
  local env=(MSS_SMTP_MX_PORT="$mx" MSS_DEMO_DOMAIN="$domain")
  local variable
  for variable in MSS_SUBMISSION_PORT MSS_SUBMISSIONS_PORT MSS_IMAP_PORT MSS_IMAPS_PORT MSS_WEBADMIN_PORT \
      MSS_DB_EMBEDDED_PORT MSS_LDAP_PORT MSS_LDAPS_PORT MSS_OIDC_DEV_PORT MSS_AUTOCONFIG_PORT MSS_DMP_STANDIN_PORT; do
    env+=("$variable=$(free_port)")
  done
  printf '%s\n' "${env[@]}" "$@" >"$dir/ports.env"
  # shellcheck disable=SC2086
  (cd "$dir" && exec env "${env[@]}" "$@" java $JAVA_OPTS $extra -Dworking.directory="$dir" \
      -Dlogback.configurationFile="$dir/conf/logback.xml" -cp "$DIST/mss-server.jar:$DIST/lib/*" \
      fr.mssante.operator.server.MssServer >"$dir/server.log" 2>&1) &
  PIDS+=($!)
  echo $! >"$dir/pid"
}
wait_ready() { # NAME
  local dir="$WORK/$1" waited=0
  until [ -f "$dir/var/run/server.ready" ]; do
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { tail -50 "$dir/server.log" >&2; say "$1 exited during start-up"; exit 1; }
    [ "$waited" -ge 1800 ] && { say "$1 not ready after 180s"; exit 1; }
    sleep 0.1; waited=$((waited + 1))
  done
}
TRUST=(MSS_TRUST_ROOTS="$PKI/trust-roots.pem" MSS_TRUST_LIST="$PKI/liste-blanche.xml" MSS_TRUST_CRL_FILES="$PKI/crl.pem")
case " $TARGETS " in *" ours "*)
  start_server ours ours.test "$OURS_MX" "${OURS_JAVA_OPTS:-}" - "${TRUST[@]}" MSS_CLAMD_ADDRESS="127.0.0.1:$CLAMD_PORT" \
    MSS_SMTP_CONNECTIONS_PER_ADDRESS="${OURS_CONNECTIONS_PER_ADDRESS:-0}" ;;
esac
case " $TARGETS " in *" before "*)
  [ -f "${BEFORE_DIST:-}/mss-server.jar" ] || { say "TARGETS has before: set BEFORE_DIST to a packaged server's dist"; exit 2; }
  # BEFORE_ENV: extra KEY=VALUE settings for "before" only (e.g. MSS_DB_SYNCHRONOUS_COMMIT=off: one setting side by side)
  # shellcheck disable=SC2086
  start_server before before.test "$BEFORE_MX" "" - "${TRUST[@]}" MSS_CLAMD_ADDRESS="127.0.0.1:$CLAMD_PORT" \
    MSS_SMTP_CONNECTIONS_PER_ADDRESS="${OURS_CONNECTIONS_PER_ADDRESS:-0}" ${BEFORE_ENV:-} ;;
esac
case " $TARGETS " in *" stock "*)
  start_server stock stock.test "$STOCK_MX" "" "$HERE/stock" "${TRUST[@]}" ;;
esac
for name in $TARGETS; do case "$name" in ours|stock|before) wait_ready "$name" ;; esac; done
say "ready: $TARGETS (clamd on $CLAMD_PORT, peer injection on $INJECT)"

# --- PROFILE=1: ours restarted with a JFR recording and pg_stat_statements (statements and round trips per message)
psql_ours() { # SQL
  PGPASSWORD="$(cat "$WORK/ours/var/store/postgres.superuser.password")" psql -X -q -A -F ' | ' -h 127.0.0.1 \
    -p "$(port_of ours MSS_DB_EMBEDDED_PORT)" -U postgres -d mss -c "$1"
}
port_of() { sed -n "s/^$2=//p" "$WORK/$1/ports.env"; }
if [ "${PROFILE:-0}" = 1 ] && [ -f "$WORK/ours/pid" ]; then
  kill "$(cat "$WORK/ours/pid")"; wait "$(cat "$WORK/ours/pid")" 2>/dev/null || true
  echo "shared_preload_libraries = 'pg_stat_statements'" >>"$WORK/ours/var/store/postgres/postgresql.auto.conf"
  rm -f "$WORK/ours/var/run/server.ready"
  (cd "$WORK/ours" && exec env $(cat "$WORK/ours/ports.env") java $JAVA_OPTS \
      -XX:StartFlightRecording=filename="$WORK/ours.jfr",settings=profile,dumponexit=true \
      -Dworking.directory="$WORK/ours" -Dlogback.configurationFile="$WORK/ours/conf/logback.xml" \
      -cp "$DIST/mss-server.jar:$DIST/lib/*" fr.mssante.operator.server.MssServer >>"$WORK/ours/server.log" 2>&1) &
  PIDS+=($!); echo $! >"$WORK/ours/pid"
  wait_ready ours
  psql_ours "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >&2
fi

# --- rounds
credential() { # NAME ADDRESS
  sed -n "s/^$2=//p" "$WORK/$1/var/dev/demo-credentials.properties"
}
port_of() { sed -n "s/^$2=//p" "$WORK/$1/ports.env"; }
RECIPIENT_LOCAL=bruno.durand
counter() { # TARGET -> round.py counter arguments (RECIPIENTS: a rotation over these demo mailboxes)
  local local_part users=()
  for local_part in ${RECIPIENTS:-$RECIPIENT_LOCAL}; do
    users+=("$local_part@$1.test" "$(credential "$1" "$local_part@$1.test")")
  done
  case "$1" in
    ours|stock|before) echo imap 127.0.0.1 "$(port_of "$1" MSS_IMAP_PORT)" "$WORK/$1/var/dev/pki/ca.pem" "${users[@]}" ;;
    postfix) echo maildir "$WORK/sink/mail/mailbox/new" ;;
  esac
}
domain_of() { case "$1" in ours) echo ours.test ;; stock) echo stock.test ;; before) echo before.test ;; postfix) echo sink.test ;; esac; }
mx_of() { case "$1" in ours) echo "$OURS_MX" ;; stock) echo "$STOCK_MX" ;; before) echo "$BEFORE_MX" ;; postfix) echo "$SINK_PORT" ;; esac; }

RESULTS_DIR="$HERE/results"
mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%MZ)"
CSV="$RESULTS_DIR/$STAMP.csv"
echo "size,connections,round,target,messages,elapsed_s,injected_s,msg_per_s,accepted_s,accepted_per_s" >"$CSV"
[ "${PROFILE:-0}" = 1 ] && psql_ours "SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();" >/dev/null
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
for connections in $CONNECTIONS; do
  /usr/sbin/postconf -c "$WORK/peer/conf" -e "initial_destination_concurrency=$connections" \
    "default_destination_concurrency_limit=$connections" "smtp_destination_concurrency_limit=$connections"
  /usr/sbin/postfix -c "$WORK/peer/conf" reload >/dev/null 2>&1
  for size in $SIZES; do
    variable="MESSAGES_${size}_${connections}"
    messages="${!variable:-200}"
    # warm-up (not counted): a few messages through every target, after each configuration change
    for target in $TARGETS; do
      # shellcheck disable=SC2046
      python3 "$HERE/round.py" $(counter "$target") -- -s "$connections" -m "${WARMUP:-$((connections * 2))}" -l "$size" -d \
        -f "sender@peer.test" -t "$RECIPIENT_LOCAL@$(domain_of "$target")" "127.0.0.1:$INJECT" >/dev/null
    done
    # WARMUP_ONCE=1: the long warm-up before the first cell only (the servers stay up: the JIT stays warm)
    [ "${WARMUP_ONCE:-0}" = 1 ] && unset WARMUP
    for round in $(seq 1 "$ROUNDS"); do
      order="$TARGETS"
      # ABBA=1: every other round in the reverse order (A B, B A, A B…), so that neither target always runs second
      [ "${ABBA:-0}" = 1 ] && [ $((round % 2)) = 0 ] && order="$(tr ' ' '\n' <<<"$TARGETS" | tac | tr '\n' ' ')"
      for target in $order; do
        # shellcheck disable=SC2046
        line="$(python3 "$HERE/round.py" --sent "$WORK/peer/maillog" "$(mx_of "$target")" $(counter "$target") -- -s "$connections" -m "$messages" -l "$size" -d \
          -f "sender@peer.test" -t "$RECIPIENT_LOCAL@$(domain_of "$target")" "127.0.0.1:$INJECT")"
        elapsed="$(sed -n 's/.*elapsed=\([0-9.]*\).*/\1/p' <<<"$line")"
        injected="$(sed -n 's/.*injected=\([0-9.]*\).*/\1/p' <<<"$line")"
        accepted="$(sed -n 's/.*accepted=\([0-9.-]*\).*/\1/p' <<<"$line")"
        rate="$(awk -v m="$messages" -v e="$elapsed" 'BEGIN { printf "%.1f", m / e }')"
        accepted_rate="$(awk -v m="$messages" -v e="$accepted" 'BEGIN { printf "%.1f", (e > 0 ? m / e : 0) }')"
        echo "$size,$connections,$round,$target,$messages,$elapsed,$injected,$rate,$accepted,$accepted_rate" >>"$CSV"
        say "size=$size connections=$connections round=$round $target: $messages messages in ${elapsed}s = $rate msg/s visible, accepted (250) at $accepted_rate msg/s (injected in ${injected}s)"
      done
    done
  done
done
# --- LATENCY=1: 250 -> visible over IMAP at half the load, straight to each James MX (mutual TLS, the peer's
# certificate), LATENCY_SECONDS (30) at half the target's median 1 KB visible rate of the rounds above (or LATENCY_RATE)
: >"$WORK/latency"
if [ "${LATENCY:-0}" = 1 ]; then
  for target in $TARGETS; do
    case "$target" in ours|stock|before) ;; *) continue ;; esac
    rate="${LATENCY_RATE:-$(python3 -c 'import csv, statistics, sys
r = [float(x["msg_per_s"]) for x in csv.DictReader(open(sys.argv[1])) if x["target"] == sys.argv[2] and x["size"] == "1024"]
print("%.1f" % (statistics.median(r) / 2 if r else 10))' "$CSV" "$target")}"
    line="$(python3 "$HERE/latency.py" --rate "$rate" --seconds "${LATENCY_SECONDS:-30}" --connections 10 \
      --mx "127.0.0.1:$(mx_of "$target")" --cert "$PKI/mx.peer.test.chain.pem" --key "$PKI/mx.peer.test.key.pem" \
      --from sender@peer.test --to "$RECIPIENT_LOCAL@$(domain_of "$target")" \
      --imap "127.0.0.1:$(port_of "$target" MSS_IMAP_PORT)" --cafile "$WORK/$target/var/dev/pki/ca.pem" \
      --password "$(credential "$target" "$RECIPIENT_LOCAL@$(domain_of "$target")")" || true)"
    say "latency $target at $rate msg/s: $line"
    echo "$target rate=$rate $line" >>"$WORK/latency"
  done
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$started, recipients of the James servers: ${RECIPIENTS:-$RECIPIENT_LOCAL}"
for name in ours stock before; do
  [ -f "$WORK/$name/pid" ] || continue
  pid="$(pgrep -P "$(cat "$WORK/$name/pid")" java || cat "$WORK/$name/pid")"
  rss="$(awk '/VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo "?")"
  echo "rss_$name=$rss" >>"$WORK/rss"
done

for pair in "ours:$OURS_MX" "stock:$STOCK_MX" "before:$BEFORE_MX" "postfix:$SINK_PORT"; do
  echo "deferred_${pair%%:*}=$(grep 'status=deferred' "$WORK/peer/maillog" | grep -c "\]:${pair#*:}," || true)" >>"$WORK/rss"
done

if [ "${PROFILE:-0}" = 1 ] && [ -f "$WORK/ours/pid" ]; then
  PROFILE_DIR="$RESULTS_DIR/$STAMP-profile"; mkdir -p "$PROFILE_DIR"
  delivered="$(awk -F, '$4 == "ours" { n += $5 } END { print n + 0 }' "$CSV")"
  echo "messages timed for ours: $delivered (+ warm-up)" >"$PROFILE_DIR/statements.txt"
  psql_ours "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
             FROM pg_stat_statements ORDER BY calls DESC LIMIT 60" >>"$PROFILE_DIR/statements.txt"
  psql_ours "SELECT sum(calls) AS statements FROM pg_stat_statements" >>"$PROFILE_DIR/statements.txt"
  psql_ours "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = 'mss'" >>"$PROFILE_DIR/statements.txt"
  psql_ours "SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del, seq_scan, idx_scan FROM pg_stat_user_tables
             WHERE n_tup_ins + n_tup_upd + n_tup_del + seq_scan + coalesce(idx_scan, 0) > 0 ORDER BY n_tup_ins DESC" >>"$PROFILE_DIR/statements.txt"
  jcmd "$(cat "$WORK/ours/pid")" JFR.dump filename="$PROFILE_DIR/ours.jfr" >/dev/null
  python3 "$HERE/jfr_top.py" "$PROFILE_DIR/ours.jfr" >"$PROFILE_DIR/hot.txt" || true
  say "profile: $PROFILE_DIR"
fi

# --- medians and ratios
REPORT="$RESULTS_DIR/$STAMP.md"
python3 - "$CSV" "$REPORT" "$started" "$load_before" "$load_after" "$WORK/rss" "$WORK/latency" <<'PY'
import csv, statistics, subprocess, sys
path, report, started, before, after, rss, latency = sys.argv[1:8]
rows = list(csv.DictReader(open(path)))
order = [t for t in ("ours", "before", "stock", "postfix") if any(r["target"] == t for r in rows)]
names = {"ours": "ours", "before": "ours before (BEFORE_DIST)", "stock": "stock James 3.8.1", "postfix": "Postfix"}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
lines = ["Run of %s (bench/relay/run.sh): rounds interleaved (%s, ...), %s rounds; raw rounds in %s." % (
    started, "/".join(order), max(int(r["round"]) for r in rows), path.split("/bench/relay/", 1)[-1])]
for column, title in (("msg_per_s", "Messages per second until the last one is visible (IMAP STATUS for the James "
                       "servers, the Maildir's new/ for Postfix), from smtp-source's start: median (each round)"),
                      ("accepted_per_s", "Messages per second until the Postfix peer had handed the last one over "
                       "(250 from the target, status=sent in the peer's log): median (each round)")):
    cells = {}
    for r in rows:
        cells.setdefault((int(r["size"]), int(r["connections"]), r["messages"]), {}).setdefault(r["target"], []).append(float(r[column]))
    ratios = [(a, b) for a, b in (("ours", "postfix"), ("ours", "stock"), ("ours", "before")) if a in order and b in order]
    lines += ["", title + ":", "",
              "| size | connections | messages/round | " + " | ".join(names[t] for t in order) + "".join(" | %s / %s" % (names[a], names[b]) for a, b in ratios) + " |",
              "|---|---|---|" + "---|" * (len(order) + len(ratios))]
    for (size, conns, messages), targets in sorted(cells.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        med = {t: statistics.median(v) for t, v in targets.items()}
        cols = ["%.1f (%s)" % (med[t], ", ".join("%.0f" % x for x in targets[t])) if t in med else "—" for t in order]
        rats = ["%.2f×" % (med[a] / med[b]) if med.get(b) else "—" for a, b in ratios]
        lines.append("| %d KB | %d | %s | %s |" % (size // 1024, conns, messages, " | ".join(cols + rats)))
rss_text = open(rss).read().replace("\n", " ").strip() if rss else ""
lines += ["", "Machine: %s vCPU (%s), shared with other helpers' builds and tests (load average 1/5/15 min before: %s; "
          "after: %s): absolute numbers vary from run to run, the ratios measured side by side in one interleaved run "
          "are what count. Server RSS at the end, and deliveries the Postfix peer had to defer (retried after 1 s): %s." % (
          cores, cpu, before, after, rss_text)]
latency_lines = [l.strip() for l in open(latency) if l.strip()]
if latency_lines:
    lines += ["", "Latency from the server's 250 to the message visible over IMAP (latency.py, 10 connections straight to "
              "the MX over mutual TLS, paced at half the target's median 1 KB visible rate above):", ""]
    lines += ["- " + l for l in latency_lines]
open(report, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
say "results: $REPORT"
