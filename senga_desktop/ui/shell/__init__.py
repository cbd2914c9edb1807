"""The main window around the screens: navigation, menus, status bar, sign-in and lock."""
