from __future__ import annotations

import gc
import json
import pickle
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backup_sdk import redaction
from backup_sdk.redaction import (
    REDACTED,
    Secret,
    _scrub_url,
    forget_secrets,
    is_secret_key,
    redact_body,
    redact_form,
    redact_headers,
    redact_json,
    redact_text,
    redact_url,
    register_secret_keys,
    remember_secret,
)


def test_secret_keys_are_case_and_separator_insensitive() -> None:
    for key in (
        "password",
        "Password",
        "PASSWORD",
        "visa",
        "SessionKey",
        "session_key",
        "TOTP",
        "access_token",
        "accessToken",
        "Refresh-Token",
        "new_private_key",
        "Authorization",
        "Cookie",
        "Set-Cookie",
        "X-Comet-Admin-SessionKey",
    ):
        assert is_secret_key(key), key
    for key in ("username", "partner", "Status", "token_type", "expires_at", "GUID"):
        assert not is_secret_key(key), key


def test_redact_json_walks_nested_structures() -> None:
    body = {
        "jsonrpc": "2.0",
        "visa": "abc123visa",
        "params": {"partner": "Acme (a@b.c)", "username": "u", "password": "pw-123"},
        "result": [{"Token": "tok-1", "Name": "dev"}],
    }
    out = redact_json(body)
    assert out["visa"] == REDACTED
    assert out["params"]["password"] == REDACTED
    assert out["params"]["username"] == "u"
    assert out["result"][0]["Token"] == REDACTED
    assert out["result"][0]["Name"] == "dev"
    assert body["visa"] == "abc123visa", "the input is not modified"


def test_redact_form_headers_and_url() -> None:
    form = redact_form(
        urlencode(
            {"Username": "admin", "AuthType": "Password", "Password": "hunter22", "TOTP": "123456"}
        )
    )
    assert "hunter22" not in form
    assert "123456" not in form
    assert "Username=admin" in form
    headers = redact_headers({"Authorization": "Bearer abc.def", "Accept": "json"})
    assert headers == {"Authorization": REDACTED, "Accept": "json"}
    url = redact_url("https://user:pw@host/api?access_token=zzz&page=2")
    assert "user:pw" not in url
    assert url.startswith(f"https://{REDACTED}@host/api?")
    assert "zzz" not in url
    assert "page=2" in url


def test_redact_text_scrubs_remembered_values_and_key_value_pairs() -> None:
    remember_secret("visa-0123456789")
    text = redact_text('login ok visa-0123456789 password=letmein "SessionKey": "abcd1234"')
    assert "visa-0123456789" not in text
    assert "letmein" not in text
    assert "abcd1234" not in text
    assert "eyJhbGciOi" not in redact_text("Authorization: Bearer eyJhbGciOi.xyz")
    assert "eyJhbGciOi" not in redact_text("sent Bearer eyJhbGciOi.xyz to host")


def test_redact_body_handles_json_form_text_and_binary() -> None:
    as_json = json.dumps({"password": "pw"}).encode()
    assert "pw" not in redact_body(as_json, "application/json; charset=utf-8")
    as_form = urlencode({"Password": "hunter2"})
    assert "hunter2" not in redact_body(as_form, "application/x-www-form-urlencoded")
    assert redact_body(b"\xff\xfe\x00", "application/octet-stream").startswith("<3 bytes")
    long = redact_body("x" * 5000, "text/plain", limit=100)
    assert len(long) < 200
    assert "4900 more characters" in long


def test_secret_wrapper_hides_itself() -> None:
    s = Secret("p4ssw0rd!")
    assert str(s) == REDACTED
    assert "p4ssw0rd" not in repr(s)
    assert f"{s}" == REDACTED
    assert s.get_secret_value() == "p4ssw0rd!"
    assert pickle.loads(pickle.dumps(s)) == s
    assert "p4ssw0rd" not in redact_text("echo p4ssw0rd! back")


def test_remembered_values_are_bounded() -> None:
    for i in range(2000):
        remember_secret(f"rotating-visa-{i:05d}")
    assert "rotating-visa-01999" not in redact_text("rotating-visa-01999")
    # the oldest ones were evicted: memory stays bounded
    assert "rotating-visa-00000" in redact_text("rotating-visa-00000")


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["password", "visa", "a", "b", "Token"]), children, max_size=4
            )
        ),
        max_leaves=20,
    )
)
def test_redact_json_never_raises_and_stays_json(value: object) -> None:
    out = redact_json(value)
    json.dumps(out)


def test_a_cached_redacted_url_follows_the_secrets_learned_later() -> None:
    url = "https://host/api/sess-key-0042/status"
    assert redact_url(url) == url
    remember_secret("sess-key-0042")
    assert redact_url(url) == f"https://host/api/{REDACTED}/status"
    forget_secrets()
    assert redact_url(url) == url, "a forgotten value is shown again"
    held = Secret("key-0042/st")
    assert redact_url(url) == f"https://host/api/sess-{REDACTED}atus"
    del held
    gc.collect()
    assert redact_url(url) == url


@pytest.fixture
def restore_keys() -> Iterator[None]:
    """Keys registered by the test are unregistered after it."""
    saved = set(redaction._registered)
    yield
    with redaction._registered_lock:
        redaction._registered.clear()
        redaction._registered.update(saved)
    register_secret_keys([])  # counts as a change: cached results are dropped


@pytest.mark.usefixtures("restore_keys")
def test_a_cached_redacted_url_follows_the_secret_keys_registered_later() -> None:
    url = "https://host/api?cachedsecretparam=zzzz&page=2"
    assert "zzzz" in redact_url(url)
    register_secret_keys(["cachedSecretParam"])
    assert "zzzz" not in redact_url(url)
    assert "page=2" in redact_url(url)


def test_a_cached_redacted_url_survives_many_rotations() -> None:
    url = "https://host/jsonapi"
    assert redact_url(url) == url
    for i in range(3000):  # more additions than the log keeps
        remember_secret(f"visa-{i:06d}-rotating")
        assert redact_url(url) == url
    remember_secret("host/json")
    assert redact_url(url) == f"https://{REDACTED}api"


_URL_PARTS = st.sampled_from(["abcd", "wxyz", "host", "api/", "?p=", "&token=", "@", "#f", "1234"])


@pytest.mark.usefixtures("restore_keys")
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["redact", "remember", "pin", "unpin", "forget", "register"]),
            st.lists(_URL_PARTS, min_size=1, max_size=6).map("".join),
        ),
        max_size=30,
    )
)
def test_redact_url_cached_equals_uncached(steps: list[tuple[str, str]]) -> None:
    forget_secrets()
    held: list[Secret] = []
    urls = ["https://host/api/abcd", "https://u:p@host/wxyz?p=1234&token=abcd#f"]
    for action, text in steps:
        if action == "redact":
            urls.append(f"https://{text}")
        elif action == "remember":
            remember_secret(text)
        elif action == "pin":
            held.append(Secret(text))
        elif action == "unpin" and held:
            held.pop(0)
            gc.collect()
        elif action == "forget":
            forget_secrets()
        elif action == "register":
            register_secret_keys([text.strip("?&=@#/")])
        for url in urls:
            assert redact_url(url) == _scrub_url(url)[0], (url, action, text)
