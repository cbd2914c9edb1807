"""What the engine has learned, as the manager's screen shows it.

One row per learned value — a corridor's road factor, a truck type's speed and cost factor, the
service time of every stop and of the customers with history — with the default it started from,
the learned value, how many outcomes it rests on, its 90 % interval and its change in per cent;
and the outcomes the engine refused to learn from, each with the sentence saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from senga_desktop.db.models import BeliefVersion, Customer, OperationalOutcome, Route, User
from senga_desktop.domain import LearningStatus
from senga_desktop.engine.learning import Estimate, LearnedBelief

__all__ = [
    "ESTIMATE_KINDS",
    "EstimateRow",
    "FlaggedOutcome",
    "LearnedView",
    "build_view",
    "estimate_label",
]

#: The kinds of estimate, in the order the screen lists them, and what each one is.
ESTIMATE_KINDS = {
    "corridor": "Road factor",
    "speed": "Speed",
    "cost_per_km": "Cost per km",
    "service": "Service time",
    "customer_service": "Service time",
}
FLAGGED_SHOWN = 200  # the most recent flagged outcomes the screen lists
DASH = "\u2013"  # an en dash between the towns of a corridor
_CORRIDOR = "|"  # the engine keys a corridor by its two towns, sorted: "Nairobi|Nakuru"


@dataclass(frozen=True, slots=True)
class EstimateRow:
    """One learned value. ``label`` names what it is about ("Nairobi \u2013 Nakuru", "Heavy truck
    10 t", "Every stop", "Naivas DC (CUST-0003)"); ``what`` the quantity ("Road factor");
    ``low``-``high`` the 90 % interval; ``change_pct`` the learned value against the default."""

    kind: str
    key: str
    what: str
    label: str
    default: float
    value: float
    unit: str
    observations: int
    low: float
    high: float
    change_pct: float


@dataclass(frozen=True, slots=True)
class FlaggedOutcome:
    """An outcome the engine did not learn from, and why."""

    outcome_id: str
    route_id: str
    recorded_at: datetime | None
    note: str


@dataclass(frozen=True)
class LearnedView:
    """The latest version of the belief: when it was made and by whom (``created_by`` ``None``:
    learned automatically, when outcomes were folded in), what made it, its estimates, the
    flagged outcomes and how many outcomes wait to be learned from. ``version`` ``None``:
    nothing has been learned yet and every row shows its default. ``can_reset``: whether the
    viewer may reset an estimate."""

    version: int | None
    created_at: datetime | None
    created_by: str | None
    change: str
    rows: tuple[EstimateRow, ...]
    flagged: tuple[FlaggedOutcome, ...]
    pending: int
    can_reset: bool

    def row(self, kind: str, key: str) -> EstimateRow | None:
        """The row of one estimate, ``None`` when the engine has nothing on it."""
        return next((r for r in self.rows if r.kind == kind and r.key == key), None)


def estimate_label(kind: str, key: str, customer_names: dict[str, str] | None = None) -> str:
    """What an estimate is about, in words."""
    if kind == "corridor":
        return f" {DASH} ".join(key.split(_CORRIDOR))
    if kind == "service":
        return "Every stop"
    if kind == "customer_service":
        name = (customer_names or {}).get(key)
        return f"{name} ({key})" if name else key
    return key  # a truck type: the fleet's own label for it


def _customer_names(session: Session, estimates: Iterable[Estimate]) -> dict[str, str]:
    ids = sorted({e.key for e in estimates if e.kind == "customer_service"})
    names: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Customer.customer_id, Customer.customer_name).where(
                Customer.customer_id.in_(ids[start : start + 500])
            )
        )
        names.update(rows.all())
    return names


def _change_pct(estimate: Estimate) -> float:
    if not estimate.default:
        return 0.0
    return (estimate.value - estimate.default) / estimate.default * 100


def _rows(session: Session, belief: LearnedBelief) -> tuple[EstimateRow, ...]:
    estimates = belief.estimates()
    names = _customer_names(session, estimates)
    order = list(ESTIMATE_KINDS)
    rows = [
        EstimateRow(
            kind=e.kind,
            key=e.key,
            what=ESTIMATE_KINDS.get(e.kind, e.kind),
            label=estimate_label(e.kind, e.key, names),
            default=e.default,
            value=e.value,
            unit=e.unit,
            observations=e.observations,
            low=e.low,
            high=e.high,
            change_pct=_change_pct(e),
        )
        for e in estimates
    ]
    rank = {kind: i for i, kind in enumerate(order)}
    rows.sort(key=lambda r: (rank.get(r.kind, len(order)), r.label.casefold(), r.key))
    return tuple(rows)


def _flagged(session: Session) -> tuple[FlaggedOutcome, ...]:
    rows = session.execute(
        select(
            OperationalOutcome.outcome_id,
            Route.route_id,
            OperationalOutcome.recorded_at,
            OperationalOutcome.learning_note,
        )
        .join(Route, OperationalOutcome.route_id == Route.id)
        .where(OperationalOutcome.learning_status == LearningStatus.FLAGGED)
        .order_by(OperationalOutcome.id.desc())
        .limit(FLAGGED_SHOWN)
    )
    return tuple(
        FlaggedOutcome(outcome_id, route_id, recorded_at, note or "")
        for outcome_id, route_id, recorded_at, note in rows
    )


def build_view(
    session: Session,
    row: BeliefVersion | None,
    belief: LearnedBelief,
    *,
    can_reset: bool,
) -> LearnedView:
    """The view of ``belief``, the state of version ``row`` (``None``: nothing learned yet)."""
    pending = session.scalar(
        select(func.count())
        .select_from(OperationalOutcome)
        .where(OperationalOutcome.learning_status == LearningStatus.PENDING)
    )
    who = None
    if row is not None and row.created_by is not None:
        who = session.scalar(select(User.username).where(User.id == row.created_by))
    return LearnedView(
        version=row.version if row else None,
        created_at=row.created_at if row else None,
        created_by=who,
        change=row.change if row else "Nothing learned yet: planning uses the defaults.",
        rows=_rows(session, belief),
        flagged=_flagged(session),
        pending=int(pending or 0),
        can_reset=can_reset,
    )
