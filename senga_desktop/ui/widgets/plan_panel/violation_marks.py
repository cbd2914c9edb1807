"""What is wrong with a plan being edited, arranged for marking: by route, by stop, as a list.

The engine's evaluation of an edited plan names each broken constraint with its truck and, for a
stop or a held order, its order (:class:`~senga_desktop.engine.violations.Violation`).
:class:`ProblemMarks` turns those into what the plan panel marks: every sentence naming a truck
(its route row gets a warning icon, a tint and the sentences as its tooltip), every sentence
naming an order (its stop row likewise), and the list the "Problems" box shows — those the
engine's own plan does not have first. :func:`warning_icon` and :func:`problem_tint` are the one
look of a mark everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import qtawesome as qta
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QWidget

from senga_desktop.engine.violations import Violation
from senga_desktop.ui.style import error_color

__all__ = [
    "NO_PROBLEMS",
    "Problem",
    "ProblemMarks",
    "frozen_icon",
    "problem_tint",
    "problem_tip",
    "warning_icon",
]

BULLET = "\N{BULLET}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken constraint: its sentence, the truck and order it names, and whether the
    engine's plan breaks it too (``new`` false)."""

    message: str
    vehicle_id: str | None
    order_id: str | None
    new: bool = True


@dataclass(frozen=True)
class ProblemMarks:
    """The problems of one evaluated plan, by truck, by order and in reading order."""

    problems: tuple[Problem, ...] = ()
    by_vehicle: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    by_order: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, violations: Iterable[Violation], introduced: Iterable[Violation]) -> ProblemMarks:
        """``violations`` (all the engine finds) marked; those in ``introduced`` are new."""
        new = set(introduced)
        problems = sorted(
            (Problem(v.message, v.vehicle_id, v.order_id, v in new) for v in violations),
            key=lambda p: (not p.new, p.vehicle_id or "", p.order_id or "", p.message),
        )
        by_vehicle: dict[str, list[str]] = {}
        by_order: dict[str, list[str]] = {}
        for problem in problems:
            if problem.vehicle_id is not None:
                by_vehicle.setdefault(problem.vehicle_id, []).append(problem.message)
            if problem.order_id is not None:
                by_order.setdefault(problem.order_id, []).append(problem.message)
        return cls(
            tuple(problems),
            {k: tuple(v) for k, v in by_vehicle.items()},
            {k: tuple(v) for k, v in by_order.items()},
        )

    def __bool__(self) -> bool:
        return bool(self.problems)

    @property
    def new_count(self) -> int:
        return sum(1 for p in self.problems if p.new)

    def of_vehicle(self, vehicle_id: str) -> tuple[str, ...]:
        return self.by_vehicle.get(vehicle_id, ())

    def of_orders(self, order_ids: Iterable[str]) -> tuple[str, ...]:
        """The sentences naming any of ``order_ids`` (a stop's orders), each once."""
        found = (m for o in order_ids for m in self.by_order.get(o, ()))
        return tuple(dict.fromkeys(found))


NO_PROBLEMS = ProblemMarks()


def problem_tip(sentences: Iterable[str]) -> str:
    """A tooltip listing ``sentences`` (empty when there are none)."""
    lines = [f"{BULLET} {s}" for s in sentences]
    return "\n".join(lines)


@cache
def _icon(color: str) -> QIcon:
    # Drawn once into pixmaps: a font icon repaints its glyph on every row, every paint.
    return frozen_icon(qta.icon("mdi6.alert", color=QColor(color)))


def frozen_icon(icon: QIcon, sizes: tuple[int, ...] = (16, 20, 24, 32)) -> QIcon:
    """``icon`` rendered once at ``sizes`` (and twice that, for high-density screens)."""
    frozen = QIcon()
    for side in sizes:
        for scale in (1, 2):
            frozen.addPixmap(icon.pixmap(QSize(side * scale, side * scale)))
    return frozen


def warning_icon(widget: QWidget | None = None) -> QIcon:
    """The warning mark, in the palette-aware error colour."""
    return _icon(error_color(widget) if widget is not None else "#b3261e")


def problem_tint(widget: QWidget) -> QColor:
    """The background of a marked row: the error colour, faint enough to read text on."""
    color = QColor(error_color(widget))
    color.setAlpha(40)
    return color
