"""Credentials, for every vendor: one login at a time, renewal ahead of expiry, one replay.

A vendor supplies a small :class:`AuthStrategy` -- how to log in, and which error means
"these credentials are no longer accepted" -- and attaches the credential to its requests
itself. :class:`CredentialStore` owns the rest, the same way for all three vendors:

* **Single flight.** However many threads share a client, one of them logs in; the others
  wait for it and use the result.
* **Renew only what is current.** A call rejected with credentials that another thread has
  already replaced is simply sent again with the new ones; only a rejection of the current
  credentials leads to a login.
* **Replay exactly once.** A rejected call is sent once more after the renewal; if that is
  rejected too, the error reaches the caller.
* **Ahead of expiry.** A credential may say when to renew it (advisory: a failure keeps the
  old one while it lasts) and when it expires (mandatory: renew before use).
* **Chains** (``chained=True``, Cove's visa): every reply may carry the next credential; the
  one issued last wins, so an older reply arriving late never replaces a newer credential.
  If the server turns out to accept only the newest credential (a call fails with one that
  has been superseded), calls are from then on sent one at a time.
* **Observable.** Every login fires :class:`~backup_sdk.hooks.LoginEvent` and is counted
  in :attr:`CredentialStore.logins`.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Final, Generic, NoReturn, Protocol, TypeVar

import attrs

from backup_sdk.hooks import Hooks, LoginEvent

__all__ = ["AuthStrategy", "CredentialStore", "Issued", "Lease"]

V = TypeVar("V")
T = TypeVar("T")
log = logging.getLogger("backup_sdk.auth")

#: After a failed advisory renewal, wait this long (seconds) before trying again.
_RETRY_RENEWAL: Final = 30.0
#: How long a rejected call waits (seconds) for sibling calls before deciding to log in.
_DRAIN_WAIT: Final = 120.0
#: Successors of a chain set aside (per login), tried before logging in again.
_MAX_ALTERNATES: Final = 32
#: How many times one call may be sent again because its credential was superseded
#: (each time with a different credential: a newer one, or a successor set aside).
_MAX_SUPERSEDED: Final = _MAX_ALTERNATES + 2


@attrs.frozen
class Issued(Generic[V]):
    """A credential as a login (or, for chains, a reply) produced it.

    Attributes:
        value: the secret material (wrap strings in :class:`~backup_sdk.redaction.Secret`).
        renew_after: seconds from now after which to renew it ahead of time (None: never).
        expires_after: seconds from now after which it must not be used (None: until the
            server refuses it).
    """

    value: V
    renew_after: float | None = None
    expires_after: float | None = None


class AuthStrategy(Protocol[V]):
    """What a vendor tells the shared layer about its credentials."""

    def login(self) -> Issued[V]:
        """Obtain fresh credentials (network I/O; never through the credential store).

        Raises:
            AuthenticationError: the credentials were refused (or cannot be renewed).
        """
        ...

    def judge(self, error: BaseException, credential: V) -> BaseException:
        """The error a call made with ``credential`` raises for ``error``: ``error`` itself
        (this default), or a more precise one the strategy learnt, by probing the server
        perhaps (Comet asks whether a session key still works before it blames the key
        for a refusal). :meth:`is_rejected` is asked about the returned error."""
        return error

    def is_rejected(self, error: BaseException, credential: V) -> bool:
        """True if ``error`` (as :meth:`judge` returned it) means that ``credential`` is no
        longer accepted."""
        ...


@attrs.define
class _State(Generic[V]):
    value: V
    generation: int
    seq: int
    renew_at: float | None
    expires_at: float | None
    #: a seq taken when it arrived (calls with a lower seq were sent before it arrived)
    received: int = 0


class Lease(Generic[V]):
    """One call's use of a credential: what to attach, and where to report a successor."""

    __slots__ = ("_store", "based_on", "exclusive", "generation", "seq", "value")

    def __init__(
        self,
        store: CredentialStore[V],
        value: V,
        generation: int,
        seq: int,
        based_on: int,
        exclusive: bool,
    ) -> None:
        self._store = store
        self.value = value
        self.generation = generation
        self.seq = seq
        self.based_on = based_on
        self.exclusive = exclusive

    def adopt(self, issued: Issued[V]) -> None:
        """Report the next credential of a chain, carried by this call's reply."""
        self._store._adopt(self, issued)

    def __repr__(self) -> str:
        return f"Lease(generation={self.generation}, seq={self.seq})"


class CredentialStore(Generic[V]):
    """The credentials of one client and all its copies (thread-safe).

    Args:
        strategy: the vendor's login and rejection rules; None for a client that sends
            static credentials (or none) with every call.
        vendor: the vendor id, for events.
        hooks: receives a :class:`LoginEvent` per login.
        chained: every reply may carry the next credential (see the module docstring).
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(
        self,
        strategy: AuthStrategy[V] | None,
        *,
        vendor: str,
        hooks: Hooks | None = None,
        chained: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.strategy = strategy
        self.vendor = vendor
        self.hooks = hooks or Hooks()
        self.chained = chained
        self.clock = clock
        #: successful logins so far.
        self.logins = 0
        self._cond = threading.Condition(threading.RLock())
        #: threads waiting on ``_cond`` (changed with it held): nobody waiting, no notify
        self._waiting = 0
        self._state: _State[V] | None = None
        self._generation = 0
        self._seq = itertools.count(1)
        self._in_flight: dict[int, int] = {}
        self._last_ok: dict[int, int] = {}
        self._doubt = 0
        self._shared = 0
        self._alternates: dict[int, list[_State[V]]] = {}
        self._exclusive = False
        self._one_at_a_time = threading.Lock()

    def __repr__(self) -> str:
        state = "none" if self._state is None else f"generation {self._state.generation}"
        return f"CredentialStore({self.vendor}, {state}, logins={self.logins})"

    def __getstate__(self) -> Any:
        raise TypeError("credential stores hold live credentials and cannot be pickled")

    # -- public ----------------------------------------------------------------------------

    @property
    def current(self) -> V | None:
        """The credential in use now (None before the first login)."""
        with self._cond:
            return None if self._state is None else self._state.value

    @property
    def serialised(self) -> bool:
        """True once calls are sent one at a time (a server that accepts only the newest
        credential of a chain)."""
        return self._exclusive

    def login(self, reason: str = "explicit") -> V:
        """Log in now, whatever the state; returns the new credential."""
        with self._cond:
            return self._login_locked(reason).value

    def seed(self, issued: Issued[V]) -> None:
        """Start from credentials the caller already has (an existing session key): they
        are used until refused, then the strategy logs in. Not counted as a login."""
        with self._cond:
            self._generation += 1
            renew_at, expires_at = self._deadlines(issued)
            self._state = _State(
                issued.value, self._generation, next(self._seq), renew_at, expires_at
            )
            self._notify()

    def forget(self) -> None:
        """Drop the current credential (after a logout); the next call logs in again."""
        with self._cond:
            self._state = None
            self._notify()

    def call(self, send: Callable[[Lease[V]], T]) -> T:
        """Run ``send`` with the current credential; after a rejection, renew (if nobody
        else has) and run it once more. Errors other than a rejection pass through.

        For chains, a call rejected because a sibling call's reply superseded its
        credential is sent again with the newer one (calls are serialised from then on),
        each time with a different credential and at most ten times.
        """
        renewed = False
        superseded = 0
        while True:
            lease = self._acquire()
            try:
                result = send(lease)
            except BaseException as exc:
                strategy = self.strategy
                error = exc if strategy is None else strategy.judge(exc, lease.value)
                rejected = strategy is not None and strategy.is_rejected(error, lease.value)
                self._release(lease, ok=False)
                if not rejected:
                    _raise(error, exc)
                outcome = self._recover(lease, may_log_in=not renewed)
                if outcome == "superseded":
                    superseded += 1
                    if superseded > _MAX_SUPERSEDED:
                        _raise(error, exc)
                elif outcome == "exhausted" or renewed:
                    _raise(error, exc)
                else:
                    renewed = True
                continue
            self._release(lease, ok=True)
            return result

    # -- internals -------------------------------------------------------------------------

    def _wait(self, timeout: float) -> None:
        """``_cond.wait``, counted (call with ``_cond`` held)."""
        self._waiting += 1
        try:
            self._cond.wait(timeout=timeout)
        finally:
            self._waiting -= 1

    def _notify(self) -> None:
        """Wake every waiting thread (call with ``_cond`` held)."""
        if self._waiting:
            self._cond.notify_all()

    def _acquire(self) -> Lease[V]:
        exclusive = self._exclusive
        if exclusive:
            self._one_at_a_time.acquire()
        try:
            with self._cond:
                if exclusive:
                    # calls sent before serialising began must land first
                    while self._shared:
                        self._wait(1.0)
                state = self._usable_state()
                seq = next(self._seq)
                self._in_flight[state.generation] = self._in_flight.get(state.generation, 0) + 1
                if not exclusive:
                    self._shared += 1
                return Lease(self, state.value, state.generation, seq, state.seq, exclusive)
        except BaseException:
            if exclusive:
                self._one_at_a_time.release()
            raise

    def _usable_state(self) -> _State[V]:
        while True:
            state = self._state
            if self.strategy is None:
                if state is None:
                    state = self._state = _State(None, 0, 0, None, None)  # type: ignore[arg-type]
                return state
            if state is None:
                return self._login_locked("first use")
            if self._doubt and state is self._state:
                self._wait(1.0)
                continue
            now = self.clock()
            if state.expires_at is not None and now >= state.expires_at:
                return self._login_locked("renewal")
            if state.renew_at is not None and now >= state.renew_at:
                try:
                    return self._login_locked("renewal")
                except Exception as exc:
                    log.warning(
                        "%s: renewing the credentials ahead of expiry failed (%s); "
                        "the current ones are used while they last",
                        self.vendor,
                        type(exc).__name__,
                    )
                    state.renew_at = now + _RETRY_RENEWAL
                    if state.expires_at is not None:
                        state.renew_at = min(state.renew_at, state.expires_at)
            return state

    def _release(self, lease: Lease[V], *, ok: bool) -> None:
        generation = lease.generation
        with self._cond:
            in_flight = self._in_flight
            left = in_flight.get(generation, 1) - 1
            if left:
                in_flight[generation] = left
            else:
                in_flight.pop(generation, None)
            if ok and self._last_ok.get(generation, 0) < lease.seq:
                self._last_ok[generation] = lease.seq
            if not lease.exclusive:
                self._shared -= 1
            self._notify()
        if lease.exclusive:
            self._one_at_a_time.release()

    def _adopt(self, lease: Lease[V], issued: Issued[V]) -> None:
        with self._cond:
            state = self._state
            if state is None or state.generation != lease.generation:
                return  # a reply of an older login
            renew_at, expires_at = self._deadlines(issued)
            offered = _State(
                issued.value,
                lease.generation,
                0,
                renew_at,
                expires_at,
                received=next(self._seq),
            )
            alternates = self._alternates.setdefault(lease.generation, [])
            if lease.seq <= state.seq:
                # Overtaken by a newer reply. The server gave a credential more than one
                # successor (calls with it were all answered), and one that accepts only
                # the one it issued last may have issued this one last -- replies arrive in
                # any order, a sibling's or an ancestor's alike. Kept in case the adopted
                # one is refused.
                alternates.append(offered)
                del alternates[:-_MAX_ALTERNATES]
                return
            if state.received > lease.seq:
                # the one replaced arrived after this call was sent: the server may have
                # issued it after accepting this call (and so last); keep it too
                alternates.append(state)
                del alternates[:-_MAX_ALTERNATES]
            offered.seq = lease.seq
            self._state = offered
            self._notify()

    def _recover(self, lease: Lease[V], *, may_log_in: bool = True) -> str:
        """After ``lease`` was rejected, make sure the next attempt has usable credentials.

        Returns ``"replaced"`` (another thread logged in meanwhile), ``"superseded"`` (a
        newer credential of the same chain exists), ``"renewed"`` (this thread logged in)
        or ``"exhausted"`` (a login was needed but ``may_log_in`` is False).
        """
        with self._cond:
            state = self._state
            if state is None or state.generation != lease.generation:
                return "replaced"
            if self.chained:
                if state.seq != lease.based_on:
                    self._serialise()
                    return "superseded"
                # The rejected credential is the newest we know; calls still in flight with
                # it may bring a newer one (a server that accepts only the newest), or fail
                # the same way (the whole chain is gone). Wait for them, then decide.
                self._doubt += 1
                try:
                    waited_until = self.clock() + _DRAIN_WAIT
                    while (
                        self._in_flight.get(lease.generation, 0) > 0
                        and self._state is state
                        and self.clock() < waited_until
                    ):
                        self._wait(1.0)
                finally:
                    self._doubt -= 1
                    self._notify()
                state = self._state
                if state is None or state.generation != lease.generation:
                    return "replaced"
                if (
                    state.seq != lease.based_on
                    or self._last_ok.get(state.generation, 0) > lease.seq
                ):
                    self._serialise()
                    return "superseded"
                alternates = self._alternates.get(state.generation)
                if alternates and self._exclusive:
                    # The server accepts only the newest credential (calls are serialised),
                    # and a successor set aside may be the one it issued last (calls with
                    # one credential were all answered, replies arrive in any order): try
                    # each, newest first, before logging in. If the chain is gone, that
                    # costs calls, not a login.
                    alternate = alternates.pop()
                    alternate.seq = next(self._seq)
                    self._state = alternate
                    self._serialise()
                    self._notify()
                    return "superseded"
            if not may_log_in:
                return "exhausted"
            self._login_locked("rejected")
            return "renewed"

    def _serialise(self) -> None:
        if not self._exclusive:
            log.info(
                "%s: the server rejected a credential that a newer one had replaced; "
                "calls are now sent one at a time",
                self.vendor,
            )
            self._exclusive = True

    def _deadlines(self, issued: Issued[V]) -> tuple[float | None, float | None]:
        now = self.clock()
        renew_at = None if issued.renew_after is None else now + max(0.0, issued.renew_after)
        expires_at = None if issued.expires_after is None else now + issued.expires_after
        return renew_at, expires_at

    def _login_locked(self, reason: str) -> _State[V]:
        assert self.strategy is not None
        started = self.clock()
        generation = self._generation + 1
        try:
            issued = self.strategy.login()
        except BaseException as exc:
            self._fire(LoginEvent(self.vendor, reason, generation, self.clock() - started, exc))
            raise
        self._generation = generation
        self._alternates.clear()
        renew_at, expires_at = self._deadlines(issued)
        state = _State(issued.value, generation, next(self._seq), renew_at, expires_at)
        self._state = state
        self.logins += 1
        self._notify()
        log.debug("%s: logged in (%s), generation %d", self.vendor, reason, generation)
        self._fire(LoginEvent(self.vendor, reason, generation, self.clock() - started))
        return state

    def _fire(self, event: LoginEvent) -> None:
        for hook in self.hooks.on_login:
            hook(event)


def _raise(error: BaseException, raised: BaseException) -> NoReturn:
    """Raise what a strategy judged ``raised`` to be: ``raised`` itself as it came, or the
    more precise error in its place."""
    if error is raised:
        raise raised
    raise error from None
