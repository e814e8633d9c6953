"""The webhook benchmark's processing rate: what it reads for a bot that keeps up and for one that falls behind.

A synthetic monitor stands in for the real one: samples twice a second of a pipeline fed at a fixed rate,
where each event is done `latency` seconds after it is sent and answered 0.3 s later (the stand-in).
"""

from __future__ import annotations

from bench.bench_webhook import processing


class FakeMonitor:
    def __init__(self, rate: float, capacity: float, latency: float, start: float, end: float) -> None:
        self.samples = []
        t = start - 2.0
        while t <= end + 3.0:
            sent = max(0.0, min(t, end) - start) * rate
            # A pipeline that can finish `capacity` events/s, `latency` s behind the sending.
            done = min(sent, max(0.0, t - latency - start) * capacity) if t > start else 0.0
            answered = min(done, max(0.0, t - latency - 0.3 - start) * capacity) if t > start else 0.0
            self.samples.append({"t": t, "done": int(done), "replies": int(answered), "pushes": 0,
                                 "pending": int(sent - done), "failed": 0})
            t += 0.5

    def between(self, t0: float, t1: float) -> list[dict]:
        return [s for s in self.samples if t0 <= s["t"] <= t1]


def test_a_bot_that_keeps_up_reads_the_offered_rate_and_the_old_reading_did_not():
    start, end = 100.0, 120.0  # the generator sent from 100 s to 120 s; its process lived 99.4–121.5 s
    mon = FakeMonitor(rate=300, capacity=400, latency=0.5, start=start, end=end)
    out = processing(mon, start, end, 300, acked=6000, offered=6000, lifetime=(99.4, 121.5))
    assert 297 <= out["fully_processed_per_s"] <= 301
    assert out["keeps_up"]
    assert out["fully_processed_per_s_lifetime"] < 291  # start-up and wind-down counted as sending time


def test_a_bot_that_falls_behind_reads_what_it_finishes():
    start, end = 100.0, 120.0
    mon = FakeMonitor(rate=300, capacity=270, latency=0.5, start=start, end=end)
    out = processing(mon, start, end, 300, acked=6000, offered=6000)
    assert 265 <= out["fully_processed_per_s"] <= 272
    assert not out["keeps_up"]
    assert out["backlog_growth_per_s_2nd_half"] > 20
