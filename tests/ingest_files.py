"""Builders of small spreadsheet files for the ingest tests (each defect made on purpose)."""
from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

import openpyxl

from metrics.xlsx_safe import safe_row

ITEM_HEADERS = ["省份", "指标", "名称", "编号", "方向", "标志性产品类别", "牵头单位", "状态", "完成日期", "证明材料", "备注"]


def xlsx(sheets: dict[str, list[list[Any]]], merged: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with the given sheets (rows of values), merged ranges and hidden sheets."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(safe_row(list(row)))  # user text that starts with "=" stays text
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def item_row(**kw: Any) -> list[Any]:
    base = {"省份": "广东省", "指标": "前沿关键核心技术", "名称": "某关键技术", "编号": "", "方向": "未来制造",
            "标志性产品类别": "", "牵头单位": "某研究院", "状态": "已完成", "完成日期": "2025-03-15",
            "证明材料": "", "备注": ""}
    base.update(kw)
    return [base[h] for h in ITEM_HEADERS]


def register(*rows: list[Any]) -> bytes:
    return xlsx({"成果清单": [ITEM_HEADERS, *rows]})


def zip_bomb(size: int = 300 * 2**20) -> bytes:
    """A zip shaped like an xlsx whose sheet inflates to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b"\0" * 2**20
            for _ in range(size // 2**20):
                fh.write(chunk)
    return out.getvalue()


def lying_zip_bomb() -> bytes:
    """A zip bomb whose central directory claims small sizes (declared sizes cannot be trusted)."""
    data = bytearray(zip_bomb(64 * 2**20))
    # Patch the declared uncompressed size of every entry in the local and central headers to 1 KiB.
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        struct.pack_into("<I", data, pos + 24, 1024)
        pos += 4
    pos = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        struct.pack_into("<I", data, pos + 22, 1024)
        pos += 4
    return bytes(data)


def entity_bomb(part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A valid workbook whose XML ``part`` declares the 'billion laughs' entities and uses them."""
    good = register(item_row())
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    laughs = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10)) + "]>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
                data = (laughs + body.replace("某研究院", "&lol9;")).encode("utf-8")
            zf.writestr(info, data)
    return out.getvalue()


def ole2(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (CFB v3, 512-byte sectors) holding the named streams.

    Every stream is padded to at least 4096 bytes so that it lives in regular sectors (no mini
    stream). Enough for a reader to find the directory entries, as in an encrypted OOXML package.
    """
    sector = 512
    names = list(streams)
    datas = [s.ljust(max(4096, -(-len(s) // sector) * sector), b"\0") for s in streams.values()]
    n_data = sum(len(d) // sector for d in datas)
    dir_sectors = 1 if len(names) + 1 <= 4 else -(-(len(names) + 1) // 4)
    fat_sectors = 1
    total = fat_sectors + dir_sectors + n_data
    assert total <= 128
    fat = [0xFFFFFFFD]  # the FAT sector itself
    for i in range(dir_sectors):
        fat.append(fat_sectors + i + 1 if i < dir_sectors - 1 else 0xFFFFFFFE)
    starts = []
    cur = fat_sectors + dir_sectors
    for d in datas:
        n = len(d) // sector
        starts.append(cur)
        for k in range(n):
            fat.append(cur + k + 1 if k < n - 1 else 0xFFFFFFFE)
        cur += n
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6, 0)
    struct.pack_into("<IIIIIIII", header, 40, 0, fat_sectors, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0)
    struct.pack_into("<I", header, 72, 0)
    for i in range(109):
        struct.pack_into("<I", header, 76 + 4 * i, 0 if i == 0 else 0xFFFFFFFF)

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        e = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        e[0:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", e, 116, start, size)
        return bytes(e)

    entries = [entry("Root Entry", 5, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0)]
    for i, (name, data) in enumerate(zip(names, streams.values())):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        entries.append(entry(name, 2, 0xFFFFFFFF, right, starts[i], len(data)))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\0")
    return bytes(header) + struct.pack("<128I", *fat) + directory + b"".join(datas)
