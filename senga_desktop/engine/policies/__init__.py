"""Planning policies behind one interface (:class:`~.base.Policy`): PFA, CFA and DLA.

VFA arrives with the learning work. :func:`make_policy` builds a policy by name, as stored in a
decision record, so a decision can be replayed with the same class and parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from senga_desktop.domain import PolicyName
from senga_desktop.engine.policies.base import BasePolicy, Decision, Policy
from senga_desktop.engine.policies.cfa import CFAPolicy
from senga_desktop.engine.policies.dla import ArrivalModel, DLAPolicy
from senga_desktop.engine.policies.pfa import PFAPolicy
from senga_desktop.engine.travel import TravelModel
from senga_desktop.errors import ValidationError

__all__ = [
    "POLICIES",
    "ArrivalModel",
    "BasePolicy",
    "CFAPolicy",
    "DLAPolicy",
    "Decision",
    "PFAPolicy",
    "Policy",
    "make_policy",
]

POLICIES: Mapping[PolicyName, type[BasePolicy]] = {
    PolicyName.PFA: PFAPolicy,
    PolicyName.CFA: CFAPolicy,
    PolicyName.DLA: DLAPolicy,
}


def make_policy(
    name: PolicyName | str,
    parameters: Mapping[str, float] | None = None,
    *,
    travel: TravelModel | None = None,
    workers: int = 1,
    replay: Sequence[Sequence[Sequence[int]]] | None = None,
) -> BasePolicy:
    """The policy called ``name`` with ``parameters`` over its defaults."""
    try:
        kind = POLICIES[PolicyName(name)]
    except (ValueError, KeyError):
        known = ", ".join(str(p) for p in POLICIES)
        raise ValidationError("policy", f"unknown policy {name!r} (known: {known})") from None
    return kind(parameters, travel=travel, workers=workers, replay=replay)
