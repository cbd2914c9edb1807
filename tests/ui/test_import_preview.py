"""The generic import window on real databases: previewing every row and its problems, the
all-or-nothing import, skipping bad rows, the template, refusals, and reuse for another import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from senga_desktop.controllers import fleet
from senga_desktop.controllers.customers import list_customers
from senga_desktop.controllers.fleet import VehicleInput
from senga_desktop.controllers.fleet_import import preview_vehicle_import, vehicles_template_path
from senga_desktop.controllers.imports import (
    CellError,
    commit_customers,
    preview_customers,
    template_path,
)
from senga_desktop.controllers.permissions import Actor
from senga_desktop.db.engine import Database
from senga_desktop.domain import Role
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.pages.fleet import FleetPage
from senga_desktop.ui.pages.fleet.actions import VEHICLE_IMPORT
from senga_desktop.ui.tasks import SyncTaskRunner
from senga_desktop.ui.widgets.import_preview import (
    ImportPreviewDialog,
    ImportPreviewModel,
    ImportProblemsModel,
    ImportSpec,
)
from tests.ui.support import make_admin, make_user

HEADER = "registration_plate,vehicle_id,vehicle_type,capacity_weight_tonnes,town,capabilities\n"
GOOD_ROWS = (
    "KDH 201A,TRK-0101,Light truck 3 t,3,Nairobi,covered;tail lift\n"
    "KDJ 774C,,Refrigerated van 2 t,,Mombasa,\n"
)
BAD_ROWS = (
    "ZD 1234,,Medium truck 5 t,,Nakuru,\n"  # a trailer plate
    "KCV 318D,,Heavy truck 10 t,75,Eldoret,wings\n"  # kilograms? and no such capability
)


@pytest.fixture
def admin(database: Database) -> Actor:
    return make_admin(database)


def _csv(tmp_path: Path, rows: str, name: str = "trucks.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _dialog(
    qtbot: QtBot, database: Database, actor: Actor, spec: ImportSpec = VEHICLE_IMPORT
) -> ImportPreviewDialog:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=actor)
    dialog = ImportPreviewDialog(context=context, spec=spec)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _trucks(database: Database, actor: Actor) -> list[str]:
    return sorted(v.label for v in fleet.board(database.sessions, actor).vehicles)


def _problems(dialog: ImportPreviewDialog) -> list[tuple[str, str, str]]:
    model = dialog.problems_model
    return [
        tuple(model.index(row, column).data() for column in range(3))  # type: ignore[misc]
        for row in range(model.rowCount())
    ]


def test_a_bad_row_blocks_the_import_and_nothing_is_written(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, database, admin)
    assert not dialog.import_button.isEnabled()
    assert "No file chosen yet" in dialog.file_label.text()
    dialog.ask_open_path = lambda: str(_csv(tmp_path, GOOD_ROWS + BAD_ROWS))  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.previewed):
        dialog.choose_button.click()

    assert dialog.summary_label.text() == "4 rows in trucks.csv: 2 ready, 2 with problems."
    assert dialog.preview_model.rowCount() == 4  # every row, good and bad
    assert dialog.preview_model.index(2, 0).data() == "4"  # as the spreadsheet numbers it
    assert dialog.preview_model.index(2, 1).data() == "ZD 1234"
    assert dialog.preview_model.index(2, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert dialog.preview_model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    problems = _problems(dialog)
    assert [(row, column) for row, column, _ in problems] == [
        ("4", "registration_plate"),
        ("5", "capacity_weight_tonnes"),
        ("5", "capabilities"),
    ]
    assert "trailer plate" in problems[0][2]
    assert dialog.problems_title.text() == "Problems (3)"
    assert not dialog.import_button.isEnabled()
    assert "Some rows have problems" in dialog.import_button.toolTip()
    dialog.import_rows()  # refused without a click, too
    assert _trucks(database, admin) == []

    dialog.problems_table.selectRow(1)  # a problem shows its row
    assert dialog.preview_table.selectionModel().selectedRows()[0].row() == 3

    assert dialog.skip_box.isVisible()
    assert dialog.skip_box.text() == "Skip the 2 bad rows and import the other 2 trucks"
    dialog.skip_box.setChecked(True)
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Import 2 trucks"
    with qtbot.waitSignal(dialog.imported) as imported:
        dialog.import_button.click()
    assert (imported.args[0].written, imported.args[0].dropped) == (2, 2)
    assert not dialog.isVisible()
    assert _trucks(database, admin) == ["KDH 201A", "KDJ 774C"]


def test_a_clean_file_imports_every_row_from_the_fleet_page(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    context = AppContext(runner=SyncTaskRunner(), database=database, actor=admin)
    page = FleetPage(context=context)
    qtbot.addWidget(page)
    page.activated()
    page.import_button.click()
    dialog = page.fleet_actions.active_dialog
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.load_file(_csv(tmp_path, GOOD_ROWS))
    assert not dialog.skip_box.isVisibleTo(dialog)
    assert dialog.problems_title.text() == "No problems"
    dialog.import_button.click()
    assert page.fleet_actions.active_dialog is None
    assert page.notice_label.text() == "Imported 2 trucks (TRK-0101 to TRK-0102)."
    assert page.model.vehicle_count() == 2


def test_the_template_is_saved_where_the_user_says(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, database, admin)
    target = tmp_path / "my-trucks.csv"
    asked: list[str] = []

    def ask(name: str) -> str:
        asked.append(name)
        return str(target)

    dialog.ask_save_path = ask  # type: ignore[method-assign]
    dialog.template_button.click()
    assert asked == ["vehicles-template.csv"]
    assert target.read_bytes() == vehicles_template_path().read_bytes()
    assert "Template saved as" in dialog.notice_label.text()

    dialog.save_template(tmp_path / "no-such-folder" / "t.csv")
    assert "could not be saved" in dialog.form_message.text()
    dialog.load_file(target)  # the template itself imports cleanly
    assert dialog.preview is not None
    assert dialog.preview.is_clean


def test_unreadable_files_and_header_problems_are_explained(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, database, admin)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    dialog.load_file(empty)
    assert "is empty" in dialog.form_message.text()
    assert dialog.preview_model.rowCount() == 0

    headless = tmp_path / "headless.csv"
    headless.write_text("plate,colour\nKDA 123B,red\n", encoding="utf-8")
    dialog.load_file(headless)
    assert dialog.form_message.text() == ""
    assert "header row of headless.csv needs fixing" in dialog.summary_label.text()
    assert ("1", "vehicle_type") in [(r, c) for r, c, _ in _problems(dialog)]
    assert not dialog.import_button.isEnabled()
    assert not dialog.skip_box.isVisibleTo(dialog)
    assert dialog.preview_model.headerData(2, Qt.Orientation.Horizontal) == "colour (not imported)"


def test_a_fleet_changed_since_the_preview_refuses_the_import(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, database, admin)
    dialog.load_file(_csv(tmp_path, GOOD_ROWS))
    fleet.add_vehicle(database.sessions, admin, VehicleInput("KDJ 774C", "3t"))  # meanwhile
    dialog.import_button.click()
    assert dialog.isVisible()
    assert "changed since the preview" in dialog.form_message.text()
    assert _problems(dialog) == [
        ("3", "registration_plate", "a truck with the plate KDJ 774C was added.")
    ]
    assert not dialog.import_button.isEnabled()
    assert _trucks(database, admin) == ["KDJ 774C"]

    dialog.recheck_button.click()  # read again: the row is now a known problem
    assert dialog.form_message.text() == ""
    assert dialog.skip_box.isVisible()


def test_a_dispatcher_is_told_the_import_is_not_theirs(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    dispatcher = make_user(database, admin, "otieno", Role.USER)
    dialog = _dialog(qtbot, database, dispatcher)
    dialog.load_file(_csv(tmp_path, GOOD_ROWS))
    assert "may not do this" in dialog.form_message.text()
    assert not dialog.import_button.isEnabled()


def test_the_same_window_imports_customers(
    qtbot: QtBot, database: Database, admin: Actor, tmp_path: Path
) -> None:
    spec = ImportSpec(
        title="Import customers",
        singular="customer",
        plural="customers",
        preview=preview_customers,
        commit=commit_customers,
        template=lambda: template_path("customers"),
    )
    dialog = _dialog(qtbot, database, admin, spec)
    target = tmp_path / "customers.csv"
    dialog.save_template(target)
    dialog.load_file(target)
    assert dialog.import_button.text() == "Import 1 customer"
    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    assert [c.customer_name for c in list_customers(database.sessions, admin).rows] == [
        "Baraka Hardware Ltd"
    ]


def test_the_models_pass_the_model_tester(
    qtmodeltester: ModelTester, database: Database, admin: Actor, tmp_path: Path
) -> None:
    preview_model = ImportPreviewModel()
    problems_model = ImportProblemsModel()
    qtmodeltester.check(preview_model)
    qtmodeltester.check(problems_model)
    preview = preview_vehicle_import(
        database.sessions, admin, _csv(tmp_path, GOOD_ROWS + BAD_ROWS + "KDL 1,,,,,,extra\n")
    )
    preview_model.set_preview(preview)
    problems_model.set_problems(preview.problems)
    qtmodeltester.check(preview_model)
    qtmodeltester.check(problems_model)
    whole_row = problems_model.problem(problems_model.rowCount() - 1)
    assert isinstance(whole_row, CellError)
