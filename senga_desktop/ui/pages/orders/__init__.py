"""The Orders screen: the order list, its filters and pages, the order form, import and export.

- :mod:`.orders_page` — :class:`OrdersPage`, the screen, on the frame of :mod:`.list_parts`;
- :mod:`.order_model` — the list's table model (one page of rows; the database sorts and filters);
- :mod:`.filters` and :mod:`.columns` — the filter bar and the remembered column choice;
- :mod:`.order_actions` — the commands (new, open, duplicate, cancel, import, template, export);
- :mod:`.order_dialog` and :mod:`.order_fields` — the entry and edit form, on the frame of
  :mod:`senga_desktop.ui.widgets.form_dialog` with the inputs of :mod:`.pickers`;
- :mod:`.formatting` — how orders are put into words, in the depot's time zone.
"""

from senga_desktop.ui.pages.orders.orders_page import OrdersPage

__all__ = ["OrdersPage"]
