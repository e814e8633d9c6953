"""Process start-up for long-running servers: load what the process needs, then set it aside from the GC."""

from __future__ import annotations

import gc
import logging
import os
import time

log = logging.getLogger(__name__)


def warm_nlp() -> None:
    """Load the NLP model and tokenizer now rather than on the first message."""
    from bot.nlp_bridge import read_text
    from bot.thaidate import now_utc

    read_text("สวัสดีค่ะ อยากดูกิจกรรมเสาร์นี้", [], now_utc())


def freeze_startup_objects() -> None:
    """Keep the garbage collector off what was loaded at start-up (code, NLP model, SDK models).

    Without this, each full collection walks those ~220,000 objects: about 120 ms with every thread of
    the process stopped, acknowledgements included. Frozen objects are still freed when nothing refers
    to them; only cycles among them would be kept, and start-up objects live as long as the process.
    """
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    if os.environ.get("RUAMKAN_LOG_GC_MS"):
        log_slow_collections(float(os.environ["RUAMKAN_LOG_GC_MS"]))
    log.info("froze %d start-up objects in %.0f ms", gc.get_freeze_count(), 1000 * (time.perf_counter() - started))


def log_slow_collections(threshold_ms: float) -> None:
    """Log each garbage collection that stops the process longer than threshold_ms (a diagnostic)."""
    started: list[float] = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        took = 1000 * (time.perf_counter() - started[0])
        if took >= threshold_ms:
            log.warning("gc generation %d took %.1f ms (%d collected)", info["generation"], took, info["collected"])

    gc.callbacks.append(watch)
