"""The 决算 raw set: the dev 决算, its planted-error copies, the older layout and a county series.

Every planted copy changes one thing in the dev fixture
(``tests/fixtures/finals/complaints-bureau-2024-final-accounts.txt``, the dev 决算 PDF as printed),
and names the rules that must catch it. Nothing else may fail on it beyond what fails on the
unchanged document.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "finals"
DEV = FIXTURES / "complaints-bureau-2024-final-accounts.txt"
OLDER = FIXTURES / "synthetic-county-agriculture-2019-final-accounts.txt"
SERIES = FIXTURES / "series"


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    replacements: tuple[tuple[str, str], ...]  # (old, new), each old must occur exactly once
    catching_rules: frozenset[str]

    def apply(self, text: str) -> str:
        for old, new in self.replacements:
            if text.count(old) != 1:
                raise ValueError(f"{self.name}: {old!r} occurs {text.count(old)} times")
            text = text.replace(old, new)
        return text


def _block(text: str, title: str, end: str) -> str:
    """The printed lines of one table, from its title line to the line ``end`` after it."""
    match = re.search(rf"(?m)^{re.escape(title)}\n.*?\n{re.escape(end)}\n", text, re.S)
    if match is None:
        raise ValueError(f"no table {title!r}")
    return match.group(0)


_DEV_TEXT = DEV.read_text(encoding="utf-8")

VARIANTS: tuple[Variant, ...] = (
    Variant(
        "identity_broken",
        "PDF p.7: 使用非财政拨款结余 printed 100.00 and the income 总计 raised to match "
        "(22,166.59): the income side adds up, but 年初 + 本年收入 + 使用非财政拨款结余 ≠ "
        "本年支出 + 年末",
        (
            ("使用非财政拨款结余\t28\t\t结余分配", "使用非财政拨款结余\t28\t100.00\t结余分配"),
            ("总计\t31\t22,066.59\t总计", "总计\t31\t22,166.59\t总计"),
        ),
        frozenset({"finals.balance_identity", "within.income_total_equals_expenditure_total"}),
    ),
    Variant(
        "narrative_amount_changed",
        "PDF p.24: 人员经费7967.72万元 printed 7976.72万元 (the table, p.12, says 7,967.72)",
        (("人员经费7967.72万元", "人员经费7976.72万元"),),
        frozenset({"narrative.figure_restates_table"}),
    ),
    Variant(
        "direction_reversed",
        "PDF p.22: 机关服务 决算 229.19 > 年初预算 222.6, but the text says 决算数小于预算数",
        (("102.96%。决算数大于预算数", "102.96%。决算数小于预算数"),),
        frozenset({"finals.narrative_direction_word"}),
    ),
    Variant(
        "completion_rate_changed",
        "PDF p.22: 信访业务 2066.84 / 2325.72 = 88.87%, printed 78.87%",
        (("完成年初预算的88.87%", "完成年初预算的78.87%"),),
        frozenset({"finals.narrative_completion_rate"}),
    ),
    Variant(
        "table_removed",
        "PDF p.8: the 收入决算表 (公开02表) left out",
        ((_block(_DEV_TEXT, "收入决算表", "6"), ""),),
        frozenset({"completeness.required_table_found"}),
    ),
    Variant(
        "placeholder_left",
        "PDF p.25: the issuer left as a template placeholder (XX局)",
        (("国家信访局没有发生国（境）外公务接待支出", "XX局没有发生国（境）外公务接待支出"),),
        frozenset({"finals.no_placeholder_text"}),
    ),
    Variant(
        "wrong_year",
        "PDF p.26: 截至2024年12月31日 printed 截至2023年12月31日 in the 2024 决算",
        (("截至2024年12月31日", "截至2023年12月31日"),),
        frozenset({"finals.year_consistent"}),
    ),
    Variant(
        "three_public_table_removed",
        "PDF p.15: the 三公 table left out while the narrative (pp.24–25) still states its figures",
        ((_block(_DEV_TEXT, "一般公共预算财政拨款“三公”经费支出决算表", "13"), ""),),
        frozenset({"completeness.required_table_found", "finals.three_public_narrative_has_table"}),
    ),
)


def variant_file_name(variant: Variant) -> str:
    return f"complaints-bureau-2024-final-accounts--{variant.name.replace('_', '-')}.txt"


def write_raw_set(raw: Path) -> None:
    """The dev 决算, its planted copies, the older layout and the county series, one file each."""
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEV, raw / DEV.name)
    shutil.copy(OLDER, raw / OLDER.name)
    for path in sorted(SERIES.glob("*.txt")):
        shutil.copy(path, raw / path.name)
    for variant in VARIANTS:
        (raw / variant_file_name(variant)).write_text(variant.apply(_DEV_TEXT), encoding="utf-8")
