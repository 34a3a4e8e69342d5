"""The code of docs/analyst-guide.md "Reading the warehouse …" runs as written; money exact.

The guide's Python blocks are executed verbatim in a directory laid out like the project
(warehouse/budget.published.duckdb and warehouse/export/), against the session warehouse.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration import export

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst-guide.md"
SECTION = "## Reading the warehouse from pandas, a BI tool or the exported files"

pytestmark = pytest.mark.slow


def _blocks() -> list[str]:
    text = GUIDE.read_text("utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_guide_has_the_three_code_blocks() -> None:
    assert len(_blocks()) == 3


def test_guide_code_reads_exact_money(built_warehouse: Path, tmp_path: Path, monkeypatch) -> None:
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    shutil.copyfile(built_warehouse, warehouse / "budget.published.duckdb")
    export.export(warehouse / "budget.published.duckdb", warehouse / "export", bom=False)
    monkeypatch.chdir(tmp_path)
    pandas_block, parquet_block, csv_block = _blocks()

    names: dict = {}
    exec(pandas_block, names)
    # 阳泉 2025 收入总表 line 152: 2050204 高中教育 8290.04 万元 (7335.04 + 955.00)
    assert names["high_school_total"] == Decimal("82900400.00")
    assert isinstance(names["revenue"].amount_yuan.iloc[0], Decimal)

    names = {}
    exec(parquet_block, names)
    assert isinstance(names["project_total"], Decimal)
    assert len(names["documents"]) == 3

    names = {}
    exec(csv_block, names)
    csv = names["csv"]
    high_school = sum(csv[csv.function_code == "2050204"].amount_yuan)
    assert high_school == Decimal("82900400.00")
    assert "金额（元）" in names["csv_zh"].columns and "功能分类科目" in names["csv_zh"].columns
