"""Shared text primitives: decoding, cells, amounts, names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orchestration.extract.text import (
    DocumentError,
    decode_document,
    find_unit,
    is_watermark,
    name_key,
    normalize_name,
    parse_amount,
    split_cells,
    split_ordinal,
    strip_markup,
    to_yuan,
)

# 001 line 140 (收入总表 合计 row), as printed.
LINE_001_140 = "合计\t\t54296.65\t46124.51\t\t\t8172.14\t\t2432.16"


class TestDecode:
    def test_utf8(self):
        text, encoding = decode_document(LINE_001_140.encode("utf-8"), "a.txt")
        assert (text, encoding) == (LINE_001_140, "utf-8")

    def test_utf8_bom_is_dropped(self):
        text, encoding = decode_document(b"\xef\xbb\xbf" + "单位：元".encode(), "a.txt")
        assert (text, encoding) == ("单位：元", "utf-8")

    def test_gb18030_is_decoded_not_rejected(self):
        data = "2025年预算收入总表\n单位：万元\n".encode("gbk")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # the premise: GBK bytes are not UTF-8
        text, encoding = decode_document(data, "gbk.txt")
        assert encoding == "gb18030"
        assert text.startswith("2025年预算收入总表")

    def test_gb18030_only_characters(self):
        # 𠀀 (U+20000) and 䶮 (U+4DAE) are in GB18030 but not in GBK: four-byte sequences
        text = "单位：元\n𠀀䶮中学校\t12.00\n"
        data = text.encode("gb18030")
        with pytest.raises(UnicodeEncodeError):
            text.encode("gbk")  # the premise: GBK cannot hold them
        assert decode_document(data, "gb.txt") == (text, "gb18030")

    @pytest.mark.parametrize("cut", [1, 2, 3], ids=["1-byte", "2-bytes", "3-bytes"])
    def test_gb18030_cut_mid_character_is_truncated_with_line(self, cut):
        data = "2025年预算收入总表\n单位：万元\n合计𠀀".encode("gb18030")[:-cut]
        with pytest.raises(DocumentError) as info:
            decode_document(data, "cut.txt")
        assert str(info.value) == (
            "cut.txt:3: file is truncated: it ends in the middle of a GB18030 character"
        )

    @pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
    def test_utf16_with_byte_order_mark_is_decoded(self, codec):
        bom = b"\xfe\xff" if codec == "utf-16-be" else b""  # "utf-16" writes its own mark
        data = bom + LINE_001_140.encode(codec)
        assert decode_document(data, "unicode.txt") == (LINE_001_140, "utf-16")

    def test_utf16_without_mark_or_cut_fails_clearly(self):
        with pytest.raises(DocumentError) as info:
            decode_document(LINE_001_140.encode("utf-16-le"), "nobom.txt")
        assert str(info.value) == (
            "nobom.txt: file is binary (contains NUL bytes), not a text document"
        )
        with pytest.raises(DocumentError) as info:
            decode_document(("第一行\n" + LINE_001_140).encode("utf-16")[:-1], "cut.txt")
        assert str(info.value) == (
            "cut.txt:2: file is truncated: it ends in the middle of a UTF-16 character"
        )

    def test_crlf_becomes_lf(self):
        assert decode_document(b"a\r\nb\r\n", "a.txt")[0] == "a\nb\n"

    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            (b"", "empty"),
            (b"  \n\n ", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
            (bytes(range(1, 32)) * 20, "binary"),
        ],
        ids=["empty", "whitespace-only", "png-with-nul", "control-bytes"],
    )
    def test_bad_bytes_name_the_file(self, data, reason):
        with pytest.raises(DocumentError) as info:
            decode_document(data, "bad.txt")
        assert str(info.value).startswith("bad.txt")
        assert reason in str(info.value)

    def test_utf8_cut_mid_character_is_truncated_with_line(self):
        data = "第一行\n第二行\n收入总计".encode()[:-1]  # cut inside the last character
        with pytest.raises(DocumentError) as info:
            decode_document(data, "cut.txt")
        assert info.value.line == 3
        assert "truncated" in str(info.value)
        assert str(info.value).startswith("cut.txt:3")


class TestAmounts:
    @pytest.mark.parametrize(
        ("printed", "value"),
        [
            ("54296.65", Decimal("54296.65")),  # 001 line 140
            ("104,733,480.93", Decimal("104733480.93")),  # 004 T1 总计 row, thousands separators
            ("2467944", Decimal("2467944")),  # 004 T1 住房保障, no decimals
            ("1937217.6 0", Decimal("1937217.60")),  # 004 line 1087 明细金额, split by wrap
            ("1937217. 60", Decimal("1937217.60")),  # 004 line 1087 单价, the same row
            ("1,553,500", Decimal("1553500")),  # 001 performance tables
            ("0.00", Decimal("0.00")),
        ],
    )
    def test_values(self, printed, value):
        amount = parse_amount(printed)
        assert amount.value == value
        assert not amount.is_blank and not amount.is_dash

    def test_blank_dash_and_zero_are_distinct(self):
        blank, dash, zero = parse_amount(""), parse_amount("-"), parse_amount("0")
        assert (blank.value, blank.is_blank, blank.is_dash) == (None, True, False)
        assert (dash.value, dash.is_blank, dash.is_dash) == (None, False, True)
        assert (zero.value, zero.is_blank, zero.is_dash) == (Decimal("0"), False, False)

    @pytest.mark.parametrize("text", ["教育支出", "12人", "1.2.3", "≥90%"])
    def test_non_amounts_raise(self, text):
        with pytest.raises(ValueError):
            parse_amount(text)

    def test_to_yuan_is_exact(self):
        # 001 T1 收入总计 56728.82 万元
        assert to_yuan(Decimal("56728.82"), "万元") == Decimal("567288200.00")
        assert to_yuan(Decimal("9.6"), "万元") == Decimal("96000.00")  # 004 T8
        assert to_yuan(None, "元") is None

    @pytest.mark.parametrize(
        ("line", "unit"),
        [
            ("单位：万元", "万元"),
            ("部门名称：阳泉市教育局 单位：万元", "万元"),  # 001 line 403
            ("部门名称：阳泉市教育局单位:万元", "万元"),  # 001 line 429, half-width colon
            ("金额单位：元", "元"),
            ("项目名称：X 金额单位：元", "元"),
            ("预算单位：闵行区教育学院", None),
        ],
    )
    def test_find_unit(self, line, unit):
        assert find_unit(line) == unit


class TestCellsAndNames:
    def test_tsv(self):
        cells, layout = split_cells(LINE_001_140)
        assert layout == "tsv"
        assert cells[0] == "合计" and cells[2] == "54296.65" and cells[8] == "2432.16"

    def test_markdown_row(self):
        # 003 line 18
        cells, layout = split_cells("|  | 2630574.00 | 2597934.00 | 2597934.00 |  |")
        assert layout == "markdown"
        assert cells == ("", "2630574.00", "2597934.00", "2597934.00", "")

    def test_html_table_row(self):
        cells, layout = split_cells(
            "<table><tr><td>一、项目总预算</td><td>470000</td></tr></table>"
        )
        assert (cells, layout) == (("一、项目总预算", "470000"), "html")

    def test_markup_and_checkboxes(self):
        assert strip_markup('<input checked="" type="checkbox"/> 一次性项目') == "☑ 一次性项目"
        assert strip_markup('经常性项目 <input type="checkbox"/>') == "经常性项目 ☐"
        assert strip_markup("每年巡检次数 `$\\geq 4$` 次") == "每年巡检次数 ≥4 次"  # 004 line 2094
        assert strip_markup("<b>年度绩效指标</b>") == "年度绩效指标"

    def test_line_wrap_spaces_removed_from_names(self):
        # 001 T1: "二十二、国有资本经营 预算支出"
        assert normalize_name("二十二、国有资本经营 预算支出") == "二十二、国有资本经营预算支出"
        assert normalize_name("阳泉市教育技术中心(阳泉市电化教育馆)") == (
            "阳泉市教育技术中心（阳泉市电化教育馆）"
        )

    @pytest.mark.parametrize(
        ("text", "prefix", "name"),
        [
            ("五、教育支出", "五、", "教育支出"),
            ("1、一般公共预算资金", "1、", "一般公共预算资金"),
            ("（一）财政拨款", "（一）", "财政拨款"),
            ("②公务用车运行维护费", "②", "公务用车运行维护费"),
            ("2050204", None, "2050204"),
            ("2025年预算", None, "2025年预算"),
        ],
    )
    def test_split_ordinal(self, text, prefix, name):
        assert split_ordinal(text) == (prefix, name)

    def test_name_key_ignores_bracket_width_and_separators(self):
        assert name_key("（第一批）-助学金") == name_key("(第一批)—助学金")

    def test_watermark(self):
        assert is_watermark("仅供内部审核")
        assert is_watermark("  仅供内部审核 仅供内部审核 ")
        assert not is_watermark("仅供内部审核的报表说明")
        assert not is_watermark("")
