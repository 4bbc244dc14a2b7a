"""Every translation key has both languages, and placeholders agree between them."""
from __future__ import annotations

import re

from metrics.i18n import LANGS, t, translations


def test_every_key_has_every_language():
    missing = [(k, lang) for k, v in translations().items() for lang in LANGS if not (v or {}).get(lang)]
    assert missing == []


def test_placeholders_are_the_same_in_both_languages():
    ph = re.compile(r"\{(\w+)\}")
    bad = [k for k, v in translations().items() if set(ph.findall(v["zh"])) != set(ph.findall(v["en"]))]
    assert bad == []


def test_lookup_falls_back_to_the_key_and_fills_placeholders():
    assert t("app_title", "en") == "Future Industries Target Tracker"
    assert t("app_title") == "未来产业发展目标监测看板"
    assert t("no_such_key") == "no_such_key"


def test_every_entry_is_exactly_two_texts():
    # A bare comma in a flow mapping ({zh: 甲,乙}) splits the Chinese text into stray keys, and a bare
    # "yes" reads as True: both once reached users as cut or wrong words.
    bad = {k: v for k, v in translations().items()
           if set(v) != {"zh", "en"} or not all(isinstance(x, str) and x for x in v.values())}
    assert bad == {}
