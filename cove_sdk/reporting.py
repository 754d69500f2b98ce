"""The Reporting Service of a device's storage node (``repserv_json``): sessions and errors.

The service's schema is not public: results follow what integrations were seen to read, and
unknown fields are kept on the models. Calls carry the client's visa (through the same
credential store as every other call) plus the device's account token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backup_sdk.errors import ResponseDecodeError
from backup_sdk.pagination import OffsetPaginator

if TYPE_CHECKING:
    from cove_sdk.client import CoveClient
    from cove_sdk.models import AccountInfo, ReportingError, ReportingSession

__all__ = ["DeviceReporting"]


class DeviceReporting:
    """Sessions and errors of one device, from its storage node.

    Get one with :meth:`CoveClient.reporting`.
    """

    def __init__(self, client: CoveClient, account: AccountInfo, url: str) -> None:
        self._client = client
        self.account = account
        self.url = url

    def _query(self, method: str, params: dict[str, Any]) -> list[Any]:
        full = {**params, "accountId": self.account.id, "account": self.account.name}
        if self.account.token:
            full["token"] = self.account.token
        result = self._client._call(method, full, url=self.url).data.get("result")
        inner = result.get("result") if isinstance(result, dict) else result
        if inner is not None and not isinstance(inner, list):
            raise ResponseDecodeError(
                f"{method} did not return a list",
                vendor="cove",
                model=method,
                path="$.result.result",
            )
        return inner or []

    def query_sessions(
        self,
        query: str = "0 != 1",
        *,
        order_by: str = "BackupStartTime DESC",
        offset: int = 0,
        size: int = 100,
    ) -> list[ReportingSession]:
        """``QuerySessions``: sessions matching ``query`` (e.g. ``"Plugin == 1"``), newest
        first by default."""
        data = self._query(
            "QuerySessions",
            {"query": query, "orderBy": order_by, "range": {"Offset": offset, "Size": size}},
        )
        from cove_sdk.models import ReportingSession, converter

        return converter.structure_list(data, ReportingSession)

    def query_errors(
        self,
        session_id: int = 0,
        *,
        query: str | None = None,
        order_by: str = "Time DESC",
        offset: int = 0,
        size: int = 100,
    ) -> list[ReportingError]:
        """``QueryErrors``: error texts of one session (``session_id``) or of all (0)."""
        data = self._query(
            "QueryErrors",
            {
                "sessionId": session_id,
                "query": query or (f"SessionId == {session_id}" if session_id else "0 != 1"),
                "orderBy": order_by,
                "groupId": 0,
                "range": {"Offset": offset, "Size": size},
            },
        )
        from cove_sdk.models import ReportingError, converter

        return converter.structure_list(data, ReportingError)

    def iter_sessions(
        self, query: str = "0 != 1", *, page_size: int = 100, limit: int | None = None
    ) -> OffsetPaginator[ReportingSession]:
        """All matching sessions, fetched page by page as you iterate."""
        return OffsetPaginator(
            lambda offset, count: self.query_sessions(query, offset=offset, size=count),
            page_size=page_size,
            limit=limit,
        )
