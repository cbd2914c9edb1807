"""The policy catalogue the planning form is built from: titles, summaries and parameter help.

Defaults and ranges are read from the engine's policy classes (``DEFAULTS`` and ``RANGES``), so
the form can never offer a value the engine refuses; only the words a dispatcher reads — label,
unit, one line of help, how finely to step — are written here. A parameter the engine gains
without words here makes :func:`policy_catalogue` fail loudly (and its test with it).
"""

from __future__ import annotations

from dataclasses import dataclass

from senga_desktop.domain import PolicyName
from senga_desktop.engine.policies import POLICIES

__all__ = ["ParameterInfo", "PolicyInfo", "policy_catalogue", "policy_info"]


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    """One tunable parameter θ of a policy, as the form shows it."""

    key: str
    label: str
    unit: str  # "h", TIMES (a multiplier), "share" or ""
    help: str  # one line
    default: float
    minimum: float
    maximum: float
    step: float
    decimals: int


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """A policy the dispatcher can choose, with its parameters in display order."""

    name: PolicyName
    title: str
    summary: str
    parameters: tuple[ParameterInfo, ...]

    def defaults(self) -> dict[str, float]:
        return {p.key: p.default for p in self.parameters}


TIMES = "\N{MULTIPLICATION SIGN}"

# label, unit, help, step, decimals
_Words = tuple[str, str, str, float, int]

_CFA_WORDS: dict[str, _Words] = {
    "due_hours": (
        "Must go if due within",
        "h",
        "Orders whose window closes within this many hours are always planned now.",
        1.0,
        1,
    ),
    "horizon_hours": (
        "Look ahead",
        "h",
        "Orders whose window opens later than this are left for a later run.",
        1.0,
        1,
    ),
    "revenue_weight": (
        "Revenue weight",
        TIMES,
        "How much an optional order's revenue counts against the cost of carrying it.",
        0.1,
        2,
    ),
    "urgency_weight": (
        "Urgency weight",
        TIMES,
        "Extra value for optional orders whose window is closing soon.",
        0.1,
        2,
    ),
    "age_weight": (
        "Waiting weight",
        TIMES,
        "Extra value for orders that have waited much of their customer's maximum wait.",
        0.1,
        2,
    ),
    "priority_weight": (
        "Priority weight",
        TIMES,
        "Extra value for high and urgent priority orders.",
        0.1,
        2,
    ),
    "time_buffer": (
        "Travel time buffer",
        TIMES,
        "Multiplies every travel time: slack for traffic, weighbridges and roadworks.",
        0.05,
        2,
    ),
    "capacity_margin": (
        "Capacity kept free",
        "share",
        "Share of each truck's weight and volume left empty, since loading is never perfect.",
        0.01,
        2,
    ),
}

_WORDS: dict[PolicyName, dict[str, _Words]] = {
    PolicyName.PFA: {
        "load_threshold": (
            "Dispatch when load reaches",
            "share",
            "A town's orders go once they fill this share of the largest free truck.",
            0.05,
            2,
        ),
        "wait_hours": (
            "Or when oldest has waited",
            "h",
            "A town's orders go once the oldest of them has waited this long.",
            1.0,
            1,
        ),
        "due_hours": (
            "Or when one is due within",
            "h",
            "A town's orders go once one of them must be delivered within this many hours.",
            1.0,
            1,
        ),
    },
    PolicyName.CFA: _CFA_WORDS,
    PolicyName.DLA: {
        **_CFA_WORDS,
        "samples": (
            "Sampled futures",
            "",
            "How many possible futures of new orders to plan against (more is slower, surer).",
            1.0,
            0,
        ),
        "lookahead_hours": (
            "Future to sample",
            "h",
            "How far ahead new orders are imagined arriving in each sampled future.",
            1.0,
            1,
        ),
        "agreement": (
            "Agreement to send now",
            "share",
            "An order goes now if at least this share of the futures sends it now.",
            0.05,
            2,
        ),
    },
}

_TITLES: dict[PolicyName, tuple[str, str]] = {
    PolicyName.PFA: (
        "PFA — rule of thumb",
        "A dispatcher's rule with tunable thresholds: a town's orders go when they fill a truck "
        "well enough, when the oldest has waited long enough, or when one is due soon; otherwise "
        "they wait for a fuller load. Fast and easy to predict.",
    ),
    PolicyName.CFA: (
        "CFA — optimised plan",
        "The solver's best plan for today: orders due soon must go, the others are carried only "
        "when their revenue, urgency, waiting time and priority outweigh the cost of carrying "
        "them. Travel times and loads keep a safety margin.",
    ),
    PolicyName.DLA: (
        "DLA — looks ahead",
        "Imagines several futures in which new orders keep arriving and plans each with the "
        "optimiser; orders most futures send now go now, the others wait for a better load. "
        "Slower, and says how confident it is.",
    ),
}


def policy_info(name: PolicyName) -> PolicyInfo:
    """One policy's entry; ``KeyError`` naming the parameter if the engine has one without words."""
    kind = POLICIES[name]
    words = _WORDS[name]
    parameters: list[ParameterInfo] = []
    for key, default in kind.DEFAULTS.items():
        if key not in words:
            raise KeyError(f"{name} parameter {key!r} has no label or help in the catalogue")
        label, unit, help_text, step, decimals = words[key]
        low, high = kind.RANGES[key]
        parameters.append(
            ParameterInfo(
                key=key,
                label=label,
                unit=unit,
                help=help_text,
                default=float(default),
                minimum=float(low),
                maximum=float(high),
                step=step,
                decimals=decimals,
            )
        )
    title, summary = _TITLES[name]
    return PolicyInfo(name=name, title=title, summary=summary, parameters=tuple(parameters))


def policy_catalogue() -> tuple[PolicyInfo, ...]:
    """Every policy a dispatcher can run from the Planning screen, in the order offered."""
    return tuple(policy_info(name) for name in POLICIES)
