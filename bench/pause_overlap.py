#!/usr/bin/env python3
"""Which slow deliveries overlapped a stop-the-world pause of the server's JVM.

Usage: bench/pause_overlap.py ACKS ARRIVALS COMMITS GC_LOG

ACKS, ARRIVALS, COMMITS: as for bench/delay_report.py (joined on the record's timestamp).
GC_LOG: the server's -Xlog:gc,safepoint:file=...:timemillis output (each line starts with
[<ms since the epoch>ms]; a pause line ends with its length in ms, a safepoint line with
"Total time for which application threads were stopped: <s> seconds").

Prints the window's pauses (count, total, share of the window, longest of each kind), then how
many deliveries at or above the p99 (at least 10 ms) had a pause of more than 2 ms between
their commit and their arrival, and the first clusters of slow deliveries with the pauses near
them (end offset from the cluster's first commit, length).
"""
import re
import sys

PAUSE = re.compile(r"\[(\d+)ms\].*?(Pause \w+)(?: \([^)]*\))*.*?([\d.]+)ms$")
SAFEPOINT = re.compile(r"\[(\d+)ms\].*Total time for which application threads were stopped: ([\d.]+) seconds")


def read_pairs(path):
    with open(path) as f:
        return [tuple(int(x) for x in line.split()) for line in f if len(line.split()) == 2]


def pct(values, q):
    return values[max(0, min(len(values), -(-q * len(values) // 100)) - 1)] if values else -1


def main():
    acks = dict(read_pairs(sys.argv[1]))
    commits = {t: c for t, c in read_pairs(sys.argv[3]) if t in acks}
    arrivals = {}
    for t, a in read_pairs(sys.argv[2]):
        if t in commits and t not in arrivals:
            arrivals[t] = a
    events = sorted((commits[t], a - commits[t]) for t, a in arrivals.items())
    if not events:
        print("no delivery with a commit time")
        return
    delays = sorted(d for _, d in events)
    start, end = events[0][0], events[-1][0]
    pauses = []  # (end_ms, length_ms, kind)
    with open(sys.argv[4]) as f:
        for line in f:
            m = PAUSE.match(line.strip())
            if m:
                pauses.append((int(m.group(1)), float(m.group(3)), m.group(2)))
                continue
            m = SAFEPOINT.match(line.strip())
            if m and float(m.group(2)) * 1000 > 2:
                pauses.append((int(m.group(1)), float(m.group(2)) * 1000, "safepoint"))
    window = [p for p in pauses if start <= p[0] <= end + 200]
    gc = [p for p in window if p[2] != "safepoint"]
    kinds = {}
    for _, length, kind in gc:
        n, total, longest = kinds.get(kind, (0, 0.0, 0.0))
        kinds[kind] = (n + 1, total + length, max(longest, length))
    span = max(1, end - start)
    print("deliveries=%d commit->delivery p50 %d / p90 %d / p99 %d / max %d ms over %.1f s" % (
        len(delays), pct(delays, 50), pct(delays, 90), pct(delays, 99), delays[-1], span / 1000))
    print("GC pauses in the window: %d, %.0f ms in all (%.1f %% of the window)%s" % (
        len(gc), sum(p[1] for p in gc), 100 * sum(p[1] for p in gc) / span,
        "".join("; %s: %d, %.0f ms, longest %.0f ms" % (k, n, t, m) for k, (n, t, m) in sorted(kinds.items()))))
    threshold = max(10, pct(delays, 99))
    slow = [(c, d) for c, d in events if d >= threshold]
    overlapping = sum(1 for c, d in slow if any(length > 2 and e - length <= c + d and e >= c
                                                 for e, length, _ in window))
    print("deliveries of %d ms or more: %d, of which %d had a pause of more than 2 ms between commit and arrival"
          % (threshold, len(slow), overlapping))
    clusters = []
    for c, d in slow:
        if clusters and c - clusters[-1][1] < 50:
            clusters[-1][1] = c
            clusters[-1][2] += 1
            clusters[-1][3] = max(clusters[-1][3], d)
        else:
            clusters.append([c, c, 1, d])
    for first, last, n, longest in clusters[:12]:
        near = ["%+d/%.0f" % (e - first, length) for e, length, _ in window if first - 200 <= e <= last + 300]
        print("  at +%.1f s: %d slow over %d ms, longest %d ms; pauses ending near (offset/ms): %s" % (
            (first - start) / 1000, n, last - first, longest, " ".join(near) or "none"))


if __name__ == "__main__":
    main()
