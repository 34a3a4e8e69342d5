"""Synthetic document sets for the bench: the samples, each copy with its own content.

A copy renames the sample's issuing body everywhere it is printed (a tag of Chinese digits before
the body's last character: 阳泉市教育局 -> 阳泉市教育三七局), so every copy has its own sha256, its
own department in the dimensions, and tables whose totals still add up (no figure changes).
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    print(f"{len(generate(args.target, args.count))} documents in {args.target}")


if __name__ == "__main__":
    main()
