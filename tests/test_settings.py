"""Configuration is validated, and made absolute, before any work starts."""

import pytest

from arena_pipeline.cli import main
from arena_pipeline.settings import UPSTREAM_URL, SettingsError, load_settings
from tests.conftest import RELEASES


def test_defaults_are_the_real_upstream_and_absolute_project_paths(monkeypatch):
    for name in ("ARENA_SOURCE", "ARENA_DB", "ARENA_REPORTS_DIR", "DAGSTER_HOME"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.source == UPSTREAM_URL
    assert settings.db_path.is_absolute() and settings.db_path.name == "arena.duckdb"
    assert settings.reports_dir.is_absolute() and settings.dagster_home.is_absolute()


def test_relative_local_source_is_resolved(monkeypatch):
    monkeypatch.chdir(RELEASES.parent)
    assert load_settings({"ARENA_SOURCE": "releases"}).source == str(RELEASES)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ARENA_SOURCE", "ftp://example.org/x", "scheme 'ftp' is not supported"),
        ("ARENA_SOURCE", "/no/such/folder", "no such folder"),
        ("ARENA_SOURCE", "https://", "URL has no host"),
        ("ARENA_DB", "/", "is a folder"),
        ("ARENA_REPORTS_DIR", "/etc/hostname", "exists and is not a folder"),
        ("DAGSTER_HOME", "/etc/hostname/sub", "is a file, not a folder"),
    ],
)
def test_bad_values_are_named(name, value, message):
    with pytest.raises(SettingsError, match=message) as error:
        load_settings({name: value})
    assert name in str(error.value)


def test_cli_stops_before_any_work_on_a_bad_value(tmp_path, capsys):
    db = tmp_path / "arena.duckdb"
    assert main(["--source", "/no/such/folder", "--db", str(db), "update"]) == 2
    assert "ARENA_SOURCE '/no/such/folder': no such folder" in capsys.readouterr().err
    assert not db.exists()
