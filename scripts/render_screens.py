"""Render the main screens to PNG files offscreen, to look at them without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_screens.py [OUT_DIR]

Uses a throw-away demo database in a temporary folder; writes artifacts/screens/*.png by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from senga_desktop.controllers import auth
from senga_desktop.controllers.database import open_configured
from senga_desktop.controllers.demo_data import seed_demo
from senga_desktop.ui.context import AppContext
from senga_desktop.ui.shell.main_window import MainWindow
from senga_desktop.ui.style import apply_app_style
from senga_desktop.ui.tasks import SyncTaskRunner

PASSWORD = "Simba-Depot-2026"


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screens")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="senga-screens-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_DIRS"):
        os.environ[var] = str(home / var.lower())
    app = QApplication.instance() or QApplication([])
    apply_app_style(app)  # type: ignore[arg-type]
    opened = open_configured(f"sqlite:///{home / 'demo.sqlite3'}")
    seed_demo(opened.database.sessions)
    auth.create_first_admin(opened.database.sessions, "amina", PASSWORD)
    context = AppContext(runner=SyncTaskRunner())
    context.attach(opened)
    window = MainWindow(context=context)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    dialog = window.dialog
    assert dialog is not None
    dialog.username_edit.setText("amina")  # type: ignore[attr-defined]
    app.processEvents()
    window.grab().save(str(out / "shell-signed-out.png"))
    dialog.grab().save(str(out / "shell-sign-in-dialog.png"))
    dialog.password_edit.setText(PASSWORD)  # type: ignore[attr-defined]
    dialog.accept_button.click()  # type: ignore[attr-defined]
    app.processEvents()
    window.grab().save(str(out / "shell-overview.png"))
    for key in ("orders", "fleet"):
        window.show_page(key)
        app.processEvents()
        window.grab().save(str(out / f"shell-{key}.png"))
    window.lock()
    app.processEvents()
    window.grab().save(str(out / "shell-locked.png"))
    window.lock_screen.password_edit.setText(PASSWORD)
    window.lock_screen.unlock_button.click()
    window.open_settings()
    app.processEvents()
    settings = window.dialog
    assert settings is not None
    for key in settings.page_keys():  # type: ignore[attr-defined]
        settings.open_page(key)  # type: ignore[attr-defined]
        app.processEvents()
        settings.grab().save(str(out / f"settings-{key}.png"))
    settings.reject()
    window.close()
    print(f"screens written to {out}")


if __name__ == "__main__":
    main()
