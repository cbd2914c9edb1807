"""Planning decisions and what really happened afterwards (the learning feedback)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from senga_desktop.db.base import Base
from senga_desktop.db.types import JSONDoc, UTCDateTime, money, quantity, str_enum
from senga_desktop.domain import DecisionType, LearningStatus, PolicyName

if TYPE_CHECKING:
    from senga_desktop.db.models.routes import Route


class Decision(Base):
    """One planning run: the state it saw, the policy and parameters it used, what it proposed.

    With ``state_snapshot``, ``policy_parameters`` and ``seed`` the run can be replayed exactly.
    Decisions are never edited after they are made except to mark them committed or executed.
    """

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(40), unique=True)
    decision_type: Mapped[DecisionType] = mapped_column(str_enum(DecisionType, "decision_type"))
    policy_used: Mapped[PolicyName] = mapped_column(str_enum(PolicyName, "policy_name"))
    policy_parameters: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    seed: Mapped[int | None]
    state_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    routes_created: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    orders_routed: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    # Every order of the state left out, with its reason: [{order_id, code, message, details}].
    # Decisions made before revision 0007 have none stored.
    held_orders: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONDoc, default=list, server_default=text("'[]'")
    )
    total_cost_estimate: Mapped[Decimal] = mapped_column(money())
    decision_confidence: Mapped[float | None]
    computation_time_ms: Mapped[int]
    committed: Mapped[bool] = mapped_column(server_default=false())
    executed: Mapped[bool] = mapped_column(server_default=false())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp()
    )
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A manual edit (decision_type manual_edit) points at the engine decision it started from and
    # keeps the dispatcher's edits in order: [{kind, order_id, vehicle_id, …}] (engine/edits.py).
    base_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL")
    )
    edits: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONDoc, default=list, server_default=text("'[]'")
    )
    # The version of the learned belief (table ``beliefs``) the state was read with; NULL before
    # revision 0010 or when nothing had been learned yet (the defaults). The numbers themselves
    # are in ``state_snapshot``, so a replay uses them whatever was learned since.
    belief_version: Mapped[int | None]

    routes: Mapped[list[Route]] = relationship(back_populates="decision", passive_deletes=True)
    outcomes: Mapped[list[OperationalOutcome]] = relationship(
        back_populates="decision", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(
            "decision_confidence IS NULL"
            " OR (decision_confidence >= 0 AND decision_confidence <= 1)",
            name="confidence_is_probability",
        ),
        CheckConstraint("computation_time_ms >= 0", name="computation_time_not_negative"),
        CheckConstraint("total_cost_estimate >= 0", name="cost_not_negative"),
        Index("ix_decisions_created", "created_at"),
        Index("ix_decisions_committed_created", "committed", "created_at"),
        Index("ix_decisions_policy_created", "policy_used", "created_at"),
        Index("ix_decisions_base_decision", "base_decision_id"),
    )


class OperationalOutcome(Base):
    """What a route really cost and took, against the estimate: the engine learns from the errors.

    Prediction errors are actual minus estimated, in the unit of the quantity.
    """

    __tablename__ = "operational_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[str] = mapped_column(String(40), unique=True)
    # Outcomes are the learning history: a route that has one cannot be deleted.
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id", ondelete="RESTRICT"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))
    actual_cost_kes: Mapped[Decimal] = mapped_column(money())
    actual_duration_minutes: Mapped[int]
    actual_distance_km: Mapped[Decimal] = mapped_column(quantity())
    cost_prediction_error_kes: Mapped[Decimal | None] = mapped_column(money())
    duration_prediction_error_minutes: Mapped[int | None]
    distance_prediction_error_km: Mapped[Decimal | None] = mapped_column(quantity())
    total_revenue_kes: Mapped[Decimal | None] = mapped_column(money())
    net_profit_kes: Mapped[Decimal | None] = mapped_column(money())
    on_time_deliveries: Mapped[int] = mapped_column(server_default="0")
    late_deliveries: Mapped[int] = mapped_column(server_default="0")
    failed_deliveries: Mapped[int] = mapped_column(server_default="0")
    additional_metrics: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp()
    )
    # Learning: whether the outcome has been folded into the belief, into which version, and
    # why not when it was flagged (a sentence).
    learning_status: Mapped[LearningStatus] = mapped_column(
        str_enum(LearningStatus, "learning_status"),
        server_default=LearningStatus.PENDING.value,
    )
    learning_note: Mapped[str | None] = mapped_column(Text)
    belief_version: Mapped[int | None]

    route: Mapped[Route] = relationship(back_populates="outcomes")
    decision: Mapped[Decision | None] = relationship(back_populates="outcomes")

    __table_args__ = (
        CheckConstraint("actual_cost_kes >= 0", name="cost_not_negative"),
        CheckConstraint("actual_duration_minutes >= 0", name="duration_not_negative"),
        CheckConstraint("actual_distance_km >= 0", name="distance_not_negative"),
        CheckConstraint(
            "on_time_deliveries >= 0 AND late_deliveries >= 0 AND failed_deliveries >= 0",
            name="counts_not_negative",
        ),
        # One outcome per route: a second is refused by the database too.
        Index("ix_operational_outcomes_route", "route_id", unique=True),
        Index("ix_operational_outcomes_learning", "learning_status", "id"),
        Index("ix_operational_outcomes_decision", "decision_id"),
        Index("ix_operational_outcomes_recorded", "recorded_at"),
    )


class BeliefVersion(Base):
    """One version of what the engine has learned (engine/learning), in order.

    ``state`` is the estimator's JSON document; ``last_outcome_id`` the highest
    ``operational_outcomes.id`` folded into it, so learning resumes where it stopped. A new
    version is written whenever outcomes are folded in or a manager resets an estimate; older
    versions are kept (decisions name the version they used).
    """

    __tablename__ = "beliefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    last_outcome_id: Mapped[int | None]
    change: Mapped[str] = mapped_column(Text)  # what made this version, in words
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp()
    )

    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)
