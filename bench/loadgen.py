"""Load generator process: `python -m bench.loadgen CONFIG.json OUT.json` (started by bench_webhook).

Open loop (`mode: open`): event i is due at start + i/rate whether or not earlier requests have been
answered; its latency is counted from when it was due, so a slow server is not hidden by a generator
that waits for it (no coordinated omission). How late the generator itself was is reported as `lag`.
Closed loop (`mode: closed`): `connections` senders each post the next event as soon as the last one
was answered, for the maximum acknowledged rate.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

from bench.workload import Ids, MixedSource, TextSource, find_chip

TAP_LONG_POLL_S = 4.0
TAP_POLL_S = 0.4
TAP_TIMEOUT_S = 8.0


class Recorder:
    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.server_ms: list[float] = []
        self.lags_ms: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.acks_per_s: dict[int, int] = {}
        self.slow_per_s: dict[int, int] = {}  # acks over 20 ms from when they were sent, per second
        self.sent = 0
        self.skipped = 0
        self.t0 = 0.0
        self.last_send = 0.0
        self.sent_at: list[float] = []

    def ok(self, due: float, done: float, status: int, sent: float | None = None) -> None:
        """due: when the request should have gone (open loop); sent: when it went."""
        self.latencies_ms.append((done - due) * 1000)
        self.server_ms.append((done - (due if sent is None else sent)) * 1000)
        self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
        if status == 200:
            second = int(done - self.t0)
            self.acks_per_s[second] = self.acks_per_s.get(second, 0) + 1
            if self.server_ms[-1] > 20:
                self.slow_per_s[second] = self.slow_per_s.get(second, 0) + 1

    def error(self, exc: BaseException) -> None:
        name = exc.__class__.__name__
        self.errors[name] = self.errors.get(name, 0) + 1


class Generator:
    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.url = cfg["url"]
        self.rec = Recorder()
        mix = cfg.get("mix", "text")
        if mix == "mixed":
            think = tuple(cfg.get("think", (0.8, 2.5)))
            self.source: Any = MixedSource(cfg["secret"], cfg["users"], cfg["run"], Ids.from_dict(cfg["ids"]),
                                           seed=cfg.get("seed", 1), think=think)  # type: ignore[arg-type]
        else:
            self.source = TextSource(cfg["secret"], cfg["users"], cfg["run"], seed=cfg.get("seed", 1))
        self.mixed = mix == "mixed"
        self.stand_in = cfg.get("stand_in", "")
        self.taps = {"resolved": 0, "typed_instead": 0, "polls": 0}
        self.registered = 0
        self.stop = False

    # --- sending ------------------------------------------------------------------------------------
    async def _post(self, session: aiohttp.ClientSession, body: bytes, headers: dict[str, str], due: float) -> None:
        sent = time.monotonic()
        try:
            async with session.post(self.url, data=body, headers=headers) as resp:
                await resp.read()
                self.rec.ok(due, time.monotonic(), resp.status, sent)
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            self.rec.error(exc)

    def _next(self) -> tuple[bytes, dict[str, str], str] | None:
        return self.source.next_event(time.monotonic())

    async def open_loop(self, session: aiohttp.ClientSession) -> None:
        rate, duration = float(self.cfg["rate"]), float(self.cfg["duration"])
        total = int(rate * duration)
        start = time.monotonic() + 0.05
        self.rec.t0 = start
        tasks: set[asyncio.Task] = set()
        i = 0
        while i < total:
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            item = self._next()
            if item is None:  # mixed: nobody ready yet (tokens being registered); try again shortly
                self.rec.skipped += 1
                await asyncio.sleep(0.002)
                if time.monotonic() - due > 1.0:
                    i += 1
                continue
            now = time.monotonic()
            self.rec.lags_ms.append((now - due) * 1000)
            self.rec.sent += 1
            self.rec.last_send = now
            task = asyncio.create_task(self._post(session, item[0], item[1], due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
        if tasks:
            await asyncio.wait(tasks, timeout=30)

    async def closed_loop(self, session: aiohttp.ClientSession) -> None:
        duration = float(self.cfg["duration"])
        self.rec.t0 = time.monotonic()
        end = self.rec.t0 + duration

        async def sender() -> None:
            while time.monotonic() < end:
                item = self._next()
                if item is None:
                    await asyncio.sleep(0.005)
                    continue
                self.rec.sent += 1
                self.rec.last_send = time.monotonic()
                await self._post(session, item[0], item[1], self.rec.last_send)

        await asyncio.gather(*(sender() for _ in range(int(self.cfg["connections"]))))

    # --- mixed-journey helpers ----------------------------------------------------------------------
    async def _register_tokens(self, session: aiohttp.ClientSession, polls: aiohttp.ClientSession) -> None:
        """Register reply tokens of starting journeys (batched), then let those users go."""
        while not self.stop:
            src: MixedSource = self.source
            now = time.monotonic()
            # Keep enough users ready: about 0.3 s worth of the offered rate due at any time.
            rate = float(self.cfg.get("rate") or int(self.cfg.get("connections", 64)) * 10)
            want = max(8, int(rate * 0.3))
            if src.due(now + 0.2) + len(src.needs_tokens) < want:
                src.start_users(max(4, want // 3))
            if src.needs_tokens:
                users, src.needs_tokens = src.needs_tokens, []
                payload = [{"token": t, "to": u.uid} for u in users for t in u.tokens]
                try:
                    async with session.post(f"{self.stand_in}/_stand-in/reply-tokens", json=payload) as resp:
                        await resp.read()
                    self.registered += len(payload)
                except Exception as exc:  # noqa: BLE001
                    self.rec.error(exc)
                now = time.monotonic()
                for user in users:
                    src.resume(user, now)
            if src.needs_tap:
                users, src.needs_tap = src.needs_tap, []
                for user in users:
                    asyncio.create_task(self._resolve_tap(polls, user))
            await asyncio.sleep(0.02)

    async def _resolve_tap(self, session: aiohttp.ClientSession, user: Any) -> None:
        """Read the user's messages at the stand-in and tap the chip for the step, or type instead."""
        action = user.actions[0]
        deadline = time.monotonic() + TAP_TIMEOUT_S
        found = None
        seen: list[dict[str, Any]] = []
        after = user.tap_floor
        while not self.stop and time.monotonic() < deadline:
            self.taps["polls"] += 1
            # A long poll: the stand-in answers as soon as something new reaches this user.
            wait = max(0.1, min(TAP_LONG_POLL_S, deadline - time.monotonic()))
            try:
                async with session.get(f"{self.stand_in}/_stand-in/messages",
                                       params={"to": user.uid, "after": str(after), "wait": f"{wait:.2f}"}) as resp:
                    items = (await resp.json()).get("messages", [])
            except Exception:  # noqa: BLE001
                items = []
                await asyncio.sleep(TAP_POLL_S)
            seen += items
            after = max([after] + [m["seq"] for m in items])
            found = find_chip(seen, action.step, action.value, user.tap_floor)
            if found:
                break
        if found:
            action.data = found[0]
            user.tap_floor = found[1]
            self.taps["resolved"] += 1
        else:
            self.taps["typed_instead"] += 1
        self.source.resume(user, time.monotonic())

    async def run(self) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=30)
        connections = int(self.cfg.get("connections", 256))
        connector = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
        side = aiohttp.TCPConnector(limit=64)
        # Long polls wait up to TAP_LONG_POLL_S each: on their own connections, so they never hold up
        # the webhook requests or the reply-token registrations.
        poll_connections = aiohttp.TCPConnector(limit=1024)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session, \
                aiohttp.ClientSession(connector=side, timeout=timeout) as side_session, \
                aiohttp.ClientSession(connector=poll_connections, timeout=timeout) as poll_session:
            helper = None
            if self.mixed:
                helper = asyncio.create_task(self._register_tokens(side_session, poll_session))
                await asyncio.sleep(0.3)  # the first users get their tokens registered
            started = time.monotonic()
            if self.cfg["mode"] == "open":
                await self.open_loop(session)
            else:
                await self.closed_loop(session)
            elapsed = time.monotonic() - started
            self.stop = True
            if helper:
                await asyncio.wait([helper], timeout=2)
        return self.report(elapsed)

    def report(self, elapsed: float) -> dict[str, Any]:
        lat = sorted(self.rec.latencies_ms)
        lags = sorted(self.rec.lags_ms)
        acks = self.rec.statuses.get("200", 0)
        out: dict[str, Any] = {
            "mode": self.cfg["mode"], "mix": self.cfg.get("mix", "text"), "offered_rate": self.cfg.get("rate"),
            "connections": self.cfg.get("connections"), "elapsed_s": round(elapsed, 2), "sent": self.rec.sent,
            # The sending window on the machine's monotonic clock (shared by every process on Linux): what
            # the benchmark counts processing over, not the generator's start-up and wind-down.
            "first_send_t": self.rec.t0, "last_send_t": self.rec.last_send,
            "acked": acks, "acks_per_s": round(acks / elapsed, 1) if elapsed else 0.0,
            "statuses": self.rec.statuses, "errors": self.rec.errors, "latency_ms": pct(lat),
            "latency_from_send_ms": pct(sorted(self.rec.server_ms)),
            "generator_lag_ms": pct(lags), "not_ready_ticks": self.rec.skipped,
            "acks_by_second": [self.rec.acks_per_s.get(i, 0) for i in range(int(elapsed) + 1)],
            "slow_acks_by_second": [self.rec.slow_per_s.get(i, 0) for i in range(int(elapsed) + 1)],
            "event_kinds": self.source.kinds,
        }
        if self.mixed:
            out.update(taps=self.taps, reply_tokens_registered=self.registered, journeys=self.source.journeys,
                       pulled_forward=self.source.pulled_forward)
        return out


def pct(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None, "p99": None, "max": None, "n": 0}

    def at(q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 2)

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": round(values[-1], 2), "n": len(values)}


def main() -> None:
    cfg = json.loads(open(sys.argv[1], encoding="utf-8").read())
    result = asyncio.run(Generator(cfg).run())
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
