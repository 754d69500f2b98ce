from __future__ import annotations

import threading

import pytest

from backup_sdk.errors import MissingDependencyError, ValidationError
from backup_sdk.pagination import OffsetPaginator


class Source:
    """Pages of ``range(total)``; with ``together=N`` the first N fetches wait for each
    other, so they can only finish if N of them run at once."""

    def __init__(self, total: int, *, together: int = 1) -> None:
        self.total = total
        self.calls: list[tuple[int, int]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.gate = threading.Barrier(together, timeout=10) if together > 1 else None

    def fetch(self, offset: int, count: int) -> list[int]:
        with self.lock:
            self.calls.append((offset, count))
            first_wave = len(self.calls) <= (self.gate.parties if self.gate else 0)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if first_wave and self.gate is not None:
            self.gate.wait()
        with self.lock:
            self.in_flight -= 1
        return list(range(offset, min(offset + count, self.total)))


def test_items_are_fetched_lazily() -> None:
    src = Source(100)
    it = iter(OffsetPaginator(src.fetch, page_size=10))
    assert src.calls == []
    assert next(it) == 0
    assert src.calls == [(0, 10)]
    for _ in range(10):
        next(it)
    assert src.calls == [(0, 10), (10, 10)]


def test_stops_at_a_short_page() -> None:
    src = Source(25)
    assert list(OffsetPaginator(src.fetch, page_size=10)) == list(range(25))
    assert src.calls == [(0, 10), (10, 10), (20, 10)]


def test_exact_multiple_needs_one_empty_page() -> None:
    src = Source(20)
    pager = OffsetPaginator(src.fetch, page_size=10)
    assert [len(p) for p in pager.pages()] == [10, 10]
    assert src.calls[-1] == (20, 10)
    assert pager.next_offset == 20


def test_limit_and_start() -> None:
    src = Source(100)
    assert list(OffsetPaginator(src.fetch, page_size=10, start=5, limit=12)) == list(range(5, 17))
    assert src.calls == [(5, 10), (15, 2)]


@pytest.mark.parametrize("concurrency", [2, 4])
def test_concurrency_keeps_order_and_bounds_in_flight(concurrency: int) -> None:
    src = Source(1000, together=concurrency)
    items = list(OffsetPaginator(src.fetch, page_size=10, concurrency=concurrency))
    assert items == list(range(1000))
    assert src.max_in_flight == concurrency, "the first pages were fetched at once"
    # at most `concurrency` pages requested beyond the end
    assert len(src.calls) <= 100 + concurrency


def test_resume_from_next_offset() -> None:
    src = Source(50)
    pager = OffsetPaginator(src.fetch, page_size=10)
    pages = pager.pages()
    next(pages)
    next(pages)
    resumed = OffsetPaginator(src.fetch, page_size=10, start=pager.next_offset)
    assert list(resumed) == list(range(20, 50))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"page_size": 0},
        {"page_size": 5, "start": -1},
        {"page_size": 5, "limit": -2},
        {"page_size": 5, "concurrency": 0},
    ],
)
def test_bad_arguments_are_validation_errors(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        OffsetPaginator(Source(1).fetch, **kwargs)


def test_to_dataframe() -> None:
    pytest.importorskip("pandas")
    src = Source(5)
    frame = OffsetPaginator(src.fetch, page_size=2).to_dataframe(lambda i: {"n": i})
    assert list(frame["n"]) == [0, 1, 2, 3, 4]


def test_missing_pandas_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(MissingDependencyError, match=r"backup-sdk\[pandas\]"):
        OffsetPaginator(Source(3).fetch, page_size=2).to_dataframe()
