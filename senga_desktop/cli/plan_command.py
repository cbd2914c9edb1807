"""``senga plan``: a planning run on the configured database, stored as a decision."""

from __future__ import annotations

import json
from typing import Any

import click

from senga_desktop.cli.context import state
from senga_desktop.controllers import planning
from senga_desktop.controllers.permissions import COMMAND_LINE
from senga_desktop.controllers.planning_records import DecisionSummary
from senga_desktop.domain import PolicyName
from senga_desktop.errors import StaleDataError

EXIT_REFUSED = 1  # as the senga group exits for every refused command


def _as_json(summary: DecisionSummary) -> dict[str, Any]:
    return {
        "decision_id": summary.decision_id,
        "policy": summary.policy.value,
        "parameters": dict(summary.parameters),
        "seed": summary.seed,
        "committed": summary.committed,
        "total_cost_kes": str(summary.total_cost_kes),
        "confidence": summary.confidence,
        "computation_ms": summary.computation_ms,
        "routes": [
            {
                "route_id": r.route_id,
                "vehicle_id": r.vehicle_id,
                "status": r.status.value,
                "orders": list(r.order_ids),
                "towns": list(r.towns),
                "distance_km": str(r.distance_km),
                "duration_minutes": r.duration_minutes,
                "cost_kes": str(r.cost_kes),
                "stops": [
                    {"order_ids": list(s.order_ids), "town": s.town,
                     "eta": s.eta.isoformat() if s.eta else None}
                    for s in r.stops
                ],
            }
            for r in summary.routes
        ],
        "held": [{"order_id": h.order_id, "reason": h.code, "why": h.message}
                 for h in summary.held],
    }  # fmt: skip


def _print(summary: DecisionSummary) -> None:
    click.echo(
        f"Decision {summary.decision_id} ({summary.policy.value.upper()}, seed {summary.seed}): "
        f"{len(summary.routes)} routes, {len(summary.orders_routed)} orders, "
        f"KES {summary.total_cost_kes:,.2f}, {summary.computation_ms / 1000:.1f} s"
        + (f", confidence {summary.confidence:.0%}" if summary.confidence is not None else "")
    )
    for route in summary.routes:
        click.echo(
            f"  {route.vehicle_id:<10} {route.distance_km:>8.1f} km {route.duration_minutes:>5} min"
            f"  KES {route.cost_kes:>11,.2f}  {' → '.join(route.towns)}"
        )
    if summary.held:
        click.echo(f"Not planned now ({len(summary.held)}):")
        for held in summary.held:
            click.echo(f"  {held.order_id}: {held.message}")


def _pins(values: tuple[str, ...]) -> dict[str, str]:
    """``ORDER_ID=VEHICLE_ID`` options as a mapping; a malformed or repeated one is refused."""
    pins: dict[str, str] = {}
    for value in values:
        order_id, sep, vehicle_id = value.partition("=")
        order_id, vehicle_id = order_id.strip(), vehicle_id.strip()
        if not sep or not order_id or not vehicle_id:
            raise click.BadParameter(f"{value!r} is not ORDER_ID=VEHICLE_ID", param_hint="--pin")
        if pins.get(order_id, vehicle_id) != vehicle_id:
            raise click.BadParameter(
                f"{order_id} is pinned to both {pins[order_id]} and {vehicle_id}",
                param_hint="--pin",
            )
        pins[order_id] = vehicle_id
    return pins


def _print_refusal(decision_id: str, refused: StaleDataError) -> None:
    """The summary on one line, then every changed record (stderr: it is the command's error)."""
    click.echo(f"error: {refused.summary}", err=True)
    if refused.details:
        click.echo(f"What changed since decision {decision_id} was made:", err=True)
        for line in refused.details:
            click.echo(f"  {line}", err=True)


@click.command("plan")
@click.option(
    "--policy",
    type=click.Choice([p.value for p in PolicyName if p != PolicyName.VFA]),
    default=PolicyName.CFA.value,
    show_default=True,
    help="Which policy decides.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds the solver may search.",
)
@click.option(
    "--max-iterations",
    type=click.IntRange(min=1),
    help="Stop after this many solver iterations instead (exactly reproducible).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the run.")
@click.option("--commit", is_flag=True, help="Commit the proposed routes at once.")
@click.option(
    "--decision",
    "decision_id",
    metavar="ID",
    help="Do not plan: show the stored decision ID (with --commit: commit it).",
)
@click.option(
    "--warm-start",
    "base_decision_id",
    metavar="DECISION_ID",
    help="Start from this decision's routes (a proposal, a committed or an edited plan).",
)
@click.option(
    "--lock",
    "locks",
    metavar="VEHICLE_ID",
    multiple=True,
    help="Keep the --warm-start decision's route of this truck exactly (repeatable).",
)
@click.option(
    "--pin",
    "pins",
    metavar="ORDER_ID=VEHICLE_ID",
    multiple=True,
    callback=lambda _ctx, _param, values: _pins(values),
    help="Keep this order on this truck (repeatable).",
)
@click.option(
    "--keep-committed/--extend-committed",
    "keep_committed",
    default=True,
    show_default=True,
    help="Leave committed routes as they are, or let those not started take extra stops.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Search processes to use [default: one per core, at most four].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
def plan(
    *,
    policy: str,
    time_limit: float,
    max_iterations: int | None,
    seed: int,
    commit: bool,
    decision_id: str | None,
    base_decision_id: str | None,
    locks: tuple[str, ...],
    pins: dict[str, str],
    keep_committed: bool,
    workers: int | None,
    as_json: bool,
) -> None:
    """Plan the pending orders onto the available trucks and store the decision.

    The proposed routes are kept as a decision record (see the Decisions screen); --commit makes
    them real at once: routes planned, orders assigned, trucks reserved. A decision that went
    out of date meanwhile is refused with what changed, and the command exits with status 1.

    Re-planning: --warm-start starts from another decision's routes, --lock keeps some of them
    exactly, --pin keeps orders on chosen trucks. Committed routes keep their loaded trucks as
    they are; --extend-committed lets those that have not started take extra stops (committing
    then amends them).
    """
    if decision_id is not None and (base_decision_id or locks or pins or not keep_committed):
        raise click.UsageError("--decision shows a stored decision: it does not plan again.")
    if locks and base_decision_id is None:
        raise click.UsageError("--lock needs --warm-start DECISION_ID (the plan to lock from).")
    database = state().open()
    if decision_id is None:
        request = planning.PlanRequest(
            policy=PolicyName(policy),
            seed=seed,
            time_limit=None if max_iterations else time_limit,
            max_iterations=max_iterations,
            base_decision_id=base_decision_id,
            locked_vehicle_ids=frozenset(locks),
            pins=pins,
            extend_committed=not keep_committed,
            workers=workers,
        )
        summary = planning.plan(database.sessions, COMMAND_LINE, request)
    else:
        summary = planning.get_decision(database.sessions, COMMAND_LINE, decision_id)
    if commit:
        try:
            summary = planning.commit_decision(database.sessions, COMMAND_LINE, summary.decision_id)
        except StaleDataError as refused:
            _print_refusal(summary.decision_id, refused)
            raise click.exceptions.Exit(EXIT_REFUSED) from refused
    if as_json:
        click.echo(json.dumps(_as_json(summary), indent=2))
    else:
        _print(summary)
        click.echo("Committed." if summary.committed else "Proposed (not committed).")
