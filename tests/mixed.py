"""The mixed raw folder of tests/orchestration/test_isolation.py: the samples beside documents of
other layouts and every kind of bad input. File names sort the samples' copies after the samples
(an identical copy is loaded under the first of its names; the later of two versions is current).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.builds import RAW_DIR, SAMPLE_003, SAMPLE_004

MIXED_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mixed"
TRUNCATED_COPY = "cut-minhang-2020-unit-budget.txt"  # 004 cut after its line 199 (a table title)
TRUNCATED_AT_LINE = 199
IDENTICAL_COPY = "zz-kaijiang-copy.md"  # the bytes of 003
REPUBLISHED_COPY = "zz-minhang-2020-unit-budget-republished.txt"  # 004 with a correction note
REPUBLICATION_NOTE = "更正说明：本稿替换此前发布的版本。"
NOT_A_BUDGET = (
    "关于开展秋季运动会的通知\n\n各学院：\n\n学校定于十月举行秋季运动会，请各单位做好准备。\n"
)


def make_mixed_raw(raw: Path) -> None:
    """Write the mixed raw folder: samples, synthetic documents, bad inputs, copies, versions."""
    shutil.copytree(RAW_DIR, raw)
    for fixture in MIXED_FIXTURES.iterdir():
        shutil.copy(fixture, raw / fixture.name)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "note.txt").write_text(NOT_A_BUDGET, encoding="utf-8")
    lines = SAMPLE_004.read_text(encoding="utf-8").split("\n")
    (raw / TRUNCATED_COPY).write_text("\n".join(lines[:TRUNCATED_AT_LINE]), encoding="utf-8")
    shutil.copy(SAMPLE_003, raw / IDENTICAL_COPY)
    republished = [lines[0], REPUBLICATION_NOTE, *lines[1:]]
    (raw / REPUBLISHED_COPY).write_text("\n".join(republished), encoding="utf-8")
