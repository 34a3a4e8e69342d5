"""Narrative figures: excerpts of 001 and 004, a synthetic county document, whole documents.

Expected values are read from the prose as printed; line numbers cite the fixture file, with the
line of the source document in brackets where the fixture is an excerpt.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extract import narrative
from orchestration.extract.records import DocumentExtraction, NarrativeFigure
from orchestration.extract.text import to_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "narrative"
RAW = Path(__file__).resolve().parents[2] / "raw"
DOC_001 = RAW / "yangquan-education-bureau-2025-department-budget.txt"
DOC_003 = RAW / "kaijiang-teaching-research-office-2023-performance-approval.md"
DOC_004 = RAW / "minhang-education-institute-2020-unit-budget.txt"
D = Decimal


def run(path: Path) -> list[NarrativeFigure]:
    doc = DocumentExtraction()
    narrative.extract(to_lines(path.read_text(encoding="utf-8")), path.name, doc)
    return doc.narrative_figures


def triples(figures: list[NarrativeFigure], line: int) -> list[tuple[str, Decimal, str]]:
    return [(f.metric, f.value, f.unit) for f in figures if f.source_line == line]


@pytest.fixture(scope="module")
def yangquan() -> list[NarrativeFigure]:
    return run(FIXTURES / "yangquan_2025_narrative.txt")


@pytest.fixture(scope="module")
def minhang() -> list[NarrativeFigure]:
    return run(FIXTURES / "minhang_2020_narrative.txt")


# --- 001 excerpt (lines 77–79 and 710–810) --------------------------------------------------
def test_001_income_change_refers_to_the_head_figure(yangquan: list[NarrativeFigure]) -> None:
    # fixture line 9 [001 line 714]: "预算收入总计56,728.82万元，其中：本年收入54,296.65万元，
    # 上年结转2,432.16万元，比上年增加1187.14万元，增长2.14%" (then the same for 支出).
    assert triples(yangquan, 9)[:5] == [
        ("预算收入总计", D("56728.82"), "万元"),
        ("本年收入", D("54296.65"), "万元"),
        ("上年结转", D("2432.16"), "万元"),
        ("预算收入总计 / 比上年增加", D("1187.14"), "万元"),
        ("预算收入总计 / 增长率", D("2.14"), "%"),
    ]
    first = next(f for f in yangquan if f.source_line == 9)
    assert first.amount_yuan == D("567288200.00")
    assert first.section == "一、部门预算收支数据变动情况及原因"
    assert first.sentence.startswith("2025年度阳泉市教育局预算收入总计56,728.82万元")


def test_001_income_shares(yangquan: list[NarrativeFigure]) -> None:
    # fixture line 13 [001 line 718]: GPB 46,124.51万元 占81.31%; 专户 8,172.14 占14.41%;
    # 上年结转 2,432.16 占4.29%; zero sources printed as "0万元，占0%".
    # Every figure of the line, in print order (the shares' metric names the source).
    assert triples(yangquan, 13) == [
        ("预算收入", D("56728.82"), "万元"),
        ("一般公共预算拨款收入", D("46124.51"), "万元"),
        ("一般公共预算拨款收入 / 占比", D("81.31"), "%"),
        ("政府性基金预算拨款收入", D("0"), "万元"),
        ("政府性基金预算拨款收入 / 占比", D("0"), "%"),
        ("国有资本经营预算拨款收入", D("0"), "万元"),
        ("国有资本经营预算拨款收入 / 占比", D("0"), "%"),
        ("财政专户管理资金收入", D("8172.14"), "万元"),
        ("财政专户管理资金收入 / 占比", D("14.41"), "%"),
        ("单位资金", D("0"), "万元"),
        ("单位资金 / 占比", D("0"), "%"),
        ("上年结转", D("2432.16"), "万元"),
        ("上年结转 / 占比", D("4.29"), "%"),
    ]


def test_001_decrease_keeps_value_positive(yangquan: list[NarrativeFigure]) -> None:
    # fixture line 30 [001 line 735]: "当年支出46,124.51万元，比上年减少1725.30万元，下降3.61%".
    assert triples(yangquan, 30) == [
        ("一般公共预算当年支出", D("46124.51"), "万元"),
        ("一般公共预算当年支出 / 比上年减少", D("1725.30"), "万元"),
        ("一般公共预算当年支出 / 下降率", D("3.61"), "%"),
    ]


def test_001_three_public_and_space_before_number(yangquan: list[NarrativeFigure]) -> None:
    # fixture line 50 [001 line 755]: "“三公”经费预算54.00万元比2024年减少 5.40万元" (a space,
    # no comma between the two figures; "2024年" is a year, not a figure).
    assert triples(yangquan, 50) == [
        ("三公经费预算", D("54.00"), "万元"),
        ("三公经费预算 / 比上年减少", D("5.40"), "万元"),
    ]


def test_001_counts(yangquan: list[NarrativeFigure]) -> None:
    # fixture line 3 [001 line 79]: "…等19个二级预算单位的预算组成" (概况).
    assert triples(yangquan, 3) == [("二级预算单位数", D("19"), "个")]
    # fixture line 77 [001 line 782]: 二级项目222个 … 公开项目绩效目标222个 … 占…100%.
    # 其他运转类 62个 8,703.11万元, 特定目标类 160个 7,542.96万元: printed twice (项目, 绩效目标).
    assert triples(yangquan, 77) == [
        ("二级项目数", D("222"), "个"),
        ("二级项目 / 金额", D("16246.07"), "万元"),
        ("其他运转类项目数", D("62"), "个"),
        ("其他运转类项目 / 金额", D("8703.11"), "万元"),
        ("特定目标类项目数", D("160"), "个"),
        ("特定目标类项目 / 金额", D("7542.96"), "万元"),
        ("公开项目绩效目标数", D("222"), "个"),
        ("公开项目绩效目标 / 项目金额", D("16246.07"), "万元"),
        ("公开项目绩效目标 / 项目金额 / 占部门（单位）项目支出总额比重", D("100"), "%"),
        ("其他运转类项目数", D("62"), "个"),
        ("其他运转类项目 / 项目金额", D("8703.11"), "万元"),
        ("特定目标类项目数", D("160"), "个"),
        ("特定目标类项目 / 项目金额", D("7542.96"), "万元"),
    ]
    # fixture line 85 [001 line 790]: 编制33辆，实有12辆 (the date 2024年12月31日 is no figure).
    assert triples(yangquan, 85)[:2] == [
        ("公务用车编制数", D("33"), "辆"),
        ("公务用车编制 / 实有数", D("12"), "辆"),
    ]
    # fixture lines 89, 93 [001 lines 794, 798]: 平方米 and 台（套）.
    assert triples(yangquan, 89) == [("办公用房建筑总面积", D("607170.41"), "平方米")]
    # line 93: 价值50万元（原值）以上的通用设备18台（套）；…100万元（原值）以上的…15台（套）
    assert triples(yangquan, 93) == [
        ("占有使用价值", D("50"), "万元"),
        ("通用设备数", D("18"), "台（套）"),
        ("占有使用价值", D("100"), "万元"),
        ("通用设备数", D("15"), "台（套）"),
    ]


def test_001_unit_list_is_enumerated() -> None:
    # fixture line 3 [001 line 79]: "…预算由阳泉市教育局本级、阳泉市第一中学校、…、
    # 阳泉市文化艺术学校等19个二级预算单位的预算组成" names its 19 units, each recorded
    # against the count.
    doc = DocumentExtraction()
    narrative.extract(
        to_lines((FIXTURES / "yangquan_2025_narrative.txt").read_text(encoding="utf-8")),
        "yangquan_2025_narrative.txt",
        doc,
    )
    items = [item for item in doc.narrative_list_items if item.source_line == 3]
    assert len(items) == 19
    assert [item.item_ordinal for item in items] == list(range(1, 20))
    assert items[0].name == "阳泉市教育局本级"
    assert items[8].name == "阳泉职业技术学院筹建处"
    # the bracketed second name stays part of the item
    assert items[16].name == "阳泉市教育技术中心（阳泉市电化教育馆）"
    assert items[-1].name == "阳泉市文化艺术学校"
    counted = doc.narrative_figures[items[0].figure_ordinal - 1]
    assert (counted.metric, counted.value) == ("二级预算单位数", D("19"))


@pytest.mark.parametrize(
    ("before", "names"),
    [
        (
            "全区共有甲校、乙校（含分校、教学点）、丙校等",
            ["甲校", "乙校（含分校、教学点）", "丙校"],
        ),
        ("本部门包括：办公室、财务科等", ["办公室", "财务科"]),
        ("其中，实验小学等", []),  # one name is no enumeration
        ("设立甲、乙两个", []),  # no 等 before the count
        ("甲校、、乙校等", []),  # an empty item: not a clean list
    ],
)
def test_enumerated_names(before: str, names: list[str]) -> None:
    assert narrative.enumerated_names(before) == names


def test_001_non_money_units_have_no_yuan(yangquan: list[NarrativeFigure]) -> None:
    assert all((f.amount_yuan is None) == (f.unit not in ("元", "万元")) for f in yangquan)
    assert [f.figure_ordinal for f in yangquan] == list(range(1, len(yangquan) + 1))


# --- 004 excerpt (lines 46–64 and 358–391) --------------------------------------------------
def test_004_budget_explanation(minhang: list[NarrativeFigure]) -> None:
    # fixture line 3 [004 line 48]: 支出总额10473.35万元 … 基本支出预算5423.36万元，
    # 比2019年预算减少38.45万元，下降0.7% … 项目支出预算5049.99万元 … 减少873.55万元，下降14.75%.
    # 财政拨款支出预算 10473.35, 一般公共预算 10473.35, 政府性基金 0 are printed between them.
    assert triples(minhang, 3) == [
        ("预算支出总额", D("10473.35"), "万元"),
        ("财政拨款支出预算", D("10473.35"), "万元"),
        ("一般公共预算拨款支出预算", D("10473.35"), "万元"),
        ("政府性基金拨款支出预算", D("0"), "万元"),
        ("基本支出预算", D("5423.36"), "万元"),
        ("基本支出预算 / 比上年减少", D("38.45"), "万元"),
        ("基本支出预算 / 下降率", D("0.7"), "%"),
        ("项目支出预算", D("5049.99"), "万元"),
        ("项目支出预算 / 比上年减少", D("873.55"), "万元"),
        ("项目支出预算 / 下降率", D("14.75"), "%"),
    ]
    assert next(f for f in minhang if f.source_line == 3).amount_yuan == D("104733500.00")


@pytest.mark.parametrize(
    ("line", "metric", "value"),
    [
        pytest.param(5, "教师进修", "3845.19", id="004-line-50-teacher-training"),
        pytest.param(13, "机关事业单位职业年金缴费支出", "282.06", id="004-line-58-annuity"),
        pytest.param(17, "公务员医疗补助", "141.02", id="004-line-62-medical-subsidy"),
        pytest.param(19, "住房公积金", "246.79", id="004-line-64-housing-fund"),
    ],
)
def test_004_subject_amounts(
    minhang: list[NarrativeFigure], line: int, metric: str, value: str
) -> None:
    # "N、“<科目>”科目X万元": the metric is the budget subject's name.
    assert triples(minhang, line) == [(metric, D(value), "万元")]


def test_004_table_8_is_not_prose(minhang: list[NarrativeFigure]) -> None:
    # fixture lines 21–28 [004 lines 358–365]: the 三公 table (10.27 | 0 | 0.67 | 9.6 …) is a
    # table.
    assert not [f for f in minhang if 20 < f.source_line < 30]


def test_004_other_information(minhang: list[NarrativeFigure]) -> None:
    # fixture lines 36–54 [004 lines 373–391].
    assert triples(minhang, 36) == [
        ("三公经费预算数", D("10.27"), "万元"),
        ("三公经费预算数 / 比上年减少", D("80.08"), "万元"),
    ]
    # line 42 [379]: "公务接待费0.67万元。比2019年预算减少0.08万元": the change is its own sentence.
    assert triples(minhang, 42) == [
        ("公务接待费", D("0.67"), "万元"),
        ("公务接待费 / 比上年减少", D("0.08"), "万元"),
    ]
    # line 50 [387]: 政府采购预算4106.07万元，其中：货物0万元、工程0万元、服务4106.07万元
    assert triples(minhang, 50) == [
        ("政府采购预算", D("4106.07"), "万元"),
        ("政府采购货物预算", D("0"), "万元"),
        ("政府采购工程预算", D("0"), "万元"),
        ("政府采购服务预算", D("4106.07"), "万元"),
    ]
    assert triples(minhang, 54) == [
        ("项目数", D("22"), "个"),
        ("项目 / 项目预算资金", D("5049.99"), "万元"),
    ]


# --- synthetic -------------------------------------------------------------------------------
def test_synthetic_county_document_in_yuan() -> None:
    # A table of contents with dotted leaders, 元 amounts, "较上年增长", counts in 个/家/人,
    # a duration ("5个月"), a year ("2018年"), and tab / pipe table rows that must be skipped.
    figures = run(FIXTURES / "synthetic_county_commission_yuan.txt")
    assert [(f.source_line, f.metric, f.value, f.unit) for f in figures] == [
        (9, "内设科室数", D("8"), "个"),
        (9, "下属事业单位数", D("3"), "家"),
        (9, "在编人员数", D("126"), "人"),
        (15, "收支预算总额", D("3560000.00"), "元"),
        (15, "收支预算总额 / 增长率", D("8.5"), "%"),
        (15, "收支预算总额 / 增加", D("278900.00"), "元"),
        (19, "三公经费预算", D("12000.00"), "元"),
        (19, "三公经费预算 / 下降率", D("20"), "%"),
        (19, "三公经费预算 / 减少", D("3000.00"), "元"),
        (23, "培训数", D("3"), "次"),
    ]
    assert figures[3].amount_yuan == D("3560000.00")
    assert figures[3].section == "（一）收支预算总体情况"


# --- whole documents ------------------------------------------------------------------------
def test_whole_001() -> None:
    figures = run(DOC_001)
    found = {(f.source_line, f.metric, f.value, f.unit) for f in figures}
    # §1.5 / §1.1 of docs/source-documents.md.
    assert (714, "预算收入总计", D("56728.82"), "万元") in found
    assert (714, "预算收入总计 / 增长率", D("2.14"), "%") in found
    assert (782, "公开项目绩效目标数", D("222"), "个") in found
    assert (79, "二级预算单位数", D("19"), "个") in found
    assert (766, "机关运行经费财政拨款预算 / 增长率", D("14.86"), "%") in found
    # Nothing from the table of contents (23–58), the tables (83–707) or the performance tables.
    assert all(f.source_line in (79,) or 710 <= f.source_line <= 810 for f in figures)


def test_whole_004() -> None:
    figures = run(DOC_004)
    found = {(f.source_line, f.metric, f.value, f.unit) for f in figures}
    assert (48, "预算支出总额", D("10473.35"), "万元") in found
    assert (58, "机关事业单位职业年金缴费支出", D("282.06"), "万元") in found
    assert (62, "公务员医疗补助", D("141.02"), "万元") in found
    assert (391, "项目数", D("22"), "个") in found
    # Only prose: the 职能 paragraph (line 30), 编制说明 (46–64), 其他相关情况说明 (369–391).
    assert {f.source_line for f in figures} <= {30, *range(46, 65), *range(369, 392)}


def test_whole_003_has_no_narrative() -> None:
    assert run(DOC_003) == []
