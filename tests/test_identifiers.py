"""统一社会信用代码 check characters (GB 32100-2015) and standard numbers."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from metrics.identifiers import (CREDIT_ALPHABET, classify_identifier, credit_check_char, identifier_key,
                                 is_valid_credit_code, normalise_standard_number)


@pytest.mark.parametrize("code, valid", [
    ("91350100M000100Y43", True),          # the example printed with the standard
    ("９１３５０１００Ｍ０００１００Ｙ４３", True),  # full width
    ("9135 0100 M000 100Y43", True),        # spaces people type
    ("91350100M000100Y44", False),          # wrong check character
    ("91350100M000100Y4", False),           # 17 characters
    ("91350100M00O100Y43", False),          # letter O is not in the alphabet
])
def test_credit_codes(code, valid):
    assert is_valid_credit_code(code) is valid


def test_wrong_check_character_names_the_right_one():
    ident = classify_identifier("91350100M000100Y44")
    assert (ident.reason, ident.expected) == ("credit_check", "3")


@given(st.text(alphabet=CREDIT_ALPHABET, min_size=2, max_size=2),
       st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=CREDIT_ALPHABET, min_size=9, max_size=9))
def test_every_code_with_its_computed_check_character_is_valid(registration, division, organisation):
    first17 = registration + division + organisation
    assert is_valid_credit_code(first17 + credit_check_char(first17))


@pytest.mark.parametrize("text, normalised", [
    ("GB/T 12345-2024", "GB/T 12345-2024"),
    ("GBT12345—2024", "GB/T 12345-2024"),
    ("ＧＢ／Ｔ　１２３４５－２０２４", "GB/T 12345-2024"),
    ("gb 3100-93", "GB 3100-93"),
    ("GB/Z 20000.1-2014", "GB/Z 20000.1-2014"),
    ("T/CESA 1234-2023", "T/CESA 1234-2023"),
    ("YD/T 3627-2019", "YD/T 3627-2019"),
    ("SJ/T11363-2006", "SJ/T 11363-2006"),
    ("DB11/T 1234-2020", "DB11/T 1234-2020"),
    ("ISO/IEC 27001:2022", "ISO/IEC 27001:2022"),
    ("IEC 61508-1:2010", "IEC 61508-1:2010"),
    ("GB/T 12345", None),
    ("GB/T-2024", None),
])
def test_standard_numbers(text, normalised):
    assert normalise_standard_number(text) == normalised


@pytest.mark.parametrize("text, metric, kind, valid", [
    ("GB/T 12345", None, "standard", False),
    ("某某标准", "standard", "standard", False),
    ("XM-2024-001", None, "text", True),
    ("XM-2024-001", "enterprise", "text", True),
    ("91350100M000100Y43", "enterprise", "credit_code", True),
    ("913501001000100543", "tech", "credit_code", False),
])
def test_classification_depends_on_shape_and_metric(text, metric, kind, valid):
    ident = classify_identifier(text, metric)
    assert (ident.kind, ident.valid) == (kind, valid)


@pytest.mark.parametrize("a, b", [
    ("GB/T 12345-2024", "gbt12345—2024"),
    ("91350100M000100Y43", "9135 0100 m000 100y43"),
    ("XM-2024-001", "xm 2024 001"),
])
def test_spellings_of_one_identifier_share_a_key(a, b):
    assert identifier_key(a) == identifier_key(b)


def test_different_standards_have_different_keys():
    assert identifier_key("GB/T 12345-2024") != identifier_key("GB 12345-2024")


# ---- identifiers as Excel leaves them (issue 12, point 4) ---------------------------------------
@pytest.mark.parametrize("text, metric, kind, normalised, valid, reason, note, warning", [
    ("9.14403001922038E+17", None, "credit_code", "9.14403001922038E+17", False, "credit_number", "", ""),
    ("9.14403e+17", "enterprise", "credit_code", "9.14403e+17", False, "credit_number", "", ""),
    ("80210043-3", None, "org_code", "80210043-3", True, "", "", "old_org_code"),
    ("802100433", None, "org_code", "80210043-3", True, "", "", "old_org_code"),
    ("80210043-4", None, "text", "80210043-4", True, "", "", ""),  # wrong check character: free text
    ("GB 45438——2025", None, "standard", "GB 45438-2025", True, "", "", ""),
    ("GB 45438-2025（代替GB/T 1234-2010）", "standard", "standard", "GB 45438-2025", True, "", "代替GB/T 1234-2010", ""),
])
def test_identifiers_as_excel_leaves_them(text, metric, kind, normalised, valid, reason, note, warning):
    from metrics.identifiers import classify_identifier

    ident = classify_identifier(text, metric)
    assert (ident.kind, ident.normalised, ident.valid, ident.reason, ident.note, ident.warning) == \
        (kind, normalised, valid, reason, note, warning)


def test_a_code_stored_as_a_number_is_never_a_dedup_key():
    import datetime as dt

    from ingest_files import item_row, register
    from metrics.ingest import read_file

    content = register(item_row(指标="领军企业", 名称="甲公司", 编号=9.14403001922038e17, 完成日期="2025-03-01"),
                       item_row(指标="领军企业", 名称="乙公司", 编号="9.14403E+17", 完成日期="2025-03-01"))
    result = read_file(content, filename="x.xlsx", today=dt.date(2026, 12, 1))
    assert [p.code for p in result.problems if p.severity != "info"] == ["code_as_number", "code_as_number"]
    assert result.row_counts.valid == 2  # different names: two items, not one duplicate
    assert result.items["key"].tolist() != ["9.14403E+17"] * 2
