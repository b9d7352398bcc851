#!/usr/bin/env bash
# Smoke check of a running stack (./mss up -d): one demo mailbox submits on 10587 (STARTTLS + AUTH) to another, which
# reads it over IMAP STARTTLS on 10143. Prints the submit-to-readable latency. Exit 1 if not readable within 2 s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CRED="$ROOT/var/dev/demo-credentials.properties"; CA="$ROOT/var/dev/pki/ca.pem"
A=alice.martin@demo.mss.test; B=bruno.durand@demo.mss.test
PA=$(grep "^$A=" "$CRED" | cut -d= -f2-); PB=$(grep "^$B=" "$CRED" | cut -d= -f2-)
SUBJECT="smoke-$(date +%s%N)"
MSG=$(mktemp); trap 'rm -f "$MSG"' EXIT
printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nsmoke test\r\n' "$A" "$B" "$SUBJECT" > "$MSG"
start=$(date +%s%N)
curl -sS --ssl-reqd --cacert "$CA" --url "smtp://localhost:${MSS_SUBMISSION_PORT:-10587}" --user "$A:$PA" \
     --mail-from "$A" --mail-rcpt "$B" -T "$MSG"
submitted=$(date +%s%N)
while :; do
  found=$(curl -sS --ssl-reqd --cacert "$CA" --url "imap://localhost:${MSS_IMAP_PORT:-10143}/INBOX" --user "$B:$PB" \
          -X "SEARCH SUBJECT \"$SUBJECT\"" | tr -d '\r')
  [ "$found" != "* SEARCH" ] && [ -n "$found" ] && break
  now=$(date +%s%N)
  if [ $(( (now - submitted) / 1000000 )) -gt 10000 ]; then echo "not readable after 10 s"; exit 1; fi
done
read_at=$(date +%s%N)
echo "submit (STARTTLS+AUTH) $(( (submitted - start) / 1000000 )) ms; readable over IMAP $(( (read_at - submitted) / 1000000 )) ms after 250 (${found})"
[ $(( (read_at - submitted) / 1000000 )) -le 2000 ]
