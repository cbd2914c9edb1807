"""The Settings dialog and its pages (My account, Users, Database, General).

Open it with ``SettingsDialog(context=context, parent=window)``; its pages follow the
load / check / save protocol of :class:`~senga_desktop.ui.settings.page.SettingsPage` and are
registered in :data:`~senga_desktop.ui.settings.dialog.PAGE_CLASSES`.
"""

from senga_desktop.ui.settings.dialog import PAGE_CLASSES, SettingsDialog
from senga_desktop.ui.settings.page import SettingsPage

__all__ = ["PAGE_CLASSES", "SettingsDialog", "SettingsPage"]
