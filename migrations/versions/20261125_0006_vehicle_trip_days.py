"""vehicles: multi-day trips (max_trip_days)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("max_trip_days", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_vehicles_trip_in_a_week"), "max_trip_days >= 1 AND max_trip_days <= 7"
        )


def downgrade() -> None:
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vehicles_trip_in_a_week"), type_="check")
        batch_op.drop_column("max_trip_days")
