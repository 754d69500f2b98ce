"""The proxy and CA-bundle settings ``requests`` takes from the environment, read once.

``requests.Session.request`` reads them again for every request: on a 35-variable
environment that is about 85 us per call (``get_environ_proxies`` walks ``os.environ``
twice), a tenth of a small call over keep-alive. A transport with its own session reads
them here when it is made, as httpx and botocore do, and turns the session's
``trust_env`` off; a caller's own session is left to its own ``trust_env``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from requests.utils import get_environ_proxies

__all__ = ["environment_settings"]


def environment_settings(
    url: str, proxies: Mapping[str, str] | None, verify: bool | str
) -> tuple[dict[str, str], bool | str]:
    """The proxies and ``verify`` value ``requests`` would use for ``url`` with these
    arguments and ``trust_env`` on: explicit proxies win over ``HTTP_PROXY`` and the like
    (``NO_PROXY`` and an explicit ``no_proxy`` entry apply), and ``verify=True`` becomes
    ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE`` when either is set."""
    merged = dict(proxies or {})
    for scheme, proxy in get_environ_proxies(url, no_proxy=merged.get("no_proxy")).items():
        merged.setdefault(scheme, proxy)
    if verify is True:
        verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return merged, verify
