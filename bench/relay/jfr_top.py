#!/usr/bin/env python3
"""Summary of a JFR recording for bench/relay/run.sh PROFILE=1 (standard library + the JDK's `jfr` tool).

  jfr_top.py RECORDING.jfr

Prints: the hottest methods by self samples (jdk.ExecutionSample, top frame), by inclusive samples, the inclusive
samples of the project's and James's methods (where the time goes, by component), threads by samples, and lock
contention (jdk.JavaMonitorEnter: monitor class and the frame that waited, total wait).
"""
import collections
import json
import subprocess
import sys


def events(recording, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame_name(frame):
    method = frame["method"]
    return "%s.%s" % (method["type"]["name"], method["name"])


def duration_ms(text):
    # JFR JSON durations look like "PT0.012345S"
    if not text or not text.startswith("PT"):
        return 0.0
    total, number = 0.0, ""
    for ch in text[2:]:
        if ch.isdigit() or ch == ".":
            number += ch
        else:
            value = float(number or 0)
            total += value * {"H": 3600, "M": 60, "S": 1}.get(ch, 0)
            number = ""
    return total * 1000


def main(recording):
    samples = events(recording, "jdk.ExecutionSample")
    self_count, inclusive, ours, threads = (collections.Counter() for _ in range(4))
    for event in samples:
        frames = [frame_name(f) for f in (event["values"]["stackTrace"] or {}).get("frames", [])]
        if not frames:
            continue
        self_count[frames[0]] += 1
        for name in set(frames):
            inclusive[name] += 1
            if name.startswith("fr.mssante.") or name.startswith("org.apache.james."):
                ours[name] += 1
        thread = event["values"].get("sampledThread") or {}
        threads[(thread.get("javaName") or thread.get("osName") or "?").rstrip("0123456789-")] += 1
    total = len(samples) or 1
    print("jdk.ExecutionSample: %d samples" % len(samples))
    for title, counter, limit in (("self (top frame)", self_count, 30), ("inclusive", inclusive, 40),
                                  ("inclusive, fr.mssante.* and org.apache.james.* methods", ours, 60),
                                  ("threads (name without its number)", threads, 20)):
        print("\n== %s" % title)
        for name, count in counter.most_common(limit):
            print("%6d %5.1f%%  %s" % (count, 100.0 * count / total, name))
    waits = collections.Counter()
    waited_ms = collections.Counter()
    for event in events(recording, "jdk.JavaMonitorEnter"):
        values = event["values"]
        frames = [frame_name(f) for f in (values["stackTrace"] or {}).get("frames", [])]
        key = "%s at %s" % ((values.get("monitorClass") or {}).get("name", "?"),
                            next((f for f in frames if not f.startswith("java.")), frames[0] if frames else "?"))
        waits[key] += 1
        waited_ms[key] += duration_ms(values.get("duration"))
    print("\n== lock contention (jdk.JavaMonitorEnter above the profile's threshold)")
    for key, ms in waited_ms.most_common(20):
        print("%8.0f ms %5d waits  %s" % (ms, waits[key], key))
    # where threads wait (parked, socket reads: JDBC round trips, file syncs), by the nearest application frames
    for name in ("jdk.ThreadPark", "jdk.SocketRead", "jdk.FileForce", "jdk.JavaMonitorWait"):
        count, ms_by = collections.Counter(), collections.Counter()
        for event in events(recording, name):
            values = event["values"]
            frames = [frame_name(f) for f in (values["stackTrace"] or {}).get("frames", [])]
            app = [f for f in frames if f.startswith(("fr.mssante", "org.apache.james", "org.apache.activemq",
                                                      "org.apache.openjpa", "org.postgresql", "org.apache.commons.dbcp2"))]
            thread = ((values.get("eventThread") or {}).get("javaName") or "?").rstrip("0123456789-")
            key = "%s | %s" % (thread, " < ".join(app[:3]) if app else (frames[0] if frames else "?"))
            count[key] += 1
            ms_by[key] += duration_ms(values.get("duration"))
        print("\n== %s: %d events, %.0f ms in all; by thread and nearest application frames" % (
            name, sum(count.values()), sum(ms_by.values())))
        for key, ms in ms_by.most_common(15):
            print("%8.0f ms %5d  %s" % (ms, count[key], key))


if __name__ == "__main__":
    main(sys.argv[1])
