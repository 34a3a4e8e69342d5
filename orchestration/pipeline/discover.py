"""Content hashes of the files in the raw directory, cached by (size, mtime) in a small manifest.

Document ids are content hashes, so finding a document means hashing its file. Hashing every file
of a folder of a thousand PDFs once per partition made a run O(N²) in bytes read; the manifest
keeps each file's (size, mtime_ns, inode, ctime_ns) -> sha256, so a file is hashed once and
afterwards only ``stat``-ed. The manifest is a cache: deleting it costs one re-hash of every
file, never a wrong id (a file whose size, mtime, inode or ctime changed is hashed again; ctime
cannot be set back by a copy tool, so a rewrite that keeps size and mtime is still seen).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from orchestration import settings

MANIFEST_PREFIX = "raw-manifest-"
_CHUNK = 1 << 20


def manifest_path(raw_dir: Path) -> Path:
    """The manifest of one raw directory, in the staging directory (one file per raw directory)."""
    tag = hashlib.sha256(str(raw_dir.resolve()).encode()).hexdigest()[:12]
    return settings.staging_dir() / f"{MANIFEST_PREFIX}{tag}.json"


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(raw_dir: Path) -> dict[str, list]:
    """file name -> [size, mtime_ns, inode, ctime_ns, sha256]; empty when missing or unreadable."""
    try:
        data = json.loads(manifest_path(raw_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def write_manifest(raw_dir: Path, files: dict[str, list]) -> None:
    """Replace the manifest atomically (temporary file, then rename); a cache, so best effort."""
    path = manifest_path(raw_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        payload = {"raw_dir": str(raw_dir.resolve()), "files": files}
        temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


def hash_files(raw_dir: Path, paths: Iterable[Path]) -> dict[str, tuple[str, int]]:
    """file name -> (sha256, size) of each path, hashing only files the manifest does not know.

    The manifest is rewritten with exactly these files when anything changed.
    """
    cached = read_manifest(raw_dir)
    fresh: dict[str, list] = {}
    result: dict[str, tuple[str, int]] = {}
    for path in paths:
        stamp = _stamp(path.stat())
        entry = cached.get(path.name)
        if entry and entry[:4] == stamp:
            digest = entry[4]
        else:
            digest = sha256_file(path)
        fresh[path.name] = [*stamp, digest]
        result[path.name] = (digest, stamp[0])
    if fresh != cached:
        write_manifest(raw_dir, fresh)
    return result


def lookup(raw_dir: Path, document_id: str) -> list[tuple[str, str, int]]:
    """(file name, sha256, size) of the files the manifest says hold ``document_id``.

    Each candidate is checked against the file on disk (stat unchanged), so a stale manifest
    yields no candidate rather than a wrong one; the caller then falls back to a full discovery.
    """
    found = []
    for name, entry in read_manifest(raw_dir).items():
        if len(entry) != 5 or not entry[4].startswith(document_id):
            continue
        path = raw_dir / name
        try:
            stamp = _stamp(path.stat())
        except OSError:
            continue
        if stamp == entry[:4]:
            found.append((name, entry[4], stamp[0]))
    return found
