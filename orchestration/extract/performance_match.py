"""Match project performance tables to the project rows of the project budget table.

One :class:`~orchestration.extract.records.ProjectMatch` is emitted per performance table of family
"project_target", and one per project row that no table claims:

* a matched table: ``table_ordinal``/``row_ordinal`` of its row, ``method`` one of
  ``exact_name_amount``, ``fuzzy_name_amount``, ``name_only``, ``unit_amount``;
* a table without a row: ``method = "unmatched"`` (rows exist) or ``"no_project_table"`` (the
  document has no project budget rows, e.g. 004), row fields None;
* a project row without a table: ``perf_ordinal = 0`` (no table has ordinal 0), the row's
  ``table_ordinal``/``row_ordinal``, ``method = "no_performance_table"``, confidence 0.

Evidence per (table, row) pair: name similarity (normalised keys; a leading implementing-unit
name is also tried without it, since 001 writes "<city>第一高级职业中学…" where the budget table
writes "第一职中…"), unit similarity (实施单位 is OCR-noisy) and amount agreement: the table's
年度 total, else the sum of its 年度 parts (年度 total blank, 001 block 7783), else its 实施期
total (年度 printed 0), each within half a unit of the row's printed precision (0.005 万元 = 50
元). Pairs are assigned best score first and each row at most once, so the amount decides between
two similar names (001 block 8064 is titled "助学金（省级）" but carries the 市级 row's 6.70万).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from orchestration.extract.records import (
    DocumentExtraction,
    PerformanceFunding,
    ProjectMatch,
    StatementCell,
    StatementRow,
    StatementTable,
)
from orchestration.extract.text import UNIT_FACTORS, name_key

# --- constants ------------------------------------------------------------------------------
PROJECT_STATEMENT_TYPES = ("project_expenditure",)
# Score weights: name similarity dominates; unit similarity separates same-named projects of
# different units ("遗属补助"); an agreeing amount is strong evidence.
NAME_WEIGHT = Decimal("0.55")
UNIT_WEIGHT = Decimal("0.15")
AMOUNT_BONUS: dict[str, Decimal] = {
    "annual": Decimal("0.30"),
    "annual_parts": Decimal("0.27"),
    "implementation": Decimal("0.22"),
}
# Acceptance thresholds per method.
EXACT_NAME = 0.99
FUZZY_NAME_MIN = 0.55
NAME_ONLY_MIN = 0.85
UNIT_AMOUNT_NAME_MIN = 0.30
UNIT_MIN = 0.55
# A blank 实施单位 (001 block 7783) is neither evidence for nor against a unit.
UNKNOWN_UNIT_SIMILARITY = 0.6
# Separators printed between a batch and the item: "-", "—" or an OCR "一" ("（第一批）一助学金").
_SEPARATOR_FOLDS = (("）一", "）"), (")一", ")"))
ANNUAL_PART_AXES = ("central", "provincial", "city_county", "self_raised", "other")


@dataclass(frozen=True)
class _ProjectRow:
    table_ordinal: int
    row_ordinal: int
    unit_name: str
    name: str
    amount_yuan: Decimal | None
    tolerance: Decimal


@dataclass(frozen=True)
class _PerfSide:
    perf_ordinal: int
    name: str
    unit_name: str
    amounts: tuple[tuple[str, Decimal], ...]  # (kind, yuan) in order of preference


@dataclass(frozen=True)
class _Candidate:
    score: Decimal
    method: str
    perf: _PerfSide
    row: _ProjectRow
    name_similarity: float
    unit_similarity: float
    amount_kind: str | None


def match_projects(doc: DocumentExtraction, file_name: str) -> list[ProjectMatch]:
    """ProjectMatch records for the project performance tables and project rows of ``doc``."""
    perfs = _perf_sides(doc)
    rows = project_rows(doc.tables, doc.rows, doc.cells)
    if not rows:
        return [
            ProjectMatch(
                perf.perf_ordinal,
                None,
                None,
                "no_project_table",
                Decimal(0),
                f"{file_name}: no project budget rows in the document to match against",
            )
            for perf in perfs
        ]
    candidates = sorted(
        (c for perf in perfs for row in rows if (c := _candidate(perf, row)) is not None),
        key=lambda c: (c.score, c.name_similarity, -c.row.row_ordinal, -c.perf.perf_ordinal),
        reverse=True,
    )
    matched_perf: dict[int, _Candidate] = {}
    matched_rows: set[tuple[int, int]] = set()
    for candidate in candidates:
        row_key = (candidate.row.table_ordinal, candidate.row.row_ordinal)
        if candidate.perf.perf_ordinal in matched_perf or row_key in matched_rows:
            continue
        matched_perf[candidate.perf.perf_ordinal] = candidate
        matched_rows.add(row_key)
    matches = []
    for perf in perfs:
        candidate = matched_perf.get(perf.perf_ordinal)
        if candidate is None:
            matches.append(
                ProjectMatch(
                    perf.perf_ordinal, None, None, "unmatched", Decimal(0), _unmatched_reason(perf)
                )
            )
        else:
            matches.append(
                ProjectMatch(
                    perf.perf_ordinal,
                    candidate.row.table_ordinal,
                    candidate.row.row_ordinal,
                    candidate.method,
                    min(candidate.score, Decimal(1)).quantize(Decimal("0.01")),
                    _reason(candidate),
                )
            )
    for row in rows:
        if (row.table_ordinal, row.row_ordinal) not in matched_rows:
            matches.append(
                ProjectMatch(
                    0,
                    row.table_ordinal,
                    row.row_ordinal,
                    "no_performance_table",
                    Decimal(0),
                    f"no performance table matches project {row.name!r} of {row.unit_name!r} "
                    f"({row.amount_yuan} 元)",
                )
            )
    return matches


def project_rows(
    tables: list[StatementTable], rows: list[StatementRow], cells: list[StatementCell]
) -> list[_ProjectRow]:
    """Project (detail) rows of the project budget tables with their total amounts in yuan."""
    table_ordinals = {
        t.table_ordinal for t in tables if t.statement_type in PROJECT_STATEMENT_TYPES
    }
    totals: dict[tuple[int, int], StatementCell] = {}
    for cell in cells:
        if cell.table_ordinal in table_ordinals and cell.measure == "total":
            totals.setdefault((cell.table_ordinal, cell.row_ordinal), cell)
    result = []
    for row in rows:
        if row.table_ordinal not in table_ordinals or row.row_role != "detail":
            continue
        cell = totals.get((row.table_ordinal, row.row_ordinal))
        factor = UNIT_FACTORS.get(cell.unit, Decimal(1)) if cell is not None else Decimal(1)
        result.append(
            _ProjectRow(
                table_ordinal=row.table_ordinal,
                row_ordinal=row.row_ordinal,
                unit_name=row.unit_name or "",
                name=row.project_name or row.name,
                amount_yuan=cell.amount_yuan if cell is not None else None,
                # half a unit of the last printed decimal (2 decimals)
                tolerance=Decimal("0.005") * factor,
            )
        )
    return result


def _perf_sides(doc: DocumentExtraction) -> list[_PerfSide]:
    by_table: dict[int, list[PerformanceFunding]] = {}
    for funding in doc.performance_funding:
        by_table.setdefault(funding.perf_ordinal, []).append(funding)
    sides = []
    for table in doc.performance_tables:
        if table.family != "project_target":
            continue
        sides.append(
            _PerfSide(
                perf_ordinal=table.perf_ordinal,
                name=table.project_name or "",
                unit_name=table.implementing_unit or "",
                amounts=_amounts(by_table.get(table.perf_ordinal, [])),
            )
        )
    return sides


def _amounts(funding: list[PerformanceFunding]) -> tuple[tuple[str, Decimal], ...]:
    """Amounts to compare, most telling first: 年度 total, Σ 年度 parts, 实施期 total."""

    def find(period: str | None, axes: tuple[str, ...]) -> Decimal | None:
        for record in funding:
            if record.period == period and record.funding_axis in axes:
                return record.amount_yuan
        return None

    amounts: list[tuple[str, Decimal]] = []
    annual = find("annual", ("total", "current_year"))
    if annual:
        amounts.append(("annual", annual))
    parts = [
        f.amount_yuan
        for f in funding
        if f.period == "annual" and f.funding_axis in ANNUAL_PART_AXES and f.amount_yuan
    ]
    if not annual and parts:
        amounts.append(("annual_parts", sum(parts, Decimal(0))))
    implementation = find("implementation", ("total", "project_total"))
    if implementation and (not annual or implementation != annual):
        amounts.append(("implementation", implementation))
    return tuple(amounts)


@lru_cache(maxsize=4096)
def _fold(name: str) -> str:
    for old, new in _SEPARATOR_FOLDS:
        name = name.replace(old, new)
    return name_key(name)


@lru_cache(maxsize=65536)
def similarity(left: str, right: str, floor: float = 0.0) -> float:
    """Similarity of two names' keys in [0, 1].

    Below ``floor`` the cheap upper bound is returned instead of the exact ratio: callers only
    compare the value with thresholds at or above the floor (223 × 222 pairs in 001).
    """
    return _key_similarity(_fold(left), _fold(right), floor)


def _key_similarity(a: str, b: str, floor: float) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    bound = matcher.quick_ratio()
    return bound if bound < floor else matcher.ratio()


def name_similarity(perf_name: str, perf_unit: str, row_name: str, floor: float = 0.0) -> float:
    """Name similarity, also trying the table's name without a leading unit name."""
    best = similarity(perf_name, row_name, floor)
    unit_key = _fold(perf_unit)
    name_fold = _fold(perf_name)
    if unit_key and name_fold.startswith(unit_key) and len(name_fold) > len(unit_key):
        trimmed = _key_similarity(name_fold[len(unit_key) :], _fold(row_name), floor)
        best = max(best, trimmed)
    return best


def _amount_kind(perf: _PerfSide, row: _ProjectRow) -> str | None:
    if row.amount_yuan is None:
        return None
    for kind, amount in perf.amounts:
        if abs(amount - row.amount_yuan) <= row.tolerance:
            return kind
    return None


def _candidate(perf: _PerfSide, row: _ProjectRow) -> _Candidate | None:
    unit_sim = (
        similarity(perf.unit_name, row.unit_name)
        if perf.unit_name and row.unit_name
        else UNKNOWN_UNIT_SIMILARITY
    )
    amount_kind = _amount_kind(perf, row)
    if amount_kind is None and unit_sim < UNIT_MIN:
        return None  # cheap cut: no amount and another unit cannot be accepted below
    floor = min(FUZZY_NAME_MIN, UNIT_AMOUNT_NAME_MIN) if amount_kind else NAME_ONLY_MIN
    name_sim = name_similarity(perf.name, perf.unit_name, row.name, floor)
    method = None
    if amount_kind == "annual" and name_sim >= EXACT_NAME and unit_sim >= UNIT_MIN:
        method = "exact_name_amount"
    elif amount_kind is not None and name_sim >= FUZZY_NAME_MIN:
        method = "fuzzy_name_amount"
    elif amount_kind is None and name_sim >= NAME_ONLY_MIN and unit_sim >= UNIT_MIN:
        method = "name_only"
    elif amount_kind == "annual" and unit_sim >= UNIT_MIN and name_sim >= UNIT_AMOUNT_NAME_MIN:
        method = "unit_amount"
    if method is None:
        return None
    score = (
        NAME_WEIGHT * Decimal(str(round(name_sim, 4)))
        + UNIT_WEIGHT * Decimal(str(round(unit_sim, 4)))
        + (AMOUNT_BONUS[amount_kind] if amount_kind else Decimal(0))
    )
    return _Candidate(score, method, perf, row, name_sim, unit_sim, amount_kind)


def _reason(candidate: _Candidate) -> str:
    amount = {
        "annual": "年度资金总额 equals the project amount",
        "annual_parts": "年度资金总额 blank; the sum of its 年度 parts equals the project amount",
        "implementation": "年度资金总额 differs (0 or blank); 实施期资金总额 equals the amount",
        None: "amounts differ",
    }[candidate.amount_kind]
    return (
        f"name similarity {candidate.name_similarity:.2f} with {candidate.row.name!r}, "
        f"unit similarity {candidate.unit_similarity:.2f} with {candidate.row.unit_name!r}; "
        f"{amount} ({candidate.row.amount_yuan} 元)"
    )


def _unmatched_reason(perf: _PerfSide) -> str:
    amounts = ", ".join(f"{kind} {amount}" for kind, amount in perf.amounts) or "no amount"
    return (
        f"no free project row with a similar name, unit and amount for {perf.name!r} "
        f"of {perf.unit_name!r} ({amounts})"
    )
