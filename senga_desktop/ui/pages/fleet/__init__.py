"""The Fleet screen: the board of every truck, its filters and details, and the managers' actions.

- :mod:`.board_page` — :class:`FleetPage`, the screen itself;
- :mod:`.board_model` and :mod:`.truck_delegate` — the board as one list model, painted as cards;
- :mod:`.filters` and :mod:`.details` — the filter bar and the selected truck's pane;
- :mod:`.actions` — the managers' commands and the dialogs they open;
- :mod:`.vehicle_dialog` and :mod:`.status_dialogs` — add/edit, maintenance, off duty, retire and
  mark available, on the frame of :mod:`.dialog_base` with the inputs of :mod:`.fields`;
- :mod:`.formatting` — how a truck is put into words, in the depot's time zone.
"""

from senga_desktop.ui.pages.fleet.board_page import FleetPage

__all__ = ["FleetPage"]
