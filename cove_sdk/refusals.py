"""Which columns of a refused statistics query are the ones the user may not read.

Cove refuses a whole ``EnumerateAccountStatistics`` call (13501) when one requested column
is restricted for the user, and does not say which one. :func:`find_refused` finds them
with one-row probe queries; :class:`RefusedColumns` remembers what was proven, per partner,
so later queries leave those columns out without searching again.

A column is only blamed on what the probes prove, given that the service refuses a query
exactly when it names a restricted column: some set of columns without it was allowed,
and with it refused. Nothing is blamed before some probe was allowed; when the refusal
does not depend on the columns at all (the baseline probe, ``["I1"]`` by default, is
refused too), :class:`NotAColumnRefusal` is raised instead, so the caller reports the
refusal as it came.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, Final

from backup_sdk.errors import BackupSDKError
from cove_sdk.columns import canonical

__all__ = ["DEFAULT_BASELINE", "NotAColumnRefusal", "Probe", "RefusedColumns", "find_refused"]

#: ``probe(columns)`` runs a one-row query with exactly those codes: True when it is
#: allowed, False when it is refused (13501). Any other failure should raise.
Probe = Callable[[list[str]], bool]

#: Columns every user that may query statistics can read (the device name).
DEFAULT_BASELINE: Final[tuple[str, ...]] = ("I1",)


class NotAColumnRefusal(BackupSDKError):
    """The refusal is not about columns: even the baseline probe (a column the user
    certainly may read, or none) was refused. Report the original error; blame nothing.

    Attributes:
        probes: how many probe queries were made before this was clear.
    """

    _fields: ClassVar[tuple[str, ...]] = ("probes",)
    probes: int | None


def _family(key: str) -> str:
    """Columns likely to be refused together: one data source's statistics, or the
    device properties."""
    if key.startswith("D") and "F" in key:
        return key[: key.index("F")]
    return key[:1]


class _Search:
    def __init__(self, columns: Sequence[str], probe: Probe, baseline: Sequence[str]) -> None:
        self.probe = probe
        self.baseline = list(baseline)
        self.input_order = list(dict.fromkeys(columns))
        self.spellings: dict[str, list[str]] = {}
        for code in self.input_order:
            spelled = self.spellings.setdefault(canonical(code), [])
            if code not in spelled:
                spelled.append(code)
        self.position = {key: i for i, key in enumerate(self.spellings)}
        baseline_keys = {canonical(code) for code in baseline}
        families: dict[str, int] = {}
        for key in self.spellings:
            families.setdefault(_family(key), len(families))
        # search order: the baseline first (so a refusal of everything shows up on the
        # first path down), then column families together, each in input order
        self.order = sorted(
            self.spellings,
            key=lambda k: (k not in baseline_keys, families[_family(k)], self.position[k]),
        )
        self.baseline_keys = baseline_keys
        self.blamed_at: set[int] = set()
        self.good: set[int] = set()
        self.calls = 0
        self.allowed_seen = False

    def ask(self, keys: Iterable[str]) -> bool:
        self.calls += 1
        subset = sorted(keys, key=self.position.__getitem__)
        allowed = bool(self.probe([code for key in subset for code in self.spellings[key]]))
        self.allowed_seen = self.allowed_seen or allowed
        return allowed

    def probe_ranges(self, ranges: Iterable[tuple[int, int]]) -> bool:
        """Probe the columns at these positions of the search order, plus every column
        already known to be allowed (so each probe is a query the caller could send)."""
        wanted = set(self.good)
        for start, end in ranges:
            wanted.update(range(start, end))
        allowed = self.ask(self.order[i] for i in sorted(wanted - self.blamed_at))
        if allowed:
            self.good = wanted - self.blamed_at
        return allowed

    def not_columns(self, why: str) -> NotAColumnRefusal:
        return NotAColumnRefusal(
            f"the refusal does not depend on the columns: {why}", probes=self.calls
        )

    def blame(self, index: int) -> None:
        key = self.order[index]
        if key in self.baseline_keys:
            raise self.not_columns(f"{self.spellings[key][0]} alone was refused")
        if not self.allowed_seen:
            # nothing was allowed yet: prove that a minimal query is
            self.calls += 1
            if not self.probe(list(self.baseline)):
                raise self.not_columns(f"the minimal query {self.baseline!r} was refused")
            self.allowed_seen = True
        self.blamed_at.add(index)

    def halve(self, start: int, end: int, pending: list[tuple[int, int]]) -> int:
        """One refused position in ``[start, end)``, known to hold one. Only the left
        half of each split is probed: if it is allowed, the right half is the refused
        one; if not, the right half is kept in ``pending`` (nearest first)."""
        unprobed: list[tuple[int, int]] = []
        while end - start > 1:
            middle = (start + end) // 2
            if self.probe_ranges([(start, middle)]):
                start = middle
            else:
                unprobed.append((middle, end))
                end = middle
        pending[:0] = unprobed[::-1]
        return start

    def run(self) -> list[str]:
        n = len(self.order)
        if self.probe_ranges([(0, n)]):
            return []
        if n == 0:
            raise self.not_columns("a query without columns was refused")
        pending: list[tuple[int, int]] = []  # not probed yet, in search order
        known: tuple[int, int] | None = (0, n)  # holds a refused column
        last = -2
        while known is not None:
            found = self.halve(*known, pending)
            self.blame(found)
            in_run, last = found == last + 1, found
            known = None
            if not pending:
                break
            if in_run and pending[0][0] == found + 1:
                # two refused neighbours (a data source's columns): try the next one alone
                start, end = pending.pop(0)
                if start + 1 < end:
                    pending.insert(0, (start + 1, end))
                if not self.probe_ranges([(start, start + 1)]):
                    known = (start, start + 1)
                    continue
                if not pending:
                    break
            if self.probe_ranges(pending):
                break  # all but the blamed columns are allowed
            while pending:
                candidate = pending.pop(0)
                # the last one is refused by elimination: the probe of them all was
                if not pending or not self.probe_ranges([candidate]):
                    known = candidate
                    break
        return [code for code in self.input_order if canonical(code) in self.blamed_keys]

    @property
    def blamed_keys(self) -> set[str]:
        return {self.order[i] for i in self.blamed_at}


def find_refused(
    columns: Sequence[str], probe: Probe, *, baseline: Sequence[str] = DEFAULT_BASELINE
) -> list[str]:
    """The codes of ``columns`` that get a statistics query refused, in input order.

    The whole list is probed first (allowed -> ``[]``). Then adaptive group testing on
    the list, baseline columns first and each data source's columns together: a refused
    group is split and only its left half probed (allowed -> the right half holds the
    refused column, no probe needed); halves not probed yet wait. After each refused
    column is found, one probe asks whether everything but the blamed columns is now
    allowed; if not, the waiting halves are probed in order. Two refused neighbours
    switch to probing the next column alone, as a data source is often refused whole.
    About ``log2(n) + 2`` probes for one refused column out of ``n``. Every probe holds
    the columns already known to be allowed, so each is a query the caller could send.
    Spellings of one code (``D2F0``, ``D02F00``) are probed and reported together.

    Args:
        columns: the codes as they were sent.
        probe: runs a one-row query with the given codes; True = allowed.
        baseline: codes the user certainly may read (``()`` = a query without columns).
            When nothing else was allowed, blaming a column needs this probe to pass.

    Raises:
        NotAColumnRefusal: the refusal is not about columns (the baseline, or a baseline
            column alone, was refused).
    """
    return _Search(columns, probe, baseline).run()


class RefusedColumns:
    """Columns proven refused, per partner id: a cache for one client (thread-safe).

    Codes are kept canonical, so ``D02F00`` proven refused also drops ``D2F0``. With a
    ``ttl`` (seconds of ``clock``), a proof is forgotten after that long, in case the
    user's role changes; the default keeps it for the cache's lifetime.
    """

    def __init__(
        self, *, ttl: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._proven: dict[int, dict[str, float]] = {}

    def _live(self, partner_id: int) -> dict[str, float]:
        proven = self._proven.get(partner_id, {})
        if self._ttl is not None and proven:
            oldest = self._clock() - self._ttl
            for key in [k for k, at in proven.items() if at < oldest]:
                del proven[key]
        return proven

    def remember(self, partner_id: int, codes: Iterable[str]) -> None:
        """Record codes proven refused for queries of ``partner_id``."""
        now = self._clock()
        with self._lock:
            proven = self._proven.setdefault(partner_id, {})
            for code in codes:
                proven[canonical(code)] = now

    def known(self, partner_id: int) -> frozenset[str]:
        """The canonical codes proven refused for ``partner_id``."""
        with self._lock:
            return frozenset(self._live(partner_id))

    def drop_known(self, partner_id: int, columns: Iterable[str]) -> tuple[list[str], list[str]]:
        """Split ``columns`` into ``(kept, dropped)``, both in input order and spelled as
        given: ``dropped`` are those proven refused for ``partner_id``."""
        with self._lock:
            proven = set(self._live(partner_id))
        kept: list[str] = []
        dropped: list[str] = []
        for code in columns:
            (dropped if canonical(code) in proven else kept).append(code)
        return kept, dropped

    def forget(self, partner_id: int | None = None) -> None:
        """Forget the proofs for one partner, or for all."""
        with self._lock:
            if partner_id is None:
                self._proven.clear()
            else:
                self._proven.pop(partner_id, None)
