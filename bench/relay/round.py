#!/usr/bin/env python3
"""One timed round of bench/relay/run.sh (standard library only).

  round.py imap HOST PORT CAFILE USER PASSWORD  -- SMTP_SOURCE_ARGS...
  round.py maildir DIRECTORY                    -- SMTP_SOURCE_ARGS...

Reads the delivered count (IMAP: STATUS INBOX (MESSAGES) on one session kept open, STARTTLS + LOGIN; Maildir: the
files in DIRECTORY), starts `smtp-source SMTP_SOURCE_ARGS` (it injects into the Postfix "other operator", which
relays), and polls the count every 50 ms until it has grown by the -m number of messages. Prints one line:
  elapsed=<s from smtp-source start to the last message visible> injected=<s smtp-source took> messages=<n>
Exits 1 if the messages are not all visible within ROUND_TIMEOUT seconds (default 300).
"""
import imaplib
import os
import ssl
import subprocess
import sys
import time


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


def main(argv):
    split = argv.index("--")
    kind, args, source_args = argv[1], argv[2:split], argv[split + 1:]
    count = imap_counter(*args) if kind == "imap" else maildir_counter(*args)
    messages = int(source_args[source_args.index("-m") + 1])
    timeout = float(os.environ.get("ROUND_TIMEOUT", "300"))
    base = count()
    start = time.monotonic()
    source = subprocess.Popen(["/usr/sbin/smtp-source"] + source_args, stdout=subprocess.DEVNULL)
    injected = None
    seen = base
    while True:
        if injected is None and source.poll() is not None:
            injected = time.monotonic() - start
            if source.returncode != 0:
                print("smtp-source failed with %d" % source.returncode, file=sys.stderr)
                return 1
        seen = count()
        if seen - base >= messages:
            break
        if time.monotonic() - start > timeout:
            print("timeout: %d of %d visible after %.0fs" % (seen - base, messages, timeout), file=sys.stderr)
            return 1
        time.sleep(0.05)
    elapsed = time.monotonic() - start
    if injected is None:
        source.wait()
        injected = time.monotonic() - start
    print("elapsed=%.3f injected=%.3f messages=%d extra=%d" % (elapsed, injected, messages, seen - base - messages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
