#!/usr/bin/env python3
"""Mail load and count for bench/crash/run.sh (standard library only).

  mail.py send ROOT RUN_ID MESSAGES CONNECTIONS ACCEPTED_FILE
      submission (STARTTLS + AUTH) as the demo sender to the demo recipient, CONNECTIONS at once; the token of every
      message answered 250 is appended to ACCEPTED_FILE at once (a kill -9 may come at any moment). Stops a
      connection at its first error (the server is gone) and exits 0.
  mail.py count ROOT RUN_ID
      prints one line per message of RUN_ID in the recipient's INBOX (IMAP, STARTTLS): its token.
Ports come from MSS_SUBMISSION_PORT / MSS_IMAP_PORT (defaults 10587 / 10143), host from MSS_BIND_ADDRESS.
"""
import imaplib
import os
import re
import smtplib
import ssl
import sys
import threading

DOMAIN = "demo.mss.test"
SENDER = "alice.martin@" + DOMAIN
RECIPIENT = "bruno.durand@" + DOMAIN


def host():
    address = os.environ.get("MSS_BIND_ADDRESS", "127.0.0.1")
    return "127.0.0.1" if address in ("", "0.0.0.0") else address


def credentials(root):
    values = {}
    with open(os.path.join(root, "var/dev/demo-credentials.properties"), encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def tls(root):
    context = ssl.create_default_context(cafile=os.path.join(root, "var/dev/pki/ca.pem"))
    context.check_hostname = False  # the development certificate names localhost; the CA is still verified
    return context


def send(root, run_id, messages, connections, accepted_file):
    password = credentials(root)[SENDER]
    port = int(os.environ.get("MSS_SUBMISSION_PORT", "10587"))
    lock = threading.Lock()
    out = open(accepted_file, "a", encoding="ascii")

    def connection(index):
        try:
            with smtplib.SMTP(host(), port, timeout=30) as smtp:
                smtp.ehlo("load.test")
                smtp.starttls(context=tls(root))
                smtp.ehlo("load.test")
                smtp.login(SENDER, password)
                for i in range(index, messages, connections):
                    token = "%s-%d" % (run_id, i)
                    body = ("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@load.test>\r\n\r\nbody-%s\r\n"
                            % (SENDER, RECIPIENT, token, token, token))
                    code, _ = smtp.mail(SENDER)
                    if code != 250:
                        continue
                    code, _ = smtp.rcpt(RECIPIENT)
                    if code != 250:
                        smtp.rset()
                        continue
                    code, _ = smtp.data(body.encode("ascii"))
                    if code == 250:
                        with lock:
                            out.write(token + "\n")
                            out.flush()
        except (OSError, smtplib.SMTPException) as error:
            print("connection %d ended: %s" % (index, type(error).__name__), file=sys.stderr)

    threads = [threading.Thread(target=connection, args=(c,)) for c in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.close()


def count(root, run_id):
    password = credentials(root)[RECIPIENT]
    port = int(os.environ.get("MSS_IMAP_PORT", "10143"))
    imap = imaplib.IMAP4(host(), port, timeout=30)
    try:
        imap.starttls(ssl_context=tls(root))
        imap.login(RECIPIENT, password)
        imap.select("INBOX", readonly=True)
        status, data = imap.search(None, "SUBJECT", '"%s"' % run_id)
        numbers = data[0].split() if status == "OK" and data and data[0] else []
        for start in range(0, len(numbers), 500):
            chunk = b",".join(numbers[start:start + 500]).decode("ascii")
            status, items = imap.fetch(chunk, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            for item in items:
                if isinstance(item, tuple):
                    match = re.search(r"Subject:\s*(\S+)", item[1].decode("ascii", "replace"))
                    if match and match.group(1).startswith(run_id + "-"):
                        print(match.group(1))
        imap.logout()
    finally:
        try:
            imap.shutdown()
        except OSError:
            pass


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif len(sys.argv) == 4 and sys.argv[1] == "count":
        count(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
