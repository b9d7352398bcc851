#!/usr/bin/env bash
# IMAP benchmark (issue 16, item 6), one command:   sudo bench/imap/run.sh
# The same Python imaplib client (imapbench.py) against (A) our packaged server and (B) Dovecot (Debian
# dovecot-imapd, own config in a temporary directory, Maildir, free ports, TLS certificate from the test PKI),
# both over IMAPS on 127.0.0.1:
#   1. fill: BASE (1,000) distinct generated messages APPENDed into mailbox "Bench" of one user over FILL_THREADS
#      connections, the same way on both (IMAP APPEND: the real path, our indexing listener included), then cloned
#      in each store up to MESSAGES (50,000): Dovecot's Maildir files hard-linked under new names (Dovecot indexes
#      them at the next SELECT, done before the rounds), our rows copied in SQL with new UIDs (james.james_mail and
#      mss.message_search_text, the mailbox's last UID/modseq raised). APPENDing 50,000 messages into ours takes
#      hours on this shared 2-core machine (4.4 msg/s measured at load 45); the clone stores what APPEND would;
#   2. ROUNDS interleaved rounds (A B A B ...): sessions (TLS+LOGIN+SELECT+LOGOUT, 1 then 4 clients), FETCH of
#      random single messages (headers, full body), SEARCH BODY/TEXT of marker words (1, 25, 50, 5,000 matches;
#      every answer's count is checked);
#   3. a table of the medians over rounds of p50/p95 and rate, and the ratio ours/Dovecot, on stdout and in
#      bench/imap/results/<stamp>.md.
# Needs: root (Dovecot), java 17, python3, dovecot-imapd, a packaged server
# (/work/bin/mvnl -B -q -pl server -am package -DskipTests). Variables: MESSAGES ROUNDS FILL_THREADS SESSIONS
# FETCHES SEARCHES JAVA_OPTS OURS_CP BASE KEEP=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="$ROOT/server/target/dist"
MESSAGES="${MESSAGES:-50000}"
export BASE="${BASE:-1000}"
[ $((MESSAGES % BASE)) = 0 ] || { echo "MESSAGES must be a multiple of BASE" >&2; exit 2; }
FACTOR=$((MESSAGES / BASE))
ROUNDS="${ROUNDS:-3}"
FILL_THREADS="${FILL_THREADS:-4}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx1g}"

say() { printf 'imap-bench: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "run as root (Dovecot must start as root)"; exit 2; }
for tool in /usr/sbin/dovecot /usr/bin/doveadm python3 java; do
  command -v "$tool" >/dev/null || { say "missing $tool"; exit 2; }
done
# OURS_CP: another class path for our server (default: the packaged server)
OURS_CP="${OURS_CP:-$DIST/mss-server.jar:$DIST/lib/*}"
[ -n "${OURS_CP##"$DIST"*}" ] || [ -f "$DIST/mss-server.jar" ] || { say "no $DIST: package the server first (/work/bin/mvnl -B -q -pl server -am package -DskipTests)"; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mss-imap.XXXXXX")"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local rc=$?
  [ -f "$WORK/dovecot/dovecot.conf" ] && /usr/sbin/dovecot -c "$WORK/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then say "working directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- test PKI (the relay benchmark's): Dovecot's certificate
PKI="$WORK/pki"
java -cp "$OURS_CP" fr.mssante.operator.trust.testpki.TestPkiMain "$PKI" --password bench dovecot.test=imap.dovecot.test >&2
chmod 755 "$PKI"

# --- Dovecot: own configuration, Maildir owned by nobody, password hashed (SHA512-CRYPT, like ours: not plain)
DOVE="$WORK/dovecot"
DOVECOT_PORT="$(free_port)"
mkdir -p "$DOVE/run" "$DOVE/mail"
chown nobody:nogroup "$DOVE/mail"
DOVECOT_PASSWORD="bench-$(date +%s)"
printf 'doc@dovecot.test:%s\n' "$(doveadm pw -s SHA512-CRYPT -p "$DOVECOT_PASSWORD")" >"$DOVE/users"
cat >"$DOVE/dovecot.conf" <<CONF
base_dir = $DOVE/run
state_dir = $DOVE/state
instance_name = mss-imap-bench-$$
log_path = $DOVE/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$PKI/imap.dovecot.test.chain.pem
ssl_key = <$PKI/imap.dovecot.test.key.pem
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:$DOVE/mail/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = $DOVE/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DOVE/mail/%u
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $DOVECOT_PORT
    ssl = yes
  }
}
service imap {
  process_limit = 64
}
protocol imap {
  mail_max_userip_connections = 64
}
CONF
mkdir -p "$DOVE/state"
/usr/sbin/dovecot -c "$DOVE/dovecot.conf"
say "Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1) on 127.0.0.1:$DOVECOT_PORT"

# --- our packaged server (as bench/relay: own working directory, reference conf/, free ports, development mode)
OURS="$WORK/ours"
mkdir -p "$OURS/conf"
cp "$ROOT"/conf/* "$OURS/conf/"
env_ours=(MSS_DEMO_DOMAIN=ours.test MSS_IMAP_CONNECTIONS_PER_ADDRESS=0)
for variable in MSS_SMTP_MX_PORT MSS_SUBMISSION_PORT MSS_SUBMISSIONS_PORT MSS_IMAP_PORT MSS_IMAPS_PORT MSS_WEBADMIN_PORT \
    MSS_DB_EMBEDDED_PORT MSS_LDAP_PORT MSS_LDAPS_PORT MSS_OIDC_DEV_PORT MSS_AUTOCONFIG_PORT MSS_DMP_STANDIN_PORT; do
  env_ours+=("$variable=$(free_port)")
done
printf '%s\n' "${env_ours[@]}" >"$OURS/ports.env"
# shellcheck disable=SC2086
(cd "$OURS" && exec env "${env_ours[@]}" java $JAVA_OPTS -Dworking.directory="$OURS" \
    -Dlogback.configurationFile="$OURS/conf/logback.xml" -cp "$OURS_CP" \
    fr.mssante.operator.server.MssServer >"$OURS/server.log" 2>&1) &
PIDS+=($!); OURS_PID=$!
waited=0
until [ -f "$OURS/var/run/server.ready" ]; do
  kill -0 "$OURS_PID" 2>/dev/null || { tail -50 "$OURS/server.log" >&2; say "our server exited during start-up"; exit 1; }
  [ "$waited" -ge 1800 ] && { say "our server not ready after 180 s"; exit 1; }
  sleep 0.1; waited=$((waited + 1))
done
OURS_PORT="$(sed -n 's/^MSS_IMAPS_PORT=//p' "$OURS/ports.env")"
OURS_USER="bruno.durand@ours.test"
OURS_PASSWORD="$(sed -n "s/^$OURS_USER=//p" "$OURS/var/dev/demo-credentials.properties")"
say "ours on 127.0.0.1:$OURS_PORT"

ours=(127.0.0.1 "$OURS_PORT" "$OURS/var/dev/pki/ca.pem" "$OURS_USER" "$OURS_PASSWORD" Bench "$MESSAGES")
dovecot=(127.0.0.1 "$DOVECOT_PORT" "$PKI/ca-chain.pem" doc@dovecot.test "$DOVECOT_PASSWORD" Bench "$MESSAGES")
RESULTS="$WORK/results.jsonl"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

psql_ours() { # SQL
  PGPASSWORD="$(cat "$OURS/var/store/postgres.superuser.password")" psql -X -qtA -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$(sed -n 's/^MSS_DB_EMBEDDED_PORT=//p' "$OURS/ports.env")" -U postgres -d mss -c "$1"
}

# --- 1. fill: BASE messages by APPEND, the same way (one after the other, not at once: 2 cores), then the clones
for target in dovecot ours; do
  declare -n args="$target"
  say "filling $target with $BASE messages ($FILL_THREADS connections)"
  python3 "$HERE/imapbench.py" fill "${args[@]:0:6}" "$BASE" "$FILL_THREADS" | sed "s/^{/{\"target\": \"$target\", /" | tee -a "$RESULTS" >&2
done
say "cloning to $MESSAGES messages (x$FACTOR)"
t0=$(date +%s.%N)
python3 - "$DOVE/mail/doc@dovecot.test/.Bench" "$FACTOR" <<'PY'
import os, sys
folder, factor = sys.argv[1], int(sys.argv[2])
originals = [(sub, name) for sub in ("new", "cur") for name in os.listdir(os.path.join(folder, sub))]
for k in range(1, factor):
    for sub, name in originals:
        os.link(os.path.join(folder, sub, name), os.path.join(folder, "cur", f"c{k}x{name}" + ("" if ":2," in name else ":2,")))
PY
python3 "$HERE/imapbench.py" warm "${dovecot[@]:0:6}" "$MESSAGES" >&2
t1=$(date +%s.%N)
MAILBOX_ID="$(psql_ours "SELECT mailbox_id FROM james.james_mailbox WHERE mailbox_name = 'Bench' AND user_name = '$OURS_USER'")"
COLUMNS="$(psql_ours "SELECT string_agg(column_name, ', ') FROM information_schema.columns WHERE table_schema = 'james'
  AND table_name = 'james_mail' AND column_name NOT IN ('mail_uid', 'mail_modseq')")"
psql_ours "
  INSERT INTO james.james_mail (mail_uid, mail_modseq, $COLUMNS)
    SELECT m.mail_uid + k * $BASE, m.mail_modseq + k * $BASE, $COLUMNS FROM james.james_mail m, generate_series(1, $FACTOR - 1) k
    WHERE m.mailbox_id = $MAILBOX_ID;
  INSERT INTO mss.message_search_text (mailbox_id, uid, headers, body)
    SELECT s.mailbox_id, s.uid + k * $BASE, s.headers, s.body FROM mss.message_search_text s, generate_series(1, $FACTOR - 1) k
    WHERE s.mailbox_id = $MAILBOX_ID;
  UPDATE james.james_mailbox SET mailbox_last_uid = $MESSAGES, mailbox_highest_modseq = mailbox_highest_modseq + $MESSAGES
    WHERE mailbox_id = $MAILBOX_ID;
  ANALYZE james.james_mail; ANALYZE mss.message_search_text;" >&2
python3 "$HERE/imapbench.py" warm "${ours[@]:0:6}" "$MESSAGES" >&2
t2=$(date +%s.%N)
say "cloned: Dovecot $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s (with its first SELECT), ours $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.0f", b - a }') s"
INDEX_ROWS="$(psql_ours "SELECT count(*) FROM mss.message_search_text WHERE mailbox_id = $MAILBOX_ID")"
INDEX_SIZE="$(psql_ours "SELECT pg_size_pretty(pg_total_relation_size('mss.message_search_text'))")"
say "our search index holds $INDEX_ROWS rows of the mailbox ($INDEX_SIZE with its indexes)"

# --- 2. interleaved rounds
for round in $(seq 1 "$ROUNDS"); do
  for target in ours dovecot; do
    declare -n args="$target"
    say "round $round: $target"
    python3 "$HERE/imapbench.py" measure "${args[@]}" "$target" | sed "s/^{/{\"round\": $round, /" | tee -a "$RESULTS" >&2
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
RSS_KIB="$(awk '/VmRSS/ { print $2 }' "/proc/$(pgrep -P "$OURS_PID" java || echo "$OURS_PID")/status" 2>/dev/null || echo '?')"

# --- 3. summary
mkdir -p "$HERE/results"
REPORT="$HERE/results/$(date -u +%Y%m%dT%H%MZ).md"
python3 - "$RESULTS" "$REPORT" "$started" "$load_before" "$load_after" "$MESSAGES" "$ROUNDS" "$RSS_KIB" "$INDEX_ROWS ($INDEX_SIZE)" "$BASE" <<'PY'
import json, statistics, sys
path, report, started, before, after, messages, rounds, rss, rows, base = sys.argv[1:11]
rows_json = [json.loads(line) for line in open(path) if line.strip()]
fills = {r["target"]: r for r in rows_json if r.get("metric") == "fill"}
metrics = []
for r in rows_json:
    if "round" in r and r["metric"] not in metrics:
        metrics.append(r["metric"])
def med(target, metric, key):
    values = [r[key] for r in rows_json if r.get("target") == target and r.get("metric") == metric and "round" in r]
    return statistics.median(values) if values else float("nan")
lines = [f"IMAP benchmark, {started}, {messages} messages in one mailbox, {rounds} interleaved rounds; load average "
         f"{before} before, {after} after; our server's RSS at the end {rss} KiB; our index rows {rows}.", "",
         f"Fill of the {base} distinct messages (IMAP APPEND, same client, same messages): ours {fills['ours']['per_s']} msg/s "
         f"({fills['ours']['seconds']} s), Dovecot {fills['dovecot']['per_s']} msg/s ({fills['dovecot']['seconds']} s).", "",
         "| operation | ours p50 / p95 ms | Dovecot p50 / p95 ms | ours per s | Dovecot per s | ours ÷ Dovecot (rate) |",
         "|---|---|---|---|---|---|"]
for metric in metrics:
    o50, o95, orate = med("ours", metric, "p50_ms"), med("ours", metric, "p95_ms"), med("ours", metric, "per_s")
    d50, d95, drate = med("dovecot", metric, "p50_ms"), med("dovecot", metric, "p95_ms"), med("dovecot", metric, "per_s")
    lines.append(f"| {metric} | {o50:g} / {o95:g} | {d50:g} / {d95:g} | {orate:g} | {drate:g} | {orate / drate:.2f}× |")
text = "\n".join(lines) + "\n"
open(report, "w").write(text)
print(text)
PY
say "report: $REPORT"
