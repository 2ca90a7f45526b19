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
        ("ARENA_LOCK_WAIT", "soon", "is not a number of seconds"),
        ("ARENA_LOCK_WAIT", "-1", "is outside 0 .. 3600 s"),
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


def test_dataset_source_defaults_to_the_hub_and_can_be_off_or_local(monkeypatch, tmp_path):
    from arena_pipeline.sources.dataset import HUB_BASE

    for name in ("ARENA_DATASET_SOURCE", "ARENA_DATASET_SUBSETS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.dataset_source == HUB_BASE
    assert settings.dataset_subsets == ()  # every Bradley-Terry subset the source has
    assert load_settings({"ARENA_DATASET_SUBSETS": "ALL"}).dataset_subsets == ()
    assert load_settings({"ARENA_DATASET_SOURCE": "OFF"}).dataset_source == "off"
    monkeypatch.chdir(tmp_path)
    assert load_settings({"ARENA_DATASET_SOURCE": "."}).dataset_source == str(tmp_path)
    assert load_settings({"ARENA_DATASET_SUBSETS": " text, webdev "}).dataset_subsets == ("text", "webdev")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("ARENA_DATASET_SOURCE", "s3://bucket/x", "scheme 's3' is not supported"),
    ("ARENA_DATASET_SOURCE", "/no/such/folder", "no such folder"),
    ("ARENA_DATASET_SUBSETS", "text,agent", "'agent' is not a Bradley-Terry leaderboard"),
    ("ARENA_DATASET_SUBSETS", "text,Web Dev", "'Web Dev' is not a subset name"),
    ("ARENA_DATASET_SUBSETS", " , ", "is empty"),
])
def test_bad_dataset_values_are_named(name, value, message):
    with pytest.raises(SettingsError, match=message) as error:
        load_settings({name: value})
    assert name in str(error.value)
