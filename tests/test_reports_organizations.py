"""The organization alias table: the checked-in file loads, maps spellings ignoring case, and a
bad file stops with its path and line."""

import pytest

from arena_pipeline.reports.organizations import (
    DEFAULT_ALIASES,
    canonical_organization,
    load_organization_aliases,
)


def test_checked_in_table_merges_known_spellings():
    aliases = load_organization_aliases(DEFAULT_ALIASES)
    assert canonical_organization("DeepSeek AI", aliases) == "DeepSeek"
    assert canonical_organization(" deepseek ai ", aliases) == "DeepSeek"
    assert canonical_organization("DeepSeek", aliases) == "DeepSeek"
    assert canonical_organization("Nvidia", aliases) == canonical_organization("NVIDIA", aliases) == "NVIDIA"
    assert canonical_organization("OpenAI", aliases) == "OpenAI"  # not listed: as published
    assert canonical_organization(None, aliases) is None


def write(tmp_path, body: str):
    path = tmp_path / "aliases.csv"
    path.write_text("# comment\nalias,canonical,reason\n" + body, encoding="utf-8")
    return path


def test_a_bad_row_names_the_file_and_line(tmp_path):
    with pytest.raises(ValueError, match=r"aliases\.csv: line 4: alias and canonical are both needed"):
        load_organization_aliases(write(tmp_path, "A,B,ok\n,C,empty alias\n"))
    with pytest.raises(ValueError, match=r"line 4: alias 'a' maps to both 'B' and 'C'"):
        load_organization_aliases(write(tmp_path, "A,B,x\na,C,y\n"))
    with pytest.raises(ValueError, match=r"canonical name 'B' .* is itself an alias of 'C'"):
        load_organization_aliases(write(tmp_path, "A,B,x\nB,C,y\n"))


def test_header_is_checked(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("name,target\nA,B\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: header lacks \['alias', 'canonical'\]"):
        load_organization_aliases(path)
