"""The credential store on its own: single flight, renew-if-current, one replay, expiry,
chains, forks, login events (a fake strategy, a fake clock; no network)."""

from __future__ import annotations

import threading

import pytest

from backup_sdk.auth import AuthStrategy, CredentialStore, Issued, Lease
from backup_sdk.errors import AuthenticationError, ServerError
from backup_sdk.hooks import Hooks, LoginEvent
from tests.support.threads import run_together


class Rejected(AuthenticationError):
    """The fake server's "these credentials are no longer accepted"."""


class Server(AuthStrategy[str]):
    """Issues numbered credentials and refuses the ones it was told to."""

    def __init__(self, *, renew_after: float | None = None, expires_after: float | None = None):
        self.issued = 0
        self.refused: set[str] = set()
        self.renew_after = renew_after
        self.expires_after = expires_after
        self.fail_logins = 0
        self.lock = threading.Lock()

    def login(self) -> Issued[str]:
        with self.lock:
            if self.fail_logins:
                self.fail_logins -= 1
                raise ServerError("login service down", vendor="fake")
            self.issued += 1
            return Issued(f"cred-{self.issued}", self.renew_after, self.expires_after)

    def is_rejected(self, error: BaseException, credential: str) -> bool:
        return isinstance(error, Rejected)

    def use(self, lease: Lease[str]) -> str:
        if lease.value in self.refused:
            raise Rejected("refused", vendor="fake")
        return lease.value


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sixteen_threads_log_in_once() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake")
    assert run_together(16, lambda: store.call(server.use)) == []
    assert server.issued == store.logins == 1


def test_a_rejection_renews_once_and_replays_once() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake")
    assert store.call(server.use) == "cred-1"
    server.refused.add("cred-1")
    assert store.call(server.use) == "cred-2"
    assert store.logins == 2
    server.refused.add("cred-2")
    server.refused.add("cred-3")
    with pytest.raises(Rejected):
        store.call(server.use)
    assert store.logins == 3, "one renewal per call, then the error reaches the caller"


def test_a_call_with_already_replaced_credentials_does_not_log_in_again() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake")
    store.call(server.use)
    first = threading.Event()
    proceed = threading.Event()

    def slow_send(lease: Lease[str]) -> str:
        if lease.value == "cred-1" and not first.is_set():
            first.set()
            proceed.wait(5)
        return server.use(lease)

    worker_errors: list[BaseException] = []

    def worker() -> None:
        try:
            store.call(slow_send)
        except BaseException as exc:
            worker_errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    first.wait(5)
    server.refused.add("cred-1")
    assert store.call(server.use) == "cred-2"  # this call renews
    proceed.set()
    thread.join(5)
    assert worker_errors == []
    assert store.logins == 2, "the slow call replayed with cred-2 instead of logging in"


def test_errors_that_are_not_rejections_pass_through_untouched() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake")

    def broken(lease: Lease[str]) -> str:
        raise ServerError("boom", vendor="fake")

    with pytest.raises(ServerError):
        store.call(broken)
    assert store.logins == 1


def test_mandatory_expiry_logs_in_before_use() -> None:
    clock = Clock()
    server = Server(expires_after=100)
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", clock=clock)
    assert store.call(server.use) == "cred-1"
    clock.now = 99
    assert store.call(server.use) == "cred-1"
    clock.now = 100
    assert store.call(server.use) == "cred-2"


def test_advisory_renewal_that_fails_keeps_the_current_credential_while_it_lasts() -> None:
    clock = Clock()
    server = Server(renew_after=50, expires_after=100)
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", clock=clock)
    store.call(server.use)
    clock.now = 60
    server.fail_logins = 1
    assert store.call(server.use) == "cred-1", "renewal failed: the old one still serves"
    clock.now = 61
    assert store.call(server.use) == "cred-1", "no new attempt for 30 s"
    clock.now = 91
    assert store.call(server.use) == "cred-2"
    clock.now = 300
    server.fail_logins = 1
    with pytest.raises(ServerError):
        store.call(server.use)  # past its expiry a failed renewal is the caller's error


def test_every_login_fires_an_event_with_its_reason() -> None:
    clock = Clock()
    events: list[LoginEvent] = []
    server = Server(expires_after=10)
    store: CredentialStore[str] = CredentialStore(
        server, vendor="fake", clock=clock, hooks=Hooks(on_login=[events.append])
    )
    store.call(server.use)
    clock.now = 10
    store.call(server.use)
    server.refused.add("cred-2")
    store.call(server.use)
    store.login()
    assert [(e.reason, e.generation, e.error) for e in events] == [
        ("first use", 1, None),
        ("renewal", 2, None),
        ("rejected", 3, None),
        ("explicit", 4, None),
    ]


def test_seeded_credentials_are_used_until_refused_and_not_counted() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake")
    store.seed(Issued("given"))
    assert store.call(server.use) == "given"
    assert store.logins == 0
    server.refused.add("given")
    assert store.call(server.use) == "cred-1"


def test_a_chain_keeps_the_credential_of_the_newest_request() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", chained=True)
    early = store._acquire()
    late = store._acquire()
    late.adopt(Issued("from-late"))
    early.adopt(Issued("from-early"))  # an older request's reply, arriving last
    store._release(early, ok=True)
    store._release(late, ok=True)
    assert store.current == "from-late"


def test_a_fork_in_the_chain_is_resolved_without_a_login() -> None:
    """Two calls with one credential were both answered with a successor; the server
    accepts only the one it issued last, which is not the one the client adopted."""
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", chained=True)
    store.call(server.use)
    early = store._acquire()
    late = store._acquire()
    late.adopt(Issued("successor-a"))
    early.adopt(Issued("successor-b"))  # set aside: the server issued this one last
    store._release(early, ok=True)
    store._release(late, ok=True)
    store._serialise()  # as after a call was refused with a superseded credential
    server.refused.update({"cred-1", "successor-a"})
    sent: list[str] = []

    def use(lease: Lease[str]) -> str:
        sent.append(lease.value)
        return server.use(lease)

    assert store.call(use) == "successor-b"
    assert sent == ["successor-a", "successor-b"]
    assert store.logins == 1


def test_a_successor_that_arrives_after_the_next_call_was_sent_is_kept() -> None:
    """Replies arrive in any order: a credential replaced by the reply to a call sent
    before it arrived may still be the one the server issued last (seen at a racing
    server that accepts only the newest visa: the chain had moved on, and the client
    logged in again)."""
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", chained=True)
    store.call(server.use)
    first = store._acquire()
    second = store._acquire()
    first.adopt(Issued("from-first"))
    store._release(first, ok=True)
    third = store._acquire()  # sent with from-first
    second.adopt(Issued("from-second"))  # arrives after the third call was sent
    store._release(second, ok=True)
    third.adopt(Issued("from-third"))  # the chain moves on from from-first
    store._release(third, ok=True)
    assert store.current == "from-third"
    store._serialise()  # as after a call was refused with a superseded credential
    server.refused.update({"cred-1", "from-first", "from-third"})
    sent: list[str] = []

    def use(lease: Lease[str]) -> str:
        sent.append(lease.value)
        return server.use(lease)

    assert store.call(use) == "from-second"
    assert sent == ["from-third", "from-second"]
    assert store.logins == 1


def test_a_server_that_keeps_old_credentials_valid_costs_no_extra_calls_on_revocation() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", chained=True)
    store.call(server.use)
    early = store._acquire()
    late = store._acquire()
    late.adopt(Issued("successor-a"))
    early.adopt(Issued("successor-b"))
    store._release(early, ok=True)
    store._release(late, ok=True)
    server.refused.update({"cred-1", "successor-a", "successor-b"})  # everything revoked
    sent: list[str] = []

    def use(lease: Lease[str]) -> str:
        sent.append(lease.value)
        return server.use(lease)

    assert store.call(use) == "cred-2"
    assert sent == ["successor-a", "cred-2"], "straight to a new login"


def test_a_superseded_credential_serialises_the_calls() -> None:
    server = Server()
    store: CredentialStore[str] = CredentialStore(server, vendor="fake", chained=True)
    store.call(server.use)
    stale = store._acquire()
    fresh = store._acquire()
    fresh.adopt(Issued("newer"))
    store._release(fresh, ok=True)
    server.refused.add("cred-1")
    store._release(stale, ok=False)
    assert store._recover(stale) == "superseded"
    assert store.serialised
    assert store.call(server.use) == "newer"
    assert store.logins == 1


def test_stores_do_not_pickle() -> None:
    import pickle

    store: CredentialStore[str] = CredentialStore(Server(), vendor="fake")
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(store)
