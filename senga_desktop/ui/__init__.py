"""The Qt Widgets user interface: the main window, its screens and the background task runner.

Screens never touch the database themselves: they call controllers through the
:class:`~senga_desktop.ui.context.AppContext` the composition root (``senga_desktop.app``) builds,
and run those calls off the GUI thread with a :class:`~senga_desktop.ui.tasks.TaskRunner`.
"""

import os

# qtawesome reaches Qt through QtPy; pin it to the binding the app uses, in case another Qt
# binding is installed beside PySide6 (mixing two bindings in one process crashes).
os.environ.setdefault("QT_API", "pyside6")
