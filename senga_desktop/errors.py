"""The exceptions every layer shares.

Expected failures (bad input, a refused permission, a server that is down) derive from
:class:`SengaError` and carry a message written for the person at the desk; anything else is a bug
and reaches the crash handler.
"""

from __future__ import annotations

from collections.abc import Sequence


class SengaError(Exception):
    """An expected failure whose message can be shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(SengaError):
    """A setting is malformed (for example a database URL that cannot be parsed)."""


class ValidationError(SengaError):
    """Input was rejected; ``field`` names the form field or import column at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(SengaError):
    """The signed-in user's role does not allow the requested action."""


class NotFound(SengaError):
    """The record asked for does not exist (or no longer exists)."""


class AlreadyExists(SengaError):
    """A record with the same business key exists already."""


class StaleDataError(SengaError):
    """Records changed since they were read; ``keys`` lists which ones.

    ``summary`` (the message) is what a person reads first — who changed what, when; ``details``
    lists every changed record, one line each, for whoever wants to look behind it.
    """

    def __init__(
        self, message: str, keys: Sequence[str] = (), *, details: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.keys = tuple(keys)
        self.details = tuple(details)

    @property
    def summary(self) -> str:
        return self.message


class StorageUnavailable(SengaError):
    """The database cannot be reached, opened or written."""


class PlanningCancelled(SengaError):
    """The user cancelled a planning run before it finished."""


class AuthenticationFailed(SengaError):
    """Signing in failed; the message never says whether the user name exists."""


class AccountLocked(AuthenticationFailed):
    """Too many failed sign-ins: the account is locked for a while (or until an admin unlocks)."""
