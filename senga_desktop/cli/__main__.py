"""``python -m senga_desktop.cli`` runs the ``senga`` command."""

from senga_desktop.cli import main

main()
