"""Mapping profiles (issue 12 point 2): which field each unrecognised column of an officer's workbook
holds, chosen once on the upload page and remembered per province and workbook shape.

A profile maps, per sheet, a header as written to a field key of that sheet (``workbook.yaml``) or
``ignore``. The shape is the signature of the sheet names and header words, so the next upload of
the same workbook gets the same mapping, with a note naming the profile. Profiles export as YAML,
and ``validate``/``import`` take one with ``--mapping FILE.yaml``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from .datafiles import parse_yaml
from .errors import TrackerError
from .text import alias_key

if TYPE_CHECKING:
    from .store import Store

IGNORE = "ignore"


class MappingError(TrackerError, ValueError):
    """A mapping file that cannot be used: an i18n code and its values."""


@dataclass(frozen=True)
class Mapping:
    """Per sheet, header as written -> field key or ``ignore``."""

    name: str
    sheets: dict[str, dict[str, str]] = field(default_factory=dict)
    province: str = ""
    signature: str = ""

    def for_sheet(self, sheet: str) -> dict[str, str]:
        """The sheet's choices keyed on the header's alias key (spacing and width of letters ignored)."""
        return {alias_key(h): f for h, f in (self.sheets.get(sheet) or {}).items()}

    def to_json(self) -> str:
        """A hashable, stable form (the page's cache key)."""
        return json.dumps({"name": self.name, "province": self.province, "signature": self.signature,
                           "sheets": self.sheets}, ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> "Mapping":
        d = json.loads(text)
        return Mapping(d["name"], d["sheets"], d.get("province", ""), d.get("signature", ""))


def shape_signature(shape: list[tuple[str, list[str]]]) -> str:
    """The signature of a workbook's shape: its table sheets' names and header words, in order."""
    text = json.dumps([[alias_key(s), [alias_key(h) for h in headers]] for s, headers in shape], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def to_yaml(mapping: Mapping) -> str:
    """The profile as a YAML file an officer can keep and give to ``--mapping``."""
    doc = {"profile": mapping.name, "province": mapping.province, "signature": mapping.signature,
           "sheets": {s: {"columns": dict(cols)} for s, cols in mapping.sheets.items()}}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def from_yaml(text: str) -> Mapping:
    """A mapping file read back (the shape ``to_yaml`` writes); MappingError when it is not one."""
    try:
        doc = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise MappingError("mapping_bad_yaml", error=str(exc).splitlines()[0]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sheets"), dict):
        raise MappingError("mapping_no_sheets")
    sheets: dict[str, dict[str, str]] = {}
    for sheet, body in doc["sheets"].items():
        cols = body.get("columns") if isinstance(body, dict) else None
        if not isinstance(cols, dict):
            raise MappingError("mapping_no_columns", sheet=sheet)
        sheets[str(sheet)] = {str(h): str(f) for h, f in cols.items()}
    return Mapping(str(doc.get("profile") or "mapping"), sheets, str(doc.get("province") or ""),
                   str(doc.get("signature") or ""))


# ---- the store ----------------------------------------------------------------------------------------
def save_profile(store: "Store", mapping: Mapping, *, by: str = "", now: dt.datetime | None = None) -> Mapping:
    """Store the profile of its province and signature (overwriting an earlier one of the same)."""
    import sqlalchemy as sa

    from .schema import mapping_profiles

    at = now or dt.datetime.now(dt.timezone.utc)
    c = mapping_profiles.c
    key = (c.province == mapping.province) & (c.signature == mapping.signature)
    values = dict(name=mapping.name, sheets=mapping.sheets, updated_at=at, updated_by=by)
    with store.engine.connect().execution_options(write=True) as conn:
        with conn.begin():
            if not conn.execute(mapping_profiles.update().where(key).values(**values)).rowcount:
                conn.execute(mapping_profiles.insert().values(province=mapping.province,
                                                              signature=mapping.signature, **values))
            store._audit(conn, by, "mapping_save", None, mapping.province or None, None,
                         {"profile": mapping.name, "signature": mapping.signature, "sheets": sorted(mapping.sheets)})
    return mapping


def find_profile(store: "Store", province: str | None, signature: str) -> Mapping | None:
    """The profile remembered for a province and workbook shape, or None."""
    import sqlalchemy as sa

    from .schema import mapping_profiles

    c = mapping_profiles.c
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(mapping_profiles).where((c.province == (province or "")) &
                                                             (c.signature == signature))).mappings().first()
    if row is None:
        return None
    return Mapping(row["name"], dict(row["sheets"]), row["province"], row["signature"])


def list_profiles(store: "Store") -> list[Mapping]:
    """Every stored profile, by province and name."""
    import sqlalchemy as sa

    from .schema import mapping_profiles

    c = mapping_profiles.c
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(mapping_profiles).order_by(c.province, c.name)).mappings().all()
    return [Mapping(r["name"], dict(r["sheets"]), r["province"], r["signature"]) for r in rows]
