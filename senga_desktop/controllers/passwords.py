"""Password hashing and the password policy.

Hashes are argon2id through passlib's ``CryptContext`` (the maintained ``libpass`` distribution).
bcrypt hashes from older systems still verify and are flagged for re-hashing. Hashing is slow on
purpose: screens run it off the GUI thread.
"""

from __future__ import annotations

from passlib.context import CryptContext

from senga_desktop.errors import ValidationError

MIN_PASSWORD_LENGTH = 10

_context = CryptContext(
    schemes=["argon2", "bcrypt"],
    deprecated=["bcrypt"],
    argon2__type="ID",
)


def hash_password(password: str) -> str:
    return str(_context.hash(password))


def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a replacement hash when the stored one is outdated."""
    try:
        ok, new_hash = _context.verify_and_update(password, hashed)
    except (ValueError, TypeError):
        return False, None  # an unknown or damaged hash never matches
    return bool(ok), new_hash


def check_password_policy(password: str, *, username: str) -> None:
    """Reject passwords that are easy to guess; the message says what is required."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password", f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
        )
    if password.strip().casefold() == username.strip().casefold():
        raise ValidationError("password", "The password must not be the user name.")
