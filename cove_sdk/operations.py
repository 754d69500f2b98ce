"""Which Cove methods are safe to send twice.

Cove answers every call over one URL, so HTTP verbs say nothing: the table below does. A
method listed here only reads, so it is retried after a timeout, a dropped connection or a
5xx/429. Every other method (``Modify*``, ``Update*``, ``Add*``, ``Remove*``, ``Login``...)
is retried only when the request provably never reached the service. For methods without a
typed wrapper (``client.call("AnyMethod")``), a name starting with ``Enumerate``, ``Get`` or
``Query`` is taken as a read.
"""

from __future__ import annotations

from typing import Final

__all__ = ["NOT_SAFE", "SAFE_TO_REPEAT", "is_safe_to_repeat"]

SAFE_TO_REPEAT: Final[frozenset[str]] = frozenset(
    {
        "EnumerateAccountHistoryStatistics",
        "EnumerateAccountProfiles",
        "EnumerateAccountRemoteAccessEndpoints",
        "EnumerateAccountStatistics",
        "EnumerateAccounts",
        "EnumerateAncestorPartners",
        "EnumerateChildPartners",
        "EnumerateColumns",
        "EnumerateCustomColumns",
        "EnumerateLocations",
        "EnumeratePartners",
        "EnumerateProducts",
        "EnumerateStorageNodesByAccountId",
        "EnumerateUsers",
        "GetAccountCustomColumnValues",
        "GetAccountInfoById",
        "GetPartnerInfo",
        "GetPartnerInfoById",
        "GetServerInfo",
        "QueryErrors",
        "QuerySessions",
    }
)

#: Methods that change state although their names would read as a query.
NOT_SAFE: Final[frozenset[str]] = frozenset({"Login"})

_READ_PREFIXES: Final = ("Enumerate", "Get", "Query")


def is_safe_to_repeat(method: str) -> bool:
    """True if the Cove method ``method`` only reads (see the module docstring)."""
    if method in NOT_SAFE:
        return False
    return method in SAFE_TO_REPEAT or method.startswith(_READ_PREFIXES)
