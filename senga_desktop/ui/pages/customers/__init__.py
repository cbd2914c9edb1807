"""The Customers screen: the customer list, its search, the customer dialog and the import.

- :mod:`.customers_page` — :class:`CustomersPage`, on the list frame of the Orders screen;
- :mod:`.customers_model` — the list's table model (one page, searched by the database);
- :mod:`.customer_dialog` — new, edit and (for dispatchers) read-only customer details.
"""

from senga_desktop.ui.pages.customers.customers_page import CustomersPage

__all__ = ["CustomersPage"]
