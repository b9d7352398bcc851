#!/usr/bin/env python3
"""One timed round of bench/relay/run.sh (standard library only).

  round.py imap HOST PORT CAFILE USER PASSWORD  -- SMTP_SOURCE_ARGS...
  round.py maildir DIRECTORY                    -- SMTP_SOURCE_ARGS...
  round.py imap HOST PORT CAFILE USER PASSWORD [USER PASSWORD ...] -- SMTP_SOURCE_ARGS...
With several USER PASSWORD pairs (a recipient rotation), the -m messages and -s connections are split between as
many smtp-source processes, each sending to one of the users (its -t), and the count is the sum over the mailboxes.
Optional before the kind: --sent LOG PORT: also time when the Postfix peer's LOG shows every message handed over
(status=sent) to 127.0.0.1:PORT, i.e. accepted with 250 by the target ("accepted=" in the output line).

Reads the delivered count (IMAP: STATUS INBOX (MESSAGES) on one session kept open, STARTTLS + LOGIN; Maildir: the
files in DIRECTORY), starts `smtp-source SMTP_SOURCE_ARGS` (it injects into the Postfix "other operator", which
relays), and polls the count every 100 ms until it has grown by the -m number of messages. Prints one line:
  elapsed=<s from smtp-source start to the last message visible> injected=<s smtp-source took> accepted=<s> messages=<n>
Exits 1 if the messages are not all visible within ROUND_TIMEOUT seconds (default 300).
"""
import imaplib
import os
import ssl
import subprocess
import sys
import time


def imap_counters(host, port, cafile, *users):
    counters = [imap_counter(host, port, cafile, users[i], users[i + 1]) for i in range(0, len(users), 2)]
    return lambda: sum(count() for count in counters)


def imap_counter(host, port, cafile, user, password):
    context = ssl.create_default_context(cafile=cafile)
    context.check_hostname = False  # the development certificate names localhost; the CA is still verified
    imap = imaplib.IMAP4(host, int(port), timeout=30)
    imap.starttls(ssl_context=context)
    imap.login(user, password)

    def count():
        status, data = imap.status("INBOX", "(MESSAGES)")
        if status != "OK":
            raise RuntimeError("STATUS failed: %r" % data)
        text = data[0].decode("ascii")
        return int(text.rsplit("MESSAGES", 1)[1].strip(" ()"))
    return count


def maildir_counter(directory):
    def count():
        try:
            return sum(1 for entry in os.scandir(directory) if entry.is_file())
        except FileNotFoundError:
            return 0
    return count


def sent_counter(log, port):
    needle = "]:%s, " % port
    handle = open(log, "rb")
    handle.seek(0, os.SEEK_END)
    state = {"count": 0, "rest": b""}

    def count():
        data = state["rest"] + handle.read()
        lines = data.split(b"\n")
        state["rest"] = lines.pop()
        state["count"] += sum(1 for line in lines if b"status=sent" in line and needle.encode() in line)
        return state["count"]
    return count


def main(argv):
    argv = list(argv)
    sent = None
    if argv[1] == "--sent":
        sent = sent_counter(argv[2], argv[3])
        del argv[1:4]
    split = argv.index("--")
    kind, args, source_args = argv[1], argv[2:split], argv[split + 1:]
    count = imap_counters(*args) if kind == "imap" else maildir_counter(*args)
    messages = int(source_args[source_args.index("-m") + 1])
    recipients = [args[i] for i in range(3, len(args), 2)] if kind == "imap" and len(args) > 5 else []
    commands = [["/usr/sbin/smtp-source"] + source_args]
    if recipients:  # a rotation: one smtp-source per recipient, the messages and connections split between them
        sessions = int(source_args[source_args.index("-s") + 1])
        commands = []
        for i, recipient in enumerate(recipients):
            part = list(source_args)
            part[part.index("-m") + 1] = str(messages // len(recipients) + (1 if i < messages % len(recipients) else 0))
            part[part.index("-s") + 1] = str(max(1, sessions // len(recipients)))
            part[part.index("-t") + 1] = recipient
            commands.append(["/usr/sbin/smtp-source"] + part)
    timeout = float(os.environ.get("ROUND_TIMEOUT", "300"))
    base = count()
    start = time.monotonic()
    sources = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for command in commands]
    injected = None
    accepted = None
    seen = base
    while True:
        if sent is not None and accepted is None and sent() >= messages:
            accepted = time.monotonic() - start
        if injected is None and all(source.poll() is not None for source in sources):
            injected = time.monotonic() - start
            if any(source.returncode != 0 for source in sources):
                print("smtp-source failed with %s" % [source.returncode for source in sources], file=sys.stderr)
                return 1
        seen = count()
        if seen - base >= messages:
            break
        if time.monotonic() - start > timeout:
            print("timeout: %d of %d visible after %.0fs" % (seen - base, messages, timeout), file=sys.stderr)
            return 1
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    if sent is not None and accepted is None:
        deadline = time.monotonic() + 10
        while sent() < messages and time.monotonic() < deadline:
            time.sleep(0.05)
        accepted = time.monotonic() - start
    if injected is None:
        for source in sources:
            source.wait()
        injected = time.monotonic() - start
    print("elapsed=%.3f injected=%.3f accepted=%.3f messages=%d extra=%d" % (
        elapsed, injected, accepted if accepted is not None else -1, messages, seen - base - messages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
