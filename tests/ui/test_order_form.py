"""The order entry and edit form on real databases: every validation message at its own field with
nothing saved, a valid order saved and listed, the optimistic lock, and what each status may edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import orders
from senga_desktop.controllers.demo_data import DEMO_ORDER_COUNT, seed_demo
from senga_desktop.controllers.order_validation import OrderInput
from senga_desktop.controllers.orders_query import OrderQuery, list_orders
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import OrderStatus, Priority, SpecialHandling
from senga_desktop.gazetteer import load_gazetteer
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.orders import OrdersPage
from senga_desktop.ui.pages.orders.order_dialog import OrderDialog
from senga_desktop.ui.pages.orders.pickers import CustomerPicker
from senga_desktop.ui.tasks import SyncTaskRunner
from tests.ui.support import isolate_qsettings, make_admin

FIELDS = ("customer_id", "pickup", "destination_city", "destination_address", "destination_lat",
          "destination_lon", "weight_tonnes", "volume_m3", "window_start", "window_end",
          "priority", "price_kes", "special_handling")  # fmt: skip


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def demo(database: Database) -> Database:
    """The demo depot: 12 customers, trucks up to a 28 t / 76 m³ semi-trailer, 99 orders."""
    seed_demo(database.sessions)
    return database


def _context(database: Database, actor: Actor) -> AppContext:
    return AppContext(runner=SyncTaskRunner(), database=database, actor=actor)


def _dialog(qtbot: QtBot, database: Database, actor: Actor, **kwargs: object) -> OrderDialog:
    dialog = OrderDialog(context=_context(database, actor), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _count(database: Database, actor: Actor) -> int:
    return list_orders(database.sessions, actor, OrderQuery(limit=0)).total


def _fill_valid(dialog: OrderDialog) -> datetime:
    """A good order for Jamii Supermarkets to Nakuru tomorrow; returns the window start."""
    start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    dialog.customer_picker.set_customer("CUST-0001")
    dialog.town_combo.set_text("nakuru")
    dialog.address_edit.setText("Plot 12, Kenyatta Avenue")
    dialog.weight_spin.set_decimal(Decimal("2.5"))
    dialog.volume_spin.set_decimal(Decimal(8))
    dialog.start_edit.set_value(start)
    dialog.end_edit.set_value(start + timedelta(hours=6))
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData(Priority.HIGH))
    dialog.price_spin.set_decimal(Decimal("18500"))
    dialog.handling.boxes[SpecialHandling.FRAGILE].setChecked(True)
    return start


def _shown(dialog: OrderDialog) -> dict[str, str]:
    """The messages on show, by field."""
    return {
        field: dialog.errors.message_for(field).text()
        for field in FIELDS
        if not dialog.errors.message_for(field).isHidden()
    }


def _below(dialog: OrderDialog, field: str, widget_name: str) -> None:
    """The field's message sits under its input, in the same column (spanning the input)."""
    message = dialog.errors.message_for(field)
    widget = dialog.findChild(object, widget_name)
    assert widget is not None, widget_name
    top_left = message.mapTo(dialog, QPoint(0, 0))
    widget_top_left = widget.mapTo(dialog, QPoint(0, 0))  # type: ignore[attr-defined]
    assert top_left.y() >= widget_top_left.y() + widget.height() - 1  # type: ignore[attr-defined]
    assert top_left.y() - widget_top_left.y() < widget.height() * 5  # type: ignore[attr-defined]
    assert top_left.x() <= widget_top_left.x() < top_left.x() + message.width()


def _later(dialog: OrderDialog, hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


CASES: list[tuple[str, Callable[[OrderDialog], None], str, str, str]] = [
    ("no weight", lambda d: d.weight_spin.set_decimal(Decimal(0)), "weight_tonnes",
     "weight_spin", "The weight must be more than 0 t."),
    ("kilograms for tonnes", lambda d: d.weight_spin.set_decimal(Decimal(2500)), "weight_tonnes",
     "weight_spin", "2500 t is more than 40 t, which no truck carries: check the weight; it is "
     "in tonnes, not kilograms."),
    ("over the largest truck", lambda d: d.weight_spin.set_decimal(Decimal(30)), "weight_tonnes",
     "weight_spin", "No truck can carry 30 t: the largest carries 28 t. Split the consignment "
     "into several orders."),
    ("no volume", lambda d: d.volume_spin.set_decimal(Decimal(0)), "volume_m3", "volume_spin",
     "The volume must be more than 0 m³."),
    ("volume over the largest truck", lambda d: d.volume_spin.set_decimal(Decimal(80)),
     "volume_m3", "volume_spin", "No truck can carry 80 m³: the largest carries 76 m³."),
    ("window ends before it starts",
     lambda d: d.end_edit.set_value(d.start_edit.value() - timedelta(hours=2)),
     "window_end", "window_end_edit", "The window must end after it starts"),
    ("window in the past",
     lambda d: (d.start_edit.set_value(_later(d, -30)), d.end_edit.set_value(_later(d, -26))),
     "window_end", "window_end_edit", "in the past: move it to a future time."),
    ("unknown town", lambda d: d.town_combo.set_text("Nakru"), "destination_city", "town_combo",
     "'Nakru' is not a town we know. Did you mean Nakuru or Narok?"),
    ("latitude outside Kenya", lambda d: d.coordinates.set_values(10.5, 36.8), "destination_lat",
     "destination_lat", "Latitude 10.5 lies outside Kenya"),
    ("longitude outside Kenya", lambda d: d.coordinates.set_values(-1.28, -36.8),
     "destination_lon", "destination_lon", "Check the signs: Kenya's latitudes are near 0"),
    ("latitude not a number", lambda d: d.coordinates.lat_edit.setText("one south"),
     "destination_lat", "destination_lat", "'one south' is not a number"),
    ("no street address", lambda d: d.address_edit.clear(), "destination_address",
     "address_edit", "Give the street address"),
    ("unknown customer", lambda d: d.customer_picker.set_text("CUST-9999"), "customer_id",
     "customer_picker", "There is no customer CUST-9999"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "widget", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_problem_shows_at_its_field_and_nothing_is_saved(
    qtbot: QtBot,
    *,
    demo: Database,
    admin: Actor,
    change: Callable[[OrderDialog], None],
    field: str,
    widget: str,
    expected: str,
) -> None:
    before = _count(demo, admin)
    dialog = _dialog(qtbot, demo, admin)
    _fill_valid(dialog)
    change(dialog)
    dialog.accept_button.click()

    shown = _shown(dialog)
    assert list(shown) == [field], shown  # at its own field, and only there
    assert expected in shown[field]
    _below(dialog, field, widget)
    assert dialog.isVisible()
    assert dialog.form_message.isHidden()
    assert _count(demo, admin) == before


def test_every_problem_at_once_and_each_clears_when_fixed(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    before = _count(demo, admin)
    dialog = _dialog(qtbot, demo, admin)
    start = _fill_valid(dialog)
    dialog.town_combo.set_text("Kisumuu")
    dialog.weight_spin.set_decimal(Decimal(30))
    dialog.end_edit.set_value(start - timedelta(hours=1))
    dialog.coordinates.set_values(-1.28, 45.2)
    dialog.accept_button.click()

    assert set(_shown(dialog)) == {"destination_city", "weight_tonnes", "window_end",
                                   "destination_lon"}  # fmt: skip
    assert "Did you mean Kisumu or" in _shown(dialog)["destination_city"]
    assert "Longitude 45.2 lies outside Kenya" in _shown(dialog)["destination_lon"]
    assert dialog.focusWidget() is dialog.town_combo  # the first problem has the focus
    assert _count(demo, admin) == before

    dialog.town_combo.set_text("Kisumu")
    dialog.weight_spin.set_decimal(Decimal(3))
    dialog.end_edit.set_value(start + timedelta(hours=3))
    dialog.coordinates.set_values(-0.0917, 34.768)
    dialog.accept_button.click()
    assert dialog.result() == OrderDialog.DialogCode.Accepted
    assert _shown(dialog) == {}
    saved = dialog.saved_order
    assert saved is not None
    assert (saved.destination_city, saved.destination_lat) == ("Kisumu", -0.0917)
    assert _count(demo, admin) == before + 1


def test_a_valid_order_is_saved_numbered_and_listed(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = OrdersPage(context=_context(demo, admin))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.activated()
    assert page.model.total == DEMO_ORDER_COUNT

    page.order_actions.new.trigger()
    dialog = page.order_actions.active_dialog
    assert isinstance(dialog, OrderDialog)
    assert dialog.windowTitle().startswith("New order")
    start = _fill_valid(dialog)
    with qtbot.waitSignal(page.rows_shown):
        dialog.accept_button.click()

    saved = dialog.saved_order
    assert saved is not None
    assert saved.order_number.startswith("ORD-")
    assert saved.window_start == start
    assert saved.customer_name == "Jamii Supermarkets Ltd"
    assert saved.special_handling == {SpecialHandling.FRAGILE}
    assert saved.pickup.name == "Senga Nairobi Depot"
    notice = page.frame.notice_label.text()
    assert notice.startswith(
        f"Order {saved.order_number} is saved: Jamii Supermarkets Ltd to Nakuru"
    )
    assert not page.frame.notice_box.isHidden()
    assert page.model.total == DEMO_ORDER_COUNT + 1
    selected = page.selected_order()  # newest first: on the first page, and selected
    assert selected is not None
    assert selected.order_number == saved.order_number
    assert selected.price_kes == Decimal("18500.00")


def test_another_pickup_place_needs_a_town_or_coordinates(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    dialog = _dialog(qtbot, demo, admin)
    _fill_valid(dialog)
    assert dialog.pickup.name_edit.isHidden()  # the depot by default
    dialog.pickup.other_radio.setChecked(True)
    assert not dialog.pickup.name_edit.isHidden()
    dialog.pickup.name_edit.setText("Kenya Seed warehouse")
    dialog.accept_button.click()
    assert _shown(dialog) == {"pickup": "Give the pickup place's town, or its coordinates, so "
                                        "trucks can find it."}  # fmt: skip

    dialog.pickup.town_combo.set_text("Kitale")
    dialog.pickup.address_edit.setText("Kiminini Road")
    dialog.accept_button.click()
    saved = dialog.saved_order
    assert saved is not None
    assert saved.pickup.name == "Kenya Seed warehouse"
    assert saved.pickup.address == "Kiminini Road, Kitale"
    kitale = load_gazetteer().get("Kitale")
    assert kitale is not None
    assert (saved.pickup.lat, saved.pickup.lon) == (kitale.latitude, kitale.longitude)


def _order(database: Database, actor: Actor, **changes: object) -> orders.OrderInfo:
    start = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    fields: dict[str, object] = {
        "customer_id": "CUST-0002", "destination_city": "Nyeri",
        "destination_address": "Plot 4, Kimathi Way", "weight_tonnes": Decimal("1.2"),
        "volume_m3": Decimal(2), "window_start": start, "window_end": start + timedelta(hours=4),
        "price_kes": Decimal(9400),
    }  # fmt: skip
    data = OrderInput(**(fields | changes))  # type: ignore[arg-type]
    return orders.create_order(database.sessions, actor, data)


def test_saving_over_someone_elses_change_says_so_and_reloads(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    order = _order(demo, admin)
    dialog = _dialog(qtbot, demo, admin, order=order)
    assert dialog.windowTitle().startswith(f"Order {order.order_number}")
    assert dialog.customer_picker.customer_id() == "CUST-0002"
    # Someone else raises the price meanwhile.
    theirs = replace(order.to_input(), price_kes=Decimal(12000))
    other = orders.update_order(demo.sessions, admin, order.order_number, theirs,
                                version=order.version)  # fmt: skip
    dialog.price_spin.set_decimal(Decimal(9900))
    dialog.accept_button.click()

    assert dialog.isVisible()
    assert dialog.reloaded_after_conflict
    message = dialog.form_message.text()
    assert "was changed by someone else" in message
    assert "The form now shows the order as it was saved" in message
    assert dialog.price_spin.decimal() == Decimal(12000)  # their version is on show
    assert dialog.order is not None
    assert dialog.order.version == other.version

    dialog.price_spin.set_decimal(Decimal(9900))
    dialog.accept_button.click()
    assert dialog.saved_order is not None
    assert dialog.saved_order.price_kes == Decimal(9900)


def test_an_assigned_order_opens_only_price_priority_and_address(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    order = _order(demo, admin)
    order = orders.set_status(demo.sessions, admin, order.order_number, OrderStatus.ASSIGNED,
                              version=order.version)  # fmt: skip
    dialog = _dialog(qtbot, demo, admin, order=order)
    assert "only its price, priority and street address" in dialog.intro_label.text()
    assert not dialog.customer_picker.isEnabled()
    assert not dialog.weight_spin.isEnabled()
    assert not dialog.start_edit.isEnabled()
    assert dialog.price_spin.isEnabled()
    assert dialog.priority_combo.isEnabled()
    assert dialog.address_edit.isEnabled()
    dialog.address_edit.setText("Plot 4, Kimathi Way, gate B")
    dialog.accept_button.click()
    assert dialog.saved_order is not None
    assert dialog.saved_order.destination_address == "Plot 4, Kimathi Way, gate B"
    assert not dialog.weight_spin.isEnabled()  # still locked after the busy state


def test_a_delivered_order_is_shown_read_only(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    order = _order(demo, admin)
    for status in (OrderStatus.ASSIGNED, OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED):
        order = orders.set_status(demo.sessions, admin, order.order_number, status,
                                  version=order.version)  # fmt: skip
    dialog = _dialog(qtbot, demo, admin, order=order)
    assert dialog.intro_label.text() == (
        "A delivered order cannot be edited: duplicate it to send the goods again."
    )
    assert dialog.accept_button.isHidden()
    assert dialog.reject_button.text() == "Close"
    assert not dialog.price_spin.isEnabled()
    assert dialog.town_combo.text() == "Nyeri"


def test_the_customer_picker_finds_customers_by_any_part(qtbot: QtBot, demo: Database,
                                                         admin: Actor) -> None:  # fmt: skip
    dialog = _dialog(qtbot, demo, admin)
    picker: CustomerPicker = dialog.customer_picker
    assert picker.count() == 12  # the active customers, by name
    assert picker.itemText(0) == "Afya Pharma Wholesalers Ltd (CUST-0004)"
    assert picker.completer().filterMode().name == "MatchContains"
    for typed, key in (
        ("Lake Basin", "CUST-0012"),
        ("cust-0003", "CUST-0003"),
        ("afya pharma wholesalers ltd", "CUST-0004"),
        ("Nobody", "NOBODY"),
    ):
        picker.set_text(typed)
        assert picker.customer_id() == key, typed
