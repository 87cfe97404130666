#!/usr/bin/env python3
"""Commit-to-delivery delay of the paced POSTs, from two files of "last_modified ms" lines.

Usage: bench/delay_report.py ACKS ARRIVALS

ACKS (written by bench/lua/paced.lua): "last_modified answer_arrival" per record created in the
paced window. ARRIVALS (written by the consumer: webhook receiver, Redis consumer, SSE follower):
"timestamp arrival" per event received. Records are joined on last_modified (unique in a
collection), so only the paced window's events count, whatever else the consumer saw.

Prints one line:
  events=N posts=N missing=N duplicates=N p50_ms p99_ms max_ms (arrival - timestamp) then the
  split at the POST's answer: after_answer p50/p99 (what delivery adds; negative when the event
  arrived before the client read its 201) and answer p50/p99 (the write's own commit and answer).
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
    delays = sorted(a - t for t, a in first_arrival.items())
    after_answer = sorted(a - acks[t] for t, a in first_arrival.items())
    answer = sorted(a - t for t, a in acks.items())
    print("events=%d posts=%d missing=%d duplicates=%d p50_ms=%d p99_ms=%d max_ms=%d | after the POST's answer "
          "p50 %d / p99 %d ms | the POST's answer after its timestamp p50 %d / p99 %d ms"
          % (len(delays), len(acks), len(acks) - len(first_arrival), duplicates, pct(delays, 50), pct(delays, 99),
             delays[-1] if delays else -1, pct(after_answer, 50), pct(after_answer, 99), pct(answer, 50),
             pct(answer, 99)))


if __name__ == "__main__":
    main()
