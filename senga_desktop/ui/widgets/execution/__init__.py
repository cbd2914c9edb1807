"""Recording a committed route as it runs: the execution dialog and its parts.

Opened from the Routes screen ("Record execution…") and from the Outcomes screen's "To record"
tab; the controller is :mod:`senga_desktop.controllers.execution`.
"""

from senga_desktop.ui.widgets.execution.complete_dialog import CompleteRouteDialog
from senga_desktop.ui.widgets.execution.dialog import ExecutionDialog

__all__ = ["CompleteRouteDialog", "ExecutionDialog"]
