"""Discovery: each file is hashed once; afterwards the manifest's (size, mtime) stamp is trusted."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from orchestration import ingest
from orchestration.pipeline import discover
from tests.conftest import SAMPLE_003, SAMPLE_004


@pytest.fixture
def raw_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STAGING_DIR", str(tmp_path / "staging"))
    directory = tmp_path / "raw"
    directory.mkdir()
    shutil.copy(SAMPLE_003, directory / SAMPLE_003.name)
    shutil.copy(SAMPLE_004, directory / SAMPLE_004.name)
    return directory


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files discovery reads to hash, in order."""
    calls: list[str] = []
    original = discover.sha256_file

    def counting(path: Path) -> str:
        calls.append(path.name)
        return original(path)

    monkeypatch.setattr(discover, "sha256_file", counting)
    return calls


def test_second_discovery_reads_no_file(raw_dir: Path, hashed: list[str]):
    first = ingest.discover(raw_dir)
    assert sorted(hashed) == sorted([SAMPLE_003.name, SAMPLE_004.name])
    hashed.clear()
    assert ingest.discover(raw_dir) == first
    assert hashed == []
    # the ids are still the content hashes
    for doc, path in first:
        assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_changed_file_is_hashed_again_and_gets_a_new_id(raw_dir: Path, hashed: list[str]):
    before = {doc.file_name: doc.document_id for doc, _ in ingest.discover(raw_dir)}
    path = raw_dir / SAMPLE_004.name
    stat = path.stat()
    # same size and mtime as before, other content: the change time tells them apart
    content = bytearray(path.read_bytes())
    content[-1:] = b"\n" if content[-1:] != b"\n" else b" "
    path.write_bytes(bytes(content))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    hashed.clear()
    after = {doc.file_name: doc.document_id for doc, _ in ingest.discover(raw_dir)}
    assert hashed == [SAMPLE_004.name]
    assert after[SAMPLE_003.name] == before[SAMPLE_003.name]
    assert after[SAMPLE_004.name] == ingest.document_id_for(bytes(content))
    assert after[SAMPLE_004.name] != before[SAMPLE_004.name]


def test_find_document_reads_one_entry_without_hashing(raw_dir: Path, hashed: list[str]):
    found = {doc.document_id: (doc, path) for doc, path in ingest.discover(raw_dir)}
    hashed.clear()
    for document_id, expected in found.items():
        assert ingest.find_document(document_id, raw_dir) == expected
    assert hashed == []
    assert ingest.find_document("0" * 16, raw_dir) is None


def test_lost_manifest_costs_a_rehash_not_a_wrong_id(raw_dir: Path, hashed: list[str]):
    first = ingest.discover(raw_dir)
    discover.manifest_path(raw_dir).unlink()
    hashed.clear()
    assert ingest.discover(raw_dir) == first
    assert len(hashed) == 2
