"""customer activity, truck plates, capabilities and costs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )

    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registration_plate", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column(
                "fixed_cost_kes",
                sa.Numeric(precision=14, scale=2),
                server_default="0",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "max_shift_hours",
                sa.Numeric(precision=12, scale=3),
                server_default="10",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "capabilities",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_vehicles_registration_plate"), ["registration_plate"]
        )
        batch_op.create_check_constraint(
            op.f("ck_vehicles_fixed_cost_not_negative"), "fixed_cost_kes >= 0"
        )
        batch_op.create_check_constraint(
            op.f("ck_vehicles_shift_in_a_day"), "max_shift_hours > 0 AND max_shift_hours <= 24"
        )


def downgrade() -> None:
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vehicles_shift_in_a_day"), type_="check")
        batch_op.drop_constraint(op.f("ck_vehicles_fixed_cost_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_vehicles_registration_plate"), type_="unique")
        batch_op.drop_column("notes")
        batch_op.drop_column("capabilities")
        batch_op.drop_column("max_shift_hours")
        batch_op.drop_column("fixed_cost_kes")
        batch_op.drop_column("registration_plate")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("is_active")
