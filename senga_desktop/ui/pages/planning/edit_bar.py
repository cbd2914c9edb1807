"""The bar over a proposal being edited: Undo, Redo, Back to the engine's plan, and its status.

:class:`EditBar` follows an :class:`~senga_desktop.ui.pages.planning.editing.EditSession`'s undo
stack: the Undo and Redo buttons are enabled when there is something to undo or redo and their
tooltips name the edit ("Undo: Moved order ORD-0042 from KDA 123B to KDB 418K (stop 2).
Ctrl+Z"); Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y work anywhere on the proposal (the bar's
:attr:`~EditBar.undo_action` and :attr:`~EditBar.redo_action`, added to the host widget). Beside
them a line says whether the plan is still being opened for editing, how to edit it, or what the
edits so far have changed; a refused edit's sentence shows below it until the next edit.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from senga_desktop.controllers.plan_editing import EditedPlan
from senga_desktop.ui.style import icon, muted, unit
from senga_desktop.ui.widgets.forms import InlineMessage
from senga_desktop.ui.widgets.plan_panel.formatting import kes

__all__ = ["HOW_TO_EDIT", "OPENING", "REDO_KEYS", "UNDO_KEYS", "EditBar", "edits_summary"]

UNDO_KEYS = ("Ctrl+Z",)
REDO_KEYS = ("Ctrl+Shift+Z", "Ctrl+Y")
OPENING = "Opening the plan for editing…"
HOW_TO_EDIT = (
    "Edit by hand: drag a stop onto another route (in the list or on the map), onto Held orders "
    "or to another place in its stops, or right-click it. Every change is checked at once."
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def edits_summary(plan: EditedPlan, edits: int) -> str:
    """``2 edits · KES 1,240 more than the engine's plan · 1 problem`` (``HOW_TO_EDIT`` for the
    engine's plan itself)."""
    if not plan.changed:
        return HOW_TO_EDIT if not edits else "Back to the engine's plan: nothing is changed."
    change: Decimal = plan.cost_change_kes.quantize(Decimal(1))
    if change == 0:
        cost = "the same cost as the engine's plan"
    else:
        cost = f"{kes(abs(change))} {'more' if change > 0 else 'less'} than the engine's plan"
    problems = len(plan.violations)
    found = _plural(problems, "problem") if problems else "no problem"
    return f"{_plural(edits, 'edit')} \N{MIDDLE DOT} {cost} \N{MIDDLE DOT} {found}"


def _button(name: str, icon_name: str, text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(icon(icon_name, widget=parent), text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setEnabled(False)
    return button


class EditBar(QWidget):
    """Undo, Redo, "Back to the engine's plan" and the editing status of one proposal.

    ``back_requested`` when the dispatcher asks for the engine's plan again.
    """

    back_requested = Signal()

    def __init__(self, *, stack: QUndoStack, host: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edit_bar")
        self.stack = stack
        u = unit(self)
        self.undo_button = _button("undo_button", "mdi6.undo", "Undo", self)
        self.redo_button = _button("redo_button", "mdi6.redo", "Redo", self)
        self.back_button = _button("back_to_engine_button", "mdi6.backup-restore",
                                   "Back to the engine's plan", self)  # fmt: skip
        self.back_button.setToolTip(
            "Show the engine's plan again, as it proposed it (this can be undone too)."
        )
        self.status = muted(QLabel(OPENING))
        self.status.setObjectName("edit_status")
        self.status.setWordWrap(True)
        self.message = InlineMessage(name="edit_message")
        self.undo_action = self._action(host, "undo_action", UNDO_KEYS, stack.undo)
        self.redo_action = self._action(host, "redo_action", REDO_KEYS, stack.redo)
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        self.back_button.clicked.connect(self.back_requested)
        # The signals carry what the buttons show: the stack is not asked again (it may be
        # on its way out with the page).
        self._can = {"Undo": False, "Redo": False}
        self._texts = {"Undo": "", "Redo": ""}
        stack.canUndoChanged.connect(self._on_can_undo_changed)
        stack.canRedoChanged.connect(self._on_can_redo_changed)
        stack.undoTextChanged.connect(self._on_undo_text_changed)
        stack.redoTextChanged.connect(self._on_redo_text_changed)

        buttons = QHBoxLayout()
        buttons.setSpacing(u)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addWidget(self.back_button)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, u // 2, 0, u // 2)
        layout.setHorizontalSpacing(u * 2)
        layout.addLayout(buttons, 0, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.status, 0, 1)
        layout.addWidget(self.message, 1, 0, 1, 2)
        layout.setColumnStretch(1, 1)
        self._ready = False
        self._update_buttons()

    def _action(self, host: QWidget, name: str, keys: tuple[str, ...], slot: object) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        host.addAction(action)
        return action

    # -- states --------------------------------------------------------------------------------

    def show_opening(self) -> None:
        self._ready = False
        self.status.setText(OPENING)
        self.message.clear_message()
        self._update_buttons()

    def show_unavailable(self, reason: str) -> None:
        self._ready = False
        self.status.setText(f"This plan cannot be edited here: {reason}")
        self._update_buttons()

    def show_plan(self, plan: EditedPlan, edits: int) -> None:
        """The editor is open on ``plan``, reached by ``edits`` edits."""
        self._ready = True
        self.status.setText(edits_summary(plan, edits))
        self.message.clear_message()
        self._update_buttons(changed=plan.changed or bool(edits))

    def show_refused(self, sentence: str) -> None:
        self.message.show_message(f"Not changed: {sentence}")

    def _on_can_undo_changed(self, can: bool) -> None:
        self._can["Undo"] = can
        self._update_buttons()

    def _on_can_redo_changed(self, can: bool) -> None:
        self._can["Redo"] = can
        self._update_buttons()

    def _on_undo_text_changed(self, text: str) -> None:
        self._texts["Undo"] = text
        self._update_buttons()

    def _on_redo_text_changed(self, text: str) -> None:
        self._texts["Redo"] = text
        self._update_buttons()

    def _update_buttons(self, *, changed: bool | None = None) -> None:
        ready = self._ready
        for widget, action, word, keys in (
            (self.undo_button, self.undo_action, "Undo", UNDO_KEYS),
            (self.redo_button, self.redo_action, "Redo", REDO_KEYS),
        ):
            can, text = ready and self._can[word], self._texts[word]
            widget.setEnabled(can)
            action.setEnabled(can)
            shortcut = " or ".join(keys)
            tip = f"{word}: {text} ({shortcut})" if can else f"Nothing to {word.lower()}"
            widget.setToolTip(tip)
        if changed is not None:
            self.back_button.setEnabled(ready and changed)
        elif not ready:
            self.back_button.setEnabled(False)
