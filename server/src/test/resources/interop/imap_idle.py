"""IMAP IDLE (RFC 2177) with Python's imaplib, as a mail client would use it.

imaplib (before Python 3.14) has no idle(): the session (STARTTLS, LOGIN, SELECT, FETCH) is imaplib's, and IDLE is
sent on imaplib's own connection. Prints "IDLING" once the server has answered the IDLE with a continuation, then
waits for an untagged EXISTS, ends the IDLE with DONE, fetches the new message and prints one JSON line.

usage: imap_idle.py host port user password cafile token timeout_seconds
"""
import imaplib
import json
import re
import ssl
import sys
import time


def main():
    host, port, user, password, cafile, token, timeout = sys.argv[1:8]
    deadline = time.monotonic() + float(timeout)
    context = ssl.create_default_context(cafile=cafile)  # verifies the chain and the host name
    imap = imaplib.IMAP4(host, int(port), timeout=float(timeout))
    imap.starttls(ssl_context=context)
    imap.login(user, password)
    typ, data = imap.select("INBOX")
    assert typ == "OK", data
    before = int(data[0])
    assert "IDLE" in imap.capabilities, imap.capabilities

    tag = imap._new_tag()
    imap.send(tag + b" IDLE\r\n")
    line = imap.readline()
    if not line.startswith(b"+"):
        raise SystemExit("no continuation for IDLE: %r" % line)
    print("IDLING", flush=True)

    notifications = []
    exists = None
    while exists is None:
        if time.monotonic() > deadline:
            raise SystemExit("no EXISTS during IDLE; untagged lines seen: %r" % notifications)
        line = imap.readline().decode("ascii", "replace").rstrip("\r\n")
        notifications.append(line)
        match = re.match(r"\* (\d+) EXISTS$", line)
        if match:
            exists = int(match.group(1))
    imap.send(b"DONE\r\n")
    while True:
        line = imap.readline()
        if line.startswith(tag):
            done = line.decode("ascii", "replace").rstrip("\r\n")
            break
        notifications.append(line.decode("ascii", "replace").rstrip("\r\n"))

    typ, data = imap.fetch(str(exists), "(FLAGS BODY.PEEK[])")
    assert typ == "OK", data
    message = data[0][1].decode("utf-8", "replace")
    try:
        logout = imap.logout()[0]
    except imaplib.IMAP4.abort as e:  # the connection ended before the BYE was read (reported, not asserted here)
        logout = "abort: %s" % e
    print(json.dumps({
        "logout": logout,
        "before": before,
        "exists": exists,
        "notifications": notifications,
        "done": done,
        "tokenFound": token in message,
        "subject": next((l[len("Subject: "):] for l in message.split("\r\n") if l.startswith("Subject: ")), None),
    }), flush=True)


if __name__ == "__main__":
    main()
