"""Every performance figure of issue 14 in one table, each beside its target.

Run:
    python benchmarks/run_all.py            # full sizes (a few minutes)
    python benchmarks/run_all.py --quick    # small sizes, for CI (well under a minute)
    python benchmarks/run_all.py --only comet,imports
    python benchmarks/run_all.py --profile  # cProfile of the Comet model decode, top 15

Every figure is a ratio against a baseline measured in the same run (``json.loads``,
``import requests``, a bare ``requests.Session`` + ``json.loads`` over keep-alive,
concurrency 1) -- except DEBUG logging of a 10 MB body, whose target is absolute (50 ms).
The peers (pydantic v2, msgspec) and orjson come from the ``bench`` extra
(``pip install -e '.[bench]'``); a missing one turns its row into "skipped", never an error.
The targets are for people to read: nothing here fails because one is not met.
See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import datetime as dt
import functools
import gc
import importlib.util
import io
import json
import logging
import math
import operator
import os
import platform
import pstats
import signal
import statistics
import subprocess
import sys
import time
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs
import requests
from cove_rows import COLUMNS as COVE_COLUMNS
from cove_rows import make_page as make_cove_page
from cove_rows import typed_reads
from shared_decode import Job as SharedJob
from shared_decode import make_payload as make_shared_payload

from backup_sdk import jsonutil
from backup_sdk.hooks import CallInfo
from backup_sdk.httplog import log_request, log_response
from backup_sdk.models import ModelConverter, UnixTime, WireModel
from backup_sdk.testing import SimClock, SimRequest, SimResponse, SimulatorServer, json_response
from comet_sdk.models import BackupJobDetail, converter
from comet_sdk.testing import CometFleetSpec, CometSimulator
from cove_sdk.statistics import decode_page
from cove_sdk.testing import CoveSimulator
from cove_sdk.testing.fleet import FleetSpec
from npm_backup_sdk.testing import NpmBackupSimulator

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("backup_sdk", "cove_sdk", "comet_sdk", "npm_backup_sdk")
SECTIONS = ("comet", "shared", "cove", "calls", "imports", "pagination", "logging")
SKIP_BENCH = "skipped (install .[bench])"
SKIP_FAST = "skipped (install .[fast])"


# --------------------------------------------------------------------------- sizes


@dataclass(frozen=True)
class Sizes:
    comet_jobs: int
    shared_records: int
    cove_devices: int
    repeat: int  # timed runs of each decode (the best is kept)
    calls: int  # calls per batch, for the per-call overhead
    call_batches: int  # alternating batches (the median is kept)
    import_runs: int  # fresh interpreters per package (the median is kept)
    pages: int
    page_size: int
    latencies: tuple[float, ...]
    pagination_repeat: int
    log_bytes: int
    log_repeat: int


FULL = Sizes(
    comet_jobs=50_000,
    shared_records=20_000,
    cove_devices=10_000,
    repeat=5,
    calls=300,
    call_batches=7,
    import_runs=11,
    pages=16,
    page_size=50,
    latencies=(0.0, 0.02, 0.2),
    pagination_repeat=3,
    log_bytes=10_000_000,
    log_repeat=5,
)
QUICK = Sizes(
    comet_jobs=5_000,
    shared_records=2_000,
    cove_devices=1_000,
    repeat=3,
    calls=100,
    call_batches=3,
    import_runs=5,
    pages=16,
    page_size=20,
    latencies=(0.0, 0.02, 0.2),
    pagination_repeat=1,
    log_bytes=10_000_000,
    log_repeat=3,
)


# --------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    """Seconds taken by each timed run."""

    runs: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def measure(fn: Callable[[], object], repeat: int, *, warmup: int = 1) -> Timing:
    """Time ``fn`` ``repeat`` times after ``warmup`` untimed runs.

    The same for every figure: a full collection before each run and the collector left on
    during it (users have it on; every contender pays for its own allocations), and what
    ``fn`` returns is dropped inside the timed run -- each contender pays for building and
    for freeing what it made, as a poller that drops every page does.
    """
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return Timing(tuple(runs))


def measure_all(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, Timing]:
    """:func:`measure` for several contenders in rounds (each once per round, in turn),
    so that a machine that slows down or speeds up meanwhile touches every one alike."""
    for fn in fns.values():
        fn()
    runs: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            runs[name].extend(measure(fn, 1, warmup=0).runs)
    return {name: Timing(tuple(times)) for name, times in runs.items()}


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} us"


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    section: str
    figure: str
    target: str = "-"
    measured: str = ""
    met: bool | None = None  # None: no target (a peer or a breakdown)
    skipped: str = ""

    @property
    def result(self) -> str:
        if self.skipped:
            return self.skipped
        if self.met is None:
            return "-"
        return "met" if self.met else "NOT met"


def ratio_cell(value: float, baseline: Timing | float, numerator: float, *, of: str) -> str:
    base = baseline.best if isinstance(baseline, Timing) else baseline
    return f"{value:.2f}x {of} ({ms(numerator)} / {ms(base)})"


def print_table(rows: Sequence[Row], out: typing.TextIO) -> None:
    headers = ("Figure", "Target", "Measured", "Result")
    cells = [(r.figure, r.target, r.measured or "-", r.result) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out.write(line(headers) + "\n")
    out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    for cell in cells:
        out.write(line(cell) + "\n")


# --------------------------------------------------------------------------- peers


def have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _field_default(a: attrs.Attribute[Any], peer: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``(default, default_factory)`` of an attrs field for a peer model (NOTHING: required);
    a factory that builds a nested model builds the peer's model instead."""
    default: Any = a.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if _is_wire_model(a.type):
            return attrs.NOTHING, peer(a.type)
        return attrs.NOTHING, default.factory
    return default, None


def _is_wire_model(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and issubclass(tp, WireModel)


def peer_type(tp: Any, peer: Callable[[Any], Any]) -> Any:
    """The annotation a peer library gets for one of our field types: ``UnixTime`` is a
    ``datetime``, nested models are the peer's own, containers and unions are rebuilt,
    scalars and our open enums stay as they are (both peers honour ``_missing_``)."""
    if tp is UnixTime:
        return dt.datetime
    if _is_wire_model(tp):
        return peer(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, [peer_type(a, peer) for a in args])
    if origin is list:
        return list[peer_type(args[0], peer)]  # type: ignore[misc]
    if origin is dict:
        return dict[peer_type(args[0], peer), peer_type(args[1], peer)]  # type: ignore[misc]
    if origin is not None:
        raise TypeError(f"no peer type for {tp!r}")
    return tp


def _model_fields(cls: type[Any]) -> list[attrs.Attribute[Any]]:
    attrs.resolve_types(cls)
    return [a for a in attrs.fields(cls) if a.name != "extra_fields"]


_PYDANTIC: dict[type[Any], Any] = {}
_MSGSPEC: dict[type[Any], Any] = {}


def pydantic_model(cls: type[Any]) -> Any:
    """A pydantic v2 model of the same shape as one of our models, built from its attrs
    fields: same field names, the wire names as aliases, the same defaults, unknown keys
    kept (``extra="allow"``), every field validated by pydantic itself (no custom hooks)."""
    if cls in _PYDANTIC:
        return _PYDANTIC[cls]
    import pydantic

    definitions: dict[str, Any] = {}
    for a in _model_fields(cls):
        default, factory = _field_default(a, pydantic_model)
        wire = a.metadata.get("backup_sdk.wire", a.name)
        if factory is not None:
            spec = pydantic.Field(default_factory=factory, alias=wire)
        elif default is attrs.NOTHING:
            spec = pydantic.Field(alias=wire)
        else:
            spec = pydantic.Field(default=default, alias=wire)
        definitions[a.name] = (peer_type(a.type, pydantic_model), spec)
    made = _PYDANTIC[cls] = pydantic.create_model(
        f"Pydantic{cls.__name__}",
        __config__=pydantic.ConfigDict(extra="allow"),
        **definitions,
    )
    return made


def msgspec_struct(cls: type[Any]) -> Any:
    """A msgspec ``Struct`` of the same shape (renamed to the wire names, same defaults).
    msgspec drops unknown keys and is decoded with ``strict=False`` (epoch numbers become
    datetimes): the floor of what Python can do, not an equal."""
    if cls in _MSGSPEC:
        return _MSGSPEC[cls]
    import msgspec

    fields: list[tuple[str, Any, Any]] = []
    for a in _model_fields(cls):
        default, factory = _field_default(a, msgspec_struct)
        tp = peer_type(a.type, msgspec_struct)
        if factory is not None:
            fields.append((a.name, tp, msgspec.field(default_factory=factory)))
        elif default is attrs.NOTHING:
            fields.append((a.name, tp, msgspec.NODEFAULT))
        else:
            fields.append((a.name, tp, default))
    rename = {a.name: a.metadata.get("backup_sdk.wire", a.name) for a in _model_fields(cls)}
    made = _MSGSPEC[cls] = msgspec.defstruct(
        f"Msgspec{cls.__name__}",
        [(n, t) if d is msgspec.NODEFAULT else (n, t, d) for n, t, d in fields],
        kw_only=True,
        rename=rename,
    )
    return made


def pydantic_decoder(cls: type[Any]) -> Callable[[bytes], list[Any]]:
    import pydantic

    shape: Any = list[pydantic_model(cls)]  # type: ignore[misc]
    adapter: Any = pydantic.TypeAdapter(shape)
    decode: Callable[[bytes], list[Any]] = adapter.validate_json
    return decode


def msgspec_decoder(cls: type[Any]) -> Callable[[bytes], list[Any]]:
    import msgspec

    shape: Any = list[msgspec_struct(cls)]  # type: ignore[misc]
    decoder: Any = msgspec.json.Decoder(shape, strict=False)
    decode: Callable[[bytes], list[Any]] = decoder.decode
    return decode


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def assert_same_values(ours: Any, theirs: Any, cls: type[Any], where: str = "$") -> None:
    """A peer decoded every field of ``cls`` to the value we decoded (so it did the same
    work). The one documented difference: we read an epoch time of 0 as ``None``."""
    for a in _model_fields(cls):
        mine, peer = getattr(ours, a.name), getattr(theirs, a.name)
        path = f"{where}.{a.name}"
        if _is_wire_model(a.type):
            assert_same_values(mine, peer, typing.cast(type[Any], a.type), path)
        elif mine is None and peer == _EPOCH:
            continue
        else:
            assert mine == peer, f"{path}: {mine!r} != {peer!r}"
            assert type(mine) is type(peer) or isinstance(mine, dt.datetime), path


@contextlib.contextmanager
def orjson_off() -> Iterator[None]:
    """The SDK's decoding path as it is without the ``fast`` extra (orjson not installed)."""
    if not hasattr(jsonutil, "_orjson"):
        raise RuntimeError(
            "backup_sdk.jsonutil no longer has _orjson: update orjson_off() in run_all.py"
        )
    saved = jsonutil._orjson
    jsonutil._orjson = None
    try:
        yield
    finally:
        jsonutil._orjson = saved


# --------------------------------------------------------------------------- decoding


def comet_payload(jobs: int) -> bytes:
    """``AdminGetJobsAll`` as the simulator sends it: ``jobs`` ``BackupJobDetail`` records
    (every status and classification, one in seven with fields of newer servers)."""
    sim = CometSimulator(fleet=CometFleetSpec(users=100, jobs=jobs, running=0, seed=1))
    body = json_response(sim.public_jobs(sim.jobs)).body
    assert isinstance(body, bytes)
    return body


def decode_rows(
    section: str,
    label: str,
    payload: bytes,
    cls: type[Any],
    ours: list[tuple[str, Callable[[], list[Any]], str]],
    count: int,
    sizes: Sizes,
    *,
    fast: Callable[[], list[Any]] | None = None,
) -> list[Row]:
    """Rows for one model decoded by us and by the peers, all against ``json.loads``.

    ``ours`` are ``(figure, fn, kind)`` with kind ``"pydantic"`` (target: no slower than
    pydantic) or ``"info"``; ``fast`` is the SDK path with orjson (target: <= 1.0x).
    Every contender is timed in the same rounds (see :func:`measure_all`); the best run
    of each is kept.
    """

    def check(result: list[Any]) -> list[Any]:
        assert len(result) == count, (len(result), count)
        return result

    contenders: dict[str, Callable[[], object]] = {"json.loads": lambda: json.loads(payload)}
    for figure, fn, _ in ours:
        contenders[figure] = lambda fn=fn: check(fn())  # type: ignore[misc]
    if fast is not None and have("orjson"):
        contenders["fast"] = lambda: check(fast())
    reference = ours[0][1]()[:100]
    if have("pydantic"):
        decode = pydantic_decoder(cls)
        for mine, theirs in zip(reference, decode(payload)[:100], strict=True):
            assert_same_values(mine, theirs, cls)
        contenders["pydantic"] = lambda: check(decode(payload))
    if have("msgspec"):
        struct_decode = msgspec_decoder(cls)
        for mine, theirs in zip(reference, struct_decode(payload)[:100], strict=True):
            assert_same_values(mine, theirs, cls)
        contenders["msgspec"] = lambda: check(struct_decode(payload))
    del reference
    timings = measure_all(contenders, sizes.repeat)
    base = timings["json.loads"]
    pyd = timings.get("pydantic")

    def cell(timing: Timing) -> str:
        return ratio_cell(timing.best / base.best, base, timing.best, of="json.loads")

    size = f"{count:,} {label}, {len(payload) / 1e6:.1f} MB"
    rows = [Row(section, f"{size}: json.loads (baseline)", measured=f"{ms(base.best)} (1.00x)")]
    for figure, _, kind in ours:
        timing = timings[figure]
        row = Row(section, figure, measured=cell(timing))
        if kind == "pydantic":
            if pyd is None:
                row.target = "<= pydantic v2"
                row.measured += f", {us(timing.best / count)}/record"
                row.skipped = "not judged (install .[bench])"
            else:
                row.target = f"<= pydantic v2 ({pyd.best / base.best:.2f}x)"
                row.measured += f"; {timing.best / pyd.best:.2f}x pydantic"
                row.met = timing.best <= pyd.best
        rows.append(row)
    if fast is not None:
        row = Row(section, "  with orjson (fast extra): bytes -> models", target="<= 1.00x")
        if "fast" in timings:
            row.measured = cell(timings["fast"])
            row.met = timings["fast"].best <= base.best
        else:
            row.skipped = SKIP_FAST
        rows.append(row)
    titles = {"pydantic": "pydantic v2, bytes -> models", "msgspec": "msgspec, bytes -> Structs"}
    for name, title in titles.items():
        row = Row(section, f"  peer: {title}")
        if name in timings:
            row.measured = cell(timings[name])
        else:
            row.skipped = SKIP_BENCH
        rows.append(row)
    return rows


def bench_comet(sizes: Sizes) -> list[Row]:
    payload = comet_payload(sizes.comet_jobs)
    count = sizes.comet_jobs

    def sdk_stdlib() -> list[Any]:
        with orjson_off():
            return converter.structure_list(jsonutil.loads(payload), BackupJobDetail)

    def models_only() -> list[Any]:
        return converter.structure_list(json.loads(payload), BackupJobDetail)

    def sdk_fast() -> list[Any]:
        return converter.structure_list(jsonutil.loads(payload), BackupJobDetail)

    def json_step() -> Any:
        with orjson_off():
            return jsonutil.loads(payload)

    return decode_rows(
        "comet",
        "Comet BackupJobDetail",
        payload,
        BackupJobDetail,
        [
            ("  comet_sdk: bytes -> models (SDK path, no orjson)", sdk_stdlib, "pydantic"),
            ("    of which backup_sdk.jsonutil.loads (no orjson)", json_step, "info"),
            ("  comet_sdk: json.loads + models (as issue 14 measured)", models_only, "pydantic"),
        ],
        count,
        sizes,
        fast=sdk_fast,
    )


def bench_shared(sizes: Sizes) -> list[Row]:
    payload = make_shared_payload(sizes.shared_records)
    conv = ModelConverter("bench")
    return decode_rows(
        "shared",
        "generic jobs (benchmarks/shared_decode.py)",
        payload,
        SharedJob,
        [
            (
                "  shared model layer: json.loads + models",
                lambda: conv.structure_list(json.loads(payload), SharedJob),
                "pydantic",
            )
        ],
        sizes.shared_records,
        sizes,
    )


def bench_cove(sizes: Sizes) -> list[Row]:
    payload = make_cove_page(sizes.cove_devices)

    def rows() -> Any:
        return decode_page(json.loads(payload)["result"]["result"])

    def typed() -> int:
        return typed_reads(rows())

    timings = measure_all(
        {"base": lambda: json.loads(payload), "rows": rows, "typed": typed}, sizes.repeat
    )
    base, decoded, read = timings["base"], timings["rows"], timings["typed"]
    size = f"Cove {sizes.cove_devices:,} devices x {len(COVE_COLUMNS)} columns"
    return [
        Row(
            "cove",
            f"{size}, {len(payload) / 1e6:.1f} MB: json.loads (baseline)",
            measured=f"{ms(base.best)} (1.00x)",
        ),
        Row(
            "cove",
            "  json.loads + rows (target of issue 4)",
            target="<= 2.00x",
            measured=ratio_cell(decoded.best / base.best, base, decoded.best, of="json.loads"),
            met=decoded.best / base.best <= 2.0,
        ),
        Row(
            "cove",
            "  + 5 typed reads per device",
            target="<= 2.00x",
            measured=ratio_cell(read.best / base.best, base, read.best, of="json.loads"),
            met=read.best / base.best <= 2.0,
        ),
    ]


# --------------------------------------------------------------------------- per call


def _per_call(
    vendor: str, make: Callable[[], SimulatorServer], call: Callable[[Any], object], sizes: Sizes
) -> Row:
    """One client call against the in-process simulator, against the same request (the
    exact bytes the client sent, replayed) through a bare ``requests.Session`` decoded with
    ``json.loads``, both over keep-alive. Batches alternate; the median batch is kept."""
    with make() as sim:
        client = sim.client()  # type: ignore[attr-defined]
        with client:
            call(client)  # logs in
            call(client)
            sent = sim.received()[-1]
            url = sim.url + sent.path
            headers = {
                k: sent.headers[k]
                for k in ("content-type", "accept", "authorization")
                if k in sent.headers
            }
            body = sent.body or None
            with requests.Session() as session:

                def bare() -> Any:
                    reply = session.request(sent.method, url, data=body, headers=headers)
                    return json.loads(reply.content)

                answer = bare()
                if isinstance(answer, dict):
                    assert "error" not in answer, answer
                    assert not 400 <= int(answer.get("Status", 200) or 200) < 600, answer

                def batch(fn: Callable[[], object]) -> Callable[[], None]:
                    def run() -> None:
                        for _ in range(sizes.calls):
                            fn()

                    return run

                ours: list[float] = []
                theirs: list[float] = []
                for _ in range(sizes.call_batches):
                    ours.extend(measure(batch(lambda: call(client)), 1, warmup=0).runs)
                    theirs.extend(measure(batch(bare), 1, warmup=0).runs)
    mine, base = statistics.median(ours) / sizes.calls, statistics.median(theirs) / sizes.calls
    return Row(
        "calls",
        f"per-call overhead: {vendor} vs bare Session + json.loads",
        target="<= 1.05x",
        measured=f"{mine / base:.2f}x ({us(mine)} / {us(base)} per call)",
        met=mine / base <= 1.05,
    )


def bench_calls(sizes: Sizes) -> list[Row]:
    return [
        _per_call(
            "comet_sdk admin_meta_version",
            CometSimulator,
            lambda c: c.admin_meta_version(),
            sizes,
        ),
        _per_call(
            "cove_sdk get_server_info",
            lambda: CoveSimulator(fleet=FleetSpec(devices=20)),
            lambda c: c.get_server_info(),
            sizes,
        ),
        _per_call(
            "npm_backup_sdk device_status.get",
            NpmBackupSimulator,
            lambda c: c.device_status.get(),
            sizes,
        ),
    ]


# --------------------------------------------------------------------------- imports


def _subprocess_env() -> dict[str, str]:
    """This checkout first on the path (it is what is measured), bytecode written."""
    given = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    path = [str(ROOT), *(p for p in given if p and Path(p).resolve() != ROOT)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as users have it
    return env


def _import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_subprocess_env(),
        cwd=ROOT,
        check=True,
    )
    return float(done.stdout.strip())


def bench_imports(sizes: Sizes) -> list[Row]:
    modules = ("requests", *PACKAGES)
    for module in modules:  # write the bytecode caches first
        _import_seconds(module)
    runs: dict[str, list[float]] = {m: [] for m in modules}
    for _ in range(sizes.import_runs):  # interleaved, so drift touches every module alike
        for module in modules:
            runs[module].append(_import_seconds(module))
    base = statistics.median(runs["requests"])
    rows = [
        Row(
            "imports",
            f"import requests (baseline; fresh interpreter, median of {sizes.import_runs})",
            measured=f"{ms(base)} (1.00x)",
        )
    ]
    for module in PACKAGES:
        took = statistics.median(runs[module])
        rows.append(
            Row(
                "imports",
                f"  import {module}",
                target="<= 1.50x",
                measured=f"{took / base:.2f}x import requests ({ms(took)} / {ms(base)})",
                met=took / base <= 1.5,
            )
        )
    return rows


# --------------------------------------------------------------------------- pagination


class _ReplayingCove(CoveSimulator):
    """The Cove simulator, answering a statistics page it already rendered with the same
    bytes: the pagination figure measures the client, not the simulator's filtering of the
    fleet, which would otherwise take most of the 2 cores the two processes share."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pages: dict[str, SimResponse] = {}

    def handle(self, request: SimRequest) -> SimResponse:
        try:
            body = request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("method") != "EnumerateAccountStatistics":
            return super().handle(request)
        key = json.dumps(body.get("params"), sort_keys=True)
        with self.lock:
            page = self._pages.get(key)
        if page is None:
            page = super().handle(request)
            with self.lock:
                self._pages[key] = page
        return page


def serve_cove(argv: Sequence[str]) -> int:
    """``run_all.py _serve-cove``: ``python -m cove_sdk.testing`` with added latency (a
    simulator process for the pagination figure; prints NAME=value lines, then READY)."""
    from backup_sdk.testing.process import serve

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--devices", type=int, default=200)
        parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")

    def simulator(args: argparse.Namespace, clock: SimClock) -> CoveSimulator:
        sim = _ReplayingCove(fleet=FleetSpec(devices=args.devices, seed=args.seed), clock=clock)
        sim.faults.add_latency(args.latency)
        return sim

    return serve("cove_sdk", simulator, list(argv), add_arguments=arguments)


@contextlib.contextmanager
def cove_process(devices: int, latency: float) -> Iterator[dict[str, str]]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_serve-cove",
        "--port",
        "0",
        "--devices",
        str(devices),
        "--latency",
        str(latency),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_subprocess_env(),
        cwd=ROOT,
    )
    try:
        env: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            line = line.strip()
            if line == "READY":
                break
            name, _, value = line.partition("=")
            env[name] = value
        else:
            raise RuntimeError(f"the simulator process exited before READY: {process.stderr}")
        yield env
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def bench_pagination(sizes: Sizes) -> list[Row]:
    from cove_sdk.client import CoveClient

    rows: list[Row] = []
    total = sizes.pages * sizes.page_size
    ideal = sizes.pages / math.ceil(sizes.pages / 8)
    columns = COVE_COLUMNS[:10]
    for latency in sizes.latencies:
        with cove_process(total, latency) as env, CoveClient.from_env(env) as client:
            client.login()
            partner = client.user.partner_id

            def fetch(concurrency: int, client: CoveClient = client, partner: int = partner) -> int:
                pages = client.iter_account_statistics(
                    partner,
                    columns,
                    page_size=sizes.page_size,
                    limit=total,
                    concurrency=concurrency,
                )
                count = sum(1 for _ in pages)
                assert count == total, (count, total)
                return count

            timings = measure_all(
                {"1": lambda: fetch(1), "8": lambda: fetch(8)}, sizes.pagination_repeat
            )
            one, eight = timings["1"], timings["8"]
        speedup = one.median / eight.median
        shape = f"simulator process, {sizes.pages} pages x {sizes.page_size} x {len(columns)} cols"
        if not latency:
            # no latency to hide: what a page costs in CPU (client + simulator), which
            # concurrency cannot overlap on a machine this size -- it bounds the figures below
            rows.append(
                Row(
                    "pagination",
                    f"concurrency 8 vs 1, no added latency, {shape}",
                    measured=f"{speedup:.2f}x; {ms(one.median / sizes.pages)} per page "
                    f"({ms(one.median)} -> {ms(eight.median)})",
                )
            )
            continue
        rows.append(
            Row(
                "pagination",
                f"concurrency 8 vs 1, {latency * 1e3:.0f} ms latency, {shape}",
                target=">= 80% of ideal",
                measured=f"{speedup / ideal:.0%} of ideal: {speedup:.2f}x of {ideal:.0f}x "
                f"({ms(one.median)} -> {ms(eight.median)})",
                met=speedup / ideal >= 0.8,
            )
        )
    return rows


# --------------------------------------------------------------------------- logging


def _big_body(size: int) -> bytes:
    """A JSON document of about ``size`` bytes with secrets all through it."""
    item = {"Name": "item-000000", "Password": "hunter2-secret", "Data": "x" * 100, "Size": 1}
    count = max(1, size // (len(json.dumps(item)) + 2))
    items = [{**item, "Name": f"item-{i:06d}", "Size": i} for i in range(count)]
    return json.dumps({"Status": 200, "SessionKey": "sk-abcdef", "Items": items}).encode()


def bench_logging(sizes: Sizes) -> list[Row]:
    body = _big_body(sizes.log_bytes)
    decoded = json.loads(body)
    response = requests.Response()
    response._content = body
    response.status_code = 200
    response.headers["Content-Type"] = "application/json"
    response.elapsed = dt.timedelta(milliseconds=12)
    call = CallInfo(
        vendor="comet", operation="Bench", method="POST", url="http://127.0.0.1/x", idempotent=True
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("backup_sdk.bench.httplog")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        headers = {"Content-Type": "application/json"}
        timings = measure_all(
            {
                "response": lambda: log_response(logger, call, response, False),
                "request": lambda: log_request(logger, call, 1, headers, decoded, None, None),
            },
            sizes.log_repeat,
        )
        received, sent = timings["response"], timings["request"]
    finally:
        logger.removeHandler(handler)
    assert "hunter2" not in stream.getvalue(), "a secret reached the log"
    mb = len(body) / 1e6
    return [
        Row(
            "logging",
            f"DEBUG log of a {mb:.0f} MB response body (httplog.log_response)",
            target="<= 50 ms",
            measured=ms(received.best),
            met=received.best <= 0.05,
        ),
        Row(
            "logging",
            f"DEBUG log of a {mb:.0f} MB JSON request body (httplog.log_request)",
            target="<= 50 ms",
            measured=ms(sent.best),
            met=sent.best <= 0.05,
        ),
    ]


# --------------------------------------------------------------------------- profile


def profile_comet(sizes: Sizes, out: typing.TextIO) -> None:
    """cProfile of ``json.loads`` + comet_sdk models on the Comet payload, top 15 by tottime."""
    payload = comet_payload(sizes.comet_jobs)
    converter.structure_list(json.loads(payload)[:10], BackupJobDetail)  # hooks built
    data = json.loads(payload)
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    result = converter.structure_list(data, BackupJobDetail)
    profiler.disable()
    assert len(result) == sizes.comet_jobs
    out.write(f"\ncProfile: converter.structure_list over {sizes.comet_jobs:,} jobs\n")
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)


# --------------------------------------------------------------------------- main

BENCHES: dict[str, Callable[[Sizes], list[Row]]] = {
    "comet": bench_comet,
    "shared": bench_shared,
    "cove": bench_cove,
    "calls": bench_calls,
    "imports": bench_imports,
    "pagination": bench_pagination,
    "logging": bench_logging,
}


def run_section(name: str, quick: bool, repeat: int | None) -> list[Row]:
    """Run one section in a fresh interpreter (``run_all.py _section NAME``), so that no
    section's leftovers (heap size, caches, threads) weigh on another's figures."""
    command = [sys.executable, str(Path(__file__).resolve()), "_section", name]
    command += ["--quick"] if quick else []
    command += ["--repeat", str(repeat)] if repeat is not None else []
    done = subprocess.run(
        command, stdout=subprocess.PIPE, text=True, env=_subprocess_env(), cwd=ROOT, check=False
    )
    if done.returncode != 0:  # its traceback went to stderr
        sys.stderr.write(done.stdout)
        raise SystemExit(f"benchmark section {name!r} failed (exit status {done.returncode})")
    return [Row(**fields) for fields in json.loads(done.stdout.strip().splitlines()[-1])]


def _sizes(quick: bool, repeat: int | None) -> Sizes:
    sizes = QUICK if quick else FULL
    return sizes if repeat is None else dataclasses.replace(sizes, repeat=max(1, repeat))


def section_main(argv: Sequence[str]) -> int:
    """``run_all.py _section NAME [--quick] [--repeat N]``: print one section's rows as JSON."""
    parser = argparse.ArgumentParser(prog="run_all.py _section")
    parser.add_argument("name", choices=SECTIONS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args(argv)
    rows = BENCHES[args.name](_sizes(args.quick, args.repeat))
    print(json.dumps([dataclasses.asdict(row) for row in rows]))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["_serve-cove"]:
        return serve_cove(args_list[1:])
    if args_list[:1] == ["_section"]:
        return section_main(args_list[1:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument(
        "--only", default="", help=f"comma-separated sections: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed runs of each decode")
    parser.add_argument(
        "--profile", action="store_true", help="profile the Comet model decode and stop"
    )
    args = parser.parse_args(args_list)
    if args.profile:
        profile_comet(_sizes(args.quick, args.repeat), sys.stdout)
        return 0
    wanted = [s.strip() for s in args.only.split(",") if s.strip()] or list(SECTIONS)
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}")
    started = time.perf_counter()
    peers = ", ".join(
        f"{name} {_version(name)}" for name in ("orjson", "pydantic", "msgspec") if have(name)
    )
    print(
        f"backup-sdk benchmarks ({'quick' if args.quick else 'full'} sizes), "
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; peers: {peers or 'none (install .[bench])'}",
        flush=True,
    )
    rows: list[Row] = []
    for section in SECTIONS:
        if section in wanted:
            print(f"  {section}...", file=sys.stderr, flush=True)
            rows.extend(run_section(section, args.quick, args.repeat))
    print()
    print_table(rows, sys.stdout)
    targets = [r for r in rows if r.met is not None]
    met = sum(1 for r in targets if r.met)
    print(
        f"\n{met} of {len(targets)} targets met "
        f"({sum(1 for r in rows if r.skipped)} rows skipped); "
        f"{time.perf_counter() - started:.1f} s"
    )
    return 0


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
