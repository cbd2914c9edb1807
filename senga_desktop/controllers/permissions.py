"""Who may do what. The matrix is checked in controllers, whatever the screens show.

The role is read from the database in the same unit of work as the action, so a user demoted or
deactivated by an administrator loses the right at once, even on a desktop still signed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from senga_desktop.db.models import User
from senga_desktop.domain import Role
from senga_desktop.errors import PermissionDenied


class Permission(StrEnum):
    ORDERS_VIEW = "orders.view"
    ORDERS_EDIT = "orders.edit"
    CUSTOMERS_VIEW = "customers.view"
    CUSTOMERS_EDIT = "customers.edit"
    FLEET_VIEW = "fleet.view"
    FLEET_EDIT = "fleet.edit"
    PLAN_RUN = "plan.run"
    PLAN_COMMIT = "plan.commit"
    ROUTES_CANCEL = "routes.cancel"  # take a committed route back: its orders return to pending
    OUTCOMES_RECORD = "outcomes.record"
    REPORTS_VIEW = "reports.view"
    USERS_MANAGE = "users.manage"
    DATABASE_MANAGE = "database.manage"
    SETTINGS_MANAGE = "settings.manage"
    LEARNING_MANAGE = "learning.manage"  # reset what the engine learned from outcomes


_DISPATCHER = frozenset(
    {
        Permission.ORDERS_VIEW,
        Permission.ORDERS_EDIT,
        Permission.CUSTOMERS_VIEW,
        Permission.FLEET_VIEW,
        Permission.PLAN_RUN,
        Permission.PLAN_COMMIT,
        Permission.OUTCOMES_RECORD,
    }
)
_MANAGER = _DISPATCHER | {
    Permission.CUSTOMERS_EDIT,
    Permission.FLEET_EDIT,
    Permission.REPORTS_VIEW,
    Permission.ROUTES_CANCEL,
    Permission.LEARNING_MANAGE,
}
_ADMIN = _MANAGER | {
    Permission.USERS_MANAGE,
    Permission.DATABASE_MANAGE,
    Permission.SETTINGS_MANAGE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.USER: _DISPATCHER,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
}

ROLE_LABELS = {Role.USER: "Dispatcher", Role.MANAGER: "Manager", Role.ADMIN: "Administrator"}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in person on whose behalf a controller acts."""

    user_id: int
    username: str
    role: Role
    must_change_password: bool = False

    def can(self, permission: Permission) -> bool:
        """For showing or hiding things; controllers still call :func:`authorize`."""
        return permission in ROLE_PERMISSIONS[self.role]


#: The ``senga`` command line. Whoever can run it against a database can reach that database
#: directly too, so it acts with every permission; its changes are audited under this name.
COMMAND_LINE = Actor(user_id=0, username="(command line)", role=Role.ADMIN)


def authorize(session: Session, actor: Actor, permission: Permission) -> User | None:
    """The actor's current account row if it may do ``permission``; PermissionDenied otherwise.

    ``None`` for :data:`COMMAND_LINE`, which has no account.
    """
    if actor is COMMAND_LINE:
        return None
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise PermissionDenied("Your account is no longer active. Sign in again.")
    if permission not in ROLE_PERMISSIONS[user.role]:
        raise PermissionDenied(
            f"A {ROLE_LABELS[user.role].lower()} may not do this ({permission.value}). "
            "Ask an administrator."
        )
    return user
