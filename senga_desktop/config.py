"""Where settings come from, and which one wins.

The database URL is taken from, in order: the ``--database-url`` option, the ``SENGA_DATABASE_URL``
environment variable, the user's config file, the system-wide config file that IT deploys, and
finally a SQLite file in the platform's user data directory. Config files are TOML::

    [database]
    url = "postgresql://dispatch@db.depot.local/senga"

On Linux the user file is ``$XDG_CONFIG_HOME/senga-dispatch/config.toml`` and the system file is
``/etc/xdg/senga-dispatch/config.toml`` (``$XDG_CONFIG_DIRS``); Windows and macOS use their own
standard places (see ``senga config show``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from senga_desktop import APP_ID
from senga_desktop.errors import ConfigError

ENV_DATABASE_URL = "SENGA_DATABASE_URL"
CONFIG_FILE_NAME = "config.toml"
DEFAULT_DATABASE_FILE = "senga.sqlite3"


class SettingSource(StrEnum):
    """Where an effective setting was found."""

    COMMAND_LINE = "command line (--database-url)"
    ENVIRONMENT = f"environment ({ENV_DATABASE_URL})"
    USER_CONFIG = "user config file"
    SYSTEM_CONFIG = "system config file"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class DatabaseSetting:
    """The effective database URL and where it came from (``path`` for config files)."""

    url: str
    source: SettingSource
    path: Path | None = None

    def describe_source(self) -> str:
        return f"{self.source.value}: {self.path}" if self.path else self.source.value


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False)) / CONFIG_FILE_NAME


def system_config_path() -> Path:
    return Path(platformdirs.site_config_dir(APP_ID, appauthor=False)) / CONFIG_FILE_NAME


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{(user_data_dir() / DEFAULT_DATABASE_FILE).as_posix()}"


def read_config_file(path: Path) -> dict[str, Any]:
    """The parsed TOML file, ``{}`` when it does not exist; ConfigError when it is malformed."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {exc}. Fix or remove it."
        ) from exc
    except OSError as exc:
        raise ConfigError(f"The config file {path} cannot be read: {exc.strerror}.") from exc


def _url_in(config: dict[str, Any], path: Path) -> str | None:
    database = config.get("database", {})
    if not isinstance(database, dict):
        raise ConfigError(f"In {path}, [database] must be a table.")
    url = database.get("url")
    if url is None:
        return None
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"In {path}, database.url must be a non-empty string.")
    return url.strip()


def resolve_database(cli_url: str | None = None) -> DatabaseSetting:
    """The database URL in force, following the documented order of precedence."""
    if cli_url:
        return DatabaseSetting(cli_url.strip(), SettingSource.COMMAND_LINE)
    env_url = os.environ.get(ENV_DATABASE_URL, "").strip()
    if env_url:
        return DatabaseSetting(env_url, SettingSource.ENVIRONMENT)
    for source, path in (
        (SettingSource.USER_CONFIG, user_config_path()),
        (SettingSource.SYSTEM_CONFIG, system_config_path()),
    ):
        url = _url_in(read_config_file(path), path)
        if url:
            return DatabaseSetting(url, source, path)
    return DatabaseSetting(default_database_url(), SettingSource.DEFAULT)


def write_user_setting(section: str, key: str, value: Any) -> Path:
    """Store one value in the user's config file, keeping everything else in it."""
    path = user_config_path()
    config = read_config_file(path)
    config.setdefault(section, {})[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(config), encoding="utf-8")
    tmp.replace(path)  # atomic on one file system: a crash never leaves half a config file
    return path
