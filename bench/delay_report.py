#!/usr/bin/env python3
"""Commit-to-delivery delay of the paced POSTs, from files of "last_modified ms" lines.

Usage: bench/delay_report.py ACKS ARRIVALS [COMMITS]

ACKS (written by bench/lua/paced.lua): "last_modified answer_arrival" per record created in the
paced window. ARRIVALS (written by the consumer: webhook receiver, Redis consumer, SSE follower):
"timestamp arrival" per event received. COMMITS (written by the server's after_commit
commit_clock listener, bench/durable/CommitClockFactory.java): "timestamp commit" per event, the
wall clock right after its transaction committed. Records are joined on last_modified (unique in
a collection), so only the paced window's events count, whatever else the consumer saw.

Prints one line: events=N posts=N missing=N duplicates=N, then
  - with COMMITS, commit_p50_ms commit_p99_ms commit_max_ms: arrival - commit, the delay the
    issue's target is about, and the write's own part before it (commit - last_modified);
  - p50_ms p99_ms max_ms: arrival - last_modified (the record's timestamp, taken before the
    commit; it runs ahead of the wall clock while a collection gets more than one write per ms);
  - the split at the POST's answer: after_answer p50/p99 (what delivery adds after the client
    read its 201; negative when the event arrived first) and answer p50/p99.
"""
import sys


def read_pairs(path):
    pairs = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                pairs.append((int(parts[0]), int(parts[1])))
    return pairs


def pct(values, q):
    if not values:
        return -1
    rank = -(-q * len(values) // 100)  # nearest rank
    return values[max(0, min(len(values), rank) - 1)]


def main():
    acks = dict(read_pairs(sys.argv[1]))
    first_arrival = {}
    duplicates = 0
    for timestamp, arrival in read_pairs(sys.argv[2]):
        if timestamp not in acks:
            continue
        if timestamp in first_arrival:
            duplicates += 1
        else:
            first_arrival[timestamp] = arrival
    out = "events=%d posts=%d missing=%d duplicates=%d" % (
        len(first_arrival), len(acks), len(acks) - len(first_arrival), duplicates)
    if len(sys.argv) > 3:
        commits = {t: c for t, c in read_pairs(sys.argv[3]) if t in acks}
        since_commit = sorted(a - commits[t] for t, a in first_arrival.items() if t in commits)
        before_commit = sorted(c - t for t, c in commits.items())
        out += (" commit_p50_ms=%d commit_p99_ms=%d commit_max_ms=%d (%d events with a commit time) | the commit "
                "after the record's timestamp p50 %d / p99 %d ms |" % (
                    pct(since_commit, 50), pct(since_commit, 99), since_commit[-1] if since_commit else -1,
                    len(since_commit), pct(before_commit, 50), pct(before_commit, 99)))
    delays = sorted(a - t for t, a in first_arrival.items())
    after_answer = sorted(a - acks[t] for t, a in first_arrival.items())
    answer = sorted(a - t for t, a in acks.items())
    out += (" p50_ms=%d p99_ms=%d max_ms=%d since last_modified | after the POST's answer p50 %d / p99 %d ms | "
            "the POST's answer after its timestamp p50 %d / p99 %d ms" % (
                pct(delays, 50), pct(delays, 99), delays[-1] if delays else -1, pct(after_answer, 50),
                pct(after_answer, 99), pct(answer, 50), pct(answer, 99)))
    print(out)


if __name__ == "__main__":
    main()
