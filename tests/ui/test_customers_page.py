"""The Customers screen on real databases: the list, search, inactive customers and paging, the
customer dialog with inline errors, deactivating, importing, and dispatchers reading only."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.controllers.customers import CustomerQuery, get_customer, list_customers
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.controllers.imports import commit_customers, preview_customers
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.customers import CustomersPage
from senga_desktop.ui.pages.customers.customer_dialog import CustomerDialog
from senga_desktop.ui.pages.customers.customers_model import Column, CustomersTableModel
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.import_preview import ImportPreviewDialog
from tests.ui.support import isolate_qsettings, make_admin, make_user

HEADER = "customer_id,customer_name,phone,email,max_wait_hours\n"


@pytest.fixture(autouse=True)
def _qsettings(tmp_path: Path) -> None:
    isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database.sessions)
    return database


def _page(qtbot: QtBot, database: Database, actor: Actor) -> CustomersPage:
    page = CustomersPage(context=AppContext(runner=SyncTaskRunner(), database=database,
                                            actor=actor))  # fmt: skip
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activated()
    return page


def _names(page: CustomersPage) -> list[str]:
    return [page.model.index(r, Column.NAME).data() for r in range(page.model.rowCount())]


def _search(page: CustomersPage, text: str) -> None:
    page.search_edit.setText(text)
    page.search_edit.returnPressed.emit()


@pytest.mark.usefixtures("qapp")
def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, demo: Database, admin: Actor
) -> None:
    model = CustomersTableModel()
    qtmodeltester.check(model)
    model.set_page(list_customers(demo.sessions, admin, CustomerQuery(limit=100)), offset=0)
    assert model.rowCount() == 12
    qtmodeltester.check(model)


def test_the_list_searches_and_formats(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    assert page.model.total == 12
    assert _names(page)[0] == "Afya Pharma Wholesalers Ltd"
    assert page.frame.subtitle_label.text() == "12 active customers"
    row = page.model.row_of("CUST-0001")
    assert row is not None
    assert page.model.index(row, Column.PHONE).data() == "+254 722 410 385"
    assert page.model.index(row, Column.MAX_WAIT).data() == "24 h"
    assert page.model.index(row, Column.HOURS).data() == "06:00\N{EN DASH}14:00"
    assert page.model.index(row, Column.CONTACT).data() == "Wanjiku Kamau"

    _search(page, "pharma")
    assert _names(page) == ["Afya Pharma Wholesalers Ltd"]
    _search(page, "0722 410")  # a phone number as people write it
    assert _names(page) == ["Jamii Supermarkets Ltd"]
    _search(page, "nobody at all")
    assert page.frame.showing_empty
    assert "No customer matches this search" in page.frame.empty_label.text()


def test_a_new_customer_shows_each_problem_at_its_field(
    qtbot: QtBot, demo: Database, admin: Actor
) -> None:
    page = _page(qtbot, demo, admin)
    page.customer_actions.new.trigger()
    dialog = page.customer_actions.active_dialog
    assert isinstance(dialog, CustomerDialog)
    dialog.name_edit.setText("Baraka Hardware Ltd")
    dialog.phone_edit.setText("12345")
    dialog.email_edit.setText("orders at baraka")
    dialog.id_edit.setText("CUST-0001")
    dialog.hours.check.setChecked(True)
    dialog.hours.start_edit.setTime(dialog.hours.start_edit.time().fromString("17:00", "HH:mm"))
    dialog.hours.end_edit.setTime(dialog.hours.end_edit.time().fromString("08:00", "HH:mm"))
    dialog.accept_button.click()

    shown = {f: dialog.errors.message_for(f).text()
             for f in ("phone", "email", "preferred_delivery_end", "customer_id")
             if not dialog.errors.message_for(f).isHidden()}  # fmt: skip
    assert set(shown) == {"phone", "email", "preferred_delivery_end"}
    assert shown["phone"].startswith("'12345' is not a Kenyan phone number")
    assert "is not an e-mail address" in shown["email"]
    assert (
        shown["preferred_delivery_end"] == "The delivery hours must end after they start (17:00)."
    )
    assert page.model.total == 12

    dialog.phone_edit.setText("0733 100 200")
    dialog.email_edit.setText("orders@baraka.co.ke")
    dialog.hours.check.setChecked(False)
    dialog.accept_button.click()  # the ID is taken
    assert (
        dialog.errors.message_for("customer_id").text() == "There is a customer CUST-0001 already."
    )

    dialog.id_edit.clear()  # one is made
    dialog.wait_spin.setValue(36)
    dialog.accept_button.click()
    saved = dialog.saved_customer
    assert saved is not None
    assert saved.customer_id == "CUST-0013"
    assert (saved.phone, saved.max_wait_hours) == ("+254733100200", 36)
    assert page.frame.notice_label.text() == "Baraka Hardware Ltd (CUST-0013) is added."
    assert page.selected_customer() is not None
    assert page.selected_customer().customer_id == "CUST-0013"  # type: ignore[union-attr]


def test_editing_deactivating_and_reactivating(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    assert page.select_customer("CUST-0003")
    page.customer_actions.edit.trigger()
    dialog = page.customer_actions.active_dialog
    assert isinstance(dialog, CustomerDialog)
    assert dialog.wait_spin.value() == 72
    assert dialog.hours.check.isChecked()
    dialog.contact_edit.setText("Kiprop Cheruiyot (stores)")
    dialog.wait_spin.setValue(0)  # "No limit"
    assert dialog.wait_spin.text() == "No limit"
    dialog.hours.check.setChecked(False)
    dialog.notes_edit.setPlainText("Gate closes at 17:00 sharp.")
    dialog.accept_button.click()
    info = get_customer(demo.sessions, admin, "CUST-0003")
    assert info.contact_person == "Kiprop Cheruiyot (stores)"
    assert info.max_wait_hours is None
    assert (info.preferred_delivery_start, info.notes) == (None, "Gate closes at 17:00 sharp.")
    row = page.model.row_of("CUST-0003")
    assert row is not None
    assert page.model.index(row, Column.NAME).data(Qt.ItemDataRole.ToolTipRole) == info.notes

    page.customer_actions.ask_confirmation = lambda _title, _text: True  # type: ignore[method-assign]
    assert not page.customer_actions.reactivate.isEnabled()
    page.customer_actions.deactivate.trigger()
    assert "is deactivated" in page.frame.notice_label.text()
    assert page.model.row_of("CUST-0003") is None  # active customers only
    assert page.model.total == 11
    page.inactive_box.setChecked(True)
    assert page.model.total == 12
    assert page.select_customer("CUST-0003")
    row = page.model.row_of("CUST-0003")
    assert page.model.index(row, Column.ACTIVE).data() == "No"  # type: ignore[arg-type]
    assert page.customer_actions.reactivate.isEnabled()
    assert not page.customer_actions.deactivate.isEnabled()
    page.customer_actions.reactivate.trigger()
    assert get_customer(demo.sessions, admin, "CUST-0003").is_active


def test_a_dispatcher_reads_only(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    dispatcher = make_user(demo, admin, "wanjiru", Role.USER)
    page = _page(qtbot, demo, dispatcher)
    assert page.model.total == 12
    for name in ("new_customer_button", "import_customers_button",
                 "deactivate_customer_button", "reactivate_customer_button"):  # fmt: skip
        button = page.findChild(object, name)
        assert button is not None, name
        assert button.isHidden(), name  # type: ignore[attr-defined]
    view = page.findChild(object, "edit_customer_button")
    assert view is not None
    assert view.text() == "&View…"
    assert "No customers yet" not in page.frame.empty_label.text()

    page.table.doubleClicked.emit(page.model.index(0, Column.NAME))
    dialog = page.customer_actions.active_dialog
    assert isinstance(dialog, CustomerDialog)
    assert dialog.read_only
    assert dialog.accept_button.isHidden()
    assert not dialog.name_edit.isEnabled()
    assert not dialog.hours.start_edit.isEnabled()
    assert dialog.intro_label.text().startswith("Managers and administrators change customers")


def test_import_customers_with_a_bad_row(
    qtbot: QtBot, demo: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        HEADER
        + "CUST-0101,Baraka Hardware Ltd,0722 410 385,orders@baraka.co.ke,48\n"
        + "CUST-0001,Taken Traders,,,\n"  # row 3: the ID exists
        + ",Neema Agrovet,0711 000 111,,\n",
        encoding="utf-8",
    )
    page = _page(qtbot, demo, admin)
    page.customer_actions.import_.trigger()
    dialog = page.customer_actions.active_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.ask_open_path = lambda: str(path)  # type: ignore[method-assign]
    dialog.choose_button.click()
    assert [str(p) for p in dialog.preview.problems] == [  # type: ignore[union-attr]
        "row 3, column customer_id: There is a customer CUST-0001 already: remove the row, or "
        "leave the ID empty to add a new customer."
    ]
    assert not dialog.import_button.isEnabled()
    dialog.skip_box.setChecked(True)
    dialog.import_button.click()
    assert page.frame.notice_label.text() == "Imported 2 customers; 1 bad row left out."
    assert page.model.total == 14
    assert "Neema Agrovet" in _names(page)


def test_more_than_a_page_of_customers(
    qtbot: QtBot, demo: Database, admin: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "many.csv"
    rows = "".join(f",Wholesaler {n:03d} Ltd,,,\n" for n in range(110))
    path.write_text(HEADER + rows, encoding="utf-8")
    commit_customers(demo.sessions, admin, preview_customers(demo.sessions, admin, path))
    page = _page(qtbot, demo, admin)
    assert page.frame.pager_label.text() == "Rows 1\N{EN DASH}100 of 122"
    page.frame.next_button.click()
    assert page.frame.pager_label.text() == "Rows 101\N{EN DASH}122 of 122"
    assert not page.frame.next_button.isEnabled()
    _search(page, "wholesaler 10")  # a search starts from the first page
    assert page.offset == 0
    assert len(_names(page)) == 10


def test_time_fields_round_trip(qtbot: QtBot, demo: Database, admin: Actor) -> None:
    page = _page(qtbot, demo, admin)
    assert page.select_customer("CUST-0008")
    page.customer_actions.edit.trigger()
    dialog = page.customer_actions.active_dialog
    assert isinstance(dialog, CustomerDialog)
    assert dialog.hours.values() == (time(6), time(16))
    dialog.accept_button.click()
    assert dialog.saved_customer is not None
    assert dialog.saved_customer.preferred_delivery_end == time(16)
