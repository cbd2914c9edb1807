"""decisions: hand-edited plans (decision_type manual_edit, base_decision_id, edits)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

``decision_type`` is a checked VARCHAR (``str_enum``), not a native enum, on both backends: the
new value widens the column to 11 characters and replaces the CHECK constraint. PostgreSQL does
that with ALTERs. SQLite has to rebuild the table, and dropping the old ``decisions`` table with
foreign keys on (they are, on every connection, and cannot be switched off inside the
migration's transaction) runs an implicit ``DELETE`` whose ``ON DELETE SET NULL`` would cut every
route and outcome from its decision: the links are kept aside in temporary tables and put back
once the new table is in place.

Downgrading turns manual-edit decisions into plain planning decisions (their routes stay linked;
the edits and the link to the decision they came from are dropped with the columns).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_TYPES = ("planning", "replanning", "simulation")
NEW_TYPES = (*OLD_TYPES, "manual_edit")
# The tables whose rows point at a decision, and the column that does.
LINKS = (("routes", "decision_id"), ("operational_outcomes", "decision_id"))


def _decision_type(values: Sequence[str]) -> sa.Enum:
    return sa.Enum(
        *values,
        name=op.f("ck_decisions_decision_type"),
        native_enum=False,
        create_constraint=True,
    )


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _keep_links() -> None:
    """SQLite: copy every row's decision link aside before the table is rebuilt."""
    for table, column in LINKS:
        op.execute(
            f"CREATE TEMP TABLE _keep_{table} AS "
            f"SELECT id, {column} AS link FROM {table} WHERE {column} IS NOT NULL"
        )


def _restore_links() -> None:
    """SQLite: put the links back (the rebuilt table keeps every decision's id)."""
    for table, column in LINKS:
        op.execute(
            f"UPDATE {table} SET {column} = "
            f"(SELECT k.link FROM _keep_{table} AS k WHERE k.id = {table}.id) "
            f"WHERE id IN (SELECT id FROM _keep_{table})"
        )
        op.execute(f"DROP TABLE _keep_{table}")


def upgrade() -> None:
    sqlite = _is_sqlite()
    if sqlite:
        _keep_links()
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.alter_column(
            "decision_type",
            existing_type=_decision_type(OLD_TYPES),
            type_=_decision_type(NEW_TYPES),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("base_decision_id", sa.Integer(), nullable=True))
        # Decisions made before this revision were never edited: an empty list.
        batch_op.add_column(
            sa.Column(
                "edits",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )
        batch_op.create_index("ix_decisions_base_decision", ["base_decision_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_decisions_base_decision_id_decisions"),
            "decisions",
            ["base_decision_id"],
            ["id"],
            ondelete="SET NULL",
        )
    if sqlite:
        _restore_links()


def downgrade() -> None:
    op.execute(
        "UPDATE decisions SET decision_type = 'planning' WHERE decision_type = 'manual_edit'"
    )
    sqlite = _is_sqlite()
    if sqlite:
        _keep_links()
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_decisions_base_decision_id_decisions"), type_="foreignkey"
        )
        batch_op.drop_index("ix_decisions_base_decision")
        batch_op.drop_column("edits")
        batch_op.drop_column("base_decision_id")
        batch_op.alter_column(
            "decision_type",
            existing_type=_decision_type(NEW_TYPES),
            type_=_decision_type(OLD_TYPES),
            existing_nullable=False,
        )
    if sqlite:
        _restore_links()
