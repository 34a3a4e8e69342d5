"""Performance-target tables (绩效目标表): fixture-driven tests.

Fixtures under ``tests/fixtures/performance/`` are verbatim excerpts of the sample documents (see
the README there for their source lines). Expected values are written from the documents as
printed; comments cite the line in the original document ("001 line 5579" = line 5579 of
raw/yangquan-…-department-budget.txt; 004 = raw/minhang-…; 003 = raw/kaijiang-…).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.extract import performance, vocabulary
from orchestration.extract.performance_common import (
    checked_labels,
    fill_date_iso,
    level_kind,
    parse_count,
    parse_target,
    split_code_name,
    split_label_amount,
)
from orchestration.extract.performance_forms import fund_axis
from orchestration.extract.records import (
    DocumentExtraction,
    PerformanceFunding,
    PerformanceTable,
)
from orchestration.extract.text import CHECKED_BOX as ON
from orchestration.extract.text import UNCHECKED_BOX as OFF
from orchestration.extract.text import Line, to_lines
from tests.conftest import SAMPLE_001, SAMPLE_004

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "performance"


# --- helpers --------------------------------------------------------------------------------
def extract_text(text: str, name: str = "synthetic.txt") -> DocumentExtraction:
    doc = DocumentExtraction()
    performance.extract(to_lines(text), name, doc)
    return doc


def extract_fixture(name: str) -> DocumentExtraction:
    return extract_text((FIXTURES / name).read_text(encoding="utf-8"), name)


def funding(doc: DocumentExtraction, perf_ordinal: int = 1) -> dict[tuple, PerformanceFunding]:
    return {
        (f.period, f.funding_axis): f
        for f in doc.performance_funding
        if f.perf_ordinal == perf_ordinal
    }


def amount(doc: DocumentExtraction, period: str | None, axis: str, perf: int = 1) -> Decimal | None:
    return funding(doc, perf)[(period, axis)].amount_yuan


def tsv(*rows: str) -> str:
    """Build a tab-separated document from rows written with " | " between cells."""
    return "\n".join(row.replace(" | ", "\t") for row in rows) + "\n"


# --- pure helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("≥400人", (">=", Decimal("400"), "人"), id="ge-persons"),
        pytest.param("》95%", (">=", Decimal("95"), "%"), id="fullwidth-angle-is-ge"),
        pytest.param("》 90%", (">=", Decimal("90"), "%"), id="angle-with-space"),
        pytest.param("=15000.00 名", ("=", Decimal("15000.00"), "名"), id="eq-wrapped-unit"),
        pytest.param("≤100%", ("<=", Decimal("100"), "%"), id="le"),
        pytest.param(">90%", (">", Decimal("90"), "%"), id="gt"),
        pytest.param("<10月", ("<", Decimal("10"), "月"), id="lt-months"),
        pytest.param("1240元/生/年", (None, Decimal("1240"), "元/生/年"), id="compound-unit"),
        pytest.param("≥15.35万元/年", (">=", Decimal("15.35"), "万元/年"), id="decimal"),
        pytest.param("约1611人/年", (None, Decimal("1611"), "人/年"), id="approx"),
        pytest.param("每年巡检次数 ≥4 次", (None, None, None), id="sentence"),
        pytest.param("2025年底前", (None, None, None), id="deadline-not-a-number"),
        pytest.param("20所学校+40BYOD", (None, None, None), id="compound-text"),
        pytest.param("提升", (None, None, None), id="qualitative"),
        pytest.param("$\\geq 4$", (">=", Decimal("4"), None), id="latex"),
    ],
)
def test_parse_target(text, expected):
    assert parse_target(text) == expected


def test_checkbox_before_and_after_label():
    # 004 line 402: box before its label; line 693: box after its label
    before = f"{OFF} 一次性项目 {ON} 经常性项目 {OFF} 中期预算试点项目"
    after = f"一次性项目 {OFF} 经常性项目 {ON} 中期预算试点项目 {OFF}"
    assert checked_labels(before) == ["经常性项目"]
    assert checked_labels(after) == ["经常性项目"]
    assert checked_labels("一次性项目") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("实施期资金总额： 1,000,000", ("实施期资金总额：", "1,000,000")),  # 001 line 5579
        ("市县（区）财政资 0", ("市县（区）财政资", "0")),  # 001 line 5582
        ("一、项目总预算：1539400", ("一、项目总预算：", "1539400")),  # 004 line 407
        ("2. 本级财政安排：470000", ("2. 本级财政安排：", "470000")),
        ("1,553,500", ("", "1,553,500")),
        ("省级财政资金", ("省级财政资金", None)),
    ],
)
def test_split_label_amount(cell, expected):
    assert split_label_amount(cell) == expected


@pytest.mark.parametrize(
    ("label", "axis"),
    [
        ("其中：中央财政资金", "central"),
        ("市级（区）财政资金", "city_county"),  # 001 block 1322
        ("市县（区）", "city_county"),  # 001 line 7972
        ("金单位自筹", "self_raised"),  # 001 line 8211
        ("单位自", "self_raised"),  # 001 line 8452
        ("金", None),  # fragments of a wrapped label carry no axis
        ("筹金", None),
        ("财政资金", None),
        ("年度资金总额：", "total"),
    ],
)
def test_fund_axis_by_wording(label, axis):
    assert fund_axis(label) == axis


def test_small_parsers():
    assert parse_count("1,987人") == (Decimal("1987"), "人")  # 001 line 850
    assert parse_count("12个") == (Decimal("12"), "个")
    assert split_code_name("051-阳泉市教育局") == ("051", "阳泉市教育局")
    assert split_code_name("901 文教科") == ("901", "文教科")  # 001 line 8071
    assert split_code_name("D05-中国共产党阳泉市委员会组织部") == (
        "D05",
        "中国共产党阳泉市委员会组织部",
    )
    assert fill_date_iso("20250219151708") == "2025-02-19"  # 001 line 932
    assert fill_date_iso("") is None
    assert level_kind("产出指标") == "L1"
    assert level_kind("满意度指") == "L1"  # 003 truncated
    assert level_kind("数量") == "L2"
    assert level_kind("成本指标") == "L1?"
    assert level_kind("培训人员合格率") is None


# --- Shanxi project tables (001) ------------------------------------------------------------
def test_shanxi_clean_block():
    doc = extract_fixture("shanxi_clean.txt")  # 001 lines 902–932
    assert not doc.warnings
    (table,) = doc.performance_tables
    assert (table.family, table.template) == ("project_target", "shanxi_single")
    assert table.project_name == "省级党员教育培训经费"  # 001 line 906
    assert (table.department_code, table.department_name) == (
        "D05",
        "中国共产党阳泉市委员会组织部（阳泉市公务员局）",
    )  # 001 line 907
    assert table.implementing_unit == "阳泉市教育局"
    assert table.project_category == "one_off"  # 一次性项目（1年结束）
    assert table.project_period == "1年"
    assert table.fiscal_year == 2025
    assert table.fill_date == "20250219151708"  # 001 line 932
    # 001 lines 909–914: 实施期 400 with 省级 400; 年度 400 with 市县 400
    assert amount(doc, "implementation", "total") == Decimal("400.00")
    assert amount(doc, "implementation", "provincial") == Decimal("400.00")
    assert amount(doc, "annual", "total") == Decimal("400.00")
    assert amount(doc, "annual", "provincial") == Decimal("0.00")
    assert amount(doc, "annual", "city_county") == Decimal("400.00")
    assert funding(doc)[("annual", "other")].is_blank
    # 001 lines 923–931: 8 indicator rows printed in both halves (经济/生态/可持续 empty)
    indicators = doc.performance_indicators
    assert Counter(i.period for i in indicators) == {"implementation": 6, "annual": 6}
    first = indicators[0]
    assert (first.level1, first.level2, first.level3) == (
        "产出指标",
        "数量指标",
        "未纳入干部培训体系的党",
    )
    assert (first.target_raw, first.comparator, first.target_value, first.target_unit) == (
        "32人",
        None,
        Decimal("32"),
        "人",
    )
    last = indicators[-1]  # 001 line 931
    assert (last.period, last.level1, last.level2, last.level3, last.comparator) == (
        "annual",
        "满意度指标",
        "服务对象满意度",
        "党员满意度",
        ">=",
    )
    assert {a.attribute for a in doc.performance_attributes} >= {
        "project_overview",
        "basis",
        "necessity",
        "safeguards",
        "implementation_plan",
        "goal_implementation",
        "goal_annual",
    }


def test_shanxi_label_and_value_merged_in_one_cell():
    doc = extract_fixture("shanxi_merged_label_value.txt")  # 001 block 5574
    assert not doc.warnings  # the "内部审核" watermark row (001 line 5590) is noise
    (table,) = doc.performance_tables
    assert table.implementing_unit == "阳泉师范高等专科学校"  # "实施单位 阳泉师范高等专科学校"
    assert table.project_period == "99年"  # "项目期 99年"
    assert table.project_category == "recurring"
    # 001 line 5579: 实施期资金总额： 1,000,000 | 年度资金总额： 1,000,000
    assert amount(doc, "implementation", "total") == Decimal("1000000.00")
    assert amount(doc, "annual", "total") == Decimal("1000000.00")
    # 001 line 5583: 单位自筹 1,000,000 twice; 5582: 市县（区）财政资 0
    assert amount(doc, "implementation", "self_raised") == Decimal("1000000.00")
    assert amount(doc, "annual", "self_raised") == Decimal("1000000.00")
    assert amount(doc, "annual", "city_county") == Decimal("0.00")
    assert table.fill_date == "20241210154230"  # 001 line 5612
    # 001 line 5594: right half "外聘教师全年发放工资月数 <10月"
    months = next(i for i in doc.performance_indicators if i.level3 == "外聘教师全年发放工资月数")
    assert (months.period, months.comparator, months.target_value, months.target_unit) == (
        "annual",
        "<",
        Decimal("10"),
        "月",
    )


def test_shanxi_split_label_with_phantom_value():
    # 001 block 3090: "市县（区）财政资" (line 3100) + "金 | 0" (line 3101, a phantom value); the
    # left 单位自筹/其他资金 drop one row while the right half repeats 其他资金 (line 3103).
    doc = extract_fixture("shanxi_split_label_jin.txt")
    assert not doc.warnings
    table_funding = funding(doc)
    assert amount(doc, "annual", "total") == Decimal("30700.00")  # 001 line 3097
    assert amount(doc, "annual", "central") == Decimal("30700.00")  # 001 line 3098
    assert amount(doc, "implementation", "city_county") == Decimal("0.00")
    assert amount(doc, "implementation", "self_raised") == Decimal("0.00")  # line 3102
    assert amount(doc, "annual", "other") == Decimal("0.00")  # line 3102, printed "0"
    # each (period, axis) once: 2 totals + 2 × 5 parts
    assert len(table_funding) == 12
    assert len(doc.performance_funding) == 12


def test_shanxi_split_label_unit_self_raised():
    # 001 block 8442: "单位自 | 0" then "筹金" (lines 8452–8453); 市县 279,000 both halves
    doc = extract_fixture("shanxi_split_label_danweizi.txt")
    assert not doc.warnings
    assert amount(doc, "implementation", "self_raised") == Decimal("0.00")
    assert amount(doc, "implementation", "city_county") == Decimal("279000.00")
    assert amount(doc, "annual", "total") == Decimal("279000.00")
    (table,) = doc.performance_tables
    assert table.department_code == "904"  # "904-文教科", 001 line 8446
    assert (table.responsible_person, table.contact_person, table.contact_phone) == (
        "侯颖",
        "王晓琴",
        "13203535095",
    )  # 001 line 8471: personal data only on the table record


def test_shanxi_blank_annual_total_and_dangling_period():
    doc = extract_fixture("shanxi_blank_annual.txt")  # 001 block 7783
    (table,) = doc.performance_tables
    assert table.implementing_unit is None  # 001 line 7788: 实施单位 blank
    assert table.project_period == "1年"  # printed alone on line 7790
    annual_total = funding(doc)[("annual", "total")]
    assert annual_total.is_blank and annual_total.amount_yuan is None  # line 7791
    assert amount(doc, "implementation", "total") == Decimal("100000.00")
    assert amount(doc, "annual", "city_county") == Decimal("80000.00")  # line 7794
    assert amount(doc, "implementation", "city_county") == Decimal("100000.00")


def test_shanxi_page_two_continuation_is_merged():
    # 001 lines 2680 and 2725: the same table over two pages, header and fund block repeated
    doc = extract_fixture("shanxi_continuation_pair.txt")
    (table,) = doc.performance_tables
    assert table.first_line == 1
    assert table.continuation_lines == [46]  # fixture line of the 001 line 2725 title
    assert len(doc.performance_funding) == len(set(funding(doc)))  # nothing counted twice
    assert amount(doc, "annual", "total") == Decimal("1553500.00")  # 001 line 2687
    # two indicators (实施期 | 年度) per printed row: fixture lines 22–44 on page 1, 67–76, 78
    # (社会效益) and 81 (满意度) on page 2; 77, 79, 80 print no 三级指标
    lines = Counter(i.source_line for i in doc.performance_indicators)
    assert lines == {line: 2 for line in [*range(22, 45), *range(67, 77), 78, 81]}
    # the page-2 part carries the 满意度 row (001 line 2760) and the footer
    satisfaction = [i for i in doc.performance_indicators if i.source_line == 81]
    assert [(i.level3, i.target_raw) for i in satisfaction] == [("学校和老师满意度", "≥96%")] * 2
    assert table.fill_date == "20250122163510"  # fixture line 82: 填报日期：20250122163510
    ordinals = [i.indicator_ordinal for i in doc.performance_indicators]
    assert ordinals == list(range(1, len(ordinals) + 1))


def test_shanxi_fragment_takes_value_when_label_row_blank():
    # synthetic: the wrapped label's own row is blank and the "金" row carries the figure
    doc = extract_text(
        tsv(
            "某市市级预算部门（单位）项目支出绩效目标表",
            "(2024年度)",
            "项目名称 |  | 测试项目 |  |  | ",
            "主管部门及代码 |  | 123 测试局 |  | 实施单位 | 测试学校",
            "项目属性 |  | 经常性项目（长期开展） |  | 项目期 | 3年",
            "项目资金(元) | 实施期资金总额: | 300 | 年度资金总额: | 100",
            " | 其中:中央财政资金 | 0 | 其中:中央财政资金 | 0",
            " | 省级财政资金 | 0 | 省级财政资金 | 0",
            " | 市县(区)财政资 |  | 市县(区)财政资 | ",
            " | 金 | 300 | 金 | 100",
            " | 单位自筹 | 0 | 单位自筹 | 0",
            " | 其他资金 |  | 其他资金 | ",
            "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值",
            " | 产出指标 | 数量指标 | 培训人数 | ≥10人 | 数量指标 | 培训人数 | ≥5人",
            "负责人: |  | 经办人: |  | 联系电话: |  | 填报日期: | 20240101120000",
        )
    )
    assert not doc.warnings
    assert amount(doc, "implementation", "city_county") == Decimal("300.00")
    assert amount(doc, "annual", "city_county") == Decimal("100.00")
    assert doc.performance_tables[0].department_code == "123"
    annual = [i for i in doc.performance_indicators if i.period == "annual"]
    assert [(i.comparator, i.target_value) for i in annual] == [(">=", Decimal("5"))]


def test_stray_td_fragments_do_not_glue_target_to_name():
    # 001 line 6259: " | | | 学生人数 | ≥800人 | | 学生人数 <td>≥800人</td> | ≥800人"
    doc = extract_text(
        tsv(
            "阳泉市市级预算部门（单位）项目支出绩效目标表",
            "项目名称 |  | 测试项目",
            "项目资金（元） | 实施期资金总额： | 10 | 年度资金总额： | 10",
            "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值",
            " | 产出指标 | 数量指标 | 学生人数 | ≥800人 |  | 学生人数 <td>≥800人</td> | ≥800人",
        )
    )
    assert [(i.period, i.level3, i.target_value) for i in doc.performance_indicators] == [
        ("implementation", "学生人数", Decimal("800")),
        ("annual", "学生人数", Decimal("800")),
    ]


def test_unrecognised_rows_warn_instead_of_crashing():
    doc = extract_text(
        tsv(
            "阳泉市市级预算部门（单位）项目支出绩效目标表",
            "项目名称 |  | 怪异项目",
            "项目资金（元） | 实施期资金总额： | 12,3a | 年度资金总额： | 5",
            "项目概况 |  | 说明",
            "乱码行 | ### | @@@",
        ),
        "odd.txt",
    )
    kinds = {w.kind for w in doc.warnings}
    assert "unreadable_row" in kinds
    assert all(w.message.startswith("odd.txt:") for w in doc.warnings)
    assert amount(doc, "annual", "total") == Decimal("5.00")


def test_contents_entries_and_sentences_are_not_titles():
    doc = extract_text(
        tsv(
            "项目支出绩效目标表.....26",
            "（项目绩效目标表公开情况见附件）",  # 001 line 784
        )
    )
    assert doc.performance_tables == []


# --- Shanxi department overall table (001 lines 844–888) ------------------------------------
def test_department_overall_table():
    doc = extract_fixture("shanxi_department_overall.txt")
    assert not doc.warnings
    (table,) = doc.performance_tables
    assert (table.family, table.template) == ("department_overall_target", "shanxi_overall")
    assert (table.department_code, table.department_name) == ("051", "阳泉市教育局")  # line 848
    assert table.fiscal_year == 2025  # "(2025) 年度", line 846
    by_axis = {f.funding_axis: f for f in doc.performance_funding}
    assert {f.period for f in doc.performance_funding} == {None}
    assert {f.unit for f in doc.performance_funding} == {"万元"}  # "资金总额(万元)", line 855
    # lines 856–862 (万元)
    assert by_axis["total"].amount_printed == Decimal("54296.65")
    assert by_axis["general_public_budget"].amount_yuan == Decimal("461245100.00")
    assert by_axis["special_account"].amount_printed == Decimal("8172.14")
    assert by_axis["social_insurance_fund"].amount_printed == Decimal("0.00")
    assert by_axis["basic"].amount_printed == Decimal("38050.58")
    assert by_axis["project"].amount_printed == Decimal("16246.07")
    assert len(doc.performance_funding) == 9  # the direction side's 合计 is not stored twice
    counts = {
        a.attribute: (a.value_number, a.value_unit)
        for a in doc.performance_attributes
        if a.value_number is not None
    }
    assert counts == {
        "internal_divisions": (Decimal("12"), "个"),  # line 849
        "budget_units": (Decimal("19"), "个"),
        "staff_quota": (Decimal("2143"), "人"),  # line 850
        "staff_actual": (Decimal("1987"), "人"),  # "1,987人"
        "staff_on_establishment": (Decimal("1987"), "人"),  # line 851
        "staff_other": (Decimal("0"), "人"),  # line 852, its own shifted row
    }
    attributes = Counter(a.attribute for a in doc.performance_attributes)
    assert attributes["annual_task"] == 1 and attributes["goal_annual"] == 1
    # lines 867–888: 20 indicators with a printed 三级指标
    assert len(doc.performance_indicators) == 20
    first = doc.performance_indicators[0]
    assert (first.level1, first.level2, first.level3, first.target_raw) == (
        "产出指标",
        "数量指标",
        "项目执行数",
        "≥70个",
    )
    assert (first.comparator, first.target_value, first.target_unit) == (">=", Decimal("70"), "个")
    billions = doc.performance_indicators[1]  # line 868: "≥3.5亿元"
    assert (billions.target_value, billions.target_unit) == (Decimal("3.5"), "亿元")


# --- Shanghai triplets (004) ----------------------------------------------------------------
def test_shanghai_checkbox_after_label_and_angle_comparator():
    doc = extract_fixture("shanghai_checkbox_after.txt")  # 004 lines 684–825 教师培训类项目
    assert not doc.warnings
    (table,) = doc.performance_tables
    assert (table.family, table.template) == ("project_target", "shanghai_triplet")
    assert table.project_name == "教师培训类项目"
    # 004 line 693: "一次性项目 ☐ 经常性项目 ☑ 中期预算试点项目 ☐" (box after the label)
    assert table.project_attribute == "经常性项目"
    assert table.project_category == "recurring"
    assert (table.start_date, table.end_date) == ("2020-01-01", "2020-12-31")  # line 695
    assert table.contact_phone == "13564791861"  # line 694
    assert len(table.continuation_lines) == 2  # the (b) and (c) titles
    # 004 lines 702–708
    assert amount(doc, "implementation", "project_total") == Decimal("2370000.00")
    assert amount(doc, "annual", "current_year") == Decimal("2370000.00")
    assert amount(doc, "annual", "same_level") == Decimal("2370000.00")
    assert amount(doc, "annual", "superior") == Decimal("0.00")
    # 004 lines 743–776: 19 targets printed with "》" mean ≥
    angle = [i for i in doc.performance_indicators if i.target_raw.startswith("》")]
    assert len(angle) == 19
    assert {i.comparator for i in angle} == {">="}
    details = [d for d in doc.project_details if not d.is_total]
    assert len(details) == 9  # 004 lines 778–787
    assert sum(d.amount_yuan for d in details) == Decimal("2370000")
    (total,) = [d for d in doc.project_details if d.is_total]
    assert total.amount_yuan == Decimal("2370000")  # line 788, padded with "-----"
    assert total.unit_price_yuan is None


def test_shanghai_numbers_split_by_wrap_space():
    doc = extract_fixture("shanghai_split_numbers.txt")  # 004 课程类项目
    (table,) = doc.performance_tables
    assert table.project_category == "recurring"  # box after the label, 004 line 1005
    details = [d for d in doc.project_details if not d.is_total]
    assert len(details) == 5
    paths = next(d for d in details if d.item_content == "PATHS课程")  # 004 line 1087
    assert paths.amount_yuan == Decimal("1937217.60")  # printed "1937217.6 0"
    assert paths.unit_price_yuan == Decimal("1937217.60")  # printed "1937217. 60"
    assert paths.quantity == Decimal("1.00")
    assert paths.remark == "年度项目"
    # 当年预算 14718993.6 (004 line 1013) vs 金额合计 14718994 (line 1090): kept as printed
    assert amount(doc, "annual", "current_year") == Decimal("14718993.60")
    assert sum(d.amount_yuan for d in details) == Decimal("14718993.60")
    (total,) = [d for d in doc.project_details if d.is_total]
    assert total.amount_yuan == Decimal("14718994")


def test_shanghai_html_fund_block_counted_once():
    # 004 line 1187: the fund block as an inline <table>, repeated as tab cells on the same line
    # and again as plain rows on lines 1188–1193
    doc = extract_fixture("shanghai_html_fund_block.txt")
    assert not doc.warnings
    assert len(doc.performance_funding) == 7
    assert amount(doc, "implementation", "project_total") == Decimal("470000.00")
    assert amount(doc, "annual", "current_year") == Decimal("470000.00")
    assert amount(doc, "annual", "fiscal") == Decimal("470000.00")
    assert amount(doc, "annual", "other") == Decimal("0.00")
    # 004 lines 1216–1226: targets left blank are kept with an empty target
    # (fixture lines 44–55: all twelve 三级目标 print an empty 目标值)
    indicators = doc.performance_indicators
    assert [i.source_line for i in indicators] == list(range(44, 56))
    assert [(i.target_raw, i.target_value) for i in indicators] == [("", None)] * 12
    details = [d for d in doc.project_details if not d.is_total]
    first = details[0]  # 004 line 1229: 270000 = 30000.00 × 9.00
    assert (first.amount_yuan, first.unit_price_yuan, first.quantity) == (
        Decimal("270000"),
        Decimal("30000.00"),
        Decimal("9.00"),
    )


# --- Sichuan approval table (003) -----------------------------------------------------------
def test_sichuan_approval_table():
    doc = extract_fixture("sichuan_approval.md")
    assert not doc.warnings
    (table,) = doc.performance_tables
    assert (table.family, table.template) == ("overall_target_approval", "sichuan_markdown")
    # 003 lines 9–11: "205" is an agency code, not functional class 205
    assert (table.department_code, table.department_name) == ("205", "开江县中小学教学研究室本级")
    assert table.fiscal_year == 2023  # "预算年度:2023", line 7
    rows = {f.funding_label: f for f in doc.performance_funding}
    # 003 line 18
    assert rows["预算支出总额"].amount_yuan == Decimal("2630574.00")
    assert rows["基本支出 / 合计"].funding_axis == "basic"
    assert rows["基本支出 / 合计"].amount_yuan == Decimal("2597934.00")
    assert rows["基本支出 / 财政拨款"].funding_axis == "fiscal_appropriation"
    assert rows["项目支出 / 合计"].amount_yuan == Decimal("32640.00")
    assert rows["项目支出 / 财政拨款"].amount_yuan == Decimal("32640.00")
    assert rows["基本支出 / 专户资金"].is_blank
    assert rows["预算支出总额"].amount_yuan == (
        rows["基本支出 / 合计"].amount_yuan + rows["项目支出 / 合计"].amount_yuan
    )
    tasks = [a for a in doc.performance_attributes if a.attribute == "annual_task"]
    assert len(tasks) == 8  # 6 on lines 20–25, 2 after the page break (29–30)
    assert tasks[0].label == "日常工作及党建工作"
    assert tasks[6].label == "教育教学教研课题研究"  # name in column 3 after the break
    assert tasks[6].value_text == "完成省市课题立项结题。"
    indicators = doc.performance_indicators
    assert len(indicators) == 16
    # 003 lines 34–52, weights as printed (line 39 is shifted: its weight 40 sits 2 cells left)
    assert [i.weight for i in indicators] == [
        Decimal(w) for w in (8, 7, 10, 5, 23, 40, 10, 5, 2, 2, 2, 2, 2, 3, 2, 2)
    ]
    shifted = indicators[5]  # line 39
    assert shifted.level3 == "完成对学校教师学科培训指导。"
    assert (shifted.comparator, shifted.target_value, shifted.target_unit) == (
        ">=",
        Decimal("5"),
        "项",
    )
    # 性质 as printed: ≥ on lines 34–36, 38, 39, 44, 51; = on 37, 43; 定性 on 45–50, 52
    assert Counter(i.nature for i in indicators) == {"≥": 7, "=": 2, "定性": 7}
    satisfaction = indicators[13]  # line 50: "满意度指" truncated
    assert (satisfaction.level1, satisfaction.level2) == ("满意度指", "服务对象满意度指标")
    cost = indicators[14]  # line 51
    assert (cost.level1, cost.level2, cost.target_unit) == ("成本指标", "经济成本指标", "元/人·次")
    # line 31: 整体绩效目标, printed as one cell
    (goal,) = [a for a in doc.performance_attributes if a.attribute == "goal_annual"]
    assert goal.source_line == 31
    assert goal.value_text.startswith("本年度确保教职工的工资；确保单位正常运转")
    assert goal.value_text.endswith("每季度进行了意识形态研判分析工作。")


# --- matching (synthetic project rows) -------------------------------------------------------
def _project_doc(
    rows: list[tuple[str, str, str]], tables: list[tuple[str, str, str | None, str | None]]
) -> DocumentExtraction:
    """A document with project rows (unit, name, 万元) and performance tables
    (name, unit, 年度 元 or None, 实施期 元 or None)."""
    from orchestration.extract.records import StatementCell, StatementRow, StatementTable

    doc = DocumentExtraction()
    doc.tables.append(
        StatementTable(
            7, "project_expenditure", "项目支出预算表", 1, None, None, "万元", 2, 1, 99, "tsv"
        )
    )
    for ordinal, (unit, name, wan) in enumerate(rows, start=1):
        doc.rows.append(
            StatementRow(
                7, ordinal, 10 + ordinal, None, name, name, None, None, None, None, None, None,
                "detail", 2, None, unit_name=unit, project_name=name,
            )
        )  # fmt: skip
        doc.cells.append(
            StatementCell(
                7, ordinal, 10 + ordinal, 1, "合计", "total", wan, Decimal(wan), "万元",
                Decimal(wan) * 10000, False,
            )
        )  # fmt: skip
    for ordinal, (name, unit, annual, implementation) in enumerate(tables, start=1):
        doc.performance_tables.append(
            PerformanceTable(
                ordinal, "project_target", "shanxi_single", "t", 100 * ordinal, 100 * ordinal + 9,
                project_name=name, implementing_unit=unit,
            )
        )  # fmt: skip
        for period, value in (("annual", annual), ("implementation", implementation)):
            yuan = Decimal(value) if value is not None else None
            doc.performance_funding.append(
                PerformanceFunding(
                    ordinal, 100 * ordinal + 3, period, "资金总额", "total", value or "", yuan,
                    "元", yuan, yuan is None,
                )
            )  # fmt: skip
    return doc


def _matches(doc: DocumentExtraction):
    from orchestration.extract.performance_match import match_projects

    return match_projects(doc, "synthetic.txt")


def test_match_exact_fuzzy_and_unmatched():
    doc = _project_doc(
        rows=[
            ("阳泉市第一中学校", "遗属补助", "3.09"),
            (
                "阳泉市第一高级职业中学",
                "第一职中现代职业教育质量提升（第二批）-实训基地（中央）",
                "50.00",
            ),
            ("阳泉市教育服务中心", "复兴2025年学生资补助（普高）（第一批）-免学费（市级）", "0.11"),
        ],
        tables=[
            ("遗属补助", "阳泉市第一中学校", "30900", "30900"),
            # the table writes the full unit name where the budget table abbreviates it
            (
                "阳泉市第一高级职业中学现代职业教育质量提升（第二批）一实训基地（中央）",
                "阳泉市第一高级职业中学",
                "500000",
                "500000",
            ),
            ("特教改善办学条件资金（省级）", "阳泉市特殊教育学校", "0", "600000"),
        ],
    )
    matches = _matches(doc)
    by_perf = {m.perf_ordinal: m for m in matches if m.perf_ordinal}
    assert (by_perf[1].method, by_perf[1].row_ordinal, by_perf[1].confidence) == (
        "exact_name_amount",
        1,
        Decimal("1.00"),
    )
    assert (by_perf[2].method, by_perf[2].row_ordinal) == ("fuzzy_name_amount", 2)
    assert (by_perf[3].method, by_perf[3].row_ordinal, by_perf[3].table_ordinal) == (
        "unmatched",
        None,
        None,
    )
    orphans = [m for m in matches if m.perf_ordinal == 0]
    assert [(m.method, m.row_ordinal, m.table_ordinal) for m in orphans] == [
        ("no_performance_table", 3, 7)
    ]
    # an exact match is certain, a fuzzy one less so, no match has no confidence; all explain
    assert [m.confidence for m in matches][:1] == [Decimal("1.00")]
    assert Decimal(0) < by_perf[2].confidence < Decimal(1)
    assert by_perf[3].confidence == orphans[0].confidence == Decimal(0)
    assert all(m.reason for m in matches)


def test_match_amount_decides_between_similar_names():
    # 001 block 8064 is titled "助学金（省级）" but carries 67,000 = the 市级 row's 6.70万
    doc = _project_doc(
        rows=[
            ("阳泉市教育服务中心", "复兴2025年学生资补助（普高）（第一批）-助学金（省级）", "6.36"),
            ("阳泉市教育服务中心", "复兴2025年学生资补助（普高）（第一批）-助学金（市级）", "6.70"),
        ],
        tables=[
            (
                "复兴2025年学生资助（普高）（第一批）-助学金（省级）",
                "阳泉市教育服务中心",
                "67000",
                "67000",
            ),
            (
                "复兴2025年学生资助（普高）（第一批）-助学金（省级）",
                "阳泉市教育服务中心",
                "63600",
                "63600",
            ),
        ],
    )
    by_perf = {m.perf_ordinal: m for m in _matches(doc) if m.perf_ordinal}
    assert by_perf[1].row_ordinal == 2 and by_perf[1].method == "fuzzy_name_amount"
    assert by_perf[2].row_ordinal == 1


def test_match_rounding_blank_annual_and_name_only():
    doc = _project_doc(
        rows=[
            ("阳泉师范高等专科学校", "教学改革经费", "6.55"),
            ("阳泉市教学研究中心", "基础教育课程改革活动经费", "8.00"),
            ("阳泉市教育局", "高水平教育质量提升资金", "16.00"),
        ],
        tables=[
            # 65,465.66 元 vs 6.55 万元: within half a printed cent of 万元 (001 block 4013)
            ("教学改革经费", "阳泉师范高等专科学校", "65465.66", "65465.66"),
            # 年度 blank: the 实施期 total is compared (001 block 7783 prints 100,000)
            ("基础教育课程改革活动经费", "", None, "80000"),
            # 180,000 vs 16.00万: same name and unit, amounts differ (001 block 1210)
            ("高水平教育质量提升资金", "阳泉市教育局", "180000", "180000"),
        ],
    )
    by_perf = {m.perf_ordinal: m for m in _matches(doc) if m.perf_ordinal}
    assert (by_perf[1].method, by_perf[1].row_ordinal) == ("exact_name_amount", 1)
    assert (by_perf[2].row_ordinal, by_perf[2].method) == (2, "fuzzy_name_amount")
    assert "实施期" in by_perf[2].reason
    assert (by_perf[3].method, by_perf[3].row_ordinal) == ("name_only", 3)
    assert by_perf[3].confidence < by_perf[1].confidence


def test_match_without_project_rows():
    doc = _project_doc(rows=[], tables=[("某项目", "某单位", "100", "100")])
    (match,) = _matches(doc)
    assert (match.method, match.table_ordinal, match.confidence) == (
        "no_project_table",
        None,
        Decimal(0),
    )


# --- whole documents ------------------------------------------------------------------------
def _whole(path: Path) -> DocumentExtraction:
    # The samples are committed in raw/: a missing one is a failure, not a skip.
    assert path.exists(), f"sample document {path.name} missing from raw/"
    return extract_text(path.read_text(encoding="utf-8"), path.name)


@pytest.fixture(scope="module")
def doc_001() -> DocumentExtraction:
    return _whole(SAMPLE_001)


@pytest.fixture(scope="module")
def doc_004() -> DocumentExtraction:
    return _whole(SAMPLE_004)


def test_001_logical_tables_and_annual_sum(doc_001):
    families = Counter(t.family for t in doc_001.performance_tables)
    # 227 title occurrences, 4 page-2 continuations (source-documents §1.4)
    assert families == {"project_target": 223, "department_overall_target": 1}
    projects = [t for t in doc_001.performance_tables if t.family == "project_target"]
    assert sum(len(t.continuation_lines) for t in projects) == 4
    assert sum(1 for t in projects if t.fill_date) == 220  # blank in 1363, 6170, 7962
    total = Decimal(0)
    for table in projects:
        annual = funding(doc_001, table.perf_ordinal)[("annual", "total")]
        total += annual.amount_yuan or Decimal(0)
    assert total == Decimal("158257041.66")
    assert Counter(t.department_code for t in projects) == {
        "051": 159,
        "904": 61,
        "901": 2,
        "D05": 1,
    }
    assert not doc_001.warnings


def test_001_annual_total_equals_sum_of_annual_parts(doc_001):
    parts = ("central", "provincial", "city_county", "self_raised", "other")
    checked = 0
    for table in doc_001.performance_tables:
        if table.family != "project_target":
            continue
        rows = funding(doc_001, table.perf_ordinal)
        annual = rows[("annual", "total")]
        if annual.amount_yuan is None:
            continue  # 4 blank 年度 totals (7783, 7821, 7862, 7895)
        printed = sum(
            (rows[("annual", p)].amount_yuan or Decimal(0)) for p in parts if ("annual", p) in rows
        )
        assert printed == annual.amount_yuan, table.first_line
        checked += 1
    assert checked == 219


def test_001_personal_data_only_on_table_records(doc_001):
    phones = {t.contact_phone for t in doc_001.performance_tables if t.contact_phone}
    names = {t.responsible_person for t in doc_001.performance_tables if t.responsible_person}
    assert phones and names
    texts = [i.target_raw for i in doc_001.performance_indicators]
    texts += [a.value_text for a in doc_001.performance_attributes]
    texts += [w.text + w.message for w in doc_001.warnings]
    for text in texts:
        assert not any(value in text for value in phones | names)


def test_004_triplets(doc_004):
    tables = doc_004.performance_tables
    assert len(tables) == 22
    assert Counter(t.project_category for t in tables) == {"one_off": 11, "recurring": 11}
    # every one of the 22 tables prints its 当年预算 (e.g. 004 line 408: 1539400)
    currents = [amount(doc_004, "annual", "current_year", t.perf_ordinal) for t in tables]
    assert [t.first_line for t, a in zip(tables, currents, strict=True) if a is None] == []
    current = sum(currents)
    project_total = sum(
        amount(doc_004, "implementation", "project_total", t.perf_ordinal) for t in tables
    )
    assert current == Decimal("50499903.60")  # = T3 项目支出 (source-documents §4.2)
    assert project_total == Decimal("53354383.60")
    details = [d for d in doc_004.project_details if not d.is_total]
    assert len(details) == 78
    assert sum(1 for d in doc_004.project_details if d.is_total) == 22
    mismatched = [d for d in details if d.amount_yuan != d.unit_price_yuan * d.quantity]
    # 004 line 1160: 男童合唱团 明细金额 221120 vs 单价 221220.00 × 1
    assert [(d.amount_yuan, d.unit_price_yuan) for d in mismatched] == [
        (Decimal("221120"), Decimal("221220.00"))
    ]
    assert not doc_004.warnings
    matches = doc_004.project_matches
    assert {m.method for m in matches} == {"no_project_table"} and len(matches) == 22


def test_001_matching_against_project_rows():
    """Whole-document matching (source-documents §1.4): 220 matched, 3 tables and 2 rows alone."""
    from orchestration.extract.document import extract_document
    from orchestration.extract.source import read_source

    assert SAMPLE_001.exists(), "sample document 001 missing from raw/"
    doc = extract_document(read_source(SAMPLE_001.read_bytes(), SAMPLE_001.name), SAMPLE_001.name)
    project_tables = {
        t.table_ordinal for t in doc.tables if t.statement_type == "project_expenditure"
    }
    # 001 T12 (本年预算, from line 436) prints 222 project rows: "二级项目222个" (line 782)
    details = [r for r in doc.rows if r.table_ordinal in project_tables and r.row_role == "detail"]
    assert len(details) == 222
    methods = Counter(m.method for m in doc.project_matches)
    assert methods["unmatched"] == 3
    assert methods["no_performance_table"] == 2
    assert sum(methods.values()) - methods["no_performance_table"] == 223
    rows = {(r.table_ordinal, r.row_ordinal): r for r in doc.rows}
    lonely = {
        rows[(m.table_ordinal, m.row_ordinal)].project_name
        for m in doc.project_matches
        if m.perf_ordinal == 0
    }
    assert "消防设施设备购置" in lonely
    tables = {t.perf_ordinal: t for t in doc.performance_tables}
    unmatched = {
        tables[m.perf_ordinal].project_name for m in doc.project_matches if m.method == "unmatched"
    }
    assert unmatched == {
        "特教2025年城乡义教（第二批）-生活补（省级）",
        "特教2025年城乡义教（第二批）-生活补（中央）",
        "特教2025年特教改善办学条件资金（第一批）（省级）",
    }
    matched_rows = [
        (m.table_ordinal, m.row_ordinal)
        for m in doc.project_matches
        if m.perf_ordinal and m.row_ordinal
    ]
    assert len(matched_rows) == len(set(matched_rows)) == 220
    # the mis-titled block (001 line 8064) goes to the 市级 row by its amount
    mistitled = next(t for t in doc.performance_tables if t.first_line == 8064)
    match = next(m for m in doc.project_matches if m.perf_ordinal == mistitled.perf_ordinal)
    assert rows[(match.table_ordinal, match.row_ordinal)].project_name.endswith("助学金（市级）")


# --- regional forms: many projects in one table ---------------------------------------------
# Both fixtures are synthetic layouts filled with real content: the 年度 half of 001 lines
# 902–932 (省级党员教育培训经费, D05, 年度资金总额 400) and of 001 lines 5574–5613 (临时工工资
# （预拨）, 051, 年度资金总额 1,000,000). Line numbers below are the fixtures' own.
def test_indicator_list_reads_one_table_per_project() -> None:
    doc = extract_fixture("indicator_list_ten_columns.txt")
    tables = doc.performance_tables
    assert [(t.template, t.family) for t in tables] == [("indicator_list", "project_target")] * 2
    assert [(t.department_code, t.project_name) for t in tables] == [
        ("D05", "省级党员教育培训经费"),
        ("051", "临时工工资（预拨）"),
    ]
    # project rows: lines 4–9 and 10–16 (the second project repeats its columns on every row)
    assert [(t.first_line, t.last_line) for t in tables] == [(4, 9), (10, 16)]
    assert tables[0].fiscal_year == 2025  # title "2025年项目支出绩效目标表"
    # 资金总额 "400" and "1,000,000", 金额单位：元 (line 2); the repeats are not counted again
    funds = doc.performance_funding
    assert [(f.perf_ordinal, f.period, f.funding_axis, f.amount_yuan) for f in funds] == [
        (1, "annual", "total", Decimal("400")),
        (2, "annual", "total", Decimal("1000000")),
    ]
    assert Counter(i.perf_ordinal for i in doc.performance_indicators) == {1: 6, 2: 7}
    assert not doc.warnings


def test_indicator_list_columns_go_to_their_fields() -> None:
    doc = extract_fixture("indicator_list_ten_columns.txt")
    by_line = {i.source_line: i for i in doc.performance_indicators}
    # line 4: 产出指标 | 数量指标 | 未纳入干部培训 | 32 | 达到指标值得满分，每少1人扣1分 | 人 | 定量
    first = by_line[4]
    assert (first.level1, first.level2, first.level3) == ("产出指标", "数量指标", "未纳入干部培训")
    assert (first.target_raw, first.target_value, first.target_unit) == ("32", Decimal("32"), "人")
    assert first.nature == "定量"
    assert first.remark == "达到指标值得满分，每少1人扣1分"  # 评分标准
    # line 5: blank 一级 carried from line 4; a qualitative target keeps no value
    assert (by_line[5].level1, by_line[5].level2) == ("产出指标", "质量指标")
    assert (by_line[5].target_value, by_line[5].nature) == (None, "定性")
    # line 9: "≥90" with 度量单位 "%"
    assert (by_line[9].comparator, by_line[9].target_value, by_line[9].target_unit) == (
        ">=",
        Decimal("90"),
        "%",
    )
    # line 11: 一级 and 二级 blank on a row that repeats the project columns
    assert (by_line[11].level1, by_line[11].level2, by_line[11].level3) == (
        "产出指标",
        "数量指标",
        "外聘教师人数",
    )
    assert (by_line[11].comparator, by_line[11].target_value) == ("<=", Decimal("17"))
    # line 15: a new 一级 resets the 二级
    assert (by_line[15].level1, by_line[15].level2) == ("效益指标", "社会效益")


def test_free_text_list_parses_numbered_indicators() -> None:
    doc = extract_fixture("free_text_list.txt")
    tables = doc.performance_tables
    assert [(t.template, t.implementing_unit, t.project_name) for t in tables] == [
        ("free_text_list", "阳泉市教育局", "省级党员教育培训经费"),
        ("free_text_list", "阳泉师范高等专科学校", "临时工工资（预拨）"),
    ]
    assert [(f.perf_ordinal, f.funding_axis, f.amount_yuan) for f in doc.performance_funding] == [
        (1, "total", Decimal("400")),  # 预算金额 400, 单位：元 (line 2)
        (2, "total", Decimal("1000000")),
    ]
    first = [i for i in doc.performance_indicators if i.perf_ordinal == 1]
    # line 4 prints four indicators; "人均培训" wraps onto line 5 ("成本；年度指标值：12.5元/人")
    assert [(i.source_line, i.level1, i.level2, i.level3, i.target_raw) for i in first] == [
        (4, "产出指标", "数量指标", "未纳入干部培训", "32人"),
        (4, "产出指标", "质量指标", "党员先锋模范作用", "提升"),
        (4, "产出指标", "时效指标", "任务完成时限", "2025年年底前"),
        (4, "产出指标", "成本指标", "人均培训成本", "12.5元/人"),
        (5, "效益指标", "社会效益", "提升党组织的社", "有效提升"),
        (5, "满意度指标", "服务对象满意度", "党员满意度", "≥90%"),
    ]
    assert (first[3].target_value, first[3].target_unit) == (Decimal("12.5"), "元/人")
    second = [i for i in doc.performance_indicators if i.perf_ordinal == 2]
    assert len(second) == 7  # line 6: seven numbered indicators, the last ending in "。"
    assert (second[0].comparator, second[0].target_value, second[0].target_unit) == (
        "<",
        Decimal("10"),
        "月",
    )
    assert second[-1].target_raw == "≥95%"
    goals = {a.perf_ordinal: a.value_text for a in doc.performance_attributes}
    assert goals[2] == "解决我校工作人员不足问题，保证学校工作正常进行"
    assert not doc.warnings


def test_free_text_list_reports_text_it_cannot_read() -> None:
    text = tsv(
        "项目支出绩效目标表",
        "单位名称 | 项目名称 | 预算金额 | 年度绩效目标 | 绩效指标",
        # 001 line 902's project, one indicator printed without its 二级 number
        "阳泉市教育局 | 省级党员教育培训经费 | 400 | 开展培训 | "
        "1－产出指标，11－数量指标，未纳入干部培训；年度指标值：32人；党员满意度≥90%",
    )
    doc = extract_text(text)
    assert [i.level3 for i in doc.performance_indicators] == ["未纳入干部培训"]
    assert [w.kind for w in doc.warnings] == ["unreadable_indicator"]
    assert "党员满意度≥90%" in doc.warnings[0].message
    assert doc.warnings[0].message.startswith("synthetic.txt:3:")  # the project row


def test_form_is_chosen_by_header_wording_not_title() -> None:
    # The same title opens a one-project sheet (001) and the list forms; the header decides.
    sheet = extract_fixture("shanxi_clean.txt")
    assert [t.template for t in sheet.performance_tables] == ["shanxi_single"]
    listed = extract_fixture("indicator_list_ten_columns.txt")
    assert {t.template for t in listed.performance_tables} == {"indicator_list"}
    free = extract_fixture("free_text_list.txt")
    assert {t.template for t in free.performance_tables} == {"free_text_list"}


# --- the form vocabulary seed ---------------------------------------------------------------
def test_every_form_in_the_vocabulary_has_a_reader() -> None:
    rows = vocabulary._form_rows()
    seed_forms = {row["form"] for row in rows} - {"any", "overall", "list"}
    readers = {spec.form for spec in performance.FORMS} | {"project_triplet"}
    assert seed_forms == readers
    kinds = {code for _pattern, code in vocabulary.form_title_rules()}
    assert {spec.title_kind for spec in performance.FORMS} <= kinds


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("阳泉市市级预算部门（单位）项目支出绩效目标表", "project"),  # 001 line 902
        ("财政项目支出绩效目标申报表（项目总体情况）", "project_triplet:overview"),  # 004
        ("财政项目支出绩效目标申报表（绩效目标） （2020 年）", "project_triplet:targets"),
        ("项目支出绩效目标申报表(制度保障)", "project_triplet:safeguards"),
        ("开江县中小学教学研究室整体支出绩效目标批复表", "overall_approval"),  # 003 line 5
        ("阳泉市教育局整体支出绩效目标申报表", "overall_sheet"),
        ("（项目绩效目标表公开情况见附件）", None),  # 001 line 784: a sentence, no title
    ],
)
def test_titles_resolve_through_the_form_vocabulary(title: str, kind: str | None) -> None:
    assert performance.title_kind(to_lines(title + "\n")[0]) == kind


# --- a dev PDF printing the indicator-list form ---------------------------------------------
BEIJING_TABLES = (
    FIXTURES.parent / "pdf" / "dev" / "beijing-petition-office-2026-department-budget-tables.pdf"
)


def test_beijing_project_targets_are_an_indicator_list() -> None:
    """预算表12 项目支出绩效目标表 (pp. 13–16, 金额单位：万元): one row per indicator, each
    project's code-name, 项目总额 and 财政资金 in tall merged cells wrapped over several lines."""
    from orchestration.extract.document import extract_document
    from orchestration.extract.source import read_source

    doc = extract_document(
        read_source(BEIJING_TABLES.read_bytes(), BEIJING_TABLES.name), BEIJING_TABLES.name
    )
    projects = [t for t in doc.performance_tables if t.family == "project_target"]
    assert {t.template for t in projects} == {"indicator_list"}
    assert [t.project_name for t in projects] == [
        "信息系统运维类项目",  # p. 13, printed "11000021Y000000390 / 843-信息系统运维类 / 项目"
        "办公设备购置类项目",
        "财务业务咨询服务",
        "因公出国（境）经费",
        "接访场所保障费",
        "信访宣传经费",
        "来信业务工作保障",  # p. 16, printed "…400-来信业务工作保 / 障"
        "机动经费",
        "劳务派遣管理服务费",
    ]
    assert projects[0].project_name_raw == "11000021Y000000390843-信息系统运维类项目"
    totals = {
        f.perf_ordinal: (f.amount_printed, f.unit)
        for f in doc.performance_funding
        if f.funding_axis == "total"
    }
    by_name = {t.project_name: t.perf_ordinal for t in projects}
    assert totals[by_name["信息系统运维类项目"]] == (Decimal("689.157460"), "万元")  # p. 13
    assert totals[by_name["机动经费"]] == (Decimal("100.000000"), "万元")  # p. 16
    assert totals[by_name["劳务派遣管理服务费"]] == (Decimal("7.970570"), "万元")  # p. 16
    # p. 13: 产出指标 | 时效指标 | 故障应急响应时间 | ≤ | 5 | 分钟
    response = next(i for i in doc.performance_indicators if i.level3 == "故障应急响应时间")
    assert response.perf_ordinal == by_name["信息系统运维类项目"]
    assert (response.level1, response.level2, response.nature) == ("产出指标", "时效指标", "≤")
    assert (response.comparator, response.target_value, response.target_unit) == (
        "<=",
        Decimal("5"),
        "分钟",
    )


def test_grid_row_label_repeated_on_a_continued_grid_is_no_indicator() -> None:
    """001 line 7404 repeats the row label 绩效指标 before 产出指标 (the grid of 补充单位公用经费,
    line 7378, continues on a new page): it is no 三级指标, and 产出指标 is that row's 一级."""
    from orchestration.extract.document import extract_document
    from orchestration.extract.source import read_source

    doc = extract_document(read_source(SAMPLE_001.read_bytes(), SAMPLE_001.name), SAMPLE_001.name)
    on_line = [i for i in doc.performance_indicators if i.source_line == 7404]
    # 7404: 绩效指标 | 产出指标 | 质量指标 | 保障正常运转率 | 保障 | 质量指标 | 保障正常运转率
    # | 保障
    assert [(i.period, i.level1, i.level2, i.level3, i.target_raw) for i in on_line] == [
        ("implementation", "产出指标", "质量指标", "保障正常运转率", "保障"),
        ("annual", "产出指标", "质量指标", "保障正常运转率", "保障"),
    ]


def _dev_pdf(name: str) -> DocumentExtraction:
    from orchestration.extract.document import extract_document
    from orchestration.extract.source import read_source

    path = FIXTURES.parent / "pdf" / "dev" / name
    return extract_document(read_source(path.read_bytes(), name), name)


def test_xian_special_fund_tables_are_project_sheets_with_weights() -> None:
    """表14-1 … 表14-9 部门专项业务经费绩效目标表 (p. 34 ff.): one project per table, 实施期资金总额
    only, a one-half grid with 分值权重（90分）; each table ends before the next 表14-n heading."""
    doc = _dev_pdf("xian-government-office-2026-department-budget.pdf")
    projects = [t for t in doc.performance_tables if t.family == "project_target"]
    assert len(projects) == 9
    first = projects[0]
    # p. 34: 项目名称 法律顾问服务; 主管部门 西安市人民政府办公厅
    assert (first.project_name, first.department_name) == ("法律顾问服务", "西安市人民政府办公厅")
    funds = {(f.period, f.funding_axis): f for f in doc.performance_funding if f.perf_ordinal == 1}
    # p. 34: 资金金额（万元） 实施期资金总额： 5.00, 其中：财政拨款 5.00, 其他资金 blank
    assert funds[("implementation", "total")].amount_printed == Decimal("5.00")
    assert funds[("implementation", "total")].unit == "万元"
    assert funds[("implementation", "fiscal")].amount_yuan == Decimal("50000.00")
    assert funds[("implementation", "other")].is_blank
    indicators = [i for i in doc.performance_indicators if i.perf_ordinal == 1]
    # p. 34: six rows, 成本指标 经济成本 法律顾问服务成本（万元） ≤5 10 …
    # 满意度指标 服务对象满意度指标 机关人员满意度 ≥90 10
    assert len(indicators) == 6
    assert (indicators[0].level3, indicators[0].target_raw, indicators[0].weight) == (
        "法律顾问服务成本（万元）",
        "≤5",
        Decimal("10"),
    )
    weights = ("10", "9", "20", "11", "30", "10")  # 分值权重 column, p. 34
    assert [i.weight for i in indicators] == [Decimal(w) for w in weights]
    assert {i.period for i in indicators} == {"implementation"}
    goals = [a for a in doc.performance_attributes if a.perf_ordinal == 1]
    assert [(a.attribute, a.value_text[:6]) for a in goals] == [("goal_annual", "通过聘请法律")]


def test_yantai_project_tables_are_annual_project_sheets() -> None:
    """政策和项目预算绩效目标表 (p. 30, printed page 29): 年度预算资金总额 only, 其中：财政拨款,
    a grid whose rows all start with the row label 绩效指标."""
    doc = _dev_pdf("yantai-big-data-bureau-2026-department-budget.pdf")
    projects = [t for t in doc.performance_tables if t.family == "project_target"]
    assert [t.project_name for t in projects] == ["政务基础设施运行维护资金", "实施公车统管费用"]
    # 主管部门及代码 340_烟台市大数据局, 实施单位 烟台市大数据局
    assert (projects[0].department_code, projects[0].implementing_unit) == ("340", "烟台市大数据局")
    funds = {(f.period, f.funding_axis): f for f in doc.performance_funding if f.perf_ordinal == 1}
    assert funds[("annual", "total")].amount_yuan == Decimal("60000000.00")  # 6000.00 万元
    assert funds[("annual", "fiscal")].amount_printed == Decimal("6000.00")
    assert funds[("annual", "other")].amount_printed == Decimal("0.00")
    indicators = [i for i in doc.performance_indicators if i.perf_ordinal == 1]
    assert len(indicators) == 8  # p. 30: eight 三级指标, 部门申报政务云资源费用审减率 … 满意度
    assert (indicators[0].level1, indicators[0].level2, indicators[0].target_raw) == (
        "成本指标",
        "经济成本",
        "≥10%",
    )
    assert {i.period for i in indicators} == {"annual"}
    assert "绩效指标" not in {i.level3 for i in indicators}


def test_beijing_rows_above_a_merged_name_belong_to_its_project() -> None:
    """预算表12 prints each project's code-name, 项目总额, 财政资金 and 绩效目标 in cells merged
    over its indicator rows, the texts vertically centred. On p. 13 the cell of 办公设备购置类项目
    begins under 信息系统运维类项目's last row (满意度指标 | 使用人员满意度 | ≥ | 95 | %) and holds
    five rows printed above the name's line; it runs on to p. 14 (three more rows). On p. 14
    the cell of 接访场所保障费 begins under 因公出国（境）经费's last row
    (改进措施提升业务工作水平) with three 六里桥/副中心 rows; on p. 15 the cell of
    来信业务工作保障 (named on p. 16) begins with 加强信件前端流转管理…, under 信访宣传经费's
    last row (支出进度指标)."""
    doc = _dev_pdf(BEIJING_TABLES.name)
    projects = {t.project_name: t.perf_ordinal for t in doc.performance_tables}

    def level3(name: str) -> list[str | None]:
        return [i.level3 for i in doc.performance_indicators if i.perf_ordinal == projects[name]]

    assert level3("办公设备购置类项目") == [
        "设备利用率",  # p. 13: 效益指标 | 社会效益指标 | 设备利用率 | ≥ | 100 | %
        "国产化率",
        "预计使用年限",
        "支出进度指标",  # p. 13: 产出指标 | 时效指标 | 支出进度指标 | 定性 | 有
        "设备验收合格率",
        "采购数量",  # p. 14: ≥ 18 台/套
        "空调设备采购成本",
        "使用人员满意度",
    ]
    it_rows = level3("信息系统运维类项目")
    assert len(it_rows) == 16  # p. 13: 支出进度指标值 … 使用人员满意度, sixteen rows
    assert it_rows[-1] == "使用人员满意度"
    assert level3("因公出国（境）经费") == [
        "人均成本",  # p. 14: 成本指标 | 经济成本指标 | 人均成本 | ≤ | 2.475 | 万元
        "因公出国（境）次数",
        "因公出国（境）人数",
        "因公出国（境）天数",
        "成果要报数量",
        "改进措施提升业务工作水平",
    ]
    assert level3("接访场所保障费")[:3] == [
        "六里桥接待场所桶装饮用水服务",  # p. 14, 定性 | 优
        "六里桥来访接待场所场地租用",
        "副中心来访接待场所绿植摆放服务",
    ]
    assert level3("信访宣传经费")[-1] == "支出进度指标"  # p. 15
    assert level3("来信业务工作保障")[0].startswith("加强信件前端流转管理")  # p. 15
    equipment = next(t for t in doc.performance_tables if t.project_name == "办公设备购置类项目")
    first = next(i for i in doc.performance_indicators if i.level3 == "设备利用率")
    assert equipment.first_line == first.source_line
    # the funding stays on the row printing it: 29.359500 万元 (p. 13)
    totals = [
        f.amount_printed
        for f in doc.performance_funding
        if f.perf_ordinal == projects["办公设备购置类项目"] and f.funding_axis == "total"
    ]
    assert totals == [Decimal("29.359500")]


def _list_row(
    number: int, cells: tuple[str, ...], tops: tuple[float, ...], bottom: float | None = None
) -> Line:
    """A PDF table row of the list form below: each cell's box is its column and the given top,
    one line high (or down to ``bottom`` for a filled name cell merged over the rows below)."""
    xs = (70.0, 150.0, 220.0, 290.0, 350.0, 410.0, 470.0, 530.0, 590.0, 650.0, 710.0, 770.0)
    boxes = []
    for col, top in enumerate(tops):
        low = bottom if (col == 0 and bottom is not None and cells[0]) else top + 14.0
        boxes.append((xs[col], top, xs[col + 1], low))
    return Line(number, "\t".join(cells), cells, "tsv", page_number=1, cell_boxes=tuple(boxes))


_LIST_TITLE = "预算表12 项目支出绩效目标表"
_LIST_HEADER = (
    "项目名称",
    "项目总额",
    "其中：",
    "",
    "绩效目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标性质",
    "本年绩效指标值",
    "绩效度量单位",
)


def _indicator(level3: str, target: str) -> tuple[str, ...]:
    return ("", "", "", "", "", "产出指标", "数量指标", level3, "≥", target, "个")


def _list_block(rows: list[Line]) -> list[Line]:
    title = Line(1, _LIST_TITLE, (_LIST_TITLE,), "text", page_number=1)
    header = Line(2, "\t".join(_LIST_HEADER), _LIST_HEADER, "tsv", page_number=1)
    sub = ("", "", "财政资金", "其他资金", "", "", "", "", "", "", "")
    return [title, header, Line(3, "\t".join(sub), sub, "tsv", page_number=1), *rows]


def test_list_rows_below_a_merged_name_cell_go_to_the_next_project() -> None:
    """Project A's name cell is merged over rows from y 100 to 128 (two rows); the row at y 128
    lies under it, above B's name line at y 142 (B's cell has no lower edge on the page): that
    row is B's."""
    from orchestration.extract.performance_forms import parse_indicator_list

    tops = tuple([100.0] * 11)
    first_a = ("项目A", "10.00", "10.00", "", "目标A", "产出指标", "数量指标", "a1", "≥", "1", "个")
    rows = [
        _list_row(4, first_a, tops, bottom=128.0),
        _list_row(5, _indicator("a2", "2"), tuple([114.0] * 11)),
        _list_row(6, _indicator("b1", "3"), tuple([128.0] * 11)),
        _list_row(7, ("项目B", "5.00", "5.00", ""), tuple([142.0] * 4)),
        _list_row(8, _indicator("b2", "4"), tuple([143.0] * 11)),
    ]
    block = _list_block(rows)
    tables = parse_indicator_list(block, block[0], "list.pdf")
    assert [t.table.project_name for t in tables] == ["项目A", "项目B"]
    assert [i.level3 for i in tables[0].indicators] == ["a1", "a2"]
    assert [i.level3 for i in tables[1].indicators] == ["b1", "b2"]
    assert (tables[0].table.first_line, tables[0].table.last_line) == (4, 5)
    assert (tables[1].table.first_line, tables[1].table.last_line) == (6, 8)


def test_list_rows_below_a_merged_name_cell_stay_when_no_project_follows() -> None:
    """A row under the last project's merged cell with no project after it in the table is
    still read, as the last project's (nothing to move it to)."""
    from orchestration.extract.performance_forms import parse_indicator_list

    first_a = ("项目A", "10.00", "10.00", "", "目标A", "产出指标", "数量指标", "a1", "≥", "1", "个")
    rows = [
        _list_row(4, first_a, tuple([100.0] * 11), bottom=128.0),
        _list_row(5, _indicator("a2", "2"), tuple([114.0] * 11)),
        _list_row(6, _indicator("a3", "3"), tuple([128.0] * 11)),
    ]
    block = _list_block(rows)
    tables = parse_indicator_list(block, block[0], "list.pdf")
    assert [i.level3 for i in tables[0].indicators] == ["a1", "a2", "a3"]
    assert tables[0].table.last_line == 6


def test_list_rows_of_a_text_dump_follow_their_order() -> None:
    """Without boxes (a text dump) a row belongs to the project read before it, as printed."""
    from orchestration.extract.performance_forms import parse_indicator_list

    first_a = ("项目A", "10.00", "10.00", "", "目标A", "产出指标", "数量指标", "a1", "≥", "1", "个")
    lines = [first_a, _indicator("a2", "2"), ("项目B", "5.00", "5.00", "")]
    rows = [Line(n, "\t".join(c), c, "tsv") for n, c in enumerate(lines, start=4)]
    block = _list_block(rows)
    tables = parse_indicator_list(block, block[0], "list.txt")
    assert [i.level3 for i in tables[0].indicators] == ["a1", "a2"]
    assert tables[1].indicators == []


def test_beijing_merged_name_cell_box_reaches_down_to_its_last_row() -> None:
    """p. 13: the ruled cell holding 信息系统运维类项目's code-name is merged down its sixteen
    rows: its box, carried on its first line, ends under the 使用人员满意度 row (its last) and at
    the top of the 设备利用率 row (the next project's first)."""
    from orchestration.extract.source import read_source

    lines = read_source(BEIJING_TABLES.read_bytes(), BEIJING_TABLES.name).lines
    first = next(line for line in lines if line.cells[0].endswith("信息系统运维类项目"))
    last = next(line for line in lines if line.page_number == 13 and "使用人员满意度" in line.cells)
    after = next(line for line in lines if "设备利用率" in line.cells)
    assert first.cell_boxes is not None and last.cell_boxes and after.cell_boxes
    name_bottom = first.cell_boxes[0][3]
    level1 = first.cells.index("产出指标")
    assert first.cell_boxes[level1][3] < last.cell_boxes[level1][1]  # one row high
    assert last.cell_boxes[level1][3] <= name_bottom + 1
    assert abs(name_bottom - after.cell_boxes[level1][1]) <= 1
    # text lines and text dumps carry no boxes
    assert next(line for line in lines if line.layout == "text").cell_boxes is None
    assert to_lines("a\tb\n")[0].cell_boxes is None


def test_list_rows_below_a_merged_name_cell_stay_when_the_name_is_repeated() -> None:
    """A row under project A's merged cell followed by a row repeating A's name and amount (A
    goes on): the row is A's, and so are the rows after the repeated name, up to project B."""
    from orchestration.extract.performance_forms import parse_indicator_list

    first_a = ("项目A", "10.00", "10.00", "", "目标A", "产出指标", "数量指标", "a1", "≥", "1", "个")
    rows = [
        _list_row(4, first_a, tuple([100.0] * 11), bottom=128.0),
        _list_row(5, _indicator("a2", "2"), tuple([114.0] * 11)),
        _list_row(6, _indicator("a3", "3"), tuple([128.0] * 11)),
        _list_row(7, ("项目A", "10.00", "10.00", ""), tuple([142.0] * 4)),
        _list_row(8, _indicator("a4", "4"), tuple([156.0] * 11)),
        _list_row(9, ("项目B", "5.00", "5.00", ""), tuple([170.0] * 4)),
    ]
    block = _list_block(rows)
    tables = parse_indicator_list(block, block[0], "list.pdf")
    assert [t.table.project_name for t in tables] == ["项目A", "项目B"]
    assert [i.level3 for i in tables[0].indicators] == ["a1", "a2", "a3", "a4"]
    assert (tables[0].table.first_line, tables[0].table.last_line) == (4, 8)
    assert tables[1].indicators == []
