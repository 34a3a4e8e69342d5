"""Synthetic document sets for the bench: the samples, each copy with its own content.

A copy renames the sample's issuing body everywhere it is printed (a tag of Chinese digits before
the body's last character: 阳泉市教育局 -> 阳泉市教育三七局), so every copy has its own sha256, its
own department in the dimensions, and tables whose totals still add up (no figure changes).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
from pathlib import Path

from orchestration import settings

# sample file -> the issuing body's name as printed in it (the longest form, renamed first).
SAMPLES: dict[str, tuple[str, ...]] = {
    "yangquan-education-bureau-2025-department-budget.txt": ("阳泉市教育局",),
    "minhang-education-institute-2020-unit-budget.txt": ("闵行区教育学院",),
    "kaijiang-teaching-research-office-2023-performance-approval.md": ("开江县中小学教学研究室",),
}
DIGITS = "〇一二三四五六七八九"


def tag(number: int) -> str:
    """``number`` in Chinese digits (37 -> 三七)."""
    return "".join(DIGITS[int(d)] for d in str(number))


def perturb(text: str, names: tuple[str, ...], number: int) -> str:
    """The text with each name renamed to its ``number``-th variant."""
    for name in names:
        text = text.replace(name, f"{name[:-1]}{tag(number)}{name[-1]}")
    return text


def generate(target: Path, count: int, source: Path | None = None) -> list[Path]:
    """Write ``count`` documents into ``target``, cycling through the samples."""
    source = source or settings.DEFAULT_RAW_DIR
    target.mkdir(parents=True, exist_ok=True)
    samples = [(source / name, names) for name, names in SAMPLES.items()]
    written = []
    for index in range(count):
        path, names = samples[index % len(samples)]
        number = index // len(samples) + 1
        out = target / f"{path.stem}-{number:05d}{path.suffix}"
        if not out.exists():
            out.write_text(perturb(path.read_text(encoding="utf-8"), names, number), "utf-8")
        written.append(out)
    return written


def acknowledgements(seed: Path, documents: list[Path]) -> str:
    """The acknowledged-discrepancies seed with each sample's rows repeated for its copies.

    A copy is the sample with its issuing body renamed, so it has the sample's known printing
    defects (acknowledged by document id, the content hash): the bench acknowledges them for each
    copy in a copy of the dbt project, so that `make run`'s reconciliation enforcement passes.
    """
    rows = list(csv.DictReader(io.StringIO(seed.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    for path in documents:
        sample = next(name for name in SAMPLES if path.name.startswith(Path(name).stem))
        document_id = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for row in rows:
            if row["file_name"] == sample:
                writer.writerow({**row, "document_id": document_id, "file_name": path.name})
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    print(f"{len(generate(args.target, args.count))} documents in {args.target}")


if __name__ == "__main__":
    main()
