#!/usr/bin/env python3
"""Accept-to-visible latency at a fixed rate (bench/relay/run.sh, LATENCY=1; standard library only).

  latency.py --rate R --seconds S --connections N --mx HOST:PORT --cert CHAIN.pem --key KEY.pem
             --from SENDER --to RECIPIENT --imap HOST:PORT --cafile CA.pem --password PASSWORD

Sends R messages per second for S seconds straight to a James MX over mutual TLS (STARTTLS, the Postfix peer's
client certificate, N connections kept open, the sends paced on a fixed schedule shared by the connections), and
notes when the server answered 250 to each. One IMAP session (STARTTLS, LOGIN, SELECT INBOX) asks every 10 ms for
the messages that arrived since (UID FETCH of their X-Bench-Id header) and notes when each became visible. Prints
one line: sent=<n> visible=<n> p50_ms= p90_ms= p99_ms= max_ms= (250 to visible over IMAP) achieved_rate=<msg/s>.
"""
import argparse
import imaplib
import re
import smtplib
import ssl
import statistics
import sys
import threading
import time
import uuid


def smtp_sender(args, schedule, accepted, lock, failures):
    host, port = args.mx.rsplit(":", 1)
    context = ssl.create_default_context(cafile=args.cafile)
    context.check_hostname = False
    context.load_cert_chain(args.cert, args.key)
    smtp = smtplib.SMTP(host, int(port), local_hostname="mx.peer.test", timeout=60)
    smtp.starttls(context=context)
    smtp.ehlo("mx.peer.test")
    padding = "x" * 76 + "\r\n"
    body_lines = max(1, (args.size - 300) // len(padding))
    while True:
        with lock:
            if not schedule:
                break
            seq, due = schedule.pop(0)
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        bench_id = "%s-%d" % (args.run, seq)
        message = ("From: <%s>\r\nTo: <%s>\r\nSubject: latency %d\r\nMessage-ID: <%s@peer.test>\r\nX-Bench-Id: %s\r\n\r\n"
                   % (args.sender, args.recipient, seq, uuid.uuid4(), bench_id)) + padding * body_lines
        try:
            smtp.sendmail(args.sender, [args.recipient], message.encode("ascii"))
            accepted[bench_id] = time.monotonic()
        except smtplib.SMTPException as e:
            failures.append("%s: %s" % (bench_id, e))
    smtp.quit()


def main():
    parser = argparse.ArgumentParser()
    for name in ("mx", "cert", "key", "from", "to", "imap", "cafile", "password"):
        parser.add_argument("--" + name, required=True, dest="sender" if name == "from" else "recipient" if name == "to" else name)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    args.run = uuid.uuid4().hex[:8]

    host, port = args.imap.rsplit(":", 1)
    context = ssl.create_default_context(cafile=args.cafile)
    context.check_hostname = False
    imap = imaplib.IMAP4(host, int(port), timeout=30)
    imap.starttls(ssl_context=context)
    imap.login(args.recipient, args.password)
    status, data = imap.select("INBOX")
    status, data = imap.status("INBOX", "(UIDNEXT)")
    next_uid = int(re.search(rb"UIDNEXT (\d+)", data[0]).group(1))

    total = int(args.rate * args.seconds)
    start = time.monotonic() + 1.0
    schedule = [(i, start + i / args.rate) for i in range(total)]
    accepted, visible, failures, lock = {}, {}, [], threading.Lock()
    senders = [threading.Thread(target=smtp_sender, args=(args, schedule, accepted, lock, failures))
               for _ in range(args.connections)]
    for sender in senders:
        sender.start()
    bench_pattern = re.compile(rb"X-Bench-Id: (" + args.run.encode() + rb"-\d+)", re.I)
    uid_pattern = re.compile(rb"UID (\d+)")
    deadline = start + args.seconds + 120
    while len(visible) < total and time.monotonic() < deadline:
        imap.noop()
        status, data = imap.uid("FETCH", "%d:*" % next_uid, "(UID BODY.PEEK[HEADER.FIELDS (X-BENCH-ID)])")
        now = time.monotonic()
        for index, item in enumerate(data):
            if isinstance(item, tuple):
                closing = data[index + 1] if index + 1 < len(data) and isinstance(data[index + 1], bytes) else b""
                found = bench_pattern.search(item[1])
                uid = uid_pattern.search(item[0]) or uid_pattern.search(closing)
                if found and uid and int(uid.group(1)) >= next_uid:
                    visible.setdefault(found.group(1).decode(), now)
                    next_uid = max(next_uid, int(uid.group(1)) + 1)
        if not any(s.is_alive() for s in senders) and len(visible) + len(failures) >= total:
            break
        time.sleep(0.01)
    for sender in senders:
        sender.join()
    latencies = sorted((visible[k] - accepted[k]) * 1000 for k in accepted if k in visible)
    sent_span = (max(accepted.values()) - start) if accepted else 0

    def pct(p):
        return latencies[min(len(latencies) - 1, int(round(p / 100 * len(latencies) + 0.5)) - 1)] if latencies else float("nan")
    print("sent=%d visible=%d failed=%d p50_ms=%.0f p90_ms=%.0f p99_ms=%.0f max_ms=%.0f achieved_rate=%.1f" % (
        len(accepted), len(latencies), len(failures), pct(50), pct(90), pct(99),
        latencies[-1] if latencies else float("nan"), len(accepted) / sent_span if sent_span else 0))
    for failure in failures[:5]:
        print("failure: " + failure, file=sys.stderr)
    return 0 if len(latencies) == total else 1


if __name__ == "__main__":
    sys.exit(main())
