"""A simulator that answers every request with what it received."""

from __future__ import annotations

from backup_sdk.testing import SimRequest, SimResponse, SimulatorServer, json_response

__all__ = ["EchoSimulator"]


class EchoSimulator(SimulatorServer):
    """Answers every request with what it received (the body decoded when it is JSON)."""

    def handle(self, request: SimRequest) -> SimResponse:
        try:
            body = request.json() if request.body else None
        except ValueError:
            body = request.body.decode("utf-8", "replace")
        return json_response(
            {
                "method": request.method,
                "path": request.path,
                "query": {k: v[-1] for k, v in request.query.items()},
                "headers": dict(request.headers),
                "body": body,
                "size": len(request.body),
            }
        )
