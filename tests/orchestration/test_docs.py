"""`make docs`: the dbt documentation site, built offline from the warehouse snapshot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orchestration import docs

# A reference to the network from the page itself (a script, style sheet, image or frame).
_REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I
)


@pytest.mark.slow
def test_docs_build_writes_a_self_contained_site(built_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    index = docs.build_docs(built_warehouse, out)
    assert index == out / "index.html"
    assert sorted(p.name for p in out.iterdir()) == ["catalog.json", "index.html", "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    catalog = json.loads((out / "catalog.json").read_text("utf-8"))
    node = manifest["nodes"]["model.budget_warehouse.fct_budget_revenue"]
    # The column description of dbt_project/models/marts/budget/_budget__models.yml.
    assert node["columns"]["amount_yuan"]["description"].startswith("金额（元）— amount in yuan")
    # The catalog read the built table: the money column's type is the exact decimal.
    columns = catalog["nodes"]["model.budget_warehouse.fct_budget_revenue"]["columns"]
    assert columns["amount_yuan"]["type"].upper() == "DECIMAL(18,2)"
    html = index.read_text("utf-8")
    # The single page inlines the manifest and catalog (it opens from file://) ...
    escaped = json.dumps("金额（元）— amount in yuan")[1:-1]  # inlined as JSON: \\u91d1...
    assert "fct_budget_revenue" in html and escaped in html
    # ... and loads nothing from the network.
    assert _REMOTE.findall(html) == []


def test_remote_reference_pattern_catches_a_cdn_script() -> None:
    assert _REMOTE.findall('<script src="https://cdn.example.org/a.js"></script>')
    assert _REMOTE.findall("<link rel=stylesheet href=//fonts.example.org/css>")
    assert not _REMOTE.findall('<img src="data:image/png;base64,AAAA">')
