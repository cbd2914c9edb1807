"""Helpers shared by the UI tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from senga_desktop.controllers import auth, planning, users
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role

ADMIN_PASSWORD = "Simba-Depot-2026"
USER_PASSWORD = "Matatu-Route-46"


def isolate_qsettings(folder: Path) -> None:
    """Window settings go to the test's folder (Qt caches its settings path per process)."""
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))


def make_admin(database: Database) -> Actor:
    return auth.create_first_admin(database.sessions, "amina", ADMIN_PASSWORD)


def committed_demo(
    database: Database, request: planning.PlanRequest, *, now: datetime
) -> tuple[Actor, planning.DecisionSummary]:
    """The demo depot seeded at ``now``, planned with ``request`` and committed by an admin."""
    admin = make_admin(database)
    seed_demo(database.sessions, now=now)
    summary = planning.plan(database.sessions, admin, request)
    planning.commit_decision(database.sessions, admin, summary.decision_id)
    return admin, summary


def make_user(database: Database, admin: Actor, name: str, role: Role = Role.USER) -> Actor:
    """An account whose first password has already been changed (so it signs straight in)."""
    info = users.create_user(
        database.sessions, admin, username=name, email=None, role=role, password="Temp-" + name * 3
    )
    first = Actor(info.id, info.username, info.role, must_change_password=True)
    return auth.change_own_password(database.sessions, first, "Temp-" + name * 3, USER_PASSWORD)


def all_texts(root: QWidget) -> list[str]:
    """Every string a window can show: labels, buttons, tooltips, menus, the status bar."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        for name in ("text", "title", "toolTip", "statusTip", "whatsThis", "windowTitle",
                     "currentMessage"):  # fmt: skip
            getter = getattr(widget, name, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str):
                    texts.append(value)
    for action in root.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    texts += [menu.title() for menu in root.findChildren(QMenu)]
    return [t for t in texts if t]
