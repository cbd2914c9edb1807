"""route attention flag and order list indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_created", ["created_at"], unique=False)
        batch_op.create_index("ix_orders_customer_status", ["customer_id", "status"], unique=False)
        batch_op.create_index("ix_orders_window_start", ["time_window_start"], unique=False)

    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attention_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_column("attention_reason")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_window_start")
        batch_op.drop_index("ix_orders_customer_status")
        batch_op.drop_index("ix_orders_created")
