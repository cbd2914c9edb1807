"""``senga users``: accounts from the command line."""

from __future__ import annotations

import sys

import click

from senga_desktop.cli.context import state
from senga_desktop.controllers import users as users_controller
from senga_desktop.errors import ValidationError


@click.group()
def users() -> None:
    """Manage user accounts."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(
            "password",
            "No terminal to ask for the password on: pipe it in with --password-stdin.",
        )
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users.command("create-admin")
@click.argument("username")
@click.option("--email", help="The administrator's e-mail address.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def create_admin(username: str, email: str | None, password_stdin: bool) -> None:
    """Create an administrator account named USERNAME.

    The password (at least 10 characters, not the user name) is asked for twice, or read from
    stdin; only its argon2id hash is stored.
    """
    password = _read_password(password_stdin)
    database = state().open()
    user = users_controller.create_admin(database.sessions, username, password, email=email)
    click.echo(f"Created administrator {user.username!r}.")
