"""Where the database URL comes from, in the documented order."""

from __future__ import annotations

from pathlib import Path

import pytest

from senga_desktop import config
from senga_desktop.config import SettingSource, resolve_database
from senga_desktop.errors import ConfigError


def _write(path: Path, url: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    return path


def test_the_default_is_a_sqlite_file_in_the_user_data_folder(isolated_home: Path) -> None:
    setting = resolve_database()
    assert setting.source is SettingSource.DEFAULT
    assert setting.url == f"sqlite:///{isolated_home / 'data' / 'senga-dispatch' / 'senga.sqlite3'}"


def test_each_source_overrides_the_ones_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    system = _write(config.system_config_path(), "sqlite:///system.sqlite3")
    assert resolve_database().source is SettingSource.SYSTEM_CONFIG
    assert resolve_database().path == system

    user = _write(config.user_config_path(), "sqlite:///user.sqlite3")
    assert resolve_database().url == "sqlite:///user.sqlite3"
    assert resolve_database().path == user

    monkeypatch.setenv("SENGA_DATABASE_URL", "sqlite:///env.sqlite3")
    assert resolve_database().source is SettingSource.ENVIRONMENT

    setting = resolve_database("sqlite:///cli.sqlite3")
    assert setting.source is SettingSource.COMMAND_LINE
    assert setting.url == "sqlite:///cli.sqlite3"


def test_a_config_file_without_a_database_url_is_passed_over() -> None:
    path = config.user_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('[depot]\nname = "Nairobi"\n', encoding="utf-8")
    _write(config.system_config_path(), "sqlite:///system.sqlite3")
    assert resolve_database().source is SettingSource.SYSTEM_CONFIG


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("[database\nurl = 1", "not valid TOML"),
        ("database = 3", "must be a table"),
        ("[database]\nurl = 5", "non-empty string"),
    ],
)
def test_a_malformed_config_file_is_named_in_the_error(content: str, complaint: str) -> None:
    path = config.user_config_path()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=complaint) as raised:
        resolve_database()
    assert str(path) in str(raised.value)


def test_writing_a_user_setting_keeps_the_rest_of_the_file() -> None:
    path = config.user_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('[depot]\nname = "Nairobi Central"\n', encoding="utf-8")
    config.write_user_setting("database", "url", "sqlite:///x.sqlite3")
    data = config.read_config_file(path)
    assert data == {
        "depot": {"name": "Nairobi Central"},
        "database": {"url": "sqlite:///x.sqlite3"},
    }
