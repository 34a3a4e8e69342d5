"""Shared text primitives for all parsers: decoding, lines and cells, amounts, names.

Plain Python, no Dagster. Every parser builds on these, so that a cell is split, an amount parsed
and a name normalised the same way everywhere.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# --- errors ---------------------------------------------------------------------------------


class DocumentError(Exception):
    """A document cannot be extracted; the message names the file and line (where one applies)."""

    def __init__(self, file_name: str, message: str, line: int | None = None) -> None:
        self.file_name = file_name
        self.line = line
        self.reason = message
        where = f"{file_name}:{line}" if line is not None else file_name
        super().__init__(f"{where}: {message}")


# --- decoding -------------------------------------------------------------------------------
# Chinese government files are often GB18030/GBK (a superset chain GBK ⊂ GB18030), so a file that
# is not UTF-8 is tried as GB18030 before it is rejected. A file saved as Windows "Unicode" text is
# UTF-16 with a byte-order mark: decoded as such (without the mark its NUL bytes make it binary).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
UTF16_BOMS: tuple[bytes, ...] = (b"\xff\xfe", b"\xfe\xff")
# Share of control characters (other than tab/CR/LF/FF) above which a file is binary, not text.
BINARY_CONTROL_SHARE = 0.01
# The control characters counted: Unicode category Cc (U+0000–U+001F, U+007F–U+009F) but tab,
# LF, FF and CR. One regular expression, not a category lookup per character (a second per
# document of a few hundred thousand characters).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# How each codec reports bytes that stop inside a character at the end of the data.
_CUT_REASONS = {
    "utf-8-sig": "unexpected end of data",
    "gb18030": "incomplete multibyte sequence",
    "utf-16": "truncated data",
}


def decode_document(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode the bytes of a document.

    Returns:
        (text, encoding name) — encoding is "utf-8", "gb18030" or "utf-16".

    Raises:
        DocumentError: the file is empty, binary, cut inside a character, or in no supported
        encoding.
    """
    if not data.strip():
        raise DocumentError(file_name, "file is empty")
    is_utf16 = data.startswith(UTF16_BOMS)
    if not is_utf16 and b"\x00" in data[:65536]:
        raise DocumentError(file_name, "file is binary (contains NUL bytes), not a text document")
    for encoding in ("utf-16",) if is_utf16 else ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A file cut inside its last character (a truncated download or copy) fails only in
            # its last bytes; for UTF-8, GB18030 would then "succeed" with garbage: say so here.
            if exc.reason == _CUT_REASONS[encoding] and exc.end == len(data):
                line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
                name = encoding.replace("-sig", "").upper()
                raise DocumentError(
                    file_name,
                    f"file is truncated: it ends in the middle of a {name} character",
                    line,
                ) from exc
            if is_utf16:
                raise DocumentError(
                    file_name, f"file is not valid UTF-16 text: {exc.reason}"
                ) from exc
            continue
        controls = len(_CONTROL_RE.findall(text))
        if controls > BINARY_CONTROL_SHARE * len(text):
            raise DocumentError(
                file_name, "file is binary (control characters), not a text document"
            )
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding.replace("-sig", "")
    raise DocumentError(file_name, "file is neither UTF-8 nor GB18030/GBK text")


# --- markup ---------------------------------------------------------------------------------
CHECKED_BOX = "☑"
UNCHECKED_BOX = "☐"
_CHECKBOX_RE = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
# LaTeX fragments such as `$\geq 4$` (004 line 2094): keep the comparator and the number.
_LATEX_RE = re.compile(r"`?\$([^$]*)\$`?")
_LATEX_OPERATORS = {
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\times": "×",
    r"\%": "%",
}


def _latex_to_text(match: re.Match[str]) -> str:
    body = match.group(1)
    for command, symbol in _LATEX_OPERATORS.items():
        body = body.replace(command, symbol)
    return body.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")


def strip_markup(text: str) -> str:
    """Remove HTML tags and LaTeX from a cell; checkboxes become ☑ / ☐ so their marks survive."""

    def checkbox(match: re.Match[str]) -> str:
        return CHECKED_BOX if "checked" in match.group(0).lower() else UNCHECKED_BOX

    text = _CHECKBOX_RE.sub(checkbox, text)
    text = _BR_RE.sub(" ", text)
    text = _TAG_RE.sub("", text)
    text = _LATEX_RE.sub(_latex_to_text, text)
    text = html.unescape(text)
    return text.replace("**", "").strip()


# --- lines and cells ------------------------------------------------------------------------
_MD_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_ROW_RE = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_HTML_CELL_RE = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Line:
    """A physical line of a document with its cells (markup stripped, whitespace trimmed)."""

    number: int  # 1-based
    text: str  # raw text of the line
    cells: tuple[str, ...]  # cells of a table line; a plain text line is a single cell
    layout: str  # "tsv" | "markdown" | "html" | "text"
    page_number: int | None = None  # 1-based page of a PDF line; None for text dumps
    # x position (points) where the text of each cell starts, for the table rows of a PDF: rows
    # that nest by indentation only are told apart by it. None for text dumps.
    text_x0: tuple[float | None, ...] | None = None
    # box (x0, top, x1, bottom; points on the upright page) of each cell of a PDF table row: a
    # ruled cell's own box, which for a cell merged over several rows reaches down to its last
    # row. None for text dumps and for the text lines of a PDF.
    cell_boxes: tuple[tuple[float, float, float, float], ...] | None = None

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def joined(self) -> str:
        """All non-empty cells joined by a single space."""
        return " ".join(cell for cell in self.cells if cell)


def is_markdown_separator(text: str) -> bool:
    """True for a markdown table separator row such as ``|---|:--|``."""
    return bool(_MD_SEPARATOR_RE.match(text.strip())) and "-" in text


def split_cells(text: str) -> tuple[tuple[str, ...], str]:
    """Split one physical line into cells and name its layout.

    Markdown pipe rows (``| a | b |``) split on pipes, inline ``<table>`` rows on ``<td>``,
    tab-separated lines on tabs; anything else is one cell.
    """
    stripped = text.strip()
    if "<table" in stripped.lower() or "<tr" in stripped.lower():
        rows = html_table_rows(stripped)
        if rows:
            return tuple(cell for row in rows for cell in row), "html"
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return tuple(strip_markup(cell) for cell in inner.split("|")), "markdown"
    if "\t" in text:
        return tuple(strip_markup(cell) for cell in text.split("\t")), "tsv"
    return (strip_markup(text),), "text"


def html_table_rows(text: str) -> list[list[str]]:
    """Rows of cells of an inline HTML ``<table>`` fragment (markup stripped)."""
    rows = []
    for row in _HTML_ROW_RE.findall(text):
        rows.append([strip_markup(cell) for cell in _HTML_CELL_RE.findall(row)])
    return rows


def to_lines(text: str) -> list[Line]:
    """Split a decoded document into numbered lines with cells."""
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        cells, layout = split_cells(raw)
        lines.append(Line(number=number, text=raw, cells=cells, layout=layout))
    return lines


# --- watermarks -----------------------------------------------------------------------------
# Review stamps printed across pages of a draft (001 prints "仅供内部审核" 16 times). A line that is
# nothing but one of these phrases is noise, wherever it occurs.
WATERMARK_PHRASES: tuple[str, ...] = (
    "仅供内部审核",
    "内部审核",
    "仅供参考",
    "征求意见稿",
    "样稿",
    "草稿",
)


def is_watermark(text: str) -> bool:
    """True when the line holds nothing but a watermark phrase (possibly repeated)."""
    compact = re.sub(r"\s+", "", strip_markup(text))
    if not compact:
        return False
    for phrase in WATERMARK_PHRASES:
        if compact.replace(phrase, "") == "":
            return True
    return False


# --- amounts --------------------------------------------------------------------------------
DASHES = frozenset({"-", "—", "--", "——", "－", "–", "---", "-----", "-- --"})
_NUMBER_RE = re.compile(r"^[-+]?\d+(\.\d+)?$")
# Digits split by a wrap space: "1937217.6 0", "1937217. 60" (004 lines 1087–1089).
_SPLIT_DIGITS_RE = re.compile(r"(?<=[\d.])\s+(?=[\d.])")
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}


@dataclass(frozen=True)
class Amount:
    """A parsed amount cell."""

    raw_text: str
    value: Decimal | None  # in the printed unit; None for blank / dash
    is_blank: bool
    is_dash: bool


def parse_amount(text: str) -> Amount:
    """Parse an amount cell as printed.

    Handles thousands separators ("104,733,480.93"), digits split by a wrap space ("1937217.6 0"),
    integers printed without decimals ("2467944"), dashes ("-") and blanks (kept distinct from 0).

    Raises:
        ValueError: the text is not an amount.
    """
    raw = text
    cleaned = strip_markup(text).replace("\u3000", " ").strip()
    if not cleaned:
        return Amount(raw, None, True, False)
    if cleaned in DASHES or re.fullmatch(r"[-—－–\s]+", cleaned):
        return Amount(raw, None, False, True)
    cleaned = cleaned.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    cleaned = _SPLIT_DIGITS_RE.sub("", cleaned)
    if not _NUMBER_RE.match(cleaned):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Amount(raw, Decimal(cleaned), False, False)
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees a valid literal
        raise ValueError(f"not an amount: {text!r}") from exc


def is_amount(text: str) -> bool:
    """True when the cell is an amount, a dash or blank."""
    try:
        parse_amount(text)
    except ValueError:
        return False
    return True


def to_yuan(value: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed value to exact yuan (quantised to the cent)."""
    if value is None:
        return None
    if unit not in UNIT_FACTORS:
        raise ValueError(f"unknown money unit {unit!r}")
    return (value * UNIT_FACTORS[unit]).quantize(Decimal("0.01"))


_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")


def find_unit(text: str) -> str | None:
    """The money unit declared on a line ("单位：万元", "单位:元", "金额单位：元"), if any."""
    match = _UNIT_RE.search(strip_markup(text))
    return match.group(1) if match else None


# --- names ----------------------------------------------------------------------------------
_CJK = r"[\u3400-\u9fff\uf900-\ufaff（）()、，。：；“”《》]"
_CJK_GAP_RE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_BRACKETS = str.maketrans({"(": "（", ")": "）", ":": "：", "[": "【", "]": "】"})
ORDINAL_PREFIX_RE = re.compile(
    r"^\s*(?P<prefix>"
    r"[一二三四五六七八九十百零]+[、.．]"
    r"|[（(][一二三四五六七八九十]+[）)]、?"
    r"|\d{1,2}[、.．](?!\d)"
    r"|[（(]\d{1,2}[）)]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r")\s*"
)


def normalize_name(text: str) -> str:
    """Normalise a printed name: markup stripped, NFKC-folded digits/letters, brackets and colons
    full-width, and line-wrap spaces between Chinese characters removed
    ("国有资本经营 预算支出" -> "国有资本经营预算支出")."""
    text = strip_markup(text).replace("\u3000", " ")
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    text = re.sub(r"\s+", " ", text).strip()
    return _CJK_GAP_RE.sub("", text)


def split_ordinal(text: str) -> tuple[str | None, str]:
    """Split a leading Chinese/Arabic/circled ordinal ("五、", "1、", "（一）", "①") from a name."""
    match = ORDINAL_PREFIX_RE.match(text)
    if not match:
        return None, text.strip()
    return match.group("prefix").strip(), text[match.end() :].strip()


_KEY_DROP_RE = re.compile(r"[\s（）()【】\[\]、，,。.：:;；“”\"'·\-—_－]")


def name_key(text: str) -> str:
    """A matching key for a name: normalised, then brackets, punctuation and spaces dropped."""
    return _KEY_DROP_RE.sub("", normalize_name(text))
