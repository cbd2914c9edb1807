"""execution and learning: what happened on a route, its outcome, the learned belief

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

* ``routes`` gains what a dispatcher records while it runs (odometer, fuel, tolls, other costs,
  notes): plain nullable columns, added with ``ALTER TABLE`` on SQLite too (a batch rebuild of
  ``routes`` would delete every stop through ``ON DELETE CASCADE``).
* ``route_stops`` gains each stop's result, failure reason and note.
* ``operational_outcomes`` gains its learning status, note and belief version, and at most one
  outcome per route (a unique index).
* ``decisions`` gains the belief version its state was read with.
* ``beliefs`` holds the versions of what the engine learned.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ROUTE_COLUMNS = (
    "departure_odometer_km",
    "return_odometer_km",
    "fuel_litres",
    "fuel_cost_kes",
    "tolls_kes",
    "other_costs_kes",
    "execution_notes",
)


def _drop_plain_columns(table: str, columns: Sequence[str]) -> None:
    """``ALTER TABLE … DROP COLUMN`` on both backends (SQLite 3.35 and later): a batch rebuild
    of ``routes`` or ``decisions`` on SQLite would fire the ``ON DELETE`` actions of the tables
    pointing at them. The columns carry no constraint or index, which SQLite requires."""
    for column in columns:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def upgrade() -> None:
    op.create_table(
        "beliefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("last_outcome_id", sa.Integer(), nullable=True),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_beliefs_version_positive")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_beliefs_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beliefs")),
        sa.UniqueConstraint("version", name=op.f("uq_beliefs_version")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("belief_version", sa.Integer(), nullable=True))

    with op.batch_alter_table("operational_outcomes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "learning_status",
                sa.Enum(
                    "pending",
                    "used",
                    "flagged",
                    name=op.f("ck_operational_outcomes_learning_status"),
                    native_enum=False,
                    create_constraint=True,
                ),
                server_default="pending",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("learning_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("belief_version", sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_operational_outcomes_route"))
        batch_op.create_index("ix_operational_outcomes_route", ["route_id"], unique=True)
        batch_op.create_index(
            "ix_operational_outcomes_learning", ["learning_status", "id"], unique=False
        )

    with op.batch_alter_table("route_stops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "result",
                sa.Enum(
                    "delivered",
                    "delivered_late",
                    "failed",
                    name=op.f("ck_route_stops_stop_result"),
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "failure_reason",
                sa.Enum(
                    "customer_absent",
                    "refused",
                    "damaged",
                    "road_closed",
                    "other",
                    name=op.f("ck_route_stops_failure_reason"),
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("result_note", sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_route_stops_failure_reason_only_if_failed"),
            "failure_reason IS NULL OR result = 'failed'",
        )

    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("departure_odometer_km", sa.Numeric(precision=12, scale=3), nullable=True)
        )
        batch_op.add_column(
            sa.Column("return_odometer_km", sa.Numeric(precision=12, scale=3), nullable=True)
        )
        batch_op.add_column(
            sa.Column("fuel_litres", sa.Numeric(precision=12, scale=3), nullable=True)
        )
        batch_op.add_column(
            sa.Column("fuel_cost_kes", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("tolls_kes", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("other_costs_kes", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column("execution_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    _drop_plain_columns("routes", ROUTE_COLUMNS)
    with op.batch_alter_table("route_stops", schema=None) as batch_op:
        for name in ("failure_reason_only_if_failed", "failure_reason", "stop_result"):
            batch_op.drop_constraint(op.f(f"ck_route_stops_{name}"), type_="check")
        batch_op.drop_column("result_note")
        batch_op.drop_column("failure_reason")
        batch_op.drop_column("result")

    with op.batch_alter_table("operational_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_operational_outcomes_learning")
        batch_op.drop_index("ix_operational_outcomes_route")
        batch_op.create_index(
            batch_op.f("ix_operational_outcomes_route"), ["route_id"], unique=False
        )
        batch_op.drop_constraint(op.f("ck_operational_outcomes_learning_status"), type_="check")
        batch_op.drop_column("belief_version")
        batch_op.drop_column("learning_note")
        batch_op.drop_column("learning_status")

    _drop_plain_columns("decisions", ("belief_version",))

    op.drop_table("beliefs")
