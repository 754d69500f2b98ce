"""The retry decision: whether a failed attempt is tried again, and after how long.

The rule, for every vendor:

* a request that **provably never reached the server** (connection refused, DNS failure,
  connect timeout) is retried for every call;
* anything else (read timeout, dropped connection, HTTP 429/502/503/504 or a vendor code
  marked retryable) is retried only for operations the vendor's table marks **safe to
  repeat**, because the server may already have acted;
* a body that cannot be sent again (a stream that cannot rewind) is never retried;
* ``Retry-After`` is waited out up to :attr:`RetryPolicy.max_retry_after`; a longer one, or
  a wait that would pass the call's deadline, ends the call with the error;
* each client has a retry budget (:attr:`RetryPolicy.budget` retries per window).
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque

import attrs

from backup_sdk.config import RetryPolicy

__all__ = ["Outcome", "RetryBudget", "retry_delay"]


@attrs.frozen
class Outcome:
    """How one attempt failed.

    Attributes:
        error: the exception the attempt ended with.
        never_sent: True when the request provably never reached the server.
        retryable: True when this kind of failure may succeed if repeated.
        wait_hint: seconds the server asked us to wait (``Retry-After``), if any.
    """

    error: BaseException
    never_sent: bool = False
    retryable: bool = False
    wait_hint: float | None = None


def retry_delay(
    policy: RetryPolicy,
    outcome: Outcome,
    *,
    attempt: int,
    idempotent: bool,
    replayable: bool,
    remaining: float | None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None to give up.

    ``remaining`` is the time left before the call's deadline (None: no deadline).
    """
    if attempt >= policy.max_attempts or not replayable:
        return None
    if not (outcome.never_sent or (idempotent and outcome.retryable)):
        return None
    if outcome.wait_hint is not None:
        if outcome.wait_hint > policy.max_retry_after:
            return None
        delay = outcome.wait_hint
    else:
        delay = policy.backoff(attempt, rng)
    if remaining is not None and delay >= remaining:
        return None
    return delay


class RetryBudget:
    """Retries spent by one client (and its copies) in a sliding window; thread-safe."""

    def __init__(self) -> None:
        self._spent: deque[float] = deque()
        self._lock = threading.Lock()

    def spend(self, policy: RetryPolicy, now: float | None = None) -> bool:
        """Take one retry; False when the budget for the window is used up."""
        if policy.budget is None:
            return True
        moment = time.monotonic() if now is None else now
        with self._lock:
            spent = self._spent
            while spent and moment - spent[0] > policy.budget_window:
                spent.popleft()
            if len(spent) >= policy.budget:
                return False
            spent.append(moment)
            return True
