"""The synthetic template-family variants built into a warehouse: facts, metadata, completeness.

The raw set is ``tests/fixtures/variants/`` (see ``test_template_variants.py`` for how each
fixture derives from the samples). Each document prints only some of the nine statements, so its
收支总表 feeds the revenue and expenditure facts (the fallback of ``int_statement_cells_routed``);
the facts of each document must add up to the 收入总计 / 支出总计 it prints, line cited.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.slow
D = Decimal


@pytest.fixture(scope="module")
def db(variants_build):
    assert variants_build.result.returncode == 0, variants_build.result.stderr[-2000:]
    con = duckdb.connect(str(variants_build.database), read_only=True)
    yield con
    con.close()


def _by_file(db, sql: str) -> dict:
    return {row[0]: row[1:] for row in db.sql(sql).fetchall()}


def test_every_variant_loads(db) -> None:
    status = _by_file(db, "select file_name, extraction_status from marts.dim_document")
    assert len(status) == 9
    assert {value for (value,) in status.values()} == {"loaded"}


@pytest.mark.parametrize(
    ("file_name", "issuer", "year", "scope", "level", "province", "city", "county"),
    [
        (
            "a_county_summary_wan_4dp.txt",
            "平定县教育局",
            2026,
            "部门预算",
            "county",
            "山西省",
            "阳泉市",
            "平定县",
        ),
        (
            "b_city_summary_yuan_2dp.txt",
            "无锡市统计局",
            2026,
            "部门预算",
            "city",
            "江苏省",
            "无锡市",
            None,
        ),
        (
            "c_province_unit_summary_yuan_3dp.txt",
            "浙江省统计局",
            2026,
            "单位预算",
            "province",
            "浙江省",
            None,
            None,
        ),
        (
            "d_district_comprehensive_summary.txt",
            "成都市武侯区卫生健康局",
            2026,
            "部门预算",
            "county",
            "四川省",
            "成都市",
            "武侯区",
        ),
        (
            "e_central_label_line_summary.txt",
            "国家统计局",
            2026,
            "部门预算",
            "central",
            None,
            None,
            None,
        ),
        (
            "h_2018_scheme_class_names.txt",
            "平定县教育局",
            2018,
            "部门预算",
            "county",
            "山西省",
            "阳泉市",
            "平定县",
        ),
    ],
)
def test_metadata_level_and_region(
    db, file_name, issuer, year, scope, level, province, city, county
) -> None:
    row = db.execute(
        """
        select issuing_body_name, fiscal_year, document_kind, scope, government_level,
            province_name, city_name, county_name
        from marts.dim_document where file_name = ?
        """,
        [file_name],
    ).fetchone()
    assert row == (issuer, year, "预算", scope, level, province, city, county)


# 收入总计 / 支出总计 as printed (line of the fixture), in yuan, and the revenue by fund source.
REVENUE = {
    # a line 16 收入总计 56728.8200 万元: lines 9, 12, 15
    "a_county_summary_wan_4dp.txt": {
        "general_public_budget": D("461245150.00"),
        "special_account": D("81721450.00"),
        "prior_year_carryover": D("24321600.00"),
    },
    # b line 16 收入总计 567288200.00 元: lines 9 (财政拨款收入), 10, 15
    "b_city_summary_yuan_2dp.txt": {
        "fiscal_appropriation": D("461245200.00"),
        "special_account": D("81721400.00"),
        "prior_year_carryover": D("24321600.00"),
    },
    # c line 14 收入总计 542966500.125 元: lines 9 (预算拨款), 10 (财政专户拨款)
    "c_province_unit_summary_yuan_3dp.txt": {
        "fiscal_appropriation": D("461245100.12"),
        "special_account": D("81721400.00"),
    },
    # d line 12 收入总计 54296.65 万元: lines 9 (本级财政拨款收入), 10
    "d_district_comprehensive_summary.txt": {
        "fiscal_appropriation": D("461245100.00"),
        "special_account": D("81721400.00"),
    },
    # e line 17 收入总计 56728.82 万元: lines 10, 12, 16
    "e_central_label_line_summary.txt": {
        "general_public_budget": D("461245200.00"),
        "special_account": D("81721400.00"),
        "prior_year_carryover": D("24321600.00"),
    },
    # f line 10 收入总计 54296.65 万元
    "f_empty_tables_in_words.txt": {"general_public_budget": D("542966500.00")},
    # h line 16 收入总计 56728.82 万元
    "h_2018_scheme_class_names.txt": {
        "general_public_budget": D("461245200.00"),
        "special_account": D("81721400.00"),
        "prior_year_carryover": D("24321600.00"),
    },
}
EXPENDITURE_TOTAL = {
    "a_county_summary_wan_4dp.txt": D("567288200.00"),  # line 16 支出总计 56728.8200 万元
    "b_city_summary_yuan_2dp.txt": D("567288200.00"),  # line 16 支出总计 567288200.00 元
    "c_province_unit_summary_yuan_3dp.txt": D("542966500.12"),  # line 14 542966500.125 元
    "d_district_comprehensive_summary.txt": D("542966500.00"),  # line 12 54296.65 万元
    "e_central_label_line_summary.txt": D("567288200.00"),  # line 17 56728.82 万元
    "f_empty_tables_in_words.txt": D("542966500.00"),  # line 10 54296.65 万元
    "h_2018_scheme_class_names.txt": D("567288200.00"),  # line 16 56728.82 万元
}


@pytest.mark.parametrize("file_name", sorted(REVENUE))
def test_summary_income_side_reaches_revenue_facts_by_fund_source(db, file_name: str) -> None:
    got = dict(
        db.execute(
            """
            select fund_source_code, sum(amount_yuan)
            from marts.fct_budget_revenue join marts.dim_document using (document_id)
            where file_name = ? group by all
            """,
            [file_name],
        ).fetchall()
    )
    assert got == REVENUE[file_name]


@pytest.mark.parametrize("file_name", sorted(EXPENDITURE_TOTAL))
def test_summary_expenditure_side_adds_up_to_its_printed_total(db, file_name: str) -> None:
    (total,) = db.execute(
        """
        select sum(amount_yuan)
        from marts.fct_budget_expenditure join marts.dim_document using (document_id)
        where file_name = ?
        """,
        [file_name],
    ).fetchone()
    assert total == EXPENDITURE_TOTAL[file_name]


def test_compiled_and_carryover_columns_are_the_periods(db) -> None:
    # b line 10: 教育支出 本年预算 455188600.00 = 编制预算 430867000.00 + 上年结转 24321600.00
    got = dict(
        db.execute(
            """
            select budget_period, amount_yuan
            from marts.fct_budget_expenditure join marts.dim_document using (document_id)
            where file_name = 'b_city_summary_yuan_2dp.txt' and function_code = '205'
            """
        ).fetchall()
    )
    assert got == {"current_year": D("430867000.00"), "carryover": D("24321600.00")}


def test_former_class_names_resolve_to_their_codes(db) -> None:
    got = dict(
        db.execute(
            """
            select printed_name, function_code
            from marts.fct_budget_expenditure join marts.dim_document using (document_id)
            where file_name = 'h_2018_scheme_class_names.txt'
            """
        ).fetchall()
    )
    assert got == {
        "文化体育与传媒支出": "207",  # line 9
        "教育支出": "205",
        "医疗卫生与计划生育支出": "210",  # line 11
        "资源勘探信息等支出": "215",  # line 12
        "国土海洋气象等支出": "220",  # line 13
    }


@pytest.mark.parametrize(
    "file_name", ["g_economic_code_pairs_columns.txt", "g_economic_code_pairs_one_cell.txt"]
)
def test_economic_code_pairs_reach_the_fact_with_both_codes(db, file_name: str) -> None:
    got = sorted(
        db.execute(
            """
            select economic_code, government_economic_code, government_economic_code_source,
                cost_type, amount_yuan
            from marts.fct_basic_expenditure_economic join marts.dim_document using (document_id)
            where file_name = ?
            """,
            [file_name],
        ).fetchall()
    )
    # lines 9, 10, 12, 13 of the fixture
    assert got == [
        ("30101", "50101", "printed", "basic_personnel", D("9030903.40")),
        ("30102", "50101", "printed", "basic_personnel", D("894556.00")),
        ("30201", "50201", "printed", "basic_public", D("305000.00")),
        ("30202", "50201", "printed", "basic_public", D("244000.00")),
    ]


def test_empty_tables_count_as_found_and_give_no_facts(db) -> None:
    found = _by_file(
        db,
        """
        select instance, status from marts.reconciliation_results
        where file_name = 'f_empty_tables_in_words.txt'
            and rule_id = 'completeness.required_table_found'
        """,
    )
    # 政府性基金预算支出表 (line 12, 本表无数据) and "三公"经费表 (line 27, 是 不涉及) are printed
    assert found["政府性基金预算支出表"] == ("exact",)
    assert found['"三公"经费表'] == ("exact",)
    assert found["收入总表"] == ("fail",)  # not printed: the check can fail
    empty = db.sql(
        """
        select statement_type from raw.statement_tables
        where file_name = 'f_empty_tables_in_words.txt' and is_empty order by 1
        """
    ).fetchall()
    assert [t for (t,) in empty] == [
        "agency_operating_expenses",
        "government_fund_expenditure",
        "state_capital",
        "three_public_expenses",
    ]
    for fact in ("fct_appropriation_expenditure", "fct_three_public_expenses"):
        (count,) = db.sql(
            f"""
            select count(*) from marts.{fact} join marts.dim_document using (document_id)
            where file_name = 'f_empty_tables_in_words.txt'
            """
        ).fetchone()
        assert count == 0, fact


def test_every_within_table_identity_holds(db) -> None:
    failing = db.sql(
        """
        select file_name, rule_id, instance, difference_yuan from marts.reconciliation_results
        where rule_id like 'within.%' and status not in ('exact', 'rounding')
        """
    ).fetchall()
    assert failing == []
    (checked,) = db.sql(
        "select count(distinct file_name) from marts.reconciliation_results "
        "where rule_id = 'within.income_total_equals_expenditure_total'"
    ).fetchone()
    assert checked == 7  # every 收支总表 of a–f and h


@pytest.mark.parametrize(
    ("file_name", "instance", "tolerance"),
    [
        # 万元 to 0.0001 (a): half a unit is 0.5 元; 支出总计 line 16 = 本年支出合计 + 年终结转
        # (blank): two printed figures
        ("a_county_summary_wan_4dp.txt", "T1 L16 支出总计 [total]", D("1.000")),
        # 万元 to 0.01 (d): 50 元 a figure
        ("d_district_comprehensive_summary.txt", "T1 L12 支出总计 [total]", D("100.000")),
        # 元 to 0.01 (b): 0.005 元 a figure
        ("b_city_summary_yuan_2dp.txt", "T1 L16 支出总计 [total]", D("0.010")),
        # 元 to 0.001 (c): amounts are held to the fen, so never under 0.005 元 a figure
        ("c_province_unit_summary_yuan_3dp.txt", "T1 L14 支出总计 [total]", D("0.030")),
    ],
)
def test_tolerance_follows_printed_precision(db, file_name, instance, tolerance) -> None:
    (got,) = db.execute(
        """
        select tolerance_yuan from marts.reconciliation_results
        where file_name = ? and rule_id = 'within.parent_equals_children' and instance = ?
        """,
        [file_name, instance],
    ).fetchone()
    assert got == tolerance
