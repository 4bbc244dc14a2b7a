"""Reading raw grids safely: real type from the bytes, bombs and encryption refused, encodings detected."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from ingest_files import entity_bomb, item_row, lying_zip_bomb, ole2, register, xlsx, zip_bomb
from metrics.readers import ReadError, detect_encoding, read_workbook, sniff_kind

CSV_TEXT = "省份,指标,名称,完成日期\n广东省,标准,某标准,2025-03-15\n"


def _truncated() -> bytes:
    good = register(item_row())
    return good[: len(good) // 2]


def _corrupt_entry() -> bytes:
    data = bytearray(register(item_row()))
    start = data.find(b"xl/worksheets/sheet1.xml") + 40
    data[start:start + 64] = b"\xff" * 64
    return bytes(data)


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return out.getvalue()


def _zip_encrypted_entry() -> bytes:
    data = bytearray(register(item_row()))
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        data[pos + 6] |= 1  # general purpose flag: encrypted
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        data[pos + 8] |= 1
        pos += 4
    return bytes(data)


BAD_FILES = {
    # name: (bytes, expected code, expected reason key or "")
    "zero_bytes": (b"", "unreadable_file", "ingest_reason_empty"),
    "pdf_renamed": (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "unreadable_file", "ingest_reason_other_type"),
    "png_renamed": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "unreadable_file", "ingest_reason_other_type"),
    "jpeg_renamed": (b"\xff\xd8\xff\xe0" + b"\0" * 64, "unreadable_file", "ingest_reason_other_type"),
    "binary_noise": (bytes(range(256)) * 4, "unreadable_file", "ingest_reason_binary"),
    "truncated_zip": (_truncated(), "unreadable_file", "ingest_reason_corrupt"),
    "corrupt_entry": (_corrupt_entry(), "unreadable_file", "ingest_reason_corrupt"),
    "zip_not_workbook": (_zip_without_workbook(), "unreadable_file", "ingest_reason_not_workbook"),
    "zip_bomb": (zip_bomb(), "unreadable_file", "ingest_reason_bomb"),
    "zip_bomb_lying_sizes": (lying_zip_bomb(), "unreadable_file", "ingest_reason_corrupt"),
    "entity_bomb_sheet": (entity_bomb(), "unreadable_file", "ingest_reason_dtd"),
    "entity_bomb_workbook_part": (entity_bomb("xl/workbook.xml"), "unreadable_file", "ingest_reason_dtd"),
    "ole2_encrypted_package": (ole2({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                                     "EncryptedPackage": b"\x10" * 5000}), "encrypted_file", ""),
    "zip_encrypted_entries": (_zip_encrypted_entry(), "encrypted_file", ""),
    "ole2_not_a_workbook": (ole2({"Something": b"x" * 100}), "unreadable_file", "ingest_reason_corrupt"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_is_refused_with_its_own_reason(name):
    content, code, reason = BAD_FILES[name]
    with pytest.raises(ReadError) as info:
        read_workbook(content)
    assert (info.value.code, info.value.reason) == (code, reason)


def test_encrypted_xls_written_by_libreoffice_is_recognised(test_data):
    with pytest.raises(ReadError) as info:
        read_workbook((test_data / "ingest" / "encrypted.xls").read_bytes())
    assert info.value.code == "encrypted_file"


def test_size_limit_is_checked_before_anything_else():
    with pytest.raises(ReadError) as info:
        read_workbook(b"x" * 2000, max_bytes=1000)
    assert info.value.code == "too_large"
    assert info.value.params["limit_mb"] == round(1000 / 2**20, 1)


@pytest.mark.parametrize("head, kind", [
    (b"PK\x03\x04rest", "xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "xls"),
    ("省份,指标\n".encode("utf-8"), "csv"),
    ("省份,指标\n".encode("gbk"), "csv"),
    (b"\xff\xfe" + "a\tb".encode("utf-16-le"), "csv"),
])
def test_the_real_type_comes_from_the_bytes(head, kind):
    assert sniff_kind(head) == kind


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_csv_encoding_is_detected_not_assumed(encoding, expected):
    text = CSV_TEXT * 20 + ("广东省,标准,𠀀字标准,2025-03-16\n" if encoding == "gb18030" else "")
    content = text.encode(encoding)
    assert detect_encoding(content) == expected
    wb = read_workbook(content)
    assert wb.kind == "csv"
    assert wb.sheets[0].rows[0] == ["省份", "指标", "名称", "完成日期"]
    assert wb.sheets[0].rows[1][2] == "某标准"


def test_csv_delimiter_tab_and_semicolon():
    for sep in ("\t", ";"):
        wb = read_workbook(CSV_TEXT.replace(",", sep).encode("utf-8"))
        assert wb.sheets[0].rows[1] == ["广东省", "标准", "某标准", "2025-03-15"]


def test_grids_are_anchored_at_a1_with_visibility_and_merged_ranges():
    content = xlsx({"a": [["标题"], [], [None, "x", 5]], "b": [["y"]]}, merged={"a": ["A1:C1"]}, hidden=("b",))
    wb = read_workbook(content)
    a, b = wb.sheets
    assert a.rows[2][1:] == ["x", 5.0]
    assert a.merged == [(0, 0, 0, 2)]
    assert (a.visible, b.visible) == ("visible", "hidden")


def test_blank_formatted_rows_do_not_become_rows():
    from openpyxl.styles import PatternFill

    wb = __import__("openpyxl").Workbook()
    ws = wb.active
    ws.append(["省份", "名称"])
    fill = PatternFill("solid", fgColor="FFFF00")
    for r in range(2, 100_002):
        ws.cell(r, 1).fill = fill
    out = io.BytesIO()
    wb.save(out)
    grid = read_workbook(out.getvalue()).sheets[0]
    assert len(grid.rows) == 1


def test_dates_and_times_come_back_as_python_values():
    content = xlsx({"s": [[dt.date(2025, 3, 15), dt.datetime(2025, 3, 15, 10, 30)]]})
    row = read_workbook(content).sheets[0].rows[0]
    assert row[0] == dt.date(2025, 3, 15) or row[0] == dt.datetime(2025, 3, 15)
    assert row[1] == dt.datetime(2025, 3, 15, 10, 30)
