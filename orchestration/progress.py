"""Progress for a person at the terminal: documents done / total with rate and time left, stages.

Shown only when standard output is a terminal (``BUDGET_PROGRESS=0`` turns it off, ``=1`` forces
it on): a long `make run` piped into a file or run by CI prints nothing extra. One counter line
is rewritten in place; a stage prints one line when it starts.

    counter = progress.Counter("Documents extracted", total=len(documents))
    for document in documents:
        ...
        counter.advance(document.file_name)
    counter.finish()
    progress.stage("dbt build: models and tests")

No Dagster here; the Dagster assets may call :func:`stage` (it is silent outside a terminal).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def enabled(stream: TextIO | None = None) -> bool:
    """True when progress should be shown on ``stream`` (default stdout)."""
    forced = os.environ.get("BUDGET_PROGRESS", "")
    if forced in {"0", "1"}:
        return forced == "1"
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def duration(seconds: float) -> str:
    """'42 s', '3 min 05 s', '2 h 04 min'."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def status_line(label: str, done: int, total: int, elapsed: float, current: str = "") -> str:
    """'Documents extracted 3/12 (25%) · 1.5/s · about 6 s left · file.pdf'."""
    share = f" ({100 * done // total}%)" if total else ""
    parts = [f"{label} {done}/{total}{share}"]
    if done and elapsed > 0:
        rate = done / elapsed
        parts.append(f"{rate:.1f}/s" if rate >= 1 else f"{60 * rate:.1f}/min")
        if total > done:
            parts.append(f"about {duration((total - done) / rate)} left")
        else:
            parts.append(f"in {duration(elapsed)}")
    if current:
        parts.append(current)
    return " · ".join(parts)


class Counter:
    """A line rewritten in place as items are done; silent when not on a terminal."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO | None = None,
        clock=time.monotonic,
        show: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stdout
        self.clock = clock
        self.started = clock()
        self.show = enabled(self.stream) if show is None else show
        self._width = 0
        if self.show and total:
            self._write(status_line(label, 0, total, 0.0))

    def advance(self, current: str = "") -> None:
        self.done += 1
        if self.show:
            elapsed = self.clock() - self.started
            self._write(status_line(self.label, self.done, self.total, elapsed, current))

    def finish(self) -> None:
        if self.show and self.total:
            elapsed = self.clock() - self.started
            self._write(status_line(self.label, self.done, self.total, elapsed))
            self.stream.write("\n")
            self.stream.flush()

    def _write(self, text: str) -> None:
        columns = _columns()
        if len(text) > columns - 1:
            text = text[: columns - 2] + "…"
        self.stream.write("\r" + text + " " * max(0, self._width - len(text)))
        self._width = len(text)
        self.stream.flush()


def _columns() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 120


def stage(text: str, stream: TextIO | None = None) -> None:
    """Announce a stage of the run ('==> dbt build …'); silent when not on a terminal."""
    stream = stream or sys.stdout
    if enabled(stream):
        stream.write(f"==> {text}\n")
        stream.flush()
