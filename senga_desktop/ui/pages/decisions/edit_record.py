"""The record of a hand-edited plan on an opened decision: where it came from and what changed.

A manual-edit decision (a dispatcher's edit of an engine decision, committed as its own) shows a
note above the tabs — "Edited by amina from decision DEC-… (engine, CFA)", its cost against the
engine's plan, how many edits and accepted violations — and an "Edits" tab listing each edit in
a sentence and every violation the dispatcher confirmed. The engine decision it replaced shows
"Edited and committed as DEC-…". Decision ids in the note are links: clicking one asks to open
that decision (:attr:`EditNote.decision_open_requested`).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from senga_desktop.controllers.plan_views import DecisionView
from senga_desktop.ui.pages.orders.formatting import money, plural
from senga_desktop.ui.pages.routes.formatting import POLICY_LABELS
from senga_desktop.ui.style import heading, muted, unit
from senga_desktop.ui.widgets.cards import NoteBox

__all__ = ["EditNote", "EditsPanel", "cost_change_text", "edit_note_text"]

LINK = "decision:"


def cost_change_text(change: Decimal | None) -> str:
    """ "KES 2,470.03 more than the engine's plan", "… less …", "the same cost as …"."""
    if change is None:
        return "cost against the engine's plan unknown"
    if change == 0:
        return "the same cost as the engine's plan"
    more = "more" if change > 0 else "less"
    return f"KES {money(abs(change))} {more} than the engine's plan"


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _link(decision_id: str) -> str:
    return f"[{decision_id}]({LINK}{decision_id})"


def edit_note_text(view: DecisionView) -> str | None:
    """The note's text (Markdown), or ``None`` for a decision nobody edited."""
    if view.manual_edit:
        who = view.created_by or "someone at the command line"
        policy = POLICY_LABELS.get(view.policy, str(view.policy))
        base = view.base_decision_id
        origin = _link(base) if base else "a decision since deleted"
        parts = [plural(len(view.edits), "edit")]
        if view.accepted_violations:
            parts.append(f"{plural(len(view.accepted_violations), 'violation')} accepted")
        else:
            parts.append("no violation")
        return (
            f"**Edited by {who} from decision {origin} (engine, {policy}).** "
            f"{_first_up(cost_change_text(view.cost_change_kes))}; {', '.join(parts)} — see "
            "the Edits tab."
        )
    if view.edited_as:
        return (
            f"**Edited and committed as {_link(view.edited_as)}.** A dispatcher changed this "
            "plan by hand before committing it; its routes were set aside for the edited ones."
        )
    return None


class EditNote(NoteBox):
    """The note above an opened decision's tabs; hidden for decisions nobody edited."""

    #: A decision id in the note was clicked (the id).
    decision_open_requested = Signal(str)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        label = QLabel()
        label.setObjectName("edit_note_text")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.MarkdownText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(False)
        super().__init__(
            name="edit_note", icon_name="mdi6.hand-back-right-outline", label=label, parent=parent
        )
        label.linkActivated.connect(self._on_link_activated)
        self.hide()

    def show_decision(self, view: DecisionView) -> None:
        text = edit_note_text(view)
        self.label.setText(text or "")
        self.setVisible(text is not None)

    def _on_link_activated(self, link: str) -> None:
        if link.startswith(LINK):
            self.decision_open_requested.emit(link.removeprefix(LINK))


class EditsPanel(QWidget):
    """The "Edits" tab of a manual-edit decision: each edit, the accepted violations, the cost."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edits_panel")
        u = unit(self)
        self.summary_label = muted(QLabel())
        self.summary_label.setObjectName("edits_summary")
        self.summary_label.setWordWrap(True)
        self.edits_heading = heading("", level=3, name="edits_heading")
        self.edits_label = self._list_label("edits_list")
        self.violations_heading = heading("", level=3, name="accepted_heading")
        self.violations_label = self._list_label("accepted_list")
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(u * 2, u * 2, u * 2, u * 2)
        column.setSpacing(u)
        column.addWidget(self.summary_label)
        column.addSpacing(u)
        column.addWidget(self.edits_heading)
        column.addWidget(self.edits_label)
        column.addSpacing(u)
        column.addWidget(self.violations_heading)
        column.addWidget(self.violations_label)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @staticmethod
    def _list_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.MarkdownText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_decision(self, view: DecisionView) -> None:
        origin = view.base_decision_id or "a decision since deleted"
        self.summary_label.setText(
            f"What the dispatcher changed in the engine's plan of {origin} before committing "
            f"it: {cost_change_text(view.cost_change_kes)}."
        )
        self.edits_heading.setText(f"Edits ({len(view.edits)})")
        self.edits_label.setText(
            "\n".join(f"{n}. {text}" for n, text in enumerate(view.edits, start=1))
            or "No edit was recorded."
        )
        accepted = view.accepted_violations
        self.violations_heading.setText(f"Violations accepted ({len(accepted)})")
        self.violations_label.setText(
            "\n".join(f"- {text}" for text in accepted)
            or "None: the edited plan keeps every constraint the engine's plan keeps."
        )
