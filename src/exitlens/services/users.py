"""People who use the web app: accounts with roles, signing in, sessions, throttling.

Passwords are stored as argon2id hashes. A session is a random token in an HttpOnly cookie;
the store keeps only the token's SHA-256, so a copy of the database opens no session. Each
session carries its own CSRF token, which forms and state-changing API calls must echo.
Failed sign-ins are audit events; five within fifteen minutes lock the name for the rest of
that window. Every change to an account writes the audit log.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from exitlens.errors import ExitLensError, PermissionDenied, UsageError
from exitlens.records import CONSENSUS
from exitlens.storage import Store

ROLES = ("admin", "coder", "viewer")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
SESSION_HOURS = 12
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class SignInError(ExitLensError):
    """Wrong name or password, a disabled account, or too many attempts."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    display_name: str | None = None

    def can(self, action: str) -> bool:
        """Permissions in one place: 'read' (every role), 'code' (coders and admins),
        'admin' (admins: restricted fields, accounts, codebook changes)."""
        allowed = {"read": ROLES, "code": ("admin", "coder"), "admin": ("admin",)}
        return self.role in allowed[action]

    def require(self, action: str, refusal: str | None = None) -> None:
        """Raise PermissionDenied (with ``refusal``, or a general reason) unless ``can``."""
        if not self.can(action):
            raise PermissionDenied(refusal or f"a {self.role} cannot do this; ask an admin")


@dataclass(frozen=True)
class Session:
    token: str
    csrf: str
    user: User
    expires_at: datetime


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"role must be one of {', '.join(ROLES)}, not '{role}'")
    return role


def add_user(store: Store, username: str, password: str, role: str, *, actor: str,
             display_name: str | None = None) -> User:
    if not USERNAME.match(username):
        raise UsageError(f"user name '{username}' must be 2 to 40 lower-case letters, digits, "
                         "dots, dashes or underscores, starting with a letter or digit")
    if username == CONSENSUS:
        raise UsageError(f"'{CONSENSUS}' is the team's reconciled coder, not a person; pick "
                         "another name")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    hashed = _hasher().hash(password)
    with store.session() as tx:
        user_id = tx.add_user(username=username, role=_role(role), password_hash=hashed,
                              display_name=display_name)
        tx.log_event(actor, "user.add", "user", username, after={"role": role})
    return User(user_id, username, role, display_name)


def list_users(store: Store) -> list[dict[str, Any]]:
    with store.session() as tx:
        return tx.users()


def set_role(store: Store, username: str, role: str, *, actor: str) -> None:
    with store.session() as tx:
        before = tx.update_user(username, role=_role(role))
        tx.log_event(actor, "user.set_role", "user", username, before=before,
                     after={"role": role})


def set_active(store: Store, username: str, active: bool, *, actor: str) -> None:
    """Disable (or enable again) an account; disabling also ends its sessions."""
    with store.session() as tx:
        before = tx.update_user(username, active=active)
        user = tx.user(username)
        assert user is not None
        if not active:
            tx.end_web_sessions(user_id=user["id"])
        tx.log_event(actor, "user.enable" if active else "user.disable", "user", username,
                     before=before, after={"active": active})


def sign_in(store: Store, username: str, password: str, *, client: str) -> Session:
    """Check the password and open a session; raises SignInError (and logs the failure)."""
    now = datetime.now(UTC)
    with store.session() as tx:
        failures = tx.count_events(action="user.sign_in_failed", entity_id=username,
                                   since=now - FAILURE_WINDOW)
        if failures >= MAX_FAILURES:
            raise SignInError("too many failed attempts for this name; wait 15 minutes")
        user = tx.user(username)
    if user is None or not user["active"] or not _verify(user["password_hash"], password):
        with store.session() as tx:
            tx.log_event(username, "user.sign_in_failed", "user", username,
                         after={"client": client})
        raise SignInError("wrong name or password, or the account is disabled")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    with store.session() as tx:
        tx.add_web_session(token_hash=_digest(token), user_id=user["id"], csrf=csrf,
                           expires_at=expires)
        tx.log_event(username, "user.sign_in", "user", username, after={"client": client})
    return Session(token, csrf, User(user["id"], username, user["role"],
                                     user["display_name"]), expires)


def _verify(hashed: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not hashed:
        return False
    try:
        return bool(_hasher().verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


def session_of(store: Store, token: str | None) -> Session | None:
    """The live session a cookie's token opens, or None (unknown, expired, or disabled)."""
    if not token:
        return None
    with store.session() as tx:
        found = tx.web_session(_digest(token), datetime.now(UTC))
    if found is None:
        return None
    user = found["user"]
    return Session(token, found["csrf"], User(user["id"], user["username"], user["role"],
                                              user["display_name"]), found["expires_at"])


def sign_out(store: Store, session: Session) -> None:
    with store.session() as tx:
        tx.end_web_sessions(token_hash=_digest(session.token))
        tx.log_event(session.user.username, "user.sign_out", "user", session.user.username)


def csrf_matches(session: Session, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(session.csrf, given or "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
