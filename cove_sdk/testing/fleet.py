"""A seeded, realistic fleet for the Cove simulator: partners, devices, data sources,
session results, and the column values and sessions the services report for them."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import attrs

from cove_sdk.columns import DATA_SOURCES, canonical

__all__ = ["NEVER", "Device", "Fleet", "FleetSpec", "Partner", "SourceStats"]

#: The service's "never" time (``I5`` of a device that does not expire).
NEVER = 2147483647

# status, weight: mostly success, some warnings and failures, a few running / odd ones
_STATUS_MIX = [
    (5, 800),
    (8, 70),
    (2, 45),
    (1, 25),
    (3, 10),
    (6, 10),
    (10, 10),
    (11, 10),
    (7, 10),
    (9, 5),
]
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
    """Last-session results of one data source of one device."""

    number: int
    status: int
    last_session: int  # 0 while running
    last_success: int
    last_completed: int
    completed_status: int
    errors: int
    duration: int
    selected_size: int
    sent_size: int
    protected_size: int
    selected_count: int


@attrs.define(slots=True)
class Device:
    """One device account and its statistics."""

    account_id: int
    partner_id: int
    customer: str
    name: str
    computer: str
    os_type: int
    account_type: int
    os_version: str
    created: int
    last_contact: int
    used_storage: int
    sources: list[SourceStats]
    token: str
    ds_format: int

    def total(self) -> SourceStats:
        """The synthetic D9 "Total" source: newest results across sources."""
        if not self.sources:
            return SourceStats(9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        latest = max(self.sources, key=lambda s: s.last_session or 2**40)
        return SourceStats(
            9,
            latest.status,
            0 if any(s.last_session == 0 for s in self.sources) else latest.last_session,
            max(s.last_success for s in self.sources),
            max(s.last_completed for s in self.sources),
            latest.completed_status,
            sum(s.errors for s in self.sources),
            sum(s.duration for s in self.sources),
            sum(s.selected_size for s in self.sources),
            sum(s.sent_size for s in self.sources),
            sum(s.protected_size for s in self.sources),
            sum(s.selected_count for s in self.sources),
        )

    def active_sources(self) -> str:
        """``I78`` in one of the three formats servers were seen to send."""
        codes = [s.number for s in self.sources]
        if self.ds_format == 0:
            return "".join(f"D{n:02d}" for n in codes)
        if self.ds_format == 1:
            return ",".join(f"D{n}" for n in codes)
        return "".join(f"D{n}" if i % 2 else f"D{n:02d}" for i, n in enumerate(codes))

    def legacy_active_sources(self) -> str:
        """``AP``, the legacy form of ``I78``: one letter per source (``FSZ``). D5 and D23
        have no letter and are left out; D2 and D7 both show as ``S``."""
        return "".join(DATA_SOURCES[s.number].legacy for s in self.sources)

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
            return self.total() if self.sources else None
        for s in self.sources:
            if s.number == number:
                return s
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
    """Partners and devices generated from a :class:`FleetSpec` at time ``now``."""

    ROOT_ID = 1
    MSP_ID = 10_000

    def __init__(self, spec: FleetSpec, now: int) -> None:
        self.spec = spec
        self.now = now
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
        m365 = rng.random() < self.spec.m365_share
        os_type = 0 if m365 else (2 if rng.random() < 0.3 else 1)
        pools = {0: _M365_SOURCES, 1: _WORKSTATION_SOURCES, 2: _SERVER_SOURCES}
        numbers = rng.choice(pools[os_type])
        stale = rng.random() < self.spec.stale_share
        never = rng.random() < self.spec.never_share
        sources = []
        for n in numbers if not never else []:
            status = _weighted(rng)
            started = now - rng.randrange(600, 20 * 3_600)
            if stale:
                started -= rng.randrange(2, 10) * 86_400
            duration = rng.randrange(60, 3 * 3_600)
            running = status in (1, 9)
            success_at = started + duration
            if status not in (5, 8):
                success_at -= rng.randrange(1, 4) * 86_400
            selected = rng.randrange(10**7, 8 * 10**11)
            sources.append(
                SourceStats(
                    number=n,
                    status=status,
                    last_session=0 if running else started,
                    last_success=success_at,
                    last_completed=started - 86_400 if running else started + duration,
                    completed_status=5 if running else status,
                    errors=rng.randrange(1, 40) if status in (2, 8, 9) else 0,
                    duration=0 if running else duration,
                    selected_size=selected,
                    sent_size=selected // rng.randrange(30, 400),
                    protected_size=selected,
                    selected_count=rng.randrange(100, 2_000_000),
                )
            )
        slug = customer.name.split(" (")[0].lower().replace(" ", "")
        kind = {0: "m365", 1: "ws", 2: "srv"}[os_type]
        name = f"{slug}-{kind}{i + 1:05d}"
        return Device(
            account_id=700_000 + i,
            partner_id=customer.id,
            customer=customer.name.split(" (")[0],
            name=name,
            computer="" if m365 else name.upper(),
            os_type=os_type,
            account_type=2 if m365 else 1,
            os_version="" if m365 else rng.choice(_OS[os_type]),
            created=now - rng.randrange(30, 900) * 86_400,
            last_contact=now - rng.randrange(60, 3 * 86_400 if not stale else 12 * 86_400),
            used_storage=sum(s.protected_size for s in sources) // 3,
            sources=sources,
            token=hashlib.sha256(f"{self.spec.seed}:{i}".encode()).hexdigest()[:32],
            ds_format=i % 3,
        )

    @staticmethod
    def key(code: str) -> str:
        """The canonical key the fleet is indexed by."""
        return canonical(code)
