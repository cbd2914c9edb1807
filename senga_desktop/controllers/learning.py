"""Learning from outcomes: folding them into versions of the belief, showing and resetting it.

The engine's :class:`~senga_desktop.engine.learning.LearnedBelief` lives in the ``beliefs`` table,
one row per version, never edited. :func:`fold_outcomes` reads the latest version (or starts one
from today's defaults, the ones planning used before anything was learned), feeds it every
outcome still ``pending`` in id order, and writes the result as the next version; each outcome is
marked ``used`` (with the version it went into) or ``flagged`` with the sentence saying why the
engine would not learn from it — all in one transaction. Planning reads the latest version
(:func:`~senga_desktop.controllers.planning_state.read_state`) and every decision records the
version it used; a replay uses the numbers in its snapshot, whatever was learned since.

Two desktops may fold at once (planning folds first, on every desktop). The unique version
number makes one of them lose: it rolls back and tries once more from the fresh state, where
the outcomes are usually folded already. On SQLite the fold takes the file's write lock before
it reads, so the second simply waits for the first and then finds nothing to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from senga_desktop.controllers import audit
from senga_desktop.controllers.learning_observations import (
    NotObservable,
    customers_of,
    depot_place,
    observe,
)
from senga_desktop.controllers.learning_views import (
    ESTIMATE_KINDS,
    LearnedView,
    build_view,
    estimate_label,
)
from senga_desktop.controllers.numbering import is_duplicate_key
from senga_desktop.controllers.permissions import Actor, Permission, authorize
from senga_desktop.db.models import BeliefVersion, OperationalOutcome, Route, Vehicle
from senga_desktop.db.uow import unit_of_work
from senga_desktop.domain import LearningStatus
from senga_desktop.engine.learning import LearnedBelief, Prior, RouteObservation
from senga_desktop.engine.state import Belief
from senga_desktop.errors import StaleDataError, ValidationError

__all__ = [
    "FoldResult",
    "LearnedView",
    "current_belief",
    "fleet_prior",
    "fold_outcomes",
    "fold_quietly",
    "learned_view",
    "reset_estimate",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: How a clash on the version number shows in a unique-constraint error, per backend.
_VERSION_CLASH = ("uq_beliefs_version", "beliefs.version")


@dataclass(frozen=True, slots=True)
class FoldResult:
    """What a fold did: the latest version afterwards (``None``: still nothing learned), how
    many outcomes went into it and how many were flagged instead."""

    version: int | None
    used: int
    flagged: int


def fleet_prior(session: Session) -> Prior:
    """Today's defaults as a prior: the belief's own defaults, and each truck type's speed by
    size as planning sets it (so "default" means what planning used before any learning)."""
    # Imported here: planning_state reads the learned belief from this module.
    from senga_desktop.controllers.planning_state import speed_for_capacity

    defaults = Belief()
    rows = session.execute(
        select(Vehicle.vehicle_type, Vehicle.capacity_weight_tonnes).order_by(Vehicle.vehicle_id)
    )
    return Prior(
        road_factor=defaults.road_factor,
        speeds_kmh={kind: speed_for_capacity(tonnes) for kind, tonnes in rows},
        default_speed_kmh=defaults.default_speed_kmh,
        service_minutes=defaults.service_minutes_per_stop,
        loading_minutes=defaults.loading_minutes,
    )


def _latest(session: Session) -> BeliefVersion | None:
    return session.scalars(
        select(BeliefVersion).order_by(BeliefVersion.version.desc()).limit(1)
    ).first()


def current_belief(session: Session) -> tuple[int | None, LearnedBelief]:
    """The latest version and its belief inside the caller's unit of work; ``(None, the
    prior)`` when nothing has been learned yet."""
    row = _latest(session)
    if row is None:
        return None, LearnedBelief.start(fleet_prior(session))
    return row.version, LearnedBelief.from_json(row.state)


def _take_write_lock(session: Session) -> None:
    """On SQLite, take the file's write lock before reading (a write that changes nothing), so
    a second desktop folding at the same moment waits and then reads what the first wrote.
    Without it the second would fail at its first write ("database is locked"). PostgreSQL
    relies on the unique version instead."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(BeliefVersion)
            .where(BeliefVersion.id < 0)
            .values(version=BeliefVersion.version)
            .execution_options(synchronize_session=False)
        )


def _once_more(attempt: Callable[[], T], what: str) -> T:
    """``attempt()``, and once more if another desktop took the same version number first."""
    for last in (False, True):
        try:
            return attempt()
        except IntegrityError as exc:
            if not is_duplicate_key(exc, _VERSION_CLASH):
                raise
            if last:
                raise StaleDataError(
                    f"{what} was not saved: other desktops wrote new versions of what the "
                    "engine learned at the same moment, twice. Nothing was written. Try again."
                ) from exc
            log.info("belief version taken by another desktop; %s again", what.lower())
    raise AssertionError("unreachable")  # pragma: no cover


def _change_text(used: int, flagged: int) -> str:
    text = f"learned from {used} route{'' if used == 1 else 's'}"
    return f"{text} ({flagged} flagged)" if flagged else text


def _learn(
    belief: LearnedBelief, observation: RouteObservation
) -> tuple[LearnedBelief, bool, str | None]:
    """``belief`` after ``observation``, whether it was used, and the engine's sentences.

    An outcome the engine flags in any part is not used at all: the engine would keep the parts
    it believes (a good duration beside a distance typo), but a row with a typo is suspect as a
    whole, and ``flagged`` means "not learned from" to the manager reading the list. The belief
    is then the one from before the row.
    """
    before = belief.to_json()
    result = belief.update(observation)
    if result.used and not result.flags:
        return belief, True, None
    if result.used:
        belief = LearnedBelief.from_json(before)
    return belief, False, _sentences((*result.flags, "nothing from this route was learned"))


def _sentences(clauses: Sequence[str]) -> str:
    """The engine's clauses ("the distance 5,066 km is 10.0 times ...") as sentences, each once."""
    shown = [c.strip().rstrip(".") for c in dict.fromkeys(clauses) if c.strip()]
    return " ".join(f"{c[0].upper()}{c[1:]}." for c in shown)


def _fold_once(sessions: sessionmaker[Session]) -> FoldResult:
    with unit_of_work(sessions) as session:
        _take_write_lock(session)
        version, belief = current_belief(session)
        pending = session.scalars(
            select(OperationalOutcome)
            .where(OperationalOutcome.learning_status == LearningStatus.PENDING)
            .order_by(OperationalOutcome.id)
            .options(
                selectinload(OperationalOutcome.route).selectinload(Route.stops),
                selectinload(OperationalOutcome.route).selectinload(Route.vehicle),
            )
        ).all()
        if not pending:
            return FoldResult(version, 0, 0)
        depot = depot_place(session)
        loading = Belief().loading_minutes  # the prior's, which learning takes as known
        customers = customers_of(session, [o.route for o in pending])
        verdicts: list[tuple[OperationalOutcome, bool, str | None]] = []
        for outcome in pending:
            try:
                observation = observe(
                    outcome, outcome.route, depot, customers, loading_minutes=loading
                )
            except NotObservable as exc:
                verdicts.append((outcome, False, exc.message))
                continue
            belief, ok, note = _learn(belief, observation)
            verdicts.append((outcome, ok, note))
        used = sum(1 for verdict in verdicts if verdict[1])
        flagged = len(verdicts) - used
        if used:
            version = (version or 0) + 1
            # Inserted and flushed first: a desktop folding at the same moment loses here,
            # before it has touched any outcome.
            session.add(
                BeliefVersion(
                    version=version,
                    state=belief.to_json(),
                    last_outcome_id=pending[-1].id,
                    change=_change_text(used, flagged),
                )
            )
            session.flush()
        for outcome, ok, note in verdicts:
            outcome.learning_status = LearningStatus.USED if ok else LearningStatus.FLAGGED
            outcome.belief_version = version if ok else None
            outcome.learning_note = note
        log.info("folded %d outcomes into belief version %s (%d flagged)", used, version, flagged)
        return FoldResult(version, used, flagged)


def fold_outcomes(sessions: sessionmaker[Session]) -> FoldResult:
    """Fold every pending outcome, in id order, into a new version of the belief (see the
    module doc). Nothing to fold: no new version. Safe to call at any time, from any desktop;
    when every outcome pending was flagged the belief is unchanged and no version is written."""
    return _once_more(lambda: _fold_once(sessions), "Learning from outcomes")


def fold_quietly(sessions: sessionmaker[Session]) -> FoldResult | None:
    """:func:`fold_outcomes` as a side step of other work (planning before it reads its state,
    a route just completed, an import): a failure is logged and ``None`` returned."""
    try:
        return fold_outcomes(sessions)
    except Exception:
        # The work it follows must not fail because learning did: the last version still holds.
        log.exception("learning from outcomes failed; the last learned version stays in use")
        return None


def learned_view(sessions: sessionmaker[Session], actor: Actor) -> LearnedView:
    """What the engine has learned, for the manager's screen. Anyone who plans may look (the
    numbers are what their plans assume); resetting is for managers (``can_reset``)."""
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.PLAN_RUN)
        row = _latest(session)
        _, belief = current_belief(session)
        return build_view(session, row, belief, can_reset=actor.can(Permission.LEARNING_MANAGE))


def _reset_once(sessions: sessionmaker[Session], actor: Actor, kind: str, key: str) -> LearnedView:
    with unit_of_work(sessions) as session:
        authorize(session, actor, Permission.LEARNING_MANAGE)
        if kind not in ESTIMATE_KINDS:
            raise ValidationError(
                "kind", f"Unknown kind of estimate {kind!r}; pick a row of the learned values."
            )
        _take_write_lock(session)
        row = _latest(session)
        if row is None:
            raise ValidationError("estimate", "Nothing has been learned yet: nothing to reset.")
        belief = LearnedBelief.from_json(row.state)
        label = estimate_label(kind, key)
        what = ESTIMATE_KINDS[kind].lower()
        estimate = next((e for e in belief.estimates() if (e.kind, e.key) == (kind, key)), None)
        if estimate is None or estimate.observations == 0:
            raise ValidationError(
                "estimate",
                f"The {what} for {label} is at its default already: nothing to reset.",
            )
        belief.reset(kind, key)
        version = row.version + 1
        session.add(
            BeliefVersion(
                version=version,
                state=belief.to_json(),
                last_outcome_id=row.last_outcome_id,
                change=f"{ESTIMATE_KINDS[kind]} for {label} reset to its default",
                created_by=actor.user_id or None,
            )
        )
        session.flush()
        audit.record_by(session, actor, "belief.reset", entity_type="belief",
                        entity_id=str(version),
                        details={"kind": kind, "key": key, "value": estimate.value,
                                 "default": estimate.default,
                                 "observations": estimate.observations})  # fmt: skip
        new_row = _latest(session)
        return build_view(session, new_row, belief, can_reset=True)


def reset_estimate(
    sessions: sessionmaker[Session], actor: Actor, kind: str, key: str
) -> LearnedView:
    """Put one estimate back to its default in a new version (managers and administrators;
    audited). The outcomes it rested on stay used; later outcomes move it again."""
    return _once_more(lambda: _reset_once(sessions, actor, kind, key), "The reset")
