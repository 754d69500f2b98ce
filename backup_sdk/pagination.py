"""Multi-page calls, one type for every vendor: :class:`Paginator`.

Every method that reads more than one page returns a :class:`Paginator`: iterate it for
items (pages are fetched as you go, memory stays bounded), call :meth:`Paginator.pages`
for whole pages, :meth:`Paginator.to_list` or :meth:`Paginator.to_dataframe`. Two kinds
exist: :class:`OffsetPaginator` (offset/count APIs) and :class:`WindowPaginator`
(time-range APIs walked in overlapping windows, items de-duplicated).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from backup_sdk.errors import ValidationError
from backup_sdk.validate import check_aware

if TYPE_CHECKING:
    import pandas

__all__ = ["OffsetPaginator", "Paginator", "WindowPaginator"]

T = TypeVar("T")


class Paginator(Generic[T]):
    """The items of a multi-page call, fetched page by page as you iterate."""

    def pages(self) -> Iterator[Sequence[T]]:
        """Yield whole pages, in order."""
        raise NotImplementedError

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page

    def to_list(self) -> list[T]:
        """Fetch everything into a list."""
        return list(self)

    def to_dataframe(self, record: Callable[[T], dict[str, Any]] | None = None) -> pandas.DataFrame:
        """Fetch everything into a pandas DataFrame (needs ``backup-sdk[pandas]``).

        ``record`` turns an item into a flat dict (default: :func:`backup_sdk.models.to_record`).
        """
        from backup_sdk.frames import to_dataframe

        return to_dataframe(self, record)


class OffsetPaginator(Paginator[T]):
    """Iterate items of an offset/limit API, fetching pages only as they are consumed.

    Args:
        fetch: ``fetch(offset, count)`` returns up to ``count`` items starting at ``offset``.
        page_size: items asked for per call.
        start: the first offset.
        limit: stop after this many items (None: until the API runs out).
        concurrency: pages fetched at once (1 = strictly sequential). With more than 1,
            up to ``concurrency`` pages are requested ahead; use it only where pages are
            independent of each other. Memory stays bounded by ``concurrency`` pages.

    Iteration ends at the first short page (fewer items than asked for).
    """

    def __init__(
        self,
        fetch: Callable[[int, int], Sequence[T]],
        *,
        page_size: int,
        start: int = 0,
        limit: int | None = None,
        concurrency: int = 1,
    ) -> None:
        if not isinstance(page_size, int) or page_size < 1:
            raise ValidationError(
                f"page_size must be >= 1, got {page_size!r}", parameter="page_size"
            )
        if not isinstance(start, int) or start < 0:
            raise ValidationError(f"start must be >= 0, got {start!r}", parameter="start")
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise ValidationError(f"limit must be >= 0, got {limit!r}", parameter="limit")
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValidationError(
                f"concurrency must be >= 1, got {concurrency!r}", parameter="concurrency"
            )
        self._fetch = fetch
        self.page_size = page_size
        self.start = start
        self.limit = limit
        self.concurrency = concurrency
        #: offset of the next page not yet yielded: a resumable cursor.
        self.next_offset = start

    def _bounds(self) -> Iterator[tuple[int, int]]:
        offset = self.start
        remaining = self.limit
        while remaining is None or remaining > 0:
            count = self.page_size if remaining is None else min(self.page_size, remaining)
            yield offset, count
            offset += count
            if remaining is not None:
                remaining -= count

    def pages(self) -> Iterator[Sequence[T]]:
        """Yield whole pages, in order."""
        if self.concurrency == 1:
            for offset, count in self._bounds():
                page = self._fetch(offset, count)
                self.next_offset = offset + len(page)
                if page:
                    yield page
                if len(page) < count:
                    return
            return
        yield from self._concurrent_pages()

    def _concurrent_pages(self) -> Iterator[Sequence[T]]:
        bounds = self._bounds()
        pending: deque[tuple[int, int, Future[Sequence[T]]]] = deque()
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            try:
                for _ in range(self.concurrency):
                    nxt = next(bounds, None)
                    if nxt is None:
                        break
                    pending.append((*nxt, pool.submit(self._fetch, *nxt)))
                while pending:
                    offset, count, future = pending.popleft()
                    page = future.result()
                    self.next_offset = offset + len(page)
                    if page:
                        yield page
                    if len(page) < count:
                        return
                    nxt = next(bounds, None)
                    if nxt is not None:
                        pending.append((*nxt, pool.submit(self._fetch, *nxt)))
            finally:
                for _, _, future in pending:
                    future.cancel()


class WindowPaginator(Paginator[T]):
    """Items of a time-range API, walked in windows that overlap, each item yielded once.

    Args:
        fetch: ``fetch(start, end)`` returns the items of ``[start, end]`` (aware datetimes).
        since: the start of the whole range (aware).
        until: its end (aware, not before ``since``).
        window: the length of one call's range.
        overlap: how far each window reaches back into the previous one, so that an item
            written at a boundary is not missed (at least 0, shorter than ``window``).
        key: an item's identity, for de-duplication.

    A page is one window's new items. Memory grows with the distinct items of the range.

    Raises:
        ValidationError: naive datetimes, ``since`` after ``until``, a negative overlap or a
            window not longer than the overlap (checked before anything is fetched).
    """

    def __init__(
        self,
        fetch: Callable[[datetime, datetime], Sequence[T]],
        *,
        since: datetime,
        until: datetime,
        window: timedelta,
        overlap: timedelta,
        key: Callable[[T], Hashable],
    ) -> None:
        self.since = check_aware("since", since)
        self.until = check_aware("until", until)
        if self.since > self.until:
            raise ValidationError(
                f"since ({since.isoformat()}) is after until ({until.isoformat()})",
                parameter="since",
            )
        if not isinstance(window, timedelta) or not isinstance(overlap, timedelta):
            raise ValidationError("window and overlap must be timedeltas", parameter="window")
        if overlap < timedelta(0):
            raise ValidationError(
                f"overlap must not be negative, got {overlap}", parameter="overlap"
            )
        if window <= overlap:
            raise ValidationError(
                f"window ({window}) must be longer than overlap ({overlap})", parameter="window"
            )
        self.window = window
        self.overlap = overlap
        self._fetch = fetch
        self._key = key

    def pages(self) -> Iterator[Sequence[T]]:
        seen: set[Hashable] = set()
        lower = self.since
        while True:
            upper = min(lower + self.window, self.until)
            page = []
            for item in self._fetch(max(self.since, lower - self.overlap), upper):
                identity = self._key(item)
                if identity not in seen:
                    seen.add(identity)
                    page.append(item)
            if page:
                yield page
            if upper >= self.until:
                return
            lower = upper
