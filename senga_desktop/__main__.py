"""``python -m senga_desktop`` starts the desktop app, like the ``senga-desktop`` command."""

import sys

from senga_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
