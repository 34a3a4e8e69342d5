"""The HTML report in a real browser: headless Chromium decodes every finding's crop and shows
every finding's figures.

Chromium comes from the Debian archive (`tests/setup_browser.sh`, run by `make test` and here when
it is missing). Where no browser can be installed the test skips and says why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from orchestration import html_report
from tests.report import sample_warehouse as sample

SETUP = Path(__file__).resolve().parent.parent / "setup_browser.sh"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
]
# Run in the page after load: for every finding, how many images the browser decoded (natural
# width > 0) and whether its figures are in the rendered text; written into the DOM for --dump-dom.
PROBE = """
<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('div.finding').forEach(function (f) {
    var imgs = f.querySelectorAll('img.crop');
    var decoded = 0;
    imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) decoded++; });
    var figs = [];
    f.querySelectorAll('td[data-role]').forEach(function (td) { figs.push(td.innerText); });
    out.push([f.dataset.rule, f.dataset.instance, imgs.length, decoded, figs.join('|'),
              f.innerText.length].join('\\t'));
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = out.join('\\n');
  document.body.appendChild(pre);
});
</script>
"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = _chromium()
    if binary is None:
        result = subprocess.run(["sh", str(SETUP)], capture_output=True, text=True, timeout=900)
        binary = _chromium()
        if binary is None:
            pytest.skip(f"no Chromium and none could be installed: {result.stderr.strip()}")
    return binary


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("browser")
    database, raw = sample.build(base)
    conn = duckdb.connect(str(database), read_only=True)
    try:
        docs = html_report.build(conn, base / "report.html", raw)
    finally:
        conn.close()
    return base / "report.html", docs


def test_every_finding_image_is_decoded_and_its_figures_shown(
    chromium: str, report, tmp_path: Path
) -> None:
    path, docs = report
    probed = tmp_path / "probed.html"
    probed.write_text(
        path.read_text("utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    result = _run(
        chromium,
        tmp_path / "profile",
        "--virtual-time-budget=10000",
        "--dump-dom",
        probed.as_uri(),
    )
    assert 'id="probe"' in result.stdout, result.stderr[-2000:]
    probe = result.stdout.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0]
    rows = {}
    for line in probe.strip().split("\n"):
        rule, instance, images, decoded, figures, text_length = line.split("\t")
        rows[(rule, instance)] = (int(images), int(decoded), figures, int(text_length))
    expected = {(f.rule_id, f.instance): f for doc in docs for f in doc.findings}
    assert set(rows) == set(expected)
    for key, finding in expected.items():
        images, decoded, figures, _ = rows[key]
        assert images == len(finding.evidence.crops)
        assert decoded == images, f"{key}: {decoded} of {images} images decoded"
        printed, against, difference = figures.split("|")
        assert printed == html_report.yuan(finding.expected_yuan, finding.value_unit)
        assert against == html_report.yuan(finding.actual_yuan, finding.value_unit)
        assert difference == html_report.yuan(finding.difference_yuan, finding.value_unit)
    # the PDF findings of the sample have crops: 1 + 2 pages
    assert sum(r[0] for r in rows.values()) == 3


def test_screenshot_shows_the_boxed_figures(chromium: str, report, tmp_path: Path) -> None:
    path, _ = report
    shot = tmp_path / "report.png"
    result = _run(
        chromium,
        tmp_path / "profile",
        "--window-size=1100,4000",
        f"--screenshot={shot}",
        path.as_uri(),
    )
    assert shot.is_file(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []

    def near(target: tuple[int, int, int]) -> int:
        return sum(
            n for n, c in colours if all(abs(a - b) <= 8 for a, b in zip(c, target, strict=True))
        )

    # the red and blue box outlines of the crops are on screen (3 px lines: hundreds of pixels)
    assert near(html_report.EXPECTED_COLOUR) > 200
    assert near(html_report.ACTUAL_COLOUR) > 200


@pytest.mark.slow
def test_docs_site_renders_offline(chromium: str, built_warehouse: Path, tmp_path: Path) -> None:
    """`make docs`: the page renders a model's columns with every host unresolvable."""
    from orchestration import docs

    index = docs.build_docs(built_warehouse, tmp_path / "docs")
    url = index.as_uri() + "#!/model/model.budget_warehouse.fct_budget_revenue"
    result = _run(
        chromium,
        tmp_path / "profile",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    )
    # the page inlines its data JSON-escaped (\\u91d1…): the plain text is the rendered column
    assert "金额（元）— amount in yuan, DECIMAL(18,2)" in result.stdout, result.stderr[-2000:]
