"""The screens of the main window's navigation."""
