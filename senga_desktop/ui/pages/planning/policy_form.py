"""The policy part of the planning form: which policy, its parameters, time limit and seed.

Parameters come from :func:`~senga_desktop.controllers.planning_policies.policy_catalogue`
(names, units, one line of help, defaults and ranges from the engine). The values last used are
remembered per user and per policy in ``QSettings``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from senga_desktop.controllers.planning_policies import PolicyInfo, policy_catalogue
from senga_desktop.domain import PolicyName
from senga_desktop.ui.style import muted, unit

__all__ = ["PolicyForm", "RunSettings"]

RunSettings = dict[str, Any]
TIMES = "\N{MULTIPLICATION SIGN}"
UNIT_SUFFIX = {"h": " h", TIMES: f" {TIMES}", "share": "", "": ""}


class PolicyForm(QWidget):
    """Choose a policy and set its parameters; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, *, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user or "anonymous"
        self._catalogue = {info.name: info for info in policy_catalogue()}
        self._spins: dict[str, QDoubleSpinBox] = {}
        u = unit(self)

        self.policy_box = QComboBox()
        self.policy_box.setObjectName("policy_choice")
        for info in self._catalogue.values():
            self.policy_box.addItem(info.title, info.name.value)
        self.summary = muted(QLabel())
        self.summary.setObjectName("policy_summary")
        self.summary.setWordWrap(True)

        self.parameters_box = QGroupBox("Parameters")
        self._parameters_layout = QFormLayout(self.parameters_box)
        self._parameters_layout.setVerticalSpacing(u // 2)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("reset_parameters")
        self.reset_button.clicked.connect(self.reset_defaults)

        run = self._build_run()

        top = QFormLayout()
        top.addRow("Policy", self.policy_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.parameters_box)
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset_button)
        layout.addLayout(reset_row)
        layout.addWidget(run)

        last = self._settings().value("policy", PolicyName.CFA.value)
        index = self.policy_box.findData(str(last))
        self.policy_box.setCurrentIndex(max(0, index if index >= 0 else 1))
        self._build_parameters()
        self.policy_box.currentIndexChanged.connect(self._on_policy_changed)

    def _build_run(self) -> QGroupBox:
        self.time_limit = QSpinBox()
        self.time_limit.setObjectName("time_limit")
        self.time_limit.setRange(1, 600)
        self.time_limit.setValue(30)
        self.time_limit.setSuffix(" s")
        self.time_limit.setToolTip("How long the engine may search for a better plan.")
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setToolTip("The same seed, data and limits give the same plan (for replays).")
        # Advanced: a fixed number of solver iterations instead of a time limit (exactly
        # reproducible; tests use it to plan fast). 0 = use the time limit.
        self.max_iterations = QSpinBox()
        self.max_iterations.setObjectName("max_iterations")
        self.max_iterations.setRange(0, 1_000_000)
        self.max_iterations.setSpecialValueText("no limit")
        self.max_iterations.setToolTip(
            "Stop after this many solver iterations instead of at the time limit "
            "(exactly reproducible)."
        )
        run = QGroupBox("Run")
        run_form = QFormLayout(run)
        run_form.addRow("Time limit", self.time_limit)
        run_form.addRow("Seed", self.seed)
        run_form.addRow("Iterations", self.max_iterations)
        return run

    # -- values ------------------------------------------------------------------------------

    def policy(self) -> PolicyName:
        return PolicyName(self.policy_box.currentData())

    def info(self) -> PolicyInfo:
        return self._catalogue[self.policy()]

    def set_policy(self, name: PolicyName) -> None:
        self.policy_box.setCurrentIndex(self.policy_box.findData(name.value))

    def parameters(self) -> dict[str, float]:
        return {key: spin.value() for key, spin in self._spins.items()}

    def spin(self, key: str) -> QDoubleSpinBox:
        return self._spins[key]

    def time_limit_seconds(self) -> float | None:
        return None if self.max_iterations.value() else float(self.time_limit.value())

    def iterations(self) -> int | None:
        return self.max_iterations.value() or None

    def reset_defaults(self) -> None:
        for parameter in self.info().parameters:
            self._spins[parameter.key].setValue(parameter.default)

    def remember(self) -> None:
        """Keep the current values as this user's last used ones (called when a run starts)."""
        settings = self._settings()
        settings.setValue("policy", self.policy().value)
        for key, value in self.parameters().items():
            settings.setValue(f"{self.policy().value}/{key}", value)
        settings.setValue("time_limit", self.time_limit.value())
        settings.setValue("seed", self.seed.value())
        settings.sync()

    # -- internals ---------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        settings = QSettings()
        settings.beginGroup(f"planning/{self._user}")
        return settings

    def _on_policy_changed(self) -> None:
        self._build_parameters()
        self.changed.emit()

    def _build_parameters(self) -> None:
        while self._parameters_layout.rowCount():
            self._parameters_layout.removeRow(0)
        self._spins.clear()
        info = self.info()
        self.summary.setText(info.summary)
        settings = self._settings()
        for p in info.parameters:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"param_{p.key}")
            spin.setDecimals(p.decimals)
            spin.setRange(p.minimum, p.maximum)
            spin.setSingleStep(p.step)
            spin.setSuffix(UNIT_SUFFIX.get(p.unit, f" {p.unit}"))
            stored = settings.value(f"{info.name.value}/{p.key}")
            try:
                value = float(stored) if stored is not None else p.default
            except (TypeError, ValueError):
                value = p.default
            spin.setValue(min(p.maximum, max(p.minimum, value)))
            spin.setToolTip(f"{p.help} Default {p.default:g}, {p.minimum:g} to {p.maximum:g}.")
            spin.valueChanged.connect(self.changed)
            help_label = muted(QLabel(p.help))
            help_label.setWordWrap(True)
            help_label.setObjectName(f"help_{p.key}")
            self._parameters_layout.addRow(p.label, spin)
            self._parameters_layout.addRow(help_label)
            self._spins[p.key] = spin
        self.time_limit.setValue(int(settings.value("time_limit", 30)))
        self.seed.setValue(int(settings.value("seed", 0)))
