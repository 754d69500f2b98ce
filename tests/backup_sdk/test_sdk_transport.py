"""Transport behaviour against a real HTTP server on loopback."""

from __future__ import annotations

import email.utils
import socket
import time
import warnings
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from backup_sdk import errors as e
from backup_sdk.client import BaseClient
from backup_sdk.transport import (
    CallInfo,
    Hooks,
    InsecureTransportWarning,
    RequestEvent,
    ResponseEvent,
    RetryPolicy,
    Timeout,
    Transport,
    _encode_form,
    json_handler,
    parse_json,
    parse_retry_after,
)
from tests.support.echo import EchoSimulator


def make(sim: EchoSimulator, sleeps: list[float], **kw: Any) -> Transport:
    kw.setdefault("retry", RetryPolicy(max_attempts=3))
    return Transport(sim.url, package="backup_sdk", sleep=sleeps.append, **kw)


def post(t: Transport, *, idempotent: bool, **kw: Any) -> Any:
    return t.request(
        "POST",
        "/op",
        operation="Op",
        idempotent=idempotent,
        json={"a": 1},
        handler=json_handler,
        **kw,
    )


def test_success_returns_handler_result_and_sends_user_agent(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    body = post(make(echo, sleeps), idempotent=False)
    assert body["path"] == "/op"
    assert body["body"] == {"a": 1}
    ua = body["headers"]["user-agent"]
    assert ua.startswith("backup-sdk/")
    assert "backup_sdk/" in ua and "python/" in ua and f"requests/{requests.__version__}" in ua


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_idempotent_calls_retry_retryable_statuses(echo: EchoSimulator, status: int) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(2, status)
    body = post(make(echo, sleeps), idempotent=True)
    assert body["path"] == "/op"
    assert len(echo.received("/op")) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [429, 503])
def test_unsafe_calls_are_never_retried_on_status(echo: EchoSimulator, status: int) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(1, status)
    with pytest.raises(e.APIError) as info:
        post(make(echo, sleeps), idempotent=False)
    assert info.value.status == status
    assert len(echo.received("/op")) == 1
    assert sleeps == []


def test_non_retryable_status_is_not_retried_even_when_idempotent(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(1, 500)
    with pytest.raises(e.ServerError):
        post(make(echo, sleeps), idempotent=True)
    assert len(echo.received("/op")) == 1


def test_attempts_are_capped(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(10, 503)
    with pytest.raises(e.ServerError):
        post(make(echo, sleeps, retry=RetryPolicy(max_attempts=4)), idempotent=True)
    assert len(echo.received("/op")) == 4
    assert len(sleeps) == 3


def test_backoff_is_full_jitter_within_the_cap() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=4.0)
    import random

    rng = random.Random(7)
    for n in range(1, 12):
        ceiling = min(4.0, 0.5 * 2 ** (n - 1))
        samples = [policy.backoff(n, rng) for _ in range(200)]
        assert all(0.0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.8, "jitter spans the whole range"
        assert min(samples) < ceiling * 0.2


def test_retry_after_seconds_is_honoured(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(1, 429, retry_after=7)
    post(make(echo, sleeps), idempotent=True)
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    echo.faults.fail_next(1, 503, retry_after=when)
    post(make(echo, sleeps), idempotent=True)
    assert len(sleeps) == 1
    assert 7.0 <= sleeps[0] <= 11.0


def test_too_long_retry_after_is_not_waited_out(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.fail_next(1, 429, retry_after=3600)
    with pytest.raises(e.RateLimitError) as info:
        post(make(echo, sleeps), idempotent=True)
    assert info.value.retry_after == 3600.0
    assert sleeps == []


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None
    past = email.utils.formatdate(time.time() - 100, usegmt=True)
    assert parse_retry_after(past) == 0.0


def test_read_timeout_fires_and_is_retried_only_when_idempotent(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    # a real socket timeout: the only real waiting in this suite, kept short
    echo.faults.add_latency(0.3, count=1)
    t = make(echo, sleeps, timeout=Timeout(connect=1, read=0.05))
    with pytest.raises(e.RequestTimeoutError) as info:
        post(t, idempotent=False)
    assert "read timeout" in str(info.value)
    assert sleeps == []
    echo.faults.add_latency(0.3, count=1)
    assert post(t, idempotent=True)["path"] == "/op"
    assert len(sleeps) == 1


def test_per_call_timeout_overrides_the_default(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.add_latency(0.3, count=1)
    t = make(echo, sleeps, timeout=Timeout(connect=1, read=30))
    with pytest.raises(e.RequestTimeoutError):
        post(t, idempotent=False, timeout=0.05)


def test_timeouts_are_never_unbounded() -> None:
    with pytest.raises(e.ConfigurationError):
        Timeout.coerce(None)  # type: ignore[arg-type]
    with pytest.raises(e.ConfigurationError):
        Timeout(connect=5, read=float("inf"))
    with pytest.raises(e.ConfigurationError):
        Timeout(connect=0, read=5)
    assert Timeout.coerce(30) == Timeout(connect=5, read=30)
    assert Timeout.coerce((2, 9)) == Timeout(connect=2, read=9)


def test_dropped_connection_retried_only_when_idempotent(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    t = make(echo, sleeps)
    echo.faults.drop_next(1)
    with pytest.raises(e.ConnectError):
        post(t, idempotent=False)
    assert len(echo.received("/op")) == 1
    echo.faults.drop_next(1)
    assert post(t, idempotent=True)["path"] == "/op"


def test_truncated_body_is_a_transport_error(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.truncate_next(1)
    with pytest.raises(e.ConnectError):
        post(make(echo, sleeps), idempotent=False)


def test_non_json_body_is_a_decode_error(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    echo.faults.garbage_next(1)
    with pytest.raises(e.ResponseDecodeError) as info:
        post(make(echo, sleeps), idempotent=False)
    assert "not JSON" in str(info.value)
    assert "text/html" in str(info.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refused_connection_is_retried_even_for_unsafe_calls() -> None:
    sleeps: list[float] = []
    t = Transport(
        f"http://127.0.0.1:{_free_port()}",
        package="backup_sdk",
        sleep=sleeps.append,
        retry=RetryPolicy(max_attempts=3),
    )
    with pytest.raises(e.ConnectError) as info:
        t.request("POST", "/op", operation="Op", idempotent=False)
    assert "could not connect" in str(info.value)
    assert len(sleeps) == 2, "never sent, so safe to retry"


def test_a_refused_connection_leads_with_operation_host_and_port() -> None:
    port = _free_port()
    t = Transport(f"http://127.0.0.1:{port}", package="backup_sdk", retry=RetryPolicy.none())
    with pytest.raises(e.ConnectError) as info:
        t.request("GET", "/op", operation="Op", idempotent=True)
    text = str(info.value)
    assert text.startswith(f"Op: could not connect to 127.0.0.1:{port}: connection refused")
    urllib3_chain = text.index("NewConnectionError")
    assert urllib3_chain > text.index(f"GET http://127.0.0.1:{port}/op"), "the chain comes last"


def test_https_to_a_plain_http_port_says_it_does_not_speak_tls(echo: EchoSimulator) -> None:
    url = echo.url.replace("http://", "https://")
    t = Transport(url, package="backup_sdk", retry=RetryPolicy.none())
    with pytest.raises(e.ConnectError) as info:
        t.request("GET", "/op", operation="Op", idempotent=True)
    where = url.removeprefix("https://").rstrip("/")
    assert str(info.value).startswith(f"Op: {where} does not speak TLS on that port")
    assert "try http://" in str(info.value)


def test_refused_then_back_online(echo: EchoSimulator) -> None:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        echo.go_online()

    t = Transport(echo.url, package="backup_sdk", sleep=sleep)
    echo.go_offline()
    assert t.request("POST", "/op", operation="Op", handler=json_handler)["path"] == "/op"
    assert len(slept) == 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.InvalidRequestError),
        (401, e.AuthenticationError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (409, e.ConflictError),
        (429, e.RateLimitError),
        (500, e.ServerError),
    ],
)
def test_each_error_class_is_raised_in_its_case(
    echo: EchoSimulator, status: int, cls: type[e.APIError]
) -> None:
    echo.faults.fail_next(1, status, body={"error_id": "X", "error_text": "nope"})
    t = Transport(echo.url, package="backup_sdk", retry=RetryPolicy.none())
    with pytest.raises(cls) as info:
        t.request("GET", "/thing", operation="GetThing")
    assert info.value.status == status
    assert info.value.operation == "GetThing"
    assert "nope" in (info.value.body_excerpt or "")


def test_vendor_handler_errors_are_retried_when_marked_retryable(echo: EchoSimulator) -> None:
    calls = {"n": 0}

    def handler(response: requests.Response, call: CallInfo) -> Any:
        calls["n"] += 1
        if calls["n"] < 3:
            raise e.ServerError("busy", vendor=call.vendor, status=200, code=9, retryable=True)
        return parse_json(response, call)

    sleeps: list[float] = []
    t = make(echo, sleeps)
    assert t.request("POST", "/op", operation="Op", idempotent=True, handler=handler)
    assert calls["n"] == 3
    calls["n"] = 0
    with pytest.raises(e.ServerError):
        t.request("POST", "/op", operation="Op", idempotent=False, handler=handler)
    assert calls["n"] == 1


def test_hooks_see_every_attempt(echo: EchoSimulator) -> None:
    requests_seen: list[RequestEvent] = []
    responses_seen: list[ResponseEvent] = []
    hooks = Hooks(on_request=[requests_seen.append], on_response=[responses_seen.append])
    sleeps: list[float] = []
    echo.faults.fail_next(1, 503)
    post(make(echo, sleeps, hooks=hooks), idempotent=True)
    assert [r.attempt for r in requests_seen] == [1, 2]
    assert [r.status for r in responses_seen] == [503, 200]
    assert responses_seen[0].will_retry is True
    assert isinstance(responses_seen[0].error, e.ServerError)
    assert responses_seen[1].error is None
    assert responses_seen[1].elapsed >= 0
    assert requests_seen[0].call.operation == "Op"


def test_injected_session_is_used_and_not_closed(echo: EchoSimulator) -> None:
    session = requests.Session()
    session.headers["X-Mine"] = "1"
    closed: list[bool] = []
    session.close = lambda: closed.append(True)  # type: ignore[method-assign]
    client = BaseClient(base_url=echo.url, session=session)
    with client:
        body = client._transport.request("GET", "/x", operation="X", handler=json_handler)
    assert body["headers"]["x-mine"] == "1"
    assert closed == []


def test_client_closes_its_own_session(echo: EchoSimulator) -> None:
    client = BaseClient(base_url=echo.url)
    closed: list[bool] = []
    original = client._transport.session.close

    def close() -> None:
        closed.append(True)
        original()

    client._transport.session.close = close  # type: ignore[method-assign]
    with client:
        pass
    assert closed == [True]


def test_with_options_shares_the_session(echo: EchoSimulator) -> None:
    client = BaseClient(base_url=echo.url, timeout=30)
    fast = client.with_options(timeout=(1, 2), retry=RetryPolicy.none())
    assert fast._transport.session is client._transport.session
    assert fast._transport.timeout == Timeout(1, 2)
    assert client._transport.timeout == Timeout(5, 30)
    fast.close()  # does not close the shared session
    assert client._transport.request("GET", "/x", operation="X", handler=json_handler)


def test_missing_tls_files_are_a_typed_error(echo: EchoSimulator) -> None:
    client = BaseClient(base_url=echo.url, cert=("/nonexistent/c.pem", "/nonexistent/k.pem"))
    with pytest.raises(e.TransportError) as info:
        client._transport.request("GET", "/x", operation="X")
    assert "certificate" in str(info.value)


def test_extra_headers_proxies_verify_and_cert_are_passed(
    echo: EchoSimulator, tmp_path: Any
) -> None:
    seen: dict[str, Any] = {}
    session = requests.Session()
    original = session.request

    def spy(method: str, url: str, **kw: Any) -> requests.Response:
        seen.update(kw)
        return original(method, url, **kw)

    session.request = spy  # type: ignore[assignment,method-assign]
    (tmp_path / "c.pem").write_text("x")
    (tmp_path / "k.pem").write_text("x")
    client = BaseClient(
        base_url=echo.url,
        session=session,
        headers={"X-Trace": "t1"},
        verify="/etc/ssl/certs/ca-certificates.crt",
        cert=(str(tmp_path / "c.pem"), str(tmp_path / "k.pem")),
        proxies={"https": "http://proxy.invalid:3128"},
    )
    body = client._transport.request("GET", "/x", operation="X", handler=json_handler)
    assert body["headers"]["x-trace"] == "t1"
    assert seen["verify"] == "/etc/ssl/certs/ca-certificates.crt"
    assert seen["cert"] == (str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    assert seen["proxies"] == {"https": "http://proxy.invalid:3128"}
    assert seen["timeout"] == (5.0, 60.0)


def test_turning_verification_off_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Transport("https://insecure.example.invalid", package="backup_sdk", verify=False)
    assert any(issubclass(w.category, InsecureTransportWarning) for w in caught)


def test_bad_base_url_is_a_configuration_error() -> None:
    with pytest.raises(e.ConfigurationError):
        Transport("ftp://x", package="backup_sdk")


def test_client_repr_shows_no_credentials() -> None:
    client = BaseClient(base_url="https://admin:pa55word@host.example/api")
    assert "pa55word" not in repr(client)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(client)


def test_retry_budget_stops_retry_storms(echo: EchoSimulator) -> None:
    sleeps: list[float] = []
    t = make(echo, sleeps, retry=RetryPolicy(max_attempts=3, budget=3, budget_window=60))
    echo.faults.fail_next(100, 503)
    for _ in range(4):
        with pytest.raises(e.ServerError):
            post(t, idempotent=True)
    assert len(sleeps) == 3, "only three retries in the window, then calls fail fast"
    assert len(echo.received("/op")) == 4 + 3
    unlimited = make(echo, [], retry=RetryPolicy(max_attempts=2, budget=None))
    with pytest.raises(e.ServerError):
        post(unlimited, idempotent=True)
    assert len(echo.received("/op")) == 7 + 2


@pytest.mark.parametrize(
    "form",
    [
        {"Username": "admin", "Note": "a b&c=d/é", "Empty": ""},
        {"Count": 3, "Tags": ["x", "y"], "Skipped": None, "Name": "n"},  # left to requests
    ],
)
def test_a_form_goes_out_exactly_as_requests_encodes_it(
    echo: EchoSimulator, form: dict[str, Any]
) -> None:
    t = make(echo, [])
    body = t.request("POST", "/form", operation="Form", data=form, handler=json_handler)
    expected = requests.Request("POST", echo.url, data=form).prepare()
    assert body["body"] == expected.body
    assert body["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert body["headers"]["content-length"] == str(len(str(expected.body)))


def test_a_form_keeps_a_content_type_given_by_the_call_client_or_session(
    echo: EchoSimulator,
) -> None:
    form = {"a": "1"}
    t = make(echo, [])
    body = t.request(
        "POST",
        "/f",
        operation="F",
        data=form,
        headers={"content-TYPE": "text/x"},
        handler=json_handler,
    )
    assert (body["body"], body["headers"]["content-type"]) == ("a=1", "text/x")
    t = make(echo, [], headers={"Content-Type": "text/y"})
    body = t.request("POST", "/f", operation="F", data=form, handler=json_handler)
    assert (body["body"], body["headers"]["content-type"]) == ("a=1", "text/y")
    session = requests.Session()
    session.headers["Content-Type"] = "text/z"
    t = make(echo, [], session=session)
    body = t.request("POST", "/f", operation="F", data=form, handler=json_handler)
    assert (body["body"], body["headers"]["content-type"]) == ("a=1", "text/z")


def test_a_json_body_goes_out_exactly_as_requests_encodes_it(echo: EchoSimulator) -> None:
    value = {"jsonrpc": "2.0", "params": {"name": "é ☃", "n": [1, 2.5, None, True]}}
    seen: list[Any] = []
    t = make(echo, [], hooks=Hooks(on_response=[seen.append]))
    answer = t.request("POST", "/j", operation="J", json=value, handler=json_handler)
    expected = requests.Request("POST", echo.url, json=value).prepare()
    sent = echo.received("/j")[-1]
    assert sent.body == expected.body
    assert sent.headers["content-type"] == "application/json"
    assert answer["body"] == value
    body = t.request(
        "POST", "/j", operation="J", json=value, headers={"Content-Type": "application/x-j"}
    )
    assert echo.received("/j")[-1].headers["content-type"] == "application/x-j"
    assert body.status_code == 200


def test_a_json_body_requests_cannot_encode_fails_as_before(echo: EchoSimulator) -> None:
    t = make(echo, [])
    with pytest.raises(e.TransportError, match="request failed"):
        t.request("POST", "/j", operation="J", json={"x": float("nan")})
    with pytest.raises(TypeError):
        t.request("POST", "/j", operation="J", json={"x": object()})
    assert echo.received("/j") == []


_FORM_TEXT = st.text(alphabet=st.sampled_from("aZ09_.~-+ &=%é\x00/?#"), max_size=6) | st.text(
    max_size=6
)


@given(st.dictionaries(_FORM_TEXT, _FORM_TEXT, min_size=1, max_size=5))
def test_the_form_encoder_agrees_with_requests(form: dict[str, str]) -> None:
    assert _encode_form(form) == requests.Request("POST", "http://h/", data=form).prepare().body
