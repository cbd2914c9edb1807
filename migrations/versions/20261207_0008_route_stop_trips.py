"""route_stops: the trip of each stop and the reload before it (trip, reload_arrival/departure)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

The trips a day each truck type may make are a settings row (``app_settings`` key
``trips_per_day``), which needs no schema change; a database without it plans one trip a day.
Only ``route_stops`` changes: on SQLite a batch rebuild of ``routes`` would delete every stop
(``ON DELETE CASCADE`` fires when the old table is dropped).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Stops planned before this revision made one trip: trip 0, no reload.
    with op.batch_alter_table("route_stops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trip", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("reload_arrival", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("reload_departure", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(op.f("ck_route_stops_trip_not_negative"), "trip >= 0")


def downgrade() -> None:
    with op.batch_alter_table("route_stops", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_route_stops_trip_not_negative"), type_="check")
        batch_op.drop_column("reload_departure")
        batch_op.drop_column("reload_arrival")
        batch_op.drop_column("trip")
