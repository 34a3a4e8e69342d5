"""Indicator grids of the performance tables: rows of 一级/二级/三级指标 and targets.

Two readers share the level vocabulary of ``performance_common``:

* :func:`read_slot_row` reads a row as a *sequence* of tokens (level names, 三级指标, 指标值) and
  ignores the column positions, which drift from row to row in 001 (line 2755 is shifted two cells
  left, line 2721's right half one cell right). A two-half grid (实施期 | 年度) yields two slots.
* :class:`ShiftedGrid` reads a fixed five-column grid (004: 一级 | 二级 | 三级 | 目标值 | 备注)
  whose rows are shifted whole: the shift is measured on the level name the row prints, or kept
  from the row above.
"""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.extract.performance_common import compact, level_kind, parse_target
from orchestration.extract.records import PerformanceIndicator
from orchestration.extract.text import normalize_name

# A target cell sits at most this many columns after its 三级指标 cell; further right it starts
# the next half of the row (001 line 2721: "… | 实验室废品处理费 | ≥5万元/年 | | | 零星维修费用").
MAX_TARGET_GAP = 2


@dataclass
class Slot:
    """One indicator read from a row (one half of a two-half grid)."""

    col: int
    level2: str | None = None
    level3: str | None = None
    level3_col: int | None = None
    target: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.level3 is None and self.target is None


def resolve_levels(toks: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """Tag each token "L1", "L2" or "text".

    A level-1 name counts only at the start of a row. A lone 成本指标 is a 二级 name (001 prints
    it under 产出指标) unless another level name follows it (003: "成本指标 | 经济成本指标").
    """
    kinds = [level_kind(text) for _col, text in toks]
    tagged: list[tuple[int, str, str]] = []
    at_start = True
    for index, (col, text) in enumerate(toks):
        kind = kinds[index]
        next_kind = kinds[index + 1] if index + 1 < len(toks) else None
        if kind is None:
            tag = "text"
        elif kind == "L1":
            tag = "L1" if at_start else "L2"
        elif kind == "L1?":
            tag = "L1" if at_start and next_kind is not None else "L2"
        else:
            tag = "L2"
        at_start = tag == "L1"
        tagged.append((col, text, tag))
    return tagged


def _is_value_like(text: str) -> bool:
    comparator, value, _unit = parse_target(text)
    return value is not None or comparator is not None or text.endswith("%")


def read_slot_row(toks: list[tuple[int, str]]) -> tuple[str | None, list[Slot]]:
    """Read one grid row into (一级指标 printed on it, slots in reading order)."""
    level1 = None
    slots: list[Slot] = []
    current: Slot | None = None
    for col, text, tag in resolve_levels(toks):
        if tag == "L1":
            level1 = text
            continue
        if tag == "L2":
            current = Slot(col=col, level2=text)
            slots.append(current)
            continue
        if current is None or (
            current.level3 is not None
            and (
                current.target is not None
                or (current.level3_col is not None and col - current.level3_col > MAX_TARGET_GAP)
            )
        ):
            current = Slot(col=col, level3=text, level3_col=col)
            slots.append(current)
        elif current.level3 is None:
            if current.level2 is not None and col - current.col >= 2 and _is_value_like(text):
                current.target = text  # 三级指标 left blank, target printed
            else:
                current.level3, current.level3_col = text, col
        else:
            current.target = text
    return level1, slots


def make_indicator(
    source_line: int,
    period: str | None,
    level1: str | None,
    level2: str | None,
    level3: str | None,
    target: str | None,
    remark: str | None = None,
) -> PerformanceIndicator:
    """An indicator record with its target parsed (ordinals are set by the caller)."""
    target_raw = (target or "").strip()
    comparator, value, unit = parse_target(target_raw)
    return PerformanceIndicator(
        perf_ordinal=0,
        indicator_ordinal=0,
        source_line=source_line,
        period=period,
        level1=_level_name(level1),
        level2=_level_name(level2),
        level3=_clean(level3),
        target_raw=target_raw,
        comparator=comparator,
        target_value=value,
        target_unit=unit,
        remark=_clean(remark),
    )


def _level_name(text: str | None) -> str | None:
    """A level name without wrap spaces ("影响力 目标" -> "影响力目标")."""
    return (normalize_name(text) or None) if text else None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


# Roles of the fixed five-column grid, left to right.
GRID_ROLES: tuple[str, ...] = ("level1", "level2", "level3", "target", "remark")


class ShiftedGrid:
    """A five-column indicator grid whose rows may be shifted whole (004 (b) tables).

    ``header_cols`` are the columns of 一级 / 二级 / 三级 / 目标值 / 备注 in the header row. A row
    that prints a 一级 or 二级 name sets the shift; other rows keep the shift of the row above
    (004 line 738 continues line 737, which is shifted two cells left).
    """

    def __init__(self, header_cols: dict[str, int], row_label: str = "绩效目标") -> None:
        self.cols = header_cols
        self.row_label = row_label
        self.shift = 0
        self.level1: str | None = None
        self.level2: str | None = None

    def read(self, toks: list[tuple[int, str]]) -> dict[str, str] | None:
        """Roles of one row's tokens; None when the row carries no indicator."""
        # The first-column label is split vertically over rows ("绩效 目标", OCR "绩效日"); its
        # pieces are not indicator text.
        while toks and self._is_label_piece(toks[0][1]):
            toks = toks[1:]
        tagged = resolve_levels(toks)
        for col, _text, tag in tagged:
            if tag == "L1":
                self.shift = col - self.cols["level1"]
                break
            if tag == "L2":
                self.shift = col - self.cols["level2"]
                break
        else:
            texts = [(col, text) for col, text, tag in tagged if tag == "text"]
            if len(texts) == 3:
                # 三级 | 目标值 | 备注 all printed: measure the shift on them
                self.shift = texts[-3][0] - self.cols["level3"]
        roles: dict[str, str] = {}
        texts = [(col, text) for col, text, tag in tagged if tag == "text"]
        for _col, text, tag in tagged:
            if tag in ("L1", "L2"):
                roles["level1" if tag == "L1" else "level2"] = text
        if len(texts) == 3:
            # 三级 | 目标值 | 备注 all printed: read them in order, whatever blank cells sit
            # between them (004 line 599 prints them at columns 1, 4 and 5). With a fourth text
            # (an unlisted 二级 name such as "信息共享", line 969) the columns decide.
            roles["level3"], roles["target"], roles["remark"] = (text for _c, text in texts)
        else:
            for col, text in texts:
                role = self._role(col - self.shift)
                if role is None:
                    continue  # the row-label column
                roles[role] = f"{roles[role]} {text}" if role in roles else text
        if "level1" in roles:
            self.level1 = roles["level1"]
            self.level2 = None
        if "level2" in roles:
            self.level2 = roles["level2"]
        if "level3" not in roles and "target" not in roles:
            return None
        roles.setdefault("level1", self.level1 or "")
        roles.setdefault("level2", self.level2 or "")
        return roles

    def _is_label_piece(self, text: str) -> bool:
        key = compact(text)
        return bool(key) and (
            key in self.row_label or (len(key) <= 3 and key[:2] == self.row_label[:2])
        )

    def _role(self, col: int) -> str | None:
        if col < self.cols["level1"]:
            return None
        best = None
        for role in GRID_ROLES:
            if col >= self.cols[role]:
                best = role
        return best


def is_grid_header(toks: list[tuple[int, str]], words: tuple[str, str]) -> bool:
    """True when the row holds both header words (e.g. 一级指标 and 三级指标)."""
    keys = [compact(text) for _col, text in toks]
    return all(any(word in key for key in keys) for word in words)
