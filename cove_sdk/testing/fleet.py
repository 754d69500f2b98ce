"""A seeded, realistic fleet for the Cove simulator: partners, devices, data sources and
their sessions, and the column values and session history the services report for them.

The fleet evolves with the simulator's clock. Every data source of a device backs up on a
schedule (once a day, at its own time with some jitter); each session has a start, a
duration and an outcome drawn deterministically from the seed, so what the statistics show
at any simulated time follows from the sessions that started before it:

* ``F00`` the last session's status (``IN_PROCESS``/``IN_PROGRESS_WITH_FAULTS`` while it
  runs), ``F15`` its start time (empty while it runs);
* ``F17``/``F18`` status and end time of the last completed session, ``F12`` its
  duration, ``F06`` its errors, ``F03``/``F05`` its sizes;
* ``F09`` the end time of the last successful (``COMPLETED``) session.

Stale devices stopped backing up some days before the simulation started; a few devices
never backed up at all. Nothing ends in the future.
"""

from __future__ import annotations

import functools
import hashlib
import random
from typing import Any

import attrs

from cove_sdk.columns import DATA_SOURCES, canonical

__all__ = [
    "NEVER",
    "Device",
    "Fleet",
    "FleetSpec",
    "Partner",
    "Session",
    "SourcePlan",
    "SourceStats",
]

#: The service's "never" time (``I5`` of a device that does not expire).
NEVER = 2147483647

# final status, weight: mostly success, some warnings and failures, a few odd ones
_STATUS_MIX = [
    (5, 800),
    (8, 70),
    (2, 45),
    (3, 10),
    (6, 10),
    (10, 10),
    (11, 10),
    (7, 10),
]
_DAY = 86_400
_SERVER_SOURCES = [[1, 7], [1, 7, 10], [1, 7, 14], [1, 7, 4], [1, 7, 10, 6]]
_WORKSTATION_SOURCES = [[1], [1, 7], [1, 2]]
_M365_SOURCES = [[19, 20], [19, 20, 5], [19, 20, 5, 23]]
_OS = {
    1: ["Windows 10 Pro", "Windows 11 Pro", "macOS 14.5"],
    2: ["Windows Server 2019", "Windows Server 2022", "Ubuntu 22.04"],
}


@attrs.define
class Partner:
    """A partner of the simulated hierarchy."""

    id: int
    name: str
    level: str
    parent_id: int | None
    children: list[int] = attrs.field(factory=list)
    state: str = "InProduction"

    def info(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "Name": self.name,
            "Level": self.level,
            "ParentId": self.parent_id,
            "Uid": hashlib.md5(str(self.id).encode()).hexdigest(),
            "State": self.state,
            "ServiceType": "AllInclusive",
            "ChildServiceTypes": ["AllInclusive"],
            "LocationId": 1,
            "Country": "NL",
            "Company": {"LegalCompanyName": self.name.split(" (")[0]},
        }


@attrs.define(slots=True)
class SourceStats:
    """What the statistics show for one data source of one device at one moment."""

    number: int
    status: int
    last_session: int  # start of the last session; 0 while it runs
    last_success: int  # end of the last successful session; 0 for never
    last_completed: int  # end of the last completed session; 0 for never
    completed_status: int
    errors: int  # of the last completed session
    duration: int  # of the last completed session
    selected_size: int
    sent_size: int
    protected_size: int
    selected_count: int


@attrs.frozen
class Session:
    """One backup session of one data source (times are unix seconds, simulated clock)."""

    account_id: int
    source: int
    index: int
    start: int
    duration: int
    status: int  # the final status
    errors: int
    selected_size: int
    sent_size: int
    selected_count: int

    @property
    def end(self) -> int:
        return self.start + self.duration

    @property
    def id(self) -> int:
        """Stable and unique: account, data source and the session's number."""
        return self.account_id * 10**6 + self.source * 10**4 + self.index % 10**4

    def status_at(self, now: float) -> int:
        """``IN_PROCESS`` (or ``IN_PROGRESS_WITH_FAULTS`` once errors showed up) while it
        runs, its final status afterwards."""
        if now >= self.end:
            return self.status
        if self.errors and now >= self.start + self.duration / 2:
            return 9
        return 1


@functools.lru_cache(maxsize=262_144)
def _session(plan: SourcePlan, index: int) -> Session:
    rng = random.Random(hash((plan.seed, plan.account_id, plan.number, index)))
    status = _weighted(rng)
    duration = 0 if status == 7 else rng.randrange(60, 3 * 3_600)
    start = plan.origin + index * plan.period + rng.randrange(0, plan.period // 4)
    selected = plan.selected_size + rng.randrange(0, plan.selected_size // 50 + 1)
    return Session(
        account_id=plan.account_id,
        source=plan.number,
        index=index,
        start=start,
        duration=duration,
        status=status,
        errors=rng.randrange(1, 40) if status in (2, 8) else 0,
        selected_size=selected,
        sent_size=selected // rng.randrange(30, 400),
        selected_count=plan.selected_count,
    )


@attrs.frozen
class SourcePlan:
    """The backup schedule of one data source: a session every ``period`` seconds from
    ``origin`` (each starts within the first quarter of its slot and lasts at most three
    hours), none starting after ``stop_at``."""

    seed: int
    account_id: int
    number: int
    origin: int
    period: int
    stop_at: int | None
    selected_size: int
    selected_count: int

    def session(self, index: int) -> Session:
        found: Session = _session(self, index)
        return found

    def last_index(self, now: float) -> int | None:
        """The number of the last session that started by ``now``."""
        limit = now if self.stop_at is None else min(now, self.stop_at)
        if limit < self.origin:
            return None
        index = int((limit - self.origin) // self.period)
        while index >= 0 and self.session(index).start > limit:
            index -= 1
        return index if index >= 0 else None

    def stats(self, now: float) -> SourceStats:
        last = self.last_index(now)
        if last is None:
            return SourceStats(self.number, 0, 0, 0, 0, 0, 0, 0, self.selected_size, 0, 0, 0)
        current = self.session(last)
        completed_index = last if now >= current.end else last - 1
        completed = self.session(completed_index) if completed_index >= 0 else None
        success = 0
        for index in range(completed_index, max(-1, completed_index - 400), -1):
            candidate = self.session(index)
            if candidate.status == 5:
                success = candidate.end
                break
        shown = completed or current
        return SourceStats(
            number=self.number,
            status=current.status_at(now),
            last_session=current.start if now >= current.end else 0,
            last_success=success,
            last_completed=completed.end if completed is not None else 0,
            completed_status=completed.status if completed is not None else 0,
            errors=completed.errors if completed is not None else 0,
            duration=completed.duration if completed is not None else 0,
            selected_size=shown.selected_size,
            sent_size=shown.sent_size,
            protected_size=shown.selected_size,
            selected_count=shown.selected_count,
        )

    def sessions(self, since: float, until: float) -> list[Session]:
        """Sessions that started in ``[since, until]`` (the running one included)."""
        last = self.last_index(until)
        if last is None:
            return []
        first = max(0, int((since - self.origin) // self.period) - 1)
        return [
            s
            for s in (self.session(i) for i in range(first, last + 1))
            if since <= s.start <= until
        ]


@attrs.define(slots=True)
class Device:
    """One device account and its data sources' schedules."""

    account_id: int
    partner_id: int
    customer: str
    name: str
    computer: str
    os_type: int
    account_type: int
    os_version: str
    created: int
    contact_lag: int
    stale_since: int | None
    used_storage: int
    plans: list[SourcePlan]
    token: str
    ds_format: int
    clock: Any = attrs.field(repr=False, eq=False)

    @property
    def now(self) -> float:
        return float(self.clock())

    @property
    def sources(self) -> list[SourceStats]:
        """Every data source's statistics now."""
        now = self.now
        return [plan.stats(now) for plan in self.plans]

    @property
    def last_contact(self) -> int:
        if self.stale_since is not None:
            return self.stale_since
        return int(self.now) - self.contact_lag

    def total(self) -> SourceStats:
        """The synthetic D9 "Total" source: newest results across sources."""
        sources = self.sources
        if not sources:
            return SourceStats(9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        latest = max(sources, key=lambda s: s.last_session or 2**40)
        return SourceStats(
            9,
            latest.status,
            0 if any(s.last_session == 0 for s in sources) else latest.last_session,
            max(s.last_success for s in sources),
            max(s.last_completed for s in sources),
            latest.completed_status,
            sum(s.errors for s in sources),
            sum(s.duration for s in sources),
            sum(s.selected_size for s in sources),
            sum(s.sent_size for s in sources),
            sum(s.protected_size for s in sources),
            sum(s.selected_count for s in sources),
        )

    def session_history(self, since: float, until: float) -> list[Session]:
        """Every session of every data source that started in ``[since, until]``."""
        return [s for plan in self.plans for s in plan.sessions(since, until)]

    def active_sources(self) -> str:
        """``I78`` in one of the three formats servers were seen to send."""
        codes = [p.number for p in self.plans]
        if self.ds_format == 0:
            return "".join(f"D{n:02d}" for n in codes)
        if self.ds_format == 1:
            return ",".join(f"D{n}" for n in codes)
        return "".join(f"D{n}" if i % 2 else f"D{n:02d}" for i, n in enumerate(codes))

    def legacy_active_sources(self) -> str:
        """``AP``, the legacy form of ``I78``: one letter per source (``FSZ``). D5 and D23
        have no letter and are left out; D2 and D7 both show as ``S``."""
        return "".join(DATA_SOURCES[p.number].legacy for p in self.plans)

    def internal_ips(self) -> str:
        """``I19``: servers have two interfaces, sent as one ``;``-separated string."""
        first = f"10.0.{self.account_id % 250}.{self.account_id % 200 + 1}"
        if self.os_type != 2:
            return first
        return f"{first};192.168.{self.account_id % 7}.{self.account_id % 250 + 2}"

    def external_ips(self) -> list[str]:
        """``I20``: sent as a JSON list (a multi-valued column), two for servers, none
        for Microsoft 365 tenants."""
        ips = [f"203.0.113.{self.account_id % 254 + 1}"]
        if self.os_type == 2:
            ips.append(f"198.51.100.{self.account_id % 254 + 1}")
        return ips if self.os_type else []

    def expiration(self) -> int:
        """``I5``: every tenth device is a trial that expires 30 days after creation; the
        rest never do (the service's 2147483647)."""
        return self.created + 30 * 86_400 if self.account_id % 10 == 0 else NEVER

    def column(self, code: str) -> str | list[str] | None:
        """A column as the service sends it for the code as requested: the legacy ``AP``
        gets letters, ``I20`` a list, everything else text (None when absent)."""
        if code.strip().upper() == "AP":
            return self.legacy_active_sources() or None
        key = canonical(code)
        if key == "I20":
            return self.external_ips() or None
        return self.value(key)

    def source(self, number: int) -> SourceStats | None:
        if number == 9:
            return self.total() if self.plans else None
        for plan in self.plans:
            if plan.number == number:
                return plan.stats(self.now)
        return None

    def value(self, key: str) -> str | None:
        """The text value of a column (by its canonical key), or None when absent."""
        if key.startswith("D") and "F" in key:
            number, field = (int(x) for x in key[1:].split("F"))
            stats = self.source(number)
            return None if stats is None else _stat_value(stats, field, self)
        if key == "I20":
            return ";".join(self.external_ips()) or None
        return self._property(key)

    def _property(self, key: str) -> str | None:
        props: dict[str, Any] = {
            "I0": self.account_id,
            "I1": self.name,
            "I4": self.created,
            "I5": self.expiration(),
            "I6": self.last_contact,
            "I8": self.customer,
            "I9": 2,
            "I10": "Standard retention",
            "I11": "EU-West",
            "I14": self.used_storage,
            "I15": f"it@{self.customer.split(' ')[0].lower()}.example",
            "I16": self.os_version,
            "I17": "25.4.0.25101",
            "I18": self.computer,
            "I19": self.internal_ips(),
            "I21": f"00-50-56-{self.account_id % 256:02X}-00-01",
            "I32": self.os_type,
            "I33": 1,
            "I35": (self.account_id % 3 == 0 and 1) or 0,
            "I36": 100 if self.last_contact else 0,
            "I37": 100 if self.account_id % 3 == 0 else 0,
            "I56": "Default profile",
            "I59": self.account_type,
            "I63": self.customer.split(" (")[0],
            "I78": self.active_sources(),
            "I80": "Disabled",
            "I81": "Virtual" if self.os_type == 2 else "Physical",
            "I82": "No",
        }
        value = props.get(key)
        return None if value is None else str(value)

    def all_values(self) -> list[str]:
        keys = ["I0", "I1", "I8", "I18", "I16", "I63", "I78"]
        return [v for v in (self._property(k) for k in keys) if v is not None]


def _stat_value(stats: SourceStats, field: int, device: Device) -> str | None:
    values: dict[int, Any] = {
        0: stats.status,
        1: stats.selected_count,
        2: stats.selected_count,
        3: stats.selected_size,
        4: stats.selected_size,
        5: stats.sent_size,
        6: stats.errors,
        7: stats.protected_size,
        8: _colour_bar(stats, device.account_id),
        9: stats.last_success,
        12: stats.duration,
        14: 30,
        15: "" if stats.last_session == 0 else stats.last_session,
        16: 5 if stats.last_success else 0,
        17: stats.completed_status,
        18: stats.last_completed,
    }
    if device.account_type == 2:
        values[13] = values[20] = 10 + device.account_id % 40
    value = values.get(field)
    return None if value is None else str(value)


def _colour_bar(stats: SourceStats, seed: int) -> str:
    rng = random.Random(seed * 31 + stats.number)
    days = [rng.choice("5555555585") for _ in range(27)]
    return "".join(days) + str(stats.status if stats.status < 10 else 2)


def _weighted(rng: random.Random) -> int:
    return rng.choices([s for s, _ in _STATUS_MIX], weights=[w for _, w in _STATUS_MIX])[0]


@attrs.frozen
class FleetSpec:
    """Size and shape of the simulated fleet (deterministic for a given ``seed``)."""

    devices: int = 100
    customers: int | None = None  # default: one per 25 devices (1..400)
    seed: int = 1
    m365_share: float = 0.05
    stale_share: float = 0.04
    never_share: float = 0.01


class Fleet:
    """Partners and devices generated from a :class:`FleetSpec` at time ``now``; their
    statistics follow ``clock`` (unix seconds; default: frozen at ``now``)."""

    ROOT_ID = 1
    MSP_ID = 10_000

    def __init__(self, spec: FleetSpec, now: int, clock: Any = None) -> None:
        self.spec = spec
        self.now = now
        self.clock = clock if clock is not None else (lambda: now)
        rng = random.Random(spec.seed)
        self.partners: dict[int, Partner] = {}
        self.root = self._add(Partner(self.ROOT_ID, "Cove Root", "Root", None))
        self.msp = self._add(
            Partner(self.MSP_ID, "Acme MSP (ops@acme-msp.example)", "Reseller", self.ROOT_ID)
        )
        count = spec.customers or max(1, min(400, spec.devices // 25 or 1))
        customers = [
            self._add(
                Partner(
                    self.MSP_ID + 1 + n,
                    f"Customer {n + 1:03d} (it@customer{n + 1:03d}.example)",
                    "EndCustomer",
                    self.MSP_ID,
                    state="InTrial" if n % 17 == 16 else "InProduction",
                )
            )
            for n in range(count)
        ]
        self.devices: list[Device] = [self._device(rng, i, customers) for i in range(spec.devices)]
        self.by_account = {d.account_id: d for d in self.devices}

    def _add(self, partner: Partner) -> Partner:
        self.partners[partner.id] = partner
        if partner.parent_id is not None:
            self.partners[partner.parent_id].children.append(partner.id)
        return partner

    def descendants(self, partner_id: int) -> set[int]:
        """The partner and everything below it."""
        out = {partner_id}
        stack = [partner_id]
        while stack:
            for child in self.partners[stack.pop()].children:
                if child not in out:
                    out.add(child)
                    stack.append(child)
        return out

    def ancestors(self, partner_id: int) -> list[Partner]:
        out = []
        current = self.partners.get(partner_id)
        while current is not None:
            out.append(current)
            current = self.partners.get(current.parent_id) if current.parent_id else None
        return out

    def _device(self, rng: random.Random, i: int, customers: list[Partner]) -> Device:
        customer = customers[i % len(customers)]
        now = self.now
        account_id = 700_000 + i
        m365 = rng.random() < self.spec.m365_share
        os_type = 0 if m365 else (2 if rng.random() < 0.3 else 1)
        pools = {0: _M365_SOURCES, 1: _WORKSTATION_SOURCES, 2: _SERVER_SOURCES}
        numbers = rng.choice(pools[os_type])
        stale = rng.random() < self.spec.stale_share
        never = rng.random() < self.spec.never_share
        created = now - rng.randrange(30, 900) * _DAY
        stale_since = now - rng.randrange(2, 10) * _DAY - rng.randrange(0, _DAY) if stale else None
        plans = [
            SourcePlan(
                seed=self.spec.seed,
                account_id=account_id,
                number=n,
                origin=created + rng.randrange(0, _DAY),
                period=_DAY,
                stop_at=stale_since,
                selected_size=rng.randrange(10**7, 8 * 10**11),
                selected_count=rng.randrange(100, 2_000_000),
            )
            for n in (numbers if not never else [])
        ]
        slug = customer.name.split(" (")[0].lower().replace(" ", "")
        kind = {0: "m365", 1: "ws", 2: "srv"}[os_type]
        name = f"{slug}-{kind}{i + 1:05d}"
        return Device(
            account_id=account_id,
            partner_id=customer.id,
            customer=customer.name.split(" (")[0],
            name=name,
            computer="" if m365 else name.upper(),
            os_type=os_type,
            account_type=2 if m365 else 1,
            os_version="" if m365 else rng.choice(_OS[os_type]),
            created=created,
            contact_lag=rng.randrange(60, 3 * 3_600),
            stale_since=stale_since,
            used_storage=sum(p.selected_size for p in plans) // 3,
            plans=plans,
            token=hashlib.sha256(f"{self.spec.seed}:{i}".encode()).hexdigest()[:32],
            ds_format=i % 3,
            clock=self.clock,
        )

    @staticmethod
    def key(code: str) -> str:
        """The canonical key the fleet is indexed by."""
        return canonical(code)
