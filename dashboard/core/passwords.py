"""Password hashing: argon2id (argon2-cffi) with its recommended parameters; hashes carry their parameters,
so a stronger setting later rehashes at the next sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_hasher = PasswordHasher()  # stateless and thread-safe: parameters only
# a hash of nothing anyone types, verified when the email is unknown so both answers take as long
_DUMMY = _hasher.hash("learnpulse: no such account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(hashed: str | None, password: str) -> bool:
    try:
        return _hasher.verify(hashed or _DUMMY, password) and hashed is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    return _hasher.check_needs_rehash(hashed)


def problem(password: str, confirm: str | None = None, email: str | None = None) -> str | None:
    """Why a new password is refused, or None."""
    if len(password or "") < MIN_LENGTH:
        return f"Choose a password of at least {MIN_LENGTH} characters."
    if confirm is not None and password != confirm:
        return "The two passwords differ."
    if email and password.strip().lower() == email.strip().lower():
        return "Choose a password other than your email."
    return None
