"""Escaping, links, tables, formats and the atomic write shared by every report."""

import os
from datetime import UTC, datetime

import pytest

from arena_pipeline.reports import markdown as md


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Gemini-2.5-Pro", "Gemini-2.5-Pro"),
        ("FLUX.1 [dev] (fp8)", r"FLUX.1 \[dev\] (fp8)"),  # a real model name
        ("MiniCPM-v 2_6", r"MiniCPM-v 2\_6"),  # a real model name
        ("a|b", r"a\|b"),
        ("line\nbreak\r\nand\u2028more", "line break and more"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("{% endhint %}", "&#123;% endhint %&#125;"),  # GitBook block syntax
        ("**bold** `code` ~~x~~ $$x$$", r"\*\*bold\*\* \`code\` \~\~x\~\~ \$\$x\$\$"),
        ("back\\slash", r"back\\slash"),
        ("AT&T", "AT&amp;T"),
        ("nul\x00byte", "nulbyte"),
        (None, ""),
    ],
)
def test_escape_cell(raw, expected):
    assert md.escape_cell(raw) == expected


def test_escaped_name_keeps_a_table_row_intact():
    nasty = "x | y\n| z | [a](javascript:alert(1)) <b>"
    row = md.table(["模型", "分数"], [[md.escape_cell(nasty), "1"]])[2]
    # Only the three cell borders are unescaped pipes; nothing spills into a new row.
    assert row.replace("\\|", "").count("|") == 3
    assert "\n" not in row and "<b>" not in row


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://openai.com/index/introducing-o3-and-o4-mini/",
         "[m](https://openai.com/index/introducing-o3-and-o4-mini/)"),
        ("http://aistudio.google.com/app/prompts/new_chat?model=gemini-2.5-pro",
         "[m](http://aistudio.google.com/app/prompts/new_chat?model=gemini-2.5-pro)"),
        ("HTTPS://Example.com/a b)c|d", "[m](HTTPS://Example.com/a%20b%29c%7Cd)"),
        ("javascript:alert(1)", "m"),
        ("data:text/html,<b>x</b>", "m"),
        ("ftp://example.com/x", "m"),
        ("//example.com/x", "m"),
        ("https:///no-host", "m"),
        ("", "m"),
        (None, "m"),
    ],
)
def test_link_only_for_http_urls(url, expected):
    assert md.link("m", url) == expected


def test_relative_paths_only_for_images():
    assert md.image("图 [1]", "charts/a b.svg") == r"![图 \[1\]](charts/a%20b.svg)"
    for bad in ("https://x.org/a.svg", "/etc/a.svg", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            md.image("x", bad)


def test_formats():
    assert md.fmt_thousands(15769) == "15,769"
    assert md.fmt_thousands(1234567) == "1,234,567"
    assert md.fmt_ci(5, 4) == "+5/-4"
    assert md.fmt_int(1427.0) == "1427"
    assert md.fmt_int(1427.5) == "1428"  # half up, not Python's half-to-even
    assert md.fmt_int(1428.5) == "1429"
    assert md.fmt_signed(12.0) == "+12" and md.fmt_signed(-3) == "-3" and md.fmt_signed(0) == "0"


def test_table_rejects_a_row_of_the_wrong_width():
    with pytest.raises(ValueError, match="expected 2"):
        md.table(["a", "b"], [["1"]])


def test_write_text_replaces_atomically_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "sub" / "page.md"
    md.write_text(target, "第一版\n")
    md.write_text(target, "第二版\n")
    assert target.read_bytes() == "第二版\n".encode()
    assert os.listdir(target.parent) == ["page.md"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_write_text_keeps_the_old_page_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "page.md"
    md.write_text(target, "old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(md.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        md.write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["page.md"]  # the temporary file was cleaned up


def test_write_text_writes_lf_and_utf8_bytes(tmp_path):
    target = md.write_text(tmp_path / "p.md", "a\nb 北京\n")
    assert target.read_bytes() == "a\nb 北京\n".encode()


def test_now_takes_a_plain_date_as_the_start_of_that_day_in_utc():
    assert md.parse_clock("2026-12-07") == datetime(2026, 12, 7, tzinfo=UTC)
    assert md.parse_clock("2026-12-07T20:00:00+08:00") == datetime(2026, 12, 7, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="has no timezone"):
        md.parse_clock("2026-12-07T12:00:00")
