"""The official dataset's adapter against a real loopback HTTP server (Hub layout and a plain
mirror) and a local folder: revisions, pinned downloads, caps and refusals."""

import http.server
import json
import os
import shutil

import pytest

from arena_pipeline.sources import dataset as dataset_source
from arena_pipeline.sources.dataset import (
    BRADLEY_TERRY_SUBSETS,
    DatasetFetchError,
    DatasetSource,
    board_of_subset,
    check_subsets,
)
from arena_pipeline.sources.http_fetch import FetchPolicy
from tests.dataset_fixtures import HUB_REPO, NEXT_REVISION, REVISION, RecordingHandler, subset_path, write_dataset


def test_hub_revision_is_the_api_sha_and_files_are_pinned_to_it(dataset_server):
    folder = dataset_server.publish_hub(REVISION, subsets=("text",))
    source = DatasetSource(dataset_server.hub_base)
    revision = source.revision(["text"])
    assert (revision.id, revision.how) == (REVISION, "hub_api_sha")
    assert revision.checked_url == f"{dataset_server.url}/api/datasets/{HUB_REPO}"
    fetched = source.fetch("text", "full", revision)
    assert fetched.url == f"{dataset_server.url}/datasets/{HUB_REPO}/resolve/{REVISION}/text/full-00000-of-00001.parquet"
    assert fetched.content == subset_path(folder, "text").read_bytes()
    assert dataset_server.requests == [f"/api/datasets/{HUB_REPO}", f"/datasets/{HUB_REPO}/resolve/{REVISION}/text/full-00000-of-00001.parquet"]


def test_a_pinned_hub_revision_asks_the_revision_endpoint(dataset_server):
    api = dataset_server.root / "api" / "datasets" / HUB_REPO / "revision" / NEXT_REVISION
    api.parent.mkdir(parents=True)
    api.write_text(json.dumps({"sha": NEXT_REVISION}))
    base = f"{dataset_server.url}/datasets/{HUB_REPO}/resolve/{NEXT_REVISION}"
    assert DatasetSource(base).revision(["text"]).id == NEXT_REVISION


def test_mirror_revision_comes_from_revision_json_or_is_unknown(dataset_server):
    write_dataset(dataset_server.root / "mirror", subsets=("webdev",), revision=NEXT_REVISION)
    mirror = DatasetSource(f"{dataset_server.url}/mirror")
    assert (mirror.revision(["webdev"]).id, mirror.revision(["webdev"]).how) == (NEXT_REVISION, "revision_json")
    (dataset_server.root / "mirror" / "revision.json").unlink()
    unknown = mirror.revision(["webdev"])
    assert (unknown.id, unknown.how) == (None, "unknown")
    # Without a revision the plain layout is used.
    assert mirror.fetch("webdev", "full", unknown).url == f"{dataset_server.url}/mirror/webdev/full-00000-of-00001.parquet"


def test_local_folder_without_revision_json_is_fingerprinted_by_its_files(tmp_path):
    write_dataset(tmp_path, subsets=("text", "webdev"), revision=None)
    source = DatasetSource(str(tmp_path))
    first = source.revision(["text", "webdev"])
    assert first.how == "file_fingerprint"
    assert source.revision(["text", "webdev"]).id == first.id
    path = subset_path(tmp_path, "webdev")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert source.revision(["text", "webdev"]).id != first.id
    assert source.fetch("text", "full").content == subset_path(tmp_path, "text").read_bytes()


def test_a_missing_file_is_an_error_not_an_empty_subset(dataset_server, tmp_path):
    dataset_server.publish_hub(REVISION, subsets=("text",))
    source = DatasetSource(dataset_server.hub_base)
    with pytest.raises(DatasetFetchError, match=r"resolve/0123456789abcdef0123456789abcdef01234567/vision/full-00000-of-00001\.parquet: HTTP 404"):
        source.fetch("vision", "full", source.revision(["vision"]))
    with pytest.raises(DatasetFetchError, match="no such file"):
        DatasetSource(str(tmp_path)).fetch("vision", "full")


def test_download_is_capped(dataset_server, monkeypatch):
    dataset_server.publish_hub(REVISION, subsets=("text",))
    monkeypatch.setattr(dataset_source, "MAX_BYTES", 1000)
    source = DatasetSource(dataset_server.hub_base)
    with pytest.raises(DatasetFetchError, match=r"text/full-00000-of-00001\.parquet: Content-Length \d+ exceeds the 1000 byte cap"):
        source.fetch("text", "full", source.revision(["text"]))


def test_api_answer_without_sha_is_an_error(dataset_server):
    api = dataset_server.root / "api" / "datasets" / HUB_REPO
    api.parent.mkdir(parents=True)
    api.write_text("<html>maintenance</html>")
    with pytest.raises(DatasetFetchError, match="not a JSON object"):
        DatasetSource(dataset_server.hub_base).revision(["text"])


def test_connection_refused_is_a_fetch_error_naming_the_host_and_the_local_copy():
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler) as unused:
        port = unused.server_address[1]
    source = DatasetSource(f"http://127.0.0.1:{port}/datasets/{HUB_REPO}/resolve/main",
                           FetchPolicy(backoff_s=0.01))
    with pytest.raises(DatasetFetchError) as failure:
        source.revision(["text"])
    message = str(failure.value)
    assert message.startswith(f"127.0.0.1:{port}: no usable answer (http://127.0.0.1:{port}/api/datasets/{HUB_REPO}: "
                              "no answer: ConnectionError")
    assert "gave up after 4 attempt(s)" in message
    assert message.endswith("Point ARENA_DATASET_SOURCE at a local copy (a folder with "
                            "<subset>/full-00000-of-00001.parquet), or set it to off")
    assert len(failure.value.attempts) == 4 and failure.value.transient


def test_subsets_are_checked_and_agent_is_kept_out():
    assert check_subsets(list(BRADLEY_TERRY_SUBSETS)) == list(BRADLEY_TERRY_SUBSETS)
    with pytest.raises(ValueError, match="'agent' is not a Bradley-Terry leaderboard"):
        check_subsets(["text", "agent"])
    # A name this code does not know may be a new subset: whether the source has it is asked at run time.
    assert check_subsets(["text_to_speech"]) == ["text_to_speech"]
    with pytest.raises(ValueError, match="'Text/x' is not a subset name"):
        check_subsets(["Text/x"])
    assert board_of_subset("text_style_control") == ("text", True)
    assert board_of_subset("text_to_image") == ("text_to_image", False)


def test_fixture_files_have_the_published_column_types(tmp_path):
    import duckdb

    write_dataset(tmp_path)
    types = {}
    for subset in ("text", "text_style_control", "webdev"):
        rows = duckdb.sql(f"select name, type, logical_type from parquet_schema('{subset_path(tmp_path, subset)}') "
                          "where name <> 'duckdb_schema'").fetchall()
        types[subset] = {name: (kind, str(logical)) for name, kind, logical in rows}
    assert types["text"]["rank"][0] == types["text"]["vote_count"][0] == "DOUBLE"
    assert types["text_style_control"]["rank"][0] == "INT64"
    assert types["text_style_control"]["vote_count"][0] == "DOUBLE"
    assert types["webdev"]["vote_count"][0] == types["webdev"]["rank"][0] == "INT64"
    for subset in types:
        assert types[subset]["leaderboard_publish_date"][0] == "BYTE_ARRAY"  # a string, not a date
        assert types[subset]["rating_lower"][0] == "DOUBLE"
    shutil.rmtree(tmp_path)


def test_the_hub_listing_is_read_page_by_page():
    """The Hub pages its tree with `Link: <next>; rel="next"` (huggingface_hub's paginate)."""
    from arena_pipeline.sources.dataset import Revision
    from tests import fault_server as fs

    def entry(path, sha):
        return {"type": "file", "path": path, "size": 10, "oid": "0" * 40,
                "lfs": {"oid": sha, "size": 10, "pointerSize": 134}}

    tree = f"/api/datasets/{HUB_REPO}/tree/{REVISION}"
    with fs.FaultServer() as server:
        server.plan[f"{tree}?recursive=true"] = fs.serve(
            json.dumps([entry("text/full-00000-of-00001.parquet", "a" * 64)]).encode(),
            headers={"Link": f'<{server.url}{tree}?recursive=true&cursor=2>; rel="next"'})
        server.plan[f"{tree}?recursive=true&cursor=2"] = fs.serve(
            json.dumps([entry("webdev/full-00000-of-00001.parquet", "b" * 64),
                        {"type": "directory", "path": "webdev", "oid": "1" * 40}]).encode())
        source = DatasetSource(f"{server.url}/datasets/{HUB_REPO}/resolve/main", FetchPolicy(backoff_s=0.01))
        revision = Revision(REVISION, "", "hub_api_sha")
        listing = source.listing(revision)
        assert listing.error is None and len(listing.attempts) == 2
        assert listing.files == {"text/full-00000-of-00001.parquet": ("a" * 64, 10),
                                 "webdev/full-00000-of-00001.parquet": ("b" * 64, 10)}
        # A page that fails leaves out its files (they are downloaded) and says why.
        server.plan[f"{tree}?recursive=true&cursor=2"] = fs.status(500)
        broken = source.listing(revision)
    assert list(broken.files) == ["text/full-00000-of-00001.parquet"]
    assert broken.error.endswith("cursor=2: HTTP 500 Internal Server Error; gave up after 4 attempt(s)")
