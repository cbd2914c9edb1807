"""Password hashing and the password policy.

Hashes are argon2id through passlib's ``CryptContext`` (the maintained ``libpass`` distribution).
bcrypt hashes from older systems still verify and are flagged for re-hashing. Hashing is slow on
purpose: screens run it off the GUI thread.
"""

from __future__ import annotations

from functools import cache

from passlib.context import CryptContext

from senga_desktop.errors import ValidationError
from senga_desktop.paths import resource_path

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


# Hashing a throw-away password when the user name is unknown takes as long as checking a real
# one, so the time taken does not reveal which user names exist.
_DUMMY_HASH = _context.hash("senga-timing-equaliser")


def burn_verification_time(password: str) -> None:
    _context.verify(password, _DUMMY_HASH)


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of passwords too common to allow (lower case)."""
    text = resource_path("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password_policy(password: str, *, username: str) -> None:
    """Reject passwords that are easy to guess; the message says what is required."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password", f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
        )
    folded = password.strip().casefold()
    if username.strip().casefold() in {folded, folded.replace(" ", "")}:
        raise ValidationError("password", "The password must not be the user name.")
    if folded in common_passwords():
        raise ValidationError(
            "password", "This password is on the list of commonly used passwords: choose another."
        )
