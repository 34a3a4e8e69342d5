"""Progress at the terminal: counts, rate, time left; stages; silent when not on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from orchestration import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _no_override(monkeypatch) -> None:
    monkeypatch.delenv("BUDGET_PROGRESS", raising=False)


def test_durations_read_like_a_person_says_them() -> None:
    assert progress.duration(42.4) == "42 s"
    assert progress.duration(185) == "3 min 05 s"
    assert progress.duration(2 * 3600 + 4 * 60 + 10) == "2 h 04 min"


def test_status_line_has_count_share_rate_and_time_left() -> None:
    # 3 of 12 documents in 2 s: 1.5 per second, 9 left -> 6 s
    line = progress.status_line("Documents extracted", 3, 12, 2.0, "b.pdf")
    assert line == "Documents extracted 3/12 (25%) · 1.5/s · about 6 s left · b.pdf"
    # slow documents: the rate per minute; 1 of 4 in 40 s -> 2 min left
    assert progress.status_line("Documents extracted", 1, 4, 40.0) == (
        "Documents extracted 1/4 (25%) · 1.5/min · about 2 min 00 s left"
    )
    assert progress.status_line("Documents extracted", 4, 4, 8.0).endswith("in 8 s")


def test_counter_rewrites_one_line_on_a_terminal() -> None:
    out, clock = Terminal(), Clock()
    counter = progress.Counter("Documents extracted", 2, stream=out, clock=clock)
    clock.now += 4
    counter.advance("a.txt")
    clock.now += 4
    counter.advance("b.pdf")
    counter.finish()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    frames = [frame.rstrip() for frame in text.rstrip("\n").split("\r")[1:]]
    assert frames == [
        "Documents extracted 0/2 (0%)",
        "Documents extracted 1/2 (50%) · 15.0/min · about 4 s left · a.txt",
        "Documents extracted 2/2 (100%) · 15.0/min · in 8 s · b.pdf",
        "Documents extracted 2/2 (100%) · 15.0/min · in 8 s",
    ]


def test_quiet_when_not_on_a_terminal(monkeypatch) -> None:
    out = io.StringIO()
    counter = progress.Counter("Documents extracted", 3, stream=out)
    counter.advance("a.txt")
    counter.finish()
    progress.stage("dbt build", stream=out)
    assert out.getvalue() == ""
    monkeypatch.setenv("BUDGET_PROGRESS", "1")
    progress.stage("dbt build", stream=out)
    assert out.getvalue() == "==> dbt build\n"
    monkeypatch.setenv("BUDGET_PROGRESS", "0")
    terminal = Terminal()
    progress.stage("dbt build", stream=terminal)
    assert terminal.getvalue() == ""


@pytest.mark.slow
def test_make_run_into_a_pipe_prints_no_progress(built_warehouse: Path) -> None:
    stdout = (built_warehouse.parent / "run_stdout.txt").read_text()
    assert "Documents extracted" not in stdout and "==> " not in stdout and "\r" not in stdout
    assert "HTML report:" in stdout
