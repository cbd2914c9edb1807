"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column(
            "constraints",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "preferences",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_customers_customer_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customers_customer_name"), ["customer_name"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("hashed_password", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "user",
                "manager",
                "admin",
                name=op.f("ck_users_user_role"),
                native_enum=False,
                create_constraint=True,
            ),
            server_default="user",
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("is_superuser", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_login", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.String(length=32), nullable=False),
        sa.Column("vehicle_type", sa.String(length=64), nullable=False),
        sa.Column("capacity_weight_tonnes", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("capacity_volume_m3", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column(
            "current_location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "available",
                "on_route",
                "maintenance",
                "off_duty",
                "retired",
                name=op.f("ck_vehicles_vehicle_status"),
                native_enum=False,
                create_constraint=True,
            ),
            server_default="available",
            nullable=False,
        ),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fuel_cost_per_km", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("driver_cost_per_hour", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "capacity_volume_m3 > 0", name=op.f("ck_vehicles_volume_capacity_positive")
        ),
        sa.CheckConstraint(
            "capacity_weight_tonnes > 0", name=op.f("ck_vehicles_weight_capacity_positive")
        ),
        sa.CheckConstraint(
            "driver_cost_per_hour >= 0", name=op.f("ck_vehicles_driver_cost_not_negative")
        ),
        sa.CheckConstraint(
            "fuel_cost_per_km >= 0", name=op.f("ck_vehicles_fuel_cost_not_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.UniqueConstraint("vehicle_id", name=op.f("uq_vehicles_vehicle_id")),
    )
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vehicles_status_available", ["status", "available_at"], unique=False
        )
        batch_op.create_index("ix_vehicles_type_status", ["vehicle_type", "status"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_log_action_occurred", ["action", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_log_occurred", ["occurred_at"], unique=False)
        batch_op.create_index(
            "ix_audit_log_user_occurred", ["user_id", "occurred_at"], unique=False
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column(
            "decision_type",
            sa.Enum(
                "planning",
                "replanning",
                "simulation",
                name=op.f("ck_decisions_decision_type"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "policy_used",
            sa.Enum(
                "pfa",
                "cfa",
                "vfa",
                "dla",
                name=op.f("ck_decisions_policy_name"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "policy_parameters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column(
            "state_snapshot",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "routes_created",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "orders_routed",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("total_cost_estimate", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("decision_confidence", sa.Double(), nullable=True),
        sa.Column("computation_time_ms", sa.Integer(), nullable=False),
        sa.Column("committed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("executed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "computation_time_ms >= 0", name=op.f("ck_decisions_computation_time_not_negative")
        ),
        sa.CheckConstraint(
            "decision_confidence IS NULL OR (decision_confidence >= 0 AND decision_confidence <= 1)",
            name=op.f("ck_decisions_confidence_is_probability"),
        ),
        sa.CheckConstraint("total_cost_estimate >= 0", name=op.f("ck_decisions_cost_not_negative")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_decisions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_decisions_decision_id")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_decisions_committed_created", ["committed", "created_at"], unique=False
        )
        batch_op.create_index("ix_decisions_created", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_decisions_policy_created", ["policy_used", "created_at"], unique=False
        )

    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.String(length=40), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column(
            "order_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "destination_cities",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("total_distance_km", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("estimated_duration_minutes", sa.Integer(), nullable=False),
        sa.Column("estimated_cost_kes", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "planned",
                "in_progress",
                "completed",
                "cancelled",
                "discarded",
                name=op.f("ck_routes_route_status"),
                native_enum=False,
                create_constraint=True,
            ),
            server_default="proposed",
            nullable=False,
        ),
        sa.Column("planned_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_distance_km", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("actual_duration_minutes", sa.Integer(), nullable=True),
        sa.Column("actual_cost_kes", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start",
            name=op.f("ck_routes_actual_times_ordered"),
        ),
        sa.CheckConstraint("estimated_cost_kes >= 0", name=op.f("ck_routes_cost_not_negative")),
        sa.CheckConstraint(
            "estimated_duration_minutes >= 0", name=op.f("ck_routes_duration_not_negative")
        ),
        sa.CheckConstraint("total_distance_km >= 0", name=op.f("ck_routes_distance_not_negative")),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_routes_decision_id_decisions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"],
            ["vehicles.id"],
            name=op.f("fk_routes_vehicle_id_vehicles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
        sa.UniqueConstraint("route_id", name=op.f("uq_routes_route_id")),
    )
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.create_index("ix_routes_decision", ["decision_id"], unique=False)
        batch_op.create_index("ix_routes_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_routes_vehicle_status", ["vehicle_id", "status"], unique=False)

    op.create_table(
        "operational_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.String(length=40), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("actual_cost_kes", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("actual_duration_minutes", sa.Integer(), nullable=False),
        sa.Column("actual_distance_km", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("cost_prediction_error_kes", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("duration_prediction_error_minutes", sa.Integer(), nullable=True),
        sa.Column("distance_prediction_error_km", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("total_revenue_kes", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("net_profit_kes", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("on_time_deliveries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("late_deliveries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("failed_deliveries", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "additional_metrics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actual_cost_kes >= 0", name=op.f("ck_operational_outcomes_cost_not_negative")
        ),
        sa.CheckConstraint(
            "actual_distance_km >= 0", name=op.f("ck_operational_outcomes_distance_not_negative")
        ),
        sa.CheckConstraint(
            "actual_duration_minutes >= 0",
            name=op.f("ck_operational_outcomes_duration_not_negative"),
        ),
        sa.CheckConstraint(
            "on_time_deliveries >= 0 AND late_deliveries >= 0 AND failed_deliveries >= 0",
            name=op.f("ck_operational_outcomes_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_operational_outcomes_decision_id_decisions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_operational_outcomes_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["routes.id"],
            name=op.f("fk_operational_outcomes_route_id_routes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operational_outcomes")),
        sa.UniqueConstraint("outcome_id", name=op.f("uq_operational_outcomes_outcome_id")),
    )
    with op.batch_alter_table("operational_outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_operational_outcomes_decision", ["decision_id"], unique=False)
        batch_op.create_index("ix_operational_outcomes_recorded", ["recorded_at"], unique=False)
        batch_op.create_index("ix_operational_outcomes_route", ["route_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "pickup_location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("destination_city", sa.String(length=80), nullable=False),
        sa.Column(
            "destination_location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("weight_tonnes", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("volume_m3", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("time_window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "high",
                "urgent",
                name=op.f("ck_orders_order_priority"),
                native_enum=False,
                create_constraint=True,
            ),
            server_default="normal",
            nullable=False,
        ),
        sa.Column(
            "special_handling",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("price_kes", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "assigned",
                "in_transit",
                "delivered",
                "failed",
                "cancelled",
                name=op.f("ck_orders_order_status"),
                native_enum=False,
                create_constraint=True,
            ),
            server_default="pending",
            nullable=False,
        ),
        sa.Column("assigned_route_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.CheckConstraint("price_kes >= 0", name=op.f("ck_orders_price_not_negative")),
        sa.CheckConstraint(
            "time_window_end > time_window_start", name=op.f("ck_orders_window_ordered")
        ),
        sa.CheckConstraint("volume_m3 >= 0", name=op.f("ck_orders_volume_not_negative")),
        sa.CheckConstraint("weight_tonnes > 0", name=op.f("ck_orders_weight_positive")),
        sa.ForeignKeyConstraint(
            ["assigned_route_id"],
            ["routes.id"],
            name=op.f("fk_orders_assigned_route_id_routes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_orders_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_id", name=op.f("uq_orders_order_id")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_assigned_route", ["assigned_route_id"], unique=False)
        batch_op.create_index("ix_orders_city_status", ["destination_city", "status"], unique=False)
        batch_op.create_index(
            "ix_orders_customer_created", ["customer_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_orders_status_window", ["status", "time_window_start"], unique=False
        )

    op.create_table(
        "route_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.String(length=48), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column(
            "order_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "location",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "stop_type",
            sa.Enum(
                "pickup",
                "delivery",
                name=op.f("ck_route_stops_stop_type"),
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("sequence_order", sa.Integer(), nullable=False),
        sa.Column("estimated_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("estimated_departure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_arrival", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_departure", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "estimated_departure IS NULL OR estimated_arrival IS NULL OR estimated_departure >= estimated_arrival",
            name=op.f("ck_route_stops_estimated_times_ordered"),
        ),
        sa.CheckConstraint(
            "sequence_order >= 0", name=op.f("ck_route_stops_sequence_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["route_id"],
            ["routes.id"],
            name=op.f("fk_route_stops_route_id_routes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_stops")),
        sa.UniqueConstraint(
            "route_id", "sequence_order", name=op.f("uq_route_stops_route_id_sequence_order")
        ),
        sa.UniqueConstraint("stop_id", name=op.f("uq_route_stops_stop_id")),
    )


def downgrade() -> None:
    op.drop_table("route_stops")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_status_window")
        batch_op.drop_index("ix_orders_customer_created")
        batch_op.drop_index("ix_orders_city_status")
        batch_op.drop_index("ix_orders_assigned_route")

    op.drop_table("orders")
    with op.batch_alter_table("operational_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_operational_outcomes_route")
        batch_op.drop_index("ix_operational_outcomes_recorded")
        batch_op.drop_index("ix_operational_outcomes_decision")

    op.drop_table("operational_outcomes")
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_index("ix_routes_vehicle_status")
        batch_op.drop_index("ix_routes_status_created")
        batch_op.drop_index("ix_routes_decision")

    op.drop_table("routes")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_policy_created")
        batch_op.drop_index("ix_decisions_created")
        batch_op.drop_index("ix_decisions_committed_created")

    op.drop_table("decisions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_user_occurred")
        batch_op.drop_index("ix_audit_log_occurred")
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index("ix_audit_log_action_occurred")

    op.drop_table("audit_log")
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_index("ix_vehicles_type_status")
        batch_op.drop_index("ix_vehicles_status_available")

    op.drop_table("vehicles")
    op.drop_table("users")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_customer_name"))

    op.drop_table("customers")
