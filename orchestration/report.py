"""The reconciliation report: what `make run` prints, and a Markdown file an auditor can hand on.

Both read ``marts.reconciliation_results`` and the review marts (dbt). For each document: whether
it needs review (``marts.document_review_status.needs_review``, the one definition) with its
reasons (``marts.document_review_reasons``), the checks by status, then
each discrepancy with the two figures, the difference, and where in the document each figure is
printed (table, page of a PDF or line of a text dump, row and column, and the printed text).
Integrity failures (we probably misread the document), source discrepancies (the document
contradicts itself) and informational comparisons are listed apart; acknowledged discrepancies
carry their reason.

No Dagster here: the command-line runner calls it after the summary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

REPORT_NAME = "reconciliation_report.md"
STATUSES: tuple[str, ...] = ("exact", "rounding", "fail", "insufficient_data")
# Failure kinds, in report order: (severity, heading).
KINDS: tuple[tuple[str, str], ...] = (
    ("error", "Integrity failures (a printed total disagrees with the rows beneath it)"),
    ("finding", "Source discrepancies (the document contradicts itself)"),
    ("info", "Informational comparisons (not strict identities)"),
)

_REVIEW_SQL = """
    select
        status.document_id,
        status.needs_review,
        reasons.reason_code,
        reasons.detail,
        reasons.source_line
    from marts.document_review_status as status
    left join marts.document_review_reasons as reasons
        on status.document_id = reasons.document_id and reasons.severity = 'error'
    order by status.document_id, reasons.reason_code, reasons.source_line, reasons.instance
"""
_COUNTS_SQL = """
    select documents.document_id, documents.file_name, results.status, count(results.status)
    from raw.documents as documents
    left join marts.reconciliation_results as results
        on documents.document_id = results.document_id
    group by all
    order by documents.file_name
"""


@dataclass(frozen=True)
class Finding:
    """One failed or undecidable check, as reported."""

    document_id: str
    file_name: str
    rule_id: str
    instance: str
    description: str
    value_unit: str
    severity: str
    status: str
    expected_yuan: Decimal | None
    actual_yuan: Decimal | None
    difference_yuan: Decimal | None
    tolerance_yuan: Decimal | None
    is_acknowledged: bool
    acknowledgement_reason: str | None
    expected_source: str
    actual_source: str
    expected_lines: list[int]
    actual_lines: list[int]
    expected_pages: list[int] | None = None  # PDF pages of the lines; None for a text dump
    actual_pages: list[int] | None = None
    family: str = ""  # the rule's family (within, cross, project, narrative, completeness, …)

    @property
    def needs_person(self) -> bool:
        """An unacknowledged integrity failure or source discrepancy."""
        return not self.is_acknowledged and self.severity in {"error", "finding"}


# The columns of marts.reconciliation_results a Finding holds, in its field order.
FINDING_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Finding))
_RESULTS_SQL = f"""
    select {", ".join(FINDING_COLUMNS)}
    from marts.reconciliation_results
    where status in ('fail', 'insufficient_data')
    order by file_name, severity, rule_id, instance
"""


@dataclass(frozen=True)
class Reason:
    """Why a document needs review (a row of marts.document_review_reasons)."""

    reason_code: str
    detail: str
    source_line: int | None


@dataclass(frozen=True)
class DocumentSummary:
    """The checks of one document by status, its failures and undecidable checks, and its
    review verdict as the warehouse defines it (marts.document_review_status)."""

    document_id: str
    file_name: str
    counts: dict[str, int]
    findings: list[Finding]
    needs_review: bool = False
    reasons: list[Reason] = field(default_factory=list)


def load(conn: duckdb.DuckDBPyConnection) -> list[DocumentSummary]:
    """Per-document summaries from the warehouse (empty when there are no results yet)."""
    try:
        counts_rows = conn.execute(_COUNTS_SQL).fetchall()
        findings = [Finding(*row) for row in conn.execute(_RESULTS_SQL).fetchall()]
        review_rows = conn.execute(_REVIEW_SQL).fetchall()
    except duckdb.CatalogException:
        return []
    verdicts: dict[str, bool] = {}
    reasons: dict[str, list[Reason]] = {}
    for document_id, needs_review, code, detail, line in review_rows:
        verdicts[document_id] = bool(needs_review)
        if code is not None:
            reasons.setdefault(document_id, []).append(Reason(code, detail, line))
    by_document: dict[str, list[Finding]] = {}
    for finding in findings:  # in the query's order
        by_document.setdefault(finding.document_id, []).append(finding)
    documents: dict[str, DocumentSummary] = {}
    for document_id, file_name, status, count in counts_rows:
        summary = documents.setdefault(
            document_id,
            DocumentSummary(
                document_id,
                file_name,
                {s: 0 for s in STATUSES},
                by_document.get(document_id, []),
                verdicts.get(document_id, False),
                reasons.get(document_id, []),
            ),
        )
        if status is not None:
            summary.counts[status] = count
    return list(documents.values())


def yuan(value: Decimal | None, unit: str = "元") -> str:
    """A yuan amount with thousands separators, and in 万元 when it is large; or a count / %."""
    if value is None:
        return "–"
    if unit != "元":
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
        return number + ("%" if unit == "%" else "")
    text = f"{value:,.2f} 元"
    if abs(value) >= 10000:
        wan = f"{value / 10000:,.4f}".rstrip("0").rstrip(".")
        text += f" ({wan} 万元)"
    return text


def lines_text(lines: Iterable[int] | None, limit: int = 12) -> str:
    """Line numbers, shortened."""
    items = list(lines or [])
    if not items:
        return "–"
    shown = ", ".join(str(n) for n in items[:limit])
    return shown + (f" … ({len(items)} lines)" if len(items) > limit else "")


def where_text(lines: Iterable[int] | None, pages: Iterable[int] | None) -> str:
    """Where a figure is printed: "p. 7" / "pp. 7, 8" for a PDF, "line 152" / "lines 1, 2" for a
    text dump (the page is what an auditor turns to; layout_lines maps a line to its page)."""
    page_list = list(pages or [])
    if page_list:
        return ("p. " if len(page_list) == 1 else "pp. ") + lines_text(page_list).replace(
            " lines)", " pages)"
        )
    line_list = list(lines or [])
    if not line_list:
        return "line –"
    return ("line " if len(line_list) == 1 else "lines ") + lines_text(line_list)


def summary_lines(summaries: list[DocumentSummary]) -> list[str]:
    """The per-document reconciliation summary printed by `make run`."""
    out: list[str] = []
    for doc in summaries:
        counts = "  ".join(f"{s} {doc.counts.get(s, 0)}" for s in STATUSES)
        flag = "  NEEDS REVIEW" if doc.needs_review else ""
        out.append(f"  {doc.file_name} ({doc.document_id}){flag}")
        out.append(f"    {counts}")
        for reason in doc.reasons:
            where = f" (line {reason.source_line})" if reason.source_line else ""
            out.append(f"    REVIEW {reason.reason_code}{where}: {_clip(reason.detail)}")
        for f in doc.findings:
            if f.status != "fail":
                continue
            ack = " [acknowledged]" if f.is_acknowledged else ""
            label = f" {f.instance}" if f.instance else ""
            out.append(f"    FAIL {f.severity:<7} {f.rule_id}{label}{ack}")
            out.append(
                f"         expected {yuan(f.expected_yuan, f.value_unit)}  "
                f"actual {yuan(f.actual_yuan, f.value_unit)}  "
                f"difference {yuan(f.difference_yuan, f.value_unit)}"
            )
            out.append(f"         printed: {_clip(f.expected_source)}")
            out.append(f"         against: {_clip(f.actual_source)}")
            if not f.is_acknowledged and f.severity in {"error", "finding"}:
                out.append(f"         what you can do: {what_to_do(f)}")
        undecided = sum(1 for f in doc.findings if f.status == "insufficient_data")
        if undecided:
            out.append(f"    insufficient_data: {undecided} checks (see the report)")
    return out


def review_lines(summaries: list[DocumentSummary]) -> list[str]:
    """The documents that need review, each with its reasons (what `make run` prints last)."""
    out: list[str] = []
    for doc in summaries:
        if not doc.needs_review:
            continue
        out.append(f"  {doc.file_name} ({doc.document_id})")
        for reason in doc.reasons:
            where = f"line {reason.source_line}: " if reason.source_line else ""
            out.append(f"    {reason.reason_code:<22} {where}{_clip(reason.detail)}")
    return out


ACKNOWLEDGEMENTS_SEED = "dbt_project/seeds/acknowledged_discrepancies.csv"


def acknowledgement_row(document_id: str, file_name: str, rule_id: str, instance: str) -> str:
    """The line to add to the acknowledgement seed (CSV-quoted), with a <reason> to fill in."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(
        [document_id, file_name, rule_id, instance, "<reason>"]
    )
    return buffer.getvalue()


def what_to_do(f: Finding) -> str:
    """What a reader can do about an unacknowledged failure, in one sentence."""
    row = acknowledgement_row(f.document_id, f.file_name, f.rule_id, f.instance)
    if f.severity == "error":
        return (
            f"look at the line(s) above in {f.file_name}: if the rows were misread, report a bug "
            "with these lines; if the file is damaged, fix or replace it and run again; if the "
            f"document really prints this, acknowledge it: add {row} to {ACKNOWLEDGEMENTS_SEED}"
        )
    return (
        f"the document contradicts itself: if {f.file_name} prints this (see the lines above), "
        f"acknowledge it: add {row} to {ACKNOWLEDGEMENTS_SEED}; if a figure was misread, "
        "report a bug"
    )


def _clip(text: str, width: int = 220) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render(summaries: list[DocumentSummary], generated_at: datetime | None = None) -> str:
    """The Markdown report."""
    when = (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M")
    md = [
        "# Reconciliation report",
        "",
        f"Generated {when} from `marts.reconciliation_results`. Every identity the documents "
        "imply (a total and its parts, one statement and another, the project list and the "
        "project tables, the narrative and the tables) is checked; a figure printed to 0.01 "
        "of its unit may differ by 0.005 of that unit per figure involved (*rounding*).",
        "",
        "| document | exact | rounding | fail | insufficient data | needs review |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for doc in summaries:
        c = doc.counts
        md.append(
            f"| {doc.file_name} | {c.get('exact', 0)} | {c.get('rounding', 0)} | "
            f"{c.get('fail', 0)} | {c.get('insufficient_data', 0)} | "
            f"{'yes' if doc.needs_review else 'no'} |"
        )
    for doc in summaries:
        md += ["", f"## {doc.file_name}", "", f"Document id `{doc.document_id}`.", ""]
        if doc.needs_review:
            md += ["**Needs review:**", ""]
            for reason in doc.reasons:
                where = f" (line {reason.source_line})" if reason.source_line else ""
                md.append(f"- `{reason.reason_code}`{where}: {reason.detail}")
            md.append("")
        failures = [f for f in doc.findings if f.status == "fail"]
        if not failures:
            md.append("No discrepancy.")
        for severity, heading in KINDS:
            group = [f for f in failures if f.severity == severity]
            if not group:
                continue
            md += [f"### {heading}", ""]
            for number, f in enumerate(group, start=1):
                md += _finding_markdown(number, f)
        undecided = [f for f in doc.findings if f.status == "insufficient_data"]
        if undecided:
            md += [
                "### Checks that could not be made (an input is missing or unreadable)",
                "",
                "| rule | instance | printed | against |",
                "|---|---|---|---|",
            ]
            for f in undecided:
                md.append(
                    f"| {f.rule_id} | {f.instance or '–'} | {_cell(f.expected_source)} | "
                    f"{_cell(f.actual_source)} |"
                )
    return "\n".join(md) + "\n"


def _cell(text: str) -> str:
    return _clip(text, 300).replace("|", "/")


def _finding_markdown(number: int, f: Finding) -> list[str]:
    title = f"{number}. **{f.description}**" + (f" — {f.instance}" if f.instance else "")
    out = [
        title,
        f"   - printed: {yuan(f.expected_yuan, f.value_unit)} — {f.expected_source} "
        f"({where_text(f.expected_lines, f.expected_pages)})",
        f"   - against: {yuan(f.actual_yuan, f.value_unit)} — {_clip(f.actual_source, 600)} "
        f"({where_text(f.actual_lines, f.actual_pages)})",
        f"   - difference: {yuan(f.difference_yuan, f.value_unit)} "
        f"(rounding allowance {yuan(f.tolerance_yuan, f.value_unit)})",
        f"   - rule: `{f.rule_id}`",
    ]
    if f.is_acknowledged:
        out.append(f"   - acknowledged: {f.acknowledgement_reason}")
    out.append("")
    return out


def write_report(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    summaries: list[DocumentSummary] | None = None,
) -> Path | None:
    """Write the Markdown report; None when the warehouse has no reconciliation results.

    ``summaries``: what ``load(conn)`` returned, when the caller has it already (make run prints
    them first: loading them again took 0.4-1 s at 1,000 documents)."""
    summaries = load(conn) if summaries is None else summaries
    if not summaries:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(summaries), encoding="utf-8")
    return path


def corpus_quality_lines(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """How much of the corpus was read cleanly (``marts.corpus_quality``), for make run."""
    try:
        row = conn.execute(
            "select documents, documents_loaded, documents_failed, documents_clean, "
            "documents_clean_pct, integrity_checks, integrity_checks_passing, "
            "integrity_checks_passing_pct, source_discrepancies from marts.corpus_quality"
        ).fetchone()
    except duckdb.CatalogException:
        return []
    if row is None:
        return []
    docs, loaded, failed, clean, clean_pct, checks, passing, passing_pct, findings = row
    return [
        f"  documents {docs}: loaded {loaded}, failed {failed}; "
        f"read cleanly (no unacknowledged integrity failure) {clean} of {loaded}"
        + (f" ({clean_pct}%)" if clean_pct is not None else ""),
        f"  integrity checks passing {passing} of {checks}"
        + (f" ({passing_pct}%)" if passing_pct is not None else "")
        + f"; source discrepancies found {findings}",
    ]
