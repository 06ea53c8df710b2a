"""Warnings about a condition that may last, logged now and then rather than per call.

Invariant: for one key, a process logs at most one message per `interval`
seconds, however many threads report the condition; the next message says how
many reports were held back since the last one.
"""

import logging
import threading
import time


class OccasionalWarning:
    """Log WARNINGs to `logger` at most once per `interval` seconds for each key."""

    def __init__(self, logger: logging.Logger, *, interval: float) -> None:
        self.logger = logger
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warn(self, key: str, message: str, *args: object) -> bool:
        """Log `message % args` unless `key` was logged less than `interval` ago;
        says whether it was logged."""
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if held:
            message += " (%d more like this since the last warning)"
            args = (*args, held)
        self.logger.warning(message, *args)
        return True

    def forget(self, key: str) -> None:
        """The condition is over: the next report of `key` is logged at once."""
        with self._lock:
            self._last.pop(key, None)
            self._held.pop(key, None)
