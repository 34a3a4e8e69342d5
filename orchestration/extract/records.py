"""Typed records produced by the extractors: the contract between parsing and the warehouse.

Every record carries the source line (1-based, in the document as stored in ``raw/``) it was read
from, so that every fact in the warehouse can be traced back to the printed text. The loader
(``orchestration.warehouse``) writes each record type to one table in the ``raw`` schema; the
column names are the dataclass field names, and ``orchestration/warehouse.py`` holds the DDL.

Money: ``*_printed`` fields hold the figure exactly as printed (in the table's printed unit),
``*_yuan`` fields the exact value in yuan. Both are ``Decimal``; a blank cell is ``None`` (never 0),
a printed "-" is ``None`` with ``is_dash=True`` on the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# --- statement vocabulary -------------------------------------------------------------------
# statement_type values (one per statement family; see dbt sources YAML for the meaning of each).
# A 决算 (final accounts) table has the type of the budget table it mirrors; its stage (年初预算 /
# 调整预算 / 决算) comes from its title and column header, in the warehouse.
STATEMENT_TYPES: tuple[str, ...] = (
    "income_expenditure_summary",  # 收支总表 / 财务收支预算总表 / 收入支出决算总表
    "revenue_summary",  # 收入总表 / 收入决算表
    "expenditure_summary",  # 支出总表 / 支出决算表
    "appropriation_summary",  # 财政拨款收支总表 / 财政拨款收入支出决算总表
    "gpb_expenditure_function",  # 一般公共预算支出表 (功能分类) / 一般公共预算财政拨款支出决算表
    "gpb_basic_expenditure_economic",  # 一般公共预算基本支出经济分类表 / …基本支出决算表
    "appropriation_expenditure_function",  # 财政拨款支出表（功能科目）
    "appropriation_basic_expenditure_economic",  # 财政拨款基本支出表（经济科目）
    "government_fund_revenue",  # 政府性基金预算收入表
    "government_fund_expenditure",  # 政府性基金预算支出表 / …财政拨款收入支出决算表
    "state_capital",  # 国有资本经营预算收支表 / …财政拨款支出决算表
    "three_public_expenses",  # "三公"经费表 / "三公"经费支出决算表
    "agency_operating_expenses",  # 机关运行经费表 / 机关运行经费支出决算表
    "project_expenditure",  # 项目支出预算表（本年预算）
    "project_expenditure_carryover",  # 项目支出预算表（上年结转）
    "gpb_expenditure_economic",  # 一般公共预算支出表（按经济分类）: basic + project
    "gpb_project_expenditure_economic",  # 一般公共预算项目支出情况表（按经济分类科目）
    "gpb_basic_expenditure_function",  # 一般公共预算基本支出明细表（按支出功能分类科目）
    "basic_expenditure",  # 基本支出预算情况表 / 部门预算基本支出预算表: every fund source
)

# measure values of statement cells: semantic column codes, with the header wording they come from.
# Parsers map a header path to one of these; the dbt staging layer and the facts rely on them.
MEASURES: dict[str, str] = {
    "total": "合计 / 小计 / 金额 / 预算数 / 2025年 / 2025年合计 (the row's total column)",
    "current_year": "当年预算安排 / 本年收入 (excluding carry-over)",
    "carryover": "上年结转 / 上年结转安排 / 上年财政拨款结转",
    "basic": "基本支出 (when printed as one column)",
    "personnel": "人员经费 (基本支出 / 人员经费)",
    "public": "公用经费 (基本支出 / 公用经费)",
    "project": "项目支出",
    "fiscal_appropriation": "财政拨款 / 财政拨款收入 / 本年财政拨款 (as one column)",
    "general_public_budget": "一般公共预算 / 一般公共预算资金",
    "government_fund_budget": "政府性基金 / 政府性基金预算",
    "state_capital_budget": "国有资本经营预算",
    "social_insurance_fund": "社会保险基金预算",
    "special_account": "财政专户管理资金 / 专户资金",
    "unit_funds": "单位资金",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入 / 经营收入 (决算)",
    "superior_subsidy": "上级补助收入",
    "affiliated_remittance": "附属单位上缴收入",
    "other_income": "其他收入",
    "outbound_travel": "因公出国（境）费 (三公 columns)",
    "official_reception": "公务接待费",
    "official_vehicles": "公务用车购置及运行费 / 小计",
    "vehicle_purchase": "公务用车购置费 / 购置费",
    "vehicle_operation": "公务用车运行维护费 / 运行费",
    "agency_operating": "机关运行经费",
    "meeting": "会议费 (三公经费及会议费、培训费 tables)",
    "training": "培训费 (三公经费及会议费、培训费 tables)",
    "three_public_with_meetings": "合计 of a 三公 table that also counts its 会议费 and 培训费",
    "unit_reserve": "单位预留机动经费 (an expenditure column beside 基本支出 / 项目支出)",
    # 决算 (final accounts) columns
    "opening_balance": "年初结转和结余 / 年初财政拨款结转和结余",
    "closing_balance": "年末结转和结余 / 年末财政拨款结转和结余",
    "balance_distribution": "结余分配",
    "non_appropriation_balance_used": "使用非财政拨款结余",
    "remittance_to_superior": "上缴上级支出",
    "subsidy_to_affiliates": "对附属单位补助支出",
    "operating_expenditure": "经营支出",
    # memo columns of a 支出总表: the part of the row bought through government procurement
    "government_procurement": "政府采购项目 / 小计",
    "procurement_reserved_sme": "其中：政府采购项目中预留给中小企业的项目资金规模",
    "procurement_reserved_small_micro": "其中：政府采购项目中预留给小型、微型企业的项目资金规模",
}

# row_role values
ROW_ROLES: tuple[str, ...] = ("total", "subtotal", "detail")


@dataclass(frozen=True)
class ExtractionWarning:
    """A table was recognised but something in it could not be read; never dropped silently."""

    source_line: int | None
    kind: str  # short machine-readable kind, e.g. "unreadable_row", "unknown_column"
    message: str
    text: str  # the raw line (or cell) text


@dataclass
class StatementTable:
    """One printed statement table (an empty table printed as "本表无数据" is still a table)."""

    table_ordinal: int  # 1-based ordinal of this table among the statement tables of the document
    statement_type: str  # one of STATEMENT_TYPES
    title: str  # title as printed (markup stripped)
    title_line: int
    label: str | None  # printed label such as "预算公开表1" / "部门公开表9", if any
    department_name: str | None  # "部门名称：" / "单位名称：" value if printed
    unit: str  # printed unit of the amounts: "元" or "万元"
    unit_line: int | None
    first_line: int  # first line of the table (title line)
    last_line: int  # last line that belongs to the table
    layout: str  # "tsv" | "markdown" | "html"
    header_lines: list[int] = field(default_factory=list)
    is_empty: bool = False
    empty_note: str | None = None  # e.g. "注：本表无数据" / "2020年本单位无政府性基金预算"


@dataclass
class StatementRow:
    """One logical row of a statement table.

    Two-sided summary tables (收支总表) print an income row and an expenditure row on one physical
    line: they become two rows with the same ``source_line`` and a different ``side``.
    """

    table_ordinal: int
    row_ordinal: int  # 1-based within the table, in reading order
    source_line: int
    # "income" | "expenditure" | None (one-sided tables); a further classification group of a
    # side: "expenditure_economic" / "expenditure_government_economic" (收支总表 by 功能,
    # 部门经济 and 政府经济分类 at once; the 功能分类 group is "expenditure")
    side: str | None
    label_raw: str  # the name cell exactly as printed (after markup stripping)
    name: str  # normalised name: ordinal prefix removed, line-wrap spaces removed, brackets folded
    ordinal_prefix: str | None  # "五、" / "1、" / "（一）" / "①" as printed
    code_raw: str | None  # code cell(s) as printed, split columns joined by "|": "205|08|01"
    function_code: str | None  # 功能分类 normalised to 3/5/7 digits, None when not printed
    economic_code: str | None  # 经济分类 code when printed (3/5 digits, 部门 system)
    economic_name_department: str | None  # 部门经济分类 name (T6-style tables print names only)
    economic_name_government: str | None  # 政府经济分类 name (second name column), if printed
    row_role: str  # "total" (合计/总计 rows), "subtotal" (a printed sum of rows below), "detail"
    level: int  # nesting depth: 0 for total rows, 1 for 类 / top-level items, 2, 3 ...
    parent_row_ordinal: int | None  # the row this row is summed into (None for top level)
    unit_name: str | None = None  # project tables: the budget unit the row belongs to
    project_name: str | None = None  # project tables: the project name (project rows only)


@dataclass
class StatementCell:
    """One amount cell of a statement row, with the header path and the raw text."""

    table_ordinal: int
    row_ordinal: int
    source_line: int
    column_ordinal: int  # 1-based ordinal of the amount column within the table (per side)
    column_path: str  # header path as printed, levels joined by " / ": "基本支出 / 人员经费"
    measure: (
        str  # semantic column code, e.g. "total", "basic", "personnel", "gpb" (see sources YAML)
    )
    raw_text: str  # the cell text exactly as printed ("" for a blank cell)
    amount_printed: Decimal | None  # value in the printed unit; None when blank or "-"
    unit: str  # "元" | "万元"
    amount_yuan: Decimal | None  # exact yuan value (amount_printed × 10000 for 万元)
    is_blank: bool  # cell was empty
    is_dash: bool = False  # cell printed "-" (or "—"): distinct from blank and from 0
    cell_index: int | None = None  # 0-based index of the cell in its line's cells (layout_cells)


# --- projects, performance targets, narrative -------------------------------------------------
@dataclass
class PerformanceTable:
    """One logical performance-target table (page-2 continuations merged into it)."""

    perf_ordinal: int  # 1-based within the document
    family: str  # "project_target" | "department_overall_target" | "overall_target_approval"
    template: str  # "shanxi_single" | "shanghai_triplet" | "shanxi_overall" | "sichuan_markdown"
    # | "indicator_list" | "free_text_list" (the form read: performance_forms)
    title: str
    first_line: int
    last_line: int
    continuation_lines: list[int] = field(default_factory=list)  # title lines of merged parts
    project_name: str | None = None  # normalised
    project_name_raw: str | None = None
    department_code: str | None = None  # 主管部门代码 such as "051"
    department_name: str | None = None  # 主管部门 / 部门名称
    implementing_unit: str | None = None  # 实施单位 as printed (normalised whitespace)
    project_attribute: str | None = None  # 一次性 / 经常性 / 延续性 ... as printed
    project_category: str | None = None  # normalised: "one_off" | "recurring" | "continuing" | ...
    project_period: str | None = None  # 项目期 as printed
    start_date: str | None = None
    end_date: str | None = None
    fill_date: str | None = None  # 填报日期 as printed
    fiscal_year: int | None = None
    # personal data: raw layer only, never exposed in marts
    responsible_person: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None


@dataclass
class PerformanceFunding:
    """One funding figure of a performance table, parsed as label -> value."""

    perf_ordinal: int
    source_line: int
    period: str | None  # "implementation" (实施期) | "annual" (年度) | None when not split
    funding_label: str  # label as printed (normalised whitespace)
    funding_axis: (
        str  # "total" | "central" | "provincial" | "city_county" | "self_raised" | "other"
    )
    # | "superior" | "same_level" | "subordinate" | "fiscal" | "project_total" | "current_year"
    # | fund-source codes for overall tables ("general_public_budget", ...) | "basic" | "project"
    raw_text: str
    amount_printed: Decimal | None
    unit: str
    amount_yuan: Decimal | None
    is_blank: bool


@dataclass
class PerformanceIndicator:
    """One performance indicator (绩效指标) row."""

    perf_ordinal: int
    indicator_ordinal: int
    source_line: int
    period: str | None  # "implementation" | "annual" | None
    level1: str | None  # 一级指标
    level2: str | None  # 二级指标
    level3: str | None  # 三级指标
    target_raw: str  # 指标值 / 目标值 as printed
    comparator: str | None  # ">=", "<=", "=", ">", "<" or None (qualitative)
    target_value: Decimal | None
    target_unit: str | None
    nature: str | None = None  # 绩效指标性质 (定性 / 定量 / ≥ ...), where printed
    weight: Decimal | None = None
    remark: str | None = None


@dataclass
class ProjectDetail:
    """One 项目构成分解 detail row (明细金额, 单价, 数量)."""

    perf_ordinal: int
    detail_ordinal: int
    source_line: int
    item_name: str | None
    item_content: str | None
    item_detail: str | None
    amount_yuan: Decimal | None
    unit_price_yuan: Decimal | None
    unit_price_basis: str | None
    quantity: Decimal | None
    quantity_basis: str | None
    remark: str | None
    is_total: bool  # the 金额合计 row
    raw_text: str


@dataclass
class PerformanceAttribute:
    """A non-money figure or text item of a performance table (headcounts, tasks, goals)."""

    perf_ordinal: int
    source_line: int
    attribute: str  # e.g. "internal_divisions", "budget_units", "staff_quota", "annual_task"
    label: str  # as printed
    value_text: str
    value_number: Decimal | None
    value_unit: str | None


@dataclass
class ProjectMatch:
    """Link between a performance table and a project row of the project budget table."""

    perf_ordinal: int
    table_ordinal: int | None  # statement table of the project row (None when unmatched)
    row_ordinal: int | None
    method: str  # "exact_name_amount" | "fuzzy_name_amount" | ... | "unmatched"
    confidence: Decimal  # 0..1
    reason: str


@dataclass
class NarrativeFigure:
    """A figure stated in the narrative (情况说明) text."""

    figure_ordinal: int
    source_line: int
    section: str | None  # heading of the narrative section
    metric: str  # what the figure is, e.g. "收入总计", "比上年增加", "增长率"
    value: Decimal
    unit: str  # "万元" | "元" | "%" | "个" | "人" | ...
    amount_yuan: Decimal | None  # for money units
    sentence: str


@dataclass
class NarrativeListItem:
    """A name enumerated before a stated count: "由A、B、…、Z等19个二级预算单位" (001 line 79)."""

    figure_ordinal: int  # the count figure the names are counted by
    source_line: int
    item_ordinal: int  # 1-based position in the enumeration
    name: str  # as printed, wrap spaces removed


@dataclass(frozen=True)
class ContentsEntry:
    """A statement table the document's 目录 (table of contents) says it publishes."""

    entry_ordinal: int  # 1-based among the statement-table entries of the 目录
    source_line: int
    entry_text: str  # the entry as printed, page number and dotted leaders removed
    title: str  # the table title: ordinal and label ("表一", "1.") removed
    statement_type: str  # one of STATEMENT_TYPES (classified like a table title)
    page_printed: str | None  # the page number printed beside the entry, if any


@dataclass
class ExecutionStatement:
    """A 决算 narrative passage stating a budget against its outturn (see ``extract/finals.py``).

    "年初预算为5717.32万元，支出决算为5757.63万元，完成年初预算的100.71%。决算数大于预算数…":
    every figure and word as printed; a part the passage does not state is None.
    """

    statement_ordinal: int
    source_line: int
    section: str | None  # heading of the narrative section
    subject: str  # the subject as printed: "一般公共服务（类）信访事务（款）行政运行（项）"
    class_name: str | None  # 类 name when the subject prints "（类）"
    item_name: str | None  # 款 name when printed "（款）"
    subitem_name: str | None  # 项 name when printed "（项）"
    sentence: str  # the whole line
    budget_basis: str | None = None  # "年初预算" | "调整预算" | "调整后预算" | "全年预算" | "预算"
    budget_value: Decimal | None = None  # as printed, in budget_unit
    budget_unit: str | None = None
    budget_yuan: Decimal | None = None
    final_value: Decimal | None = None  # the outturn (决算) as printed, in final_unit
    final_unit: str | None = None
    final_yuan: Decimal | None = None
    rate_basis: str | None = None  # the budget the rate is stated against ("完成年初预算的")
    rate_value: Decimal | None = None  # the completion rate as printed, in percent
    direction_word: str | None = None  # "大于" | "小于" | "持平" … as printed
    direction: str | None = None  # what the word claims: "greater" | "less" | "equal"
    direction_text: str | None = None  # the clause holding the word: "决算数大于预算数"


@dataclass
class DisclosureMark:
    """A mark a reader checks a disclosure's hygiene by: a placeholder, an as-of date, a year
    printed in a heading or title. Whether it is a finding is decided in the warehouse."""

    mark_ordinal: int
    source_line: int
    kind: str  # "placeholder" | "as_of_date" | "heading_year"
    text: str  # the mark as printed: "XX局", "截至2023年12月31日", "2024年"
    year: int | None
    month: int | None
    day: int | None
    line_text: str  # the whole line


@dataclass(frozen=True)
class LayoutLine:
    """Where one line of the document sits: its page and box (PDF), or just its number (text).

    ``source_line`` is the ``Line.number`` every other record cites. Coordinates are points on the
    upright page (a page printed with /Rotate 90 is turned first), origin at the top left.
    """

    source_line: int
    page_number: int | None  # 1-based; None for text dumps
    page_width: Decimal | None
    page_height: Decimal | None
    x0: Decimal | None
    top: Decimal | None
    x1: Decimal | None
    bottom: Decimal | None
    text: str  # the line as rendered (table cells joined by a tab)


@dataclass(frozen=True)
class LayoutCell:
    """One cell of a PDF table row: its index in ``Line.cells``, its page and box."""

    source_line: int
    cell_index: int  # 0-based index in Line.cells
    page_number: int
    x0: Decimal
    top: Decimal
    x1: Decimal
    bottom: Decimal
    text: str


@dataclass
class DocumentMeta:
    """Document-level facts inferred from the text."""

    title: str | None = None
    issuing_body: str | None = None
    fiscal_year: int | None = None
    document_kind: str | None = None  # "预算" | "决算" | "绩效目标批复"
    scope: str | None = None  # "部门预算" | "单位预算" | ...
    units_printed: list[str] = field(default_factory=list)


@dataclass
class DocumentExtraction:
    """Everything extracted from one document."""

    meta: DocumentMeta = field(default_factory=DocumentMeta)
    tables: list[StatementTable] = field(default_factory=list)
    rows: list[StatementRow] = field(default_factory=list)
    cells: list[StatementCell] = field(default_factory=list)
    performance_tables: list[PerformanceTable] = field(default_factory=list)
    performance_funding: list[PerformanceFunding] = field(default_factory=list)
    performance_indicators: list[PerformanceIndicator] = field(default_factory=list)
    project_details: list[ProjectDetail] = field(default_factory=list)
    performance_attributes: list[PerformanceAttribute] = field(default_factory=list)
    project_matches: list[ProjectMatch] = field(default_factory=list)
    narrative_figures: list[NarrativeFigure] = field(default_factory=list)
    narrative_list_items: list[NarrativeListItem] = field(default_factory=list)
    contents_entries: list[ContentsEntry] = field(default_factory=list)
    execution_statements: list[ExecutionStatement] = field(default_factory=list)
    disclosure_marks: list[DisclosureMark] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    layout_lines: list[LayoutLine] = field(default_factory=list)
    layout_cells: list[LayoutCell] = field(default_factory=list)
