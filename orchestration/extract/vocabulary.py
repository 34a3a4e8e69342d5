"""Wording vocabularies of the readers, as data: seeds in ``dbt_project/seeds/`` that dbt loads too.

A new template's wording is a row in one of these files, not a branch in the code:

* ``statement_title_vocabulary.csv`` — a table title → its statement type (or a boundary kind:
  performance and other tables end the statement before them), first matching row wins;
* ``statement_measure_vocabulary.csv`` — a column header → its measure, on the deepest header label
  (``applies_to = leaf``) or, for a generic leaf such as 合计, on a qualifying ancestor label
  (``applies_to = ancestor``), first matching row wins;
* ``statement_total_labels.csv`` — header labels that mean "the row's total" (合计, 预算数 …);
* ``performance_form_vocabulary.csv`` — the labels of the performance-target forms (绩效目标表):
  title patterns → form, and per form the wording of its fields, fund axes, sections, header
  words and indicator levels (see :func:`form_labels`).

Patterns are Python regular expressions searched in the label's matching key (normalised, spaces,
brackets and punctuation dropped). The files are read once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if "rule_order" in (rows[0] if rows else {}):
        rows.sort(key=lambda row: int(row["rule_order"]))
    return rows


@cache
def title_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(statement type, title pattern), most specific first."""
    return tuple(
        (row["statement_type"], re.compile(row["pattern"]))
        for row in _rows("statement_title_vocabulary.csv")
    )


@cache
def measure_rules(applies_to: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(header pattern, measure) for leaf labels or qualifying ancestor labels, in order."""
    return tuple(
        (re.compile(row["pattern"]), row["measure"])
        for row in _rows("statement_measure_vocabulary.csv")
        if row["applies_to"] == applies_to
    )


@cache
def total_labels() -> frozenset[str]:
    """Header labels that name a row's total column; an empty deepest label (a column printed
    only under its spanning header) is one too."""
    return frozenset({""} | {row["label"] for row in _rows("statement_total_labels.csv")})


@dataclass(frozen=True)
class FormLabel:
    """One row of the performance form vocabulary: a printed label and what it stands for."""

    label: str
    code: str
    period: str | None


@cache
def _form_rows() -> tuple[dict[str, str], ...]:
    return tuple(_rows("performance_form_vocabulary.csv"))


@cache
def form_labels(form: str, role: str) -> tuple[FormLabel, ...]:
    """Labels of one role of a performance form (or form group: ``any``, ``overall``), in order.

    How a label is matched (prefix, key word, exact cell) is stated per role in the seed's
    description in ``dbt_project/seeds/_seeds.yml``.
    """
    return tuple(
        FormLabel(row["label"], row["code"], row["period"] or None)
        for row in _form_rows()
        if row["form"] == form and row["role"] == role
    )


@cache
def form_words(form: str, role: str) -> tuple[str, ...]:
    """Only the printed labels of one role of a performance form, in order."""
    return tuple(item.label for item in form_labels(form, role))


@cache
def form_title_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(title pattern, form or form:part) of the performance tables, first match wins."""
    return tuple((re.compile(item.label), item.code) for item in _title_labels())


def _title_labels() -> tuple[FormLabel, ...]:
    return tuple(
        FormLabel(row["label"], row["code"], None) for row in _form_rows() if row["role"] == "title"
    )
