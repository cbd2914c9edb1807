"""The inputs the order screens share: customer and town pickers, depot-time and figure fields.

- :class:`CustomerPicker` — an editable combo box over customers; typing any part of a name or ID
  pops up the matches. Its list is handed in (:meth:`CustomerPicker.set_customers`) by the screen,
  which reads the customers through the task runner.
- :class:`TownCombo` — the same over the bundled gazetteer of Kenyan towns.
- :class:`DepotDateTimeEdit` — a date and time picked in the depot's zone, read back as aware
  UTC (from :mod:`senga_desktop.ui.widgets.depot_inputs`, shared with the fleet's dialogs);
- :class:`DecimalSpin` — a figure with a unit, read back as an exact ``Decimal``.
- :class:`CoordinateEdit` — an optional latitude or longitude typed as text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from senga_desktop.controllers.customers import CustomerInfo, normalise_customer_id
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.widgets.depot_inputs import DepotDateTimeEdit, ExactSpin

__all__ = [
    "CoordinateEdit",
    "CustomerPicker",
    "DecimalSpin",
    "DepotDateTimeEdit",
    "TownCombo",
    "customer_label",
]

#: A combo box shows this many characters before it scrolls its text.
COMBO_CHARS = 22


def customer_label(name: str, key: str) -> str:
    """How a customer is listed: ``Jamii Supermarkets Ltd (CUST-0001)``."""
    return f"{name} ({key})"


class _SearchCombo(QComboBox):
    """An editable combo box whose completer finds items by any part of their text."""

    def __init__(
        self,
        *,
        name: str,
        placeholder: str,
        chars: int = COMBO_CHARS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        #: The text field (typed, as ``lineEdit()`` is optional for a combo box).
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.setLineEdit(self.edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(chars)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        finder = QCompleter(self.model(), self)
        finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(finder)
        self.setAccessibleName(placeholder)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        """Show ``text``: its item if there is one, else the text as typed."""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
        self.setEditText(text)


class CustomerPicker(_SearchCombo):
    """Choose a customer by typing part of the name or ID (case and spacing ignored)."""

    def __init__(
        self,
        *,
        name: str,
        placeholder: str = "Type a name or ID",
        chars: int = COMBO_CHARS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name=name, placeholder=placeholder, chars=chars, parent=parent)
        self._names: dict[str, str] = {}

    def set_customers(self, customers: Sequence[CustomerInfo]) -> None:
        """Offer ``customers`` (by name), keeping the text typed so far."""
        text = self.edit.text()
        self.blockSignals(True)
        try:
            self.clear()
            self._names = {}
            for customer in sorted(customers, key=lambda c: c.customer_name.casefold()):
                self.addItem(
                    customer_label(customer.customer_name, customer.customer_id),
                    customer.customer_id,
                )
                self._names[customer.customer_id] = customer.customer_name
            self.setCurrentIndex(-1)
            self.setEditText(text)
        finally:
            self.blockSignals(False)

    def set_customer(self, customer_id: str, name: str = "") -> None:
        """Show the customer with this ID (listed or not)."""
        name = name or self._names.get(customer_id, "")
        self.set_text(customer_label(name, customer_id) if name else customer_id)

    def customer_id(self) -> str:
        """The chosen customer's ID; what was typed (as an ID) when it names none of the list.

        The typed text may be the listed label, an ID, an exact name, or a part of one name only.
        """
        text = self.text()
        if not text:
            return ""
        folded = text.casefold()
        exact = [
            key
            for key, name in self._names.items()
            if folded in (customer_label(name, key).casefold(), key.casefold(), name.casefold())
        ]
        if len(exact) == 1:
            return exact[0]
        partial = [key for key, name in self._names.items() if folded in name.casefold()]
        if len(partial) == 1:
            return partial[0]
        return normalise_customer_id(text)

    def is_listed(self) -> bool:
        return self.customer_id() in self._names


class TownCombo(_SearchCombo):
    """A town of the gazetteer (an unknown name is kept as typed for the controller to judge)."""

    def __init__(
        self,
        *,
        name: str,
        placeholder: str = "Type a town",
        chars: int = COMBO_CHARS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name=name, placeholder=placeholder, chars=chars, parent=parent)
        self.addItems(load_gazetteer().names())
        self.setCurrentIndex(-1)

    def town(self) -> str:
        """The canonical name of the town typed (``"nairobi city"`` → ``Nairobi``), or the text."""
        found = load_gazetteer().get(self.text())
        return found.name if found else self.text()


class DecimalSpin(ExactSpin):
    """A figure with a unit whose value reads back as an exact ``Decimal``.

    The range is wide on purpose: an absurd figure must reach the controller, whose message says
    what is wrong with it, rather than be silently clamped.
    """

    def __init__(
        self,
        *,
        name: str,
        decimals: int,
        maximum: float,
        suffix: str = "",
        prefix: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(name=name, decimals=decimals, maximum=maximum, parent=parent)
        self.setSuffix(suffix)
        self.setPrefix(prefix)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)


class CoordinateEdit(QLineEdit):
    """A latitude or longitude in decimal degrees, or nothing."""

    def __init__(self, *, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText(placeholder)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 12)

    def value(self) -> float | None:
        """The number typed (comma or point as decimal mark); ``None`` when empty.

        Raises ``ValueError`` when the text is not a number.
        """
        text = self.text().strip().replace(",", ".").replace("\N{DEGREE SIGN}", "")
        if not text:
            return None
        return float(text)

    def set_value(self, value: float | None) -> None:
        self.setText("" if value is None else f"{value:.5f}".rstrip("0").rstrip("."))
