"""The policy catalogue: every engine parameter has words, and numbers come from the engine."""

from __future__ import annotations

import pytest

from senga_desktop.controllers.planning_policies import policy_catalogue, policy_info
from senga_desktop.domain import PolicyName
from senga_desktop.engine.policies import POLICIES, make_policy


def test_every_policy_is_offered_with_a_title_and_summary() -> None:
    catalogue = policy_catalogue()
    assert [info.name for info in catalogue] == list(POLICIES)
    for info in catalogue:
        assert info.title
        assert len(info.summary) > 80


@pytest.mark.parametrize("name", list(POLICIES))
def test_parameters_match_the_engine_and_have_words(name: PolicyName) -> None:
    kind = POLICIES[name]
    info = policy_info(name)
    assert [p.key for p in info.parameters] == list(kind.DEFAULTS)
    for p in info.parameters:
        assert p.label
        assert p.help
        assert "\n" not in p.help
        assert p.default == kind.DEFAULTS[p.key]
        assert (p.minimum, p.maximum) == kind.RANGES[p.key]
        assert p.minimum <= p.default <= p.maximum
        assert 0 < p.step <= p.maximum - p.minimum
        # A value shown with the form's decimals must still be one the engine accepts.
        assert round(p.default, p.decimals) == pytest.approx(p.default)
    # The defaults the form starts from build the policy the engine would build by default.
    assert dict(make_policy(name, info.defaults()).parameters) == dict(kind.DEFAULTS)


def test_a_parameter_without_words_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    kind = POLICIES[PolicyName.PFA]
    monkeypatch.setattr(kind, "DEFAULTS", {**kind.DEFAULTS, "new_knob": 1.0})
    monkeypatch.setattr(kind, "RANGES", {**kind.RANGES, "new_knob": (0.0, 2.0)})
    with pytest.raises(KeyError, match="new_knob"):
        policy_info(PolicyName.PFA)
