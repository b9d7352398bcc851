#!/usr/bin/env python3
"""Mail load, visibility watch and sampling for bench/resilience/*.sh and bench/soak/run.sh (standard library only).

Against a packaged server's working directory DIR (var/dev/demo-credentials.properties, var/dev/pki/ca.pem,
var/dev/webadmin.token; ports from MSS_SUBMISSION_PORT, MSS_IMAP_PORT, MSS_WEBADMIN_PORT).

  load.py send DIR RUN_ID --messages N [--connections C] [--rate R] [--accepted FILE] [--codes FILE]
      submission (STARTTLS + AUTH) as the demo sender, N messages to the demo recipients in turn. Every token answered
      250 is appended to FILE at once (a kill -9 may come at any time). A message refused (4xx/5xx) or cut by a lost
      connection is retried with the same token after a pause, as a real client would (hence possible duplicates:
      a 250 lost in the crash). Every answer is counted in --codes (time, code class) to show clear 4xx refusals.
      Ends when every message got its 250, or after --give-up seconds without any 250.
  load.py count DIR RUN_ID
      one line per message of RUN_ID in the recipients' INBOXes (IMAP): its token (duplicates appear twice).
  load.py soak DIR RUN_ID --schedule "SECONDS:RATE,..." --csv FILE [--connections C] [--sample S] [--pid PID]
      paced load (RATE messages/s per segment), every message's accept and IMAP-visible times, and every S seconds
      a sample: RSS of PID, spool queue size (WebAdmin), established client connections, rate sent / visible,
      accept->visible latency p50/p99/max of the messages that became visible in the window, backlog.
      Then waits for the backlog to drain and prints the totals (lost, duplicates, latency percentiles).
"""
import argparse
import collections
import imaplib
import json
import os
import re
import smtplib
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

DOMAIN = os.environ.get("MSS_DEMO_DOMAIN", "demo.mss.test")
SENDER = "alice.martin@" + DOMAIN
RECIPIENTS = [local + "@" + DOMAIN for local in os.environ.get("MSS_LOAD_RECIPIENTS", "bruno.durand,claire.secretaire").split(",")]
LAB = "laboratoire.resultats@" + DOMAIN
HOST = "127.0.0.1"


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


def body(token, recipient, size):
    text = ("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@load.test>\r\n\r\nbody-%s\r\n"
            % (SENDER, recipient, token, token, token))
    if size > len(text):
        line = "x" * 76 + "\r\n"
        text += line * ((size - len(text)) // len(line))
    return text.encode("ascii")


class Sender:
    """Connections that submit tokens taken from a shared work queue, retrying each until it gets its 250."""

    def __init__(self, root, connections, accepted_file=None, codes_file=None, size=1024, give_up=600):
        self.root, self.connections, self.size, self.give_up = root, connections, size, give_up
        self.port = int(os.environ.get("MSS_SUBMISSION_PORT", "10587"))
        self.password = credentials(root)[SENDER]
        self.work = collections.deque()
        self.cond = threading.Condition()
        self.accepted = {}  # token -> accept time
        self.lock = threading.Lock()
        self.out = open(accepted_file, "a", encoding="ascii") if accepted_file else None
        self.codes = open(codes_file, "a", encoding="ascii") if codes_file else None
        self.counts = collections.Counter()
        self.last_success = time.time()
        self.closed = False
        self.threads = [threading.Thread(target=self.connection, daemon=True) for _ in range(connections)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def submit(self, token, recipient):
        with self.cond:
            self.work.append((token, recipient))
            self.cond.notify()

    def close(self):
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def note(self, kind):
        with self.lock:
            self.counts[kind] += 1
            if self.codes:
                self.codes.write("%.3f %s\n" % (time.time(), kind))
                self.codes.flush()

    def take(self):
        with self.cond:
            while not self.work and not self.closed:
                self.cond.wait(1)
            return self.work.popleft() if self.work else None

    def retry(self, item):
        with self.cond:
            self.work.append(item)
            self.cond.notify()

    def connection(self):
        smtp = None
        item = None
        while True:
            if item is None:
                item = self.take()
                if item is None:
                    break
            try:
                if smtp is None:
                    smtp = smtplib.SMTP(HOST, self.port, timeout=60)
                    smtp.ehlo("load.test")
                    smtp.starttls(context=tls(self.root))
                    smtp.ehlo("load.test")
                    smtp.login(SENDER, self.password)
                token, recipient = item
                code, _ = smtp.mail(SENDER)
                if code == 250:
                    code, _ = smtp.rcpt(recipient)
                if code == 250:
                    code, _ = smtp.data(body(token, recipient, self.size))
                else:
                    smtp.rset()
                if code == 250:
                    now = time.time()
                    with self.lock:
                        self.accepted[token] = now
                        self.last_success = now
                        if self.out:
                            self.out.write(token + "\n")
                            self.out.flush()
                    self.note("250")
                    item = None
                else:
                    self.note("%dxx" % (code // 100))
                    if code >= 500:  # a permanent refusal: not retried (counted; a resilience run expects none)
                        item = None
                    else:
                        time.sleep(0.5)
            except (OSError, smtplib.SMTPException) as error:
                self.note("conn:" + type(error).__name__)
                if isinstance(error, smtplib.SMTPResponseException):
                    self.note("%dxx" % (error.smtp_code // 100))
                try:
                    if smtp is not None:
                        smtp.close()
                except OSError:
                    pass
                smtp = None
                time.sleep(0.5)
            if item is not None and time.time() - self.last_success > self.give_up:
                self.note("gave-up")
                item = None


def count_tokens(root, run_id):
    """All tokens of run_id in the recipients' INBOXes (a list: duplicates included)."""
    found = []
    passwords = credentials(root)
    port = int(os.environ.get("MSS_IMAP_PORT", "10143"))
    for recipient in RECIPIENTS:
        imap = imaplib.IMAP4(HOST, port, timeout=120)
        try:
            imap.starttls(ssl_context=tls(root))
            imap.login(recipient, passwords[recipient])
            imap.select("INBOX", readonly=True)
            status, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            for item in data or []:
                if isinstance(item, tuple):
                    match = re.search(r"Subject:\s*(\S+)", item[1].decode("ascii", "replace"))
                    if match and match.group(1).startswith(run_id + "-"):
                        found.append(match.group(1))
            imap.logout()
        finally:
            try:
                imap.shutdown()
            except OSError:
                pass
    return found


class Watcher:
    """One IMAP session per recipient; records the first time each token is visible."""

    def __init__(self, root, run_id, poll=0.25):
        self.root, self.run_id, self.poll = root, run_id, poll
        self.visible = {}  # token -> time first seen
        self.seen_count = collections.Counter()
        self.lock = threading.Lock()
        self.stop = False
        self.threads = [threading.Thread(target=self.watch, args=(r,), daemon=True) for r in RECIPIENTS]

    def start(self):
        for thread in self.threads:
            thread.start()

    def watch(self, recipient):
        password = credentials(self.root)[recipient]
        port = int(os.environ.get("MSS_IMAP_PORT", "10143"))
        next_uid = 1
        imap = None
        while not self.stop:
            try:
                if imap is None:
                    imap = imaplib.IMAP4(HOST, port, timeout=60)
                    imap.starttls(ssl_context=tls(self.root))
                    imap.login(recipient, password)
                    imap.select("INBOX", readonly=True)
                imap.noop()
                status, data = imap.uid("FETCH", "%d:*" % next_uid, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
                now = time.time()
                for item in data or []:
                    if not isinstance(item, tuple):
                        continue
                    uid = re.search(rb"UID (\d+)", item[0])
                    if not uid or int(uid.group(1)) < next_uid:
                        continue
                    next_uid = int(uid.group(1)) + 1
                    match = re.search(r"Subject:\s*(\S+)", item[1].decode("ascii", "replace"))
                    if match and match.group(1).startswith(self.run_id + "-"):
                        with self.lock:
                            self.seen_count[match.group(1)] += 1
                            self.visible.setdefault(match.group(1), now)
                time.sleep(self.poll)
            except (OSError, imaplib.IMAP4.error):
                imap = None
                time.sleep(1)


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return float("nan")


def queue_size(root):
    try:
        token = open(os.path.join(root, "var/dev/webadmin.token")).read().strip()
        request = urllib.request.Request("http://127.0.0.1:%s/mailQueues/spool" % os.environ["MSS_WEBADMIN_PORT"],
                                         headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(json.load(answer).get("size", -1))
    except Exception:  # a sample is skipped, not the run
        return -1


def connections(ports):
    """Established TCP connections on the server's client ports (server side)."""
    try:
        out = subprocess.run(["ss", "-Htn", "state", "established"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return -1
    count = 0
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2].rsplit(":", 1)[-1] in ports:
            count += 1
    return count


def soak(args):
    schedule = [(float(s), float(r)) for s, r in (part.split(":") for part in args.schedule.split(","))]
    sender = Sender(args.dir, args.connections, args.accepted, args.codes, args.size)
    watcher = Watcher(args.dir, args.run_id)
    sender.start()
    watcher.start()
    ports = {os.environ.get(v, "-") for v in ("MSS_SUBMISSION_PORT", "MSS_IMAP_PORT", "MSS_SMTP_MX_PORT")}
    csv = open(args.csv, "w")
    csv.write("t_s,target_rate,sent_per_s,visible_per_s,accepted_total,visible_total,backlog,queue,rss_mib,"
              "connections,lat_p50_ms,lat_p99_ms,lat_max_ms,errors_total\n")
    csv.flush()
    start = time.time()
    stop_sampling = threading.Event()
    state = {"rate": 0.0}

    def sampler():
        last_t, last_acc, last_vis = start, 0, 0
        while not stop_sampling.wait(args.sample):
            now = time.time()
            with sender.lock:
                acc = len(sender.accepted)
                errors = sum(v for k, v in sender.counts.items() if k != "250")
            with watcher.lock:
                visible = dict(watcher.visible)
            window = [(t - sender.accepted[k]) * 1000 for k, t in visible.items()
                      if last_t <= t < now and k in sender.accepted]
            vis = len(visible)
            dt = now - last_t
            csv.write("%.1f,%.1f,%.2f,%.2f,%d,%d,%d,%d,%.1f,%d,%.0f,%.0f,%.0f,%d\n" % (
                now - start, state["rate"], (acc - last_acc) / dt, (vis - last_vis) / dt, acc, vis, acc - vis,
                queue_size(args.dir), rss_mib(args.pid) if args.pid else float("nan"), connections(ports),
                percentile(window, 50), percentile(window, 99), max(window) if window else float("nan"), errors))
            csv.flush()
            last_t, last_acc, last_vis = now, acc, vis

    threading.Thread(target=sampler, daemon=True).start()
    sequence = 0
    recipients = len(RECIPIENTS)
    for seconds, rate in schedule:
        state["rate"] = rate
        segment_start = time.time()
        sent_in_segment = 0
        while time.time() - segment_start < seconds:
            due = int((time.time() - segment_start) * rate)
            while sent_in_segment < due:
                token = "%s-%d" % (args.run_id, sequence)
                sender.submit(token, RECIPIENTS[sequence % recipients])
                sequence += 1
                sent_in_segment += 1
            time.sleep(0.01)
        print("soak: segment %.0fs at %.1f msg/s done (%d submitted so far, %d accepted, %d visible)" % (
            seconds, rate, sequence, len(sender.accepted), len(watcher.visible)), file=sys.stderr, flush=True)
    state["rate"] = 0.0
    # drain: everything submitted accepted, everything accepted visible (bounded)
    deadline = time.time() + args.drain
    while time.time() < deadline:
        with sender.lock:
            acc = len(sender.accepted)
        if acc >= sequence and all(k in watcher.visible for k in list(sender.accepted)):
            break
        time.sleep(1)
    time.sleep(args.sample + 1)
    stop_sampling.set()
    sender.close()
    watcher.stop = True
    latencies = [(watcher.visible[k] - t) * 1000 for k, t in sender.accepted.items() if k in watcher.visible]
    lost = [k for k in sender.accepted if k not in watcher.visible]
    duplicates = sum(c - 1 for c in watcher.seen_count.values() if c > 1)
    summary = {
        "submitted": sequence, "accepted": len(sender.accepted), "visible": len(watcher.visible),
        "lost": len(lost), "duplicates": duplicates, "answers": dict(sender.counts),
        "latency_ms": {"p50": percentile(latencies, 50), "p90": percentile(latencies, 90),
                       "p99": percentile(latencies, 99), "max": max(latencies) if latencies else None},
        "duration_s": round(time.time() - start, 1),
    }
    print(json.dumps(summary))
    return 0 if not lost else 1


def send(args):
    sender = Sender(args.dir, args.connections, args.accepted, args.codes, args.size, args.give_up)
    sender.start()
    start = time.time()
    for i in range(args.messages):
        if args.rate > 0:
            delay = start + i / args.rate - time.time()
            if delay > 0:
                time.sleep(delay)
        sender.submit("%s-%d" % (args.run_id, i), RECIPIENTS[i % len(RECIPIENTS)])
    while True:
        with sender.cond:
            pending = len(sender.work)
        with sender.lock:
            done = len(sender.accepted) + sender.counts["5xx"] + sender.counts["gave-up"]
        if pending == 0 and done >= args.messages:
            break
        if time.time() - sender.last_success > args.give_up + 5:
            break
        time.sleep(0.2)
    sender.close()
    print(json.dumps({"messages": args.messages, "accepted": len(sender.accepted), "answers": dict(sender.counts),
                      "seconds": round(time.time() - start, 1)}))


def lab(args):
    """The demo lab (client certificate, SASL EXTERNAL, submissions) sends OUT/i.eml for i in [first, last)."""
    context = tls(args.dir)
    pki = os.path.join(args.dir, "var/dev/pki")
    context.load_cert_chain(os.path.join(pki, "laboratoire-chain.pem"), os.path.join(pki, "laboratoire-key.pem"))
    port = int(os.environ["MSS_SUBMISSIONS_PORT"])
    out = open(args.accepted, "a", encoding="ascii")
    counts = collections.Counter()
    smtp = None
    start = time.time()
    for n, i in enumerate(range(args.first, args.last)):
        delay = start + n / args.rate - time.time()
        if delay > 0:
            time.sleep(delay)
        data = open(os.path.join(args.messages, "%d.eml" % i), "rb").read()
        while True:
            try:
                if smtp is None:
                    smtp = smtplib.SMTP_SSL(HOST, port, context=context, timeout=60)
                    smtp.ehlo("lab.test")
                    code, _ = smtp.docmd("AUTH", "EXTERNAL =")
                    if code != 235:
                        raise smtplib.SMTPException("AUTH EXTERNAL answered %d" % code)
                smtp.sendmail(LAB, ["alice.martin@" + DOMAIN], data)
                counts["250"] += 1
                out.write("%s-%d\n" % (args.run_id, i))
                out.flush()
                break
            except (OSError, smtplib.SMTPException) as error:
                counts[type(error).__name__] += 1
                try:
                    if smtp is not None:
                        smtp.close()
                except OSError:
                    pass
                smtp = None
                time.sleep(1)
    if smtp is not None:
        smtp.quit()
    print(json.dumps({"sent": args.last - args.first, "answers": dict(counts)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lab")
    p.add_argument("dir")
    p.add_argument("run_id")
    p.add_argument("messages")
    p.add_argument("first", type=int)
    p.add_argument("last", type=int)
    p.add_argument("--rate", type=float, default=2)
    p.add_argument("--accepted", required=True)
    for name in ("send", "count", "soak"):
        p = sub.add_parser(name)
        p.add_argument("dir")
        p.add_argument("run_id")
        if name == "count":
            continue
        p.add_argument("--connections", type=int, default=4)
        p.add_argument("--accepted")
        p.add_argument("--codes")
        p.add_argument("--size", type=int, default=1024)
        if name == "send":
            p.add_argument("--messages", type=int, required=True)
            p.add_argument("--rate", type=float, default=0)
            p.add_argument("--give-up", type=float, default=600)
        else:
            p.add_argument("--schedule", required=True)
            p.add_argument("--csv", required=True)
            p.add_argument("--sample", type=float, default=5)
            p.add_argument("--pid", type=int)
            p.add_argument("--drain", type=float, default=600)
    args = parser.parse_args()
    if args.command == "count":
        for token in count_tokens(args.dir, args.run_id):
            print(token)
        return 0
    if args.command == "lab":
        return lab(args)
    return send(args) if args.command == "send" else soak(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
