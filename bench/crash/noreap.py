#!/usr/bin/env python3
"""Runs a command as a child subreaper that never reaps its orphans, like PID 1 of a container without an init:
a daemon started by the command (the server of `./mss up -d`) is re-parented here when the command exits, and once
killed stays a zombie until this process ends. Waits for the command only, prints its exit status, then holds the
orphans until its standard input closes.  Usage: noreap.py COMMAND [ARGS...]"""
import ctypes
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36

if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    print("noreap: prctl(PR_SET_CHILD_SUBREAPER) failed", file=sys.stderr)
    sys.exit(3)
code = subprocess.call(sys.argv[1:])  # waitpid on that child only: orphans are never reaped
print("exit %d" % code, flush=True)
sys.stdin.read()
