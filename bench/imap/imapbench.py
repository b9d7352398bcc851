#!/usr/bin/env python3
"""IMAP benchmark client (issue 16, item 6): the same script against our server and Dovecot, over IMAPS.

  imapbench.py fill    HOST PORT CA USER PASSWORD MAILBOX BASE THREADS   (APPENDs the BASE distinct messages)
  imapbench.py measure HOST PORT CA USER PASSWORD MAILBOX COUNT LABEL    (one JSON line per metric on stdout)

COUNT is BASE (env, default 1000) times a whole factor: run.sh clones the BASE appended messages in each store.

The corpus is generated from the message number alone (same bytes for both servers): ~2 KB French-like text, one
message in ten base64, one in ten quoted-printable, one in seven multipart/alternative with an HTML part; marker words
with known counts are checked on every SEARCH (a wrong count fails the run).
"""
import base64
import json
import quopri
import random
import ssl
import statistics
import sys
import threading
import time
import imaplib

SYLLABLES = ["ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "da", "de", "di", "do", "fa", "fe", "fi", "la", "le", "li",
             "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa",
             "se", "si", "so", "ta", "te", "ti", "to", "va", "ve", "vi", "vo", "é", "è", "ou", "an", "on", "in"]
def _word(n):
    rnd = random.Random(n)
    return "".join(rnd.choice(SYLLABLES) for _ in range(1 + n % 4))


WORDS = sorted({_word(n) for n in range(3000)})
# markers use letters the syllables never contain (k, w, x, y, z, q): they occur only where placed
ONE = "zygomatique"          # body of one message
RARE = "xylophonique"        # body of 0.1 % of messages
COMMON = "kwashiorkor"       # body of 10 % of messages
SUBJECT_ONLY = "wapitiz"     # subject of 0.05 % of messages (TEXT finds them, BODY does not)


def markers(i, count):
    """Markers of base message i (1..BASE): ONE in one base message, RARE in 1 %, COMMON in 10 %, SUBJECT_ONLY 0.25 %."""
    body = []
    if i == 500:
        body.append(ONE)
    if i % 100 == 7:
        body.append(RARE)
    if i % 10 == 3:
        body.append(COMMON)
    return body, i % 400 == 11


def expected(count):
    counts = {("BODY", ONE): 0, ("TEXT", ONE): 0, ("BODY", RARE): 0, ("TEXT", COMMON): 0,
              ("BODY", SUBJECT_ONLY): 0, ("TEXT", SUBJECT_ONLY): 0}
    base = int(os_env("BASE", 1000))
    factor = count // base
    for i in range(1, base + 1):
        body, subject = markers(i, count)
        for scope in ("BODY", "TEXT"):
            for word in body:
                if (scope, word) in counts:
                    counts[(scope, word)] += 1
        if subject:
            counts[("TEXT", SUBJECT_ONLY)] += 1
    return {key: n * factor for key, n in counts.items()}


def message(i, count):
    rnd = random.Random(i)
    body_markers, subject_marker = markers(i, count)
    words = [rnd.choice(WORDS) for _ in range(280)]
    for word in body_markers:
        words.insert(rnd.randrange(len(words)), word)
    lines, line = [], []
    for word in words:
        line.append(word)
        if len(line) == 12:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    text = "Bonjour,\r\n\r\n" + "\r\n".join(lines) + "\r\n\r\nCordialement,\r\nLe laboratoire\r\n"
    subject = f"Résultat {i} {rnd.choice(WORDS)}" + (f" {SUBJECT_ONLY}" if subject_marker else "")
    head = (f"From: Laboratoire <labo@bench.test>\r\nTo: Docteur <doc@bench.test>\r\n"
            f"Subject: =?UTF-8?B?{base64.b64encode(subject.encode()).decode()}?=\r\n"
            f"Date: Mon, 7 Dec 2026 10:{i % 60:02d}:00 +0100\r\nMessage-ID: <bench-{i}@bench.test>\r\nMIME-Version: 1.0\r\n")
    raw = text.encode("utf-8")
    if i % 7 == 0:
        html = ("<html><body><p>" + text.replace("\r\n", "<br>") + "</p></body></html>").encode("utf-8")
        return (head + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode() + raw + (
            "\r\n--b\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(html).decode().replace("\n", "\r\n") + "--b--\r\n").encode()
    if i % 10 == 0:
        return (head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(raw).decode().replace("\n", "\r\n")).encode()
    if i % 10 == 1:
        return (head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                ).encode() + quopri.encodestring(raw.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    return (head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode() + raw


def connect(host, port, ca):
    context = ssl.create_default_context(cafile=ca)
    context.check_hostname = False
    return imaplib.IMAP4_SSL(host, int(port), ssl_context=context)


def fill(host, port, ca, user, password, mailbox, count, threads):
    count, threads = int(count), int(threads)
    admin = connect(host, port, ca)
    admin.login(user, password)
    admin.create(mailbox)
    admin.logout()
    errors = []
    started = time.time()

    def worker(t):
        try:
            imap = connect(host, port, ca)
            imap.login(user, password)
            for i in range(1 + t, count + 1, threads):
                typ, data = imap.append(mailbox, None, None, message(i, count))
                if typ != "OK":
                    raise RuntimeError(f"APPEND {i}: {typ} {data}")
            imap.logout()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.time() - started
    if errors:
        sys.exit("fill failed: " + errors[0])
    print(json.dumps({"metric": "fill", "messages": count, "seconds": round(elapsed, 1),
                      "per_s": round(count / elapsed, 1)}), flush=True)


def warm(host, port, ca, user, password, mailbox, count):
    """SELECT once (Dovecot indexes new Maildir files then) and check the message count."""
    imap = connect(host, port, ca)
    imap.login(user, password)
    t0 = time.perf_counter()
    typ, data = imap.select(mailbox, readonly=True)
    print(json.dumps({"metric": "first_select", "seconds": round(time.perf_counter() - t0, 1), "exists": int(data[0])}))
    if int(data[0]) != int(count):
        sys.exit(f"{mailbox} holds {data[0]} messages, expected {count}")
    imap.logout()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(label, metric, latencies, total=None, **extra):
    total = total if total is not None else sum(latencies)
    print(json.dumps({"target": label, "metric": metric, "n": len(latencies),
                      "p50_ms": round(percentile(latencies, 50) * 1000, 1),
                      "p95_ms": round(percentile(latencies, 95) * 1000, 1),
                      "per_s": round(len(latencies) / total, 1), **extra}), flush=True)


def measure(host, port, ca, user, password, mailbox, count, label):
    count = int(count)
    sessions = int(os_env("SESSIONS", 100))
    fetches = int(os_env("FETCHES", 300))
    searches = int(os_env("SEARCHES", 10))
    # sessions: TLS + LOGIN + SELECT INBOX + LOGOUT, one client after the other
    latencies = []
    for _ in range(sessions):
        t0 = time.perf_counter()
        imap = connect(host, port, ca)
        imap.login(user, password)
        imap.select("INBOX")
        imap.logout()
        latencies.append(time.perf_counter() - t0)
    report(label, "session", latencies)
    # the same with 4 clients at once
    parallel, lock = [], threading.Lock()

    def session_worker():
        for _ in range(sessions // 4):
            t0 = time.perf_counter()
            imap = connect(host, port, ca)
            imap.login(user, password)
            imap.select("INBOX")
            imap.logout()
            with lock:
                parallel.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    workers = [threading.Thread(target=session_worker) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    report(label, "session_x4", parallel, total=time.perf_counter() - t0)

    imap = connect(host, port, ca)
    imap.login(user, password)
    t0 = time.perf_counter()
    typ, data = imap.select(mailbox, readonly=True)
    select_s = time.perf_counter() - t0
    exists = int(data[0])
    if exists != count:
        sys.exit(f"{label}: {mailbox} holds {exists} messages, expected {count}")
    report(label, "select_big", [select_s])
    rnd = random.Random(6)
    for metric, item in (("fetch_header", "(BODY.PEEK[HEADER])"), ("fetch_full", "(BODY.PEEK[])")):
        latencies = []
        for _ in range(fetches):
            uid = rnd.randint(1, count)
            t0 = time.perf_counter()
            typ, data = imap.uid("FETCH", str(uid), item)
            latencies.append(time.perf_counter() - t0)
            if typ != "OK" or not data or data[0] is None:
                sys.exit(f"{label}: FETCH {uid} {item}: {typ} {data}")
        report(label, metric, latencies)
    want = expected(count)
    for (scope, word), n in want.items():
        latencies = []
        for r in range(searches):
            term = word if r % 2 == 0 else word.capitalize()
            t0 = time.perf_counter()
            typ, data = imap.uid("SEARCH", "CHARSET", "UTF-8", scope, term)
            latencies.append(time.perf_counter() - t0)
            found = len(data[0].split()) if typ == "OK" and data and data[0] else 0
            if typ != "OK" or found != n:
                sys.exit(f"{label}: SEARCH {scope} {term}: {typ}, {found} found, {n} expected")
        report(label, f"search_{scope.lower()}_{word}", latencies, matches=n)
    imap.logout()


def os_env(name, default):
    import os
    return os.environ.get(name, default)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"fill": fill, "warm": warm, "measure": measure}[command](*args)
