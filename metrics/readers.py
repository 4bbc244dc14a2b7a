"""Raw sheet grids from the bytes of an uploaded file, safely.

The file's real type is sniffed from its bytes (never from its name); zip containers are checked
for bombs and XML parts for DTDs (entity bombs) before any parser opens them; sheets are read with
python-calamine (xlrd for an .xls calamine rejects); CSV text has its encoding detected. The only
exception raised is ``ReadError``, which carries a problem code and a reason key for the message.
"""
from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from .errors import TrackerError
from .i18n import t

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Types people rename to .xlsx by mistake: name them in the message.
OTHER_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"BM", "BMP"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7z"), (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "RTF"), (b"<?xml", "XML"), (b"<html", "HTML"), (b"<!DOCTYPE", "HTML"), (b"<HTML", "HTML"),
)

MAX_BYTES = 50 * 2**20          # upload size limit (configurable per call)
MAX_UNZIPPED = 1024 * 2**20     # total decompressed size of a workbook's zip entries
MAX_RATIO = 400                 # decompressed : compressed, per entry larger than RATIO_FLOOR
RATIO_FLOOR = 2**20             # small entries may compress extremely well (empty styles …)
MAX_CELLS = 20_000_000          # used range of one sheet (rows × columns)
_CHUNK = 2**20


class ReadError(TrackerError):
    """The file cannot be read: ``code`` is a problem code (problems.yaml), ``reason`` an i18n key saying why."""

    def __init__(self, code: str, reason: str = "", **params: Any):
        super().__init__(code, **params)
        self.reason = reason

    def template(self, part: str, lang: str) -> str:
        from .problems import problem_specs

        return problem_specs()[self.code].get(f"{part}_{lang}", "")

    def text_values(self, lang: str) -> dict[str, Any]:
        """The parameters, with the reason rendered in ``lang`` from them."""
        values = super().text_values(lang)
        if self.reason:
            values["reason"] = t(self.reason, lang, **values)
        return values


@dataclass
class SheetGrid:
    """One sheet as read: ``rows[i][j]`` is Excel row i+1, column j+1 (values as stored, cached for formulas)."""

    name: str
    rows: list[list[Any]]
    visible: str = "visible"                  # visible | hidden | very_hidden
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based (r0, c0, r1, c1) inclusive
    too_large: bool = False                   # used range over MAX_CELLS: not read


@dataclass
class Workbook:
    """Every sheet of one file, with the detected file type (xlsx, xls, csv) and text encoding."""

    kind: str
    sheets: list[SheetGrid]
    encoding: str | None = None


_BINARY_BYTES = bytes([*range(0, 9), *range(14, 32)])  # control bytes a text file does not hold (not \t \n \r)
# Spreadsheet formats we do not read, named so the message can say what the file is and how to
# save it as .xlsx (a "neither spreadsheet nor text" answer sends officers to the wrong fix).
_XML_SPREADSHEETS = ((b"urn:schemas-microsoft-com:office:spreadsheet", "Excel 2003 XML"),
                     (b"opendocument", "OpenDocument flat XML (.fods)"), (b"office:document", "OpenDocument flat XML (.fods)"))
_BIFF234 = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BOF records of Excel 2.x-4.0 worksheets
_OTHER_BINARY = ((b"\x28\xb5\x2f\xfd", "zstd"), (b"\x00\x00\x02\x00", "Lotus 1-2-3"), (b"\x00\x00\x1a\x00", "Lotus 1-2-3"))


def sniff_kind(content: bytes) -> str:
    """The real type of a file from its bytes: xlsx, ods, xlsb (zips), xls (OLE2 or BIFF2-4), csv, or raises."""
    if not content:
        raise ReadError("unreadable_file", "ingest_reason_empty")
    head = content[:16]
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(content)
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head[:2] in _BIFF234 and head[3:4] == b"\x00":
        return "biff"
    for magic, name in _OTHER_BINARY:
        if head.startswith(magic):
            raise ReadError("unreadable_file", "ingest_reason_unsupported_format", kind=name)
    low = content[:4096].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if low.startswith((b"<?xml", b"<workbook", b"<office:")):
        for marker, name in _XML_SPREADSHEETS:
            if marker in content[:4096]:
                raise ReadError("unreadable_file", "ingest_reason_unsupported_format", kind=name)
    if low.startswith((b"<html", b"<!doctype html", b"<table")):
        raise ReadError("unreadable_file", "ingest_reason_unsupported_format", kind="HTML")
    for magic, name in OTHER_MAGIC:
        if head.startswith(magic):
            raise ReadError("unreadable_file", "ingest_reason_other_type", kind=name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(content):
        return "csv"  # UTF-16 text (Excel's "Unicode text")
    # A stray NUL in a text file is cleaned at ingest (clean_text): only many NULs or a head where
    # control bytes are common (over 1 %) mean binary.
    head = content[:8192]
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    if head.count(b"\x00") > 8 or (b"\x00" in head and controls * 100 > len(head)):
        raise ReadError("unreadable_file", "ingest_reason_binary")
    return "csv"


def _utf16_without_bom(content: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes are UTF-16 text without a byte-order mark, else None."""
    chunk = content[:2048]
    chunk = chunk[:len(chunk) // 2 * 2]
    if len(chunk) < 32:
        return None
    for enc, zeros, other in (("utf-16-le", chunk[1::2], chunk[0::2]), ("utf-16-be", chunk[0::2], chunk[1::2])):
        # ASCII punctuation and digits leave a zero byte on one side of every pair; Chinese text
        # fills both, so a fifth of the pairs is enough, with (almost) no zeros on the other side.
        if zeros.count(0) < 0.2 * len(zeros) or other.count(0) > 0.02 * len(other):
            continue
        try:
            text = chunk.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and sum(c.isprintable() or c in "\r\n\t" for c in text) > 0.95 * len(text):
            return enc
    return None


def _zip_kind(content: bytes) -> str:
    """Which zip-based spreadsheet: ods (mimetype entry), xlsb (binary parts), or xlsx/xlsm."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        names = set(zf.namelist())
        if "mimetype" in names:
            mime = zf.read("mimetype")[:100]
            if b"opendocument.spreadsheet" in mime:
                return "ods"
            raise ReadError("unreadable_file", "ingest_reason_unsupported_format", kind=mime.decode("ascii", "replace"))
        if any(n.startswith("Index/") or n.endswith(".iwa") for n in names):
            raise ReadError("unreadable_file", "ingest_reason_unsupported_format", kind="Apple Numbers")
        if any(n.startswith("xl/") and n.endswith(".bin") and "/worksheets/" in n for n in names):
            return "xlsb"
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError,
            zlib.error):
        pass  # check_zip says "damaged"
    return "xlsx"


# ---- zip containers (xlsx, xlsm, xlsb, ods) ----------------------------------------------------------------
def check_zip(content: bytes, max_unzipped: int = MAX_UNZIPPED, max_ratio: int = MAX_RATIO,
              kind: str = "xlsx") -> None:
    """Raise ReadError for a zip that is corrupt, encrypted, a bomb, or carries a DTD in an XML part.

    Declared sizes are checked first (cheap); then every entry is inflated in bounded chunks,
    counting real bytes against the cap (declared sizes can lie) and reading each XML prolog.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None
    names = {i.filename for i in infos}
    if "EncryptedPackage" in names or any(i.flag_bits & 0x1 for i in infos):
        raise ReadError("encrypted_file")
    if kind != "ods" and "[Content_Types].xml" not in names:
        raise ReadError("unreadable_file", "ingest_reason_not_workbook")
    declared = 0
    for info in infos:
        declared += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if declared > max_unzipped or (info.file_size > RATIO_FLOOR and ratio > max_ratio):
            raise ReadError("unreadable_file", "ingest_reason_bomb")
    total = 0
    for info in infos:
        try:
            with zf.open(info) as fh:
                xml: bool | None = None  # decided from the part's first bytes, whatever its name
                tail = b""
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > max_unzipped:
                        raise ReadError("unreadable_file", "ingest_reason_bomb")
                    if xml is None:
                        xml = chunk.lstrip(b"\xef\xbb\xbf").lstrip()[:1] == b"<"
                    if xml:
                        # A DTD anywhere in any XML part (not only the prolog of the usual names):
                        # the tail of the previous chunk catches a declaration split across chunks.
                        _check_dtd(tail + chunk)
                        tail = chunk[-16:]
        except ReadError:
            raise
        # zipfile signals an unsupported compression method with NotImplementedError: a corrupt file to us.
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError):
            raise ReadError("unreadable_file", "ingest_reason_corrupt") from None


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def _check_dtd(chunk: bytes) -> None:
    """Office XML never carries a DTD: a DOCTYPE or ENTITY declaration is an entity bomb or an XXE attack.

    Markup ``<!`` cannot occur in escaped text, so a match is a declaration (or one inside a comment,
    which no Office writer produces): refused rather than risking a parser that expands it.
    """
    if b"<!" in chunk and _DTD.search(chunk):  # the find is a fast path over megabytes of sheet XML
        raise ReadError("unreadable_file", "ingest_reason_dtd")


# ---- spreadsheets through calamine ------------------------------------------------------------
def _visibility(meta: Any) -> str:
    name = str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1].lower()
    return {"hidden": "hidden", "veryhidden": "very_hidden"}.get(name, "visible")


def _reraise_interrupts(exc: BaseException) -> None:
    """Ctrl-C, interpreter exit and running out of memory are not file problems: let them through
    (read_file answers a MemoryError itself; in a parse worker it names the memory limit)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def read_calamine(content: bytes) -> list[SheetGrid]:
    """Every worksheet of an xlsx/xlsm/xls as a grid anchored at A1 (cached values for formulas)."""
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except pc.PasswordError:
        raise ReadError("encrypted_file") from None
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException, a BaseException
        _reraise_interrupts(exc)
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None
    grids: list[SheetGrid] = []
    try:
        for meta in wb.sheets_metadata:
            if "work" not in str(getattr(meta, "typ", "WorkSheet")).lower():
                continue  # chart sheets and macro sheets hold no rows
            sheet = wb.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is None:
                grids.append(SheetGrid(meta.name, [], _visibility(meta)))
                continue
            if (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
                grids.append(SheetGrid(meta.name, [], _visibility(meta), too_large=True))
                continue
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            grids.append(SheetGrid(meta.name, rows, _visibility(meta), merged))
    except ReadError:
        raise
    except pc.PasswordError:
        raise ReadError("encrypted_file") from None
    except BaseException as exc:  # PanicException again (a sheet calamine cannot decode)
        _reraise_interrupts(exc)
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None
    finally:
        wb.close()
    return grids


def read_openpyxl(content: bytes) -> list[SheetGrid]:
    """The worksheets of an OOXML package calamine refuses, through openpyxl (read-only, cached values)."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about the parts it skips (macro sheets …)
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            grids = []
            for ws in wb.worksheets:
                state = {"hidden": "hidden", "veryHidden": "very_hidden"}.get(ws.sheet_state, "visible")
                if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
                    grids.append(SheetGrid(ws.title, [], state, too_large=True))
                    continue
                rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
                grids.append(SheetGrid(ws.title, rows, state))
            wb.close()
            return grids
    except MemoryError:
        raise
    except Exception:
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None


def read_xlrd(content: bytes) -> list[SheetGrid]:
    """An .xls through xlrd, for the files calamine rejects (dates converted, merged ranges kept)."""
    import xlrd

    log = io.StringIO()  # xlrd prints its warnings to stdout by default, which breaks --json output
    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=False, on_demand=True, logfile=log)
        return [_xlrd_sheet(book, idx) for idx in range(book.nsheets)]
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ReadError("encrypted_file") from None
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None
    except MemoryError:
        raise
    except Exception:  # xlrd raises struct/index/assertion errors on damaged records, even in sheet_by_index
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None


def _xlrd_sheet(book: Any, idx: int) -> SheetGrid:
    import datetime as dt

    import xlrd

    sh = book.sheet_by_index(idx)
    visible = {0: "visible", 1: "hidden", 2: "very_hidden"}.get(getattr(sh, "visibility", 0), "visible")
    if sh.nrows * max(sh.ncols, 1) > MAX_CELLS:
        return SheetGrid(sh.name, [], visible, too_large=True)
    rows = []
    for r in range(sh.nrows):
        row = []
        for cell in sh.row(r):
            v: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                    if v.time() == dt.time(0):
                        v = v.date()
                except (ValueError, OverflowError):
                    pass
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                v = bool(v)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                v = ""
            row.append(v)
        rows.append(row)
    merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in (getattr(sh, "merged_cells", None) or [])]
    return SheetGrid(sh.name, rows, visible, merged)


def is_encrypted_ole2(content: bytes) -> bool:
    """An OLE2 container holding an encrypted OOXML package (EncryptionInfo stream) or a BIFF FILEPASS."""
    # Directory entry names are UTF-16LE; an encrypted OOXML package always has these two streams.
    return "EncryptionInfo".encode("utf-16-le") in content or "EncryptedPackage".encode("utf-16-le") in content


# ---- CSV text -----------------------------------------------------------------------------------
_CJK_ENCODINGS = {"gbk", "gb2312", "gb18030", "hz", "cp936"}


def detect_encoding(content: bytes) -> str:
    """The text encoding of CSV bytes: BOMs, then strict UTF-8, then GB18030 when the detector agrees."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    bomless = _utf16_without_bom(content)
    if bomless:
        return bomless
    try:
        content.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    guess = (best.encoding if best else "").lower().replace("_", "")
    candidates = (["gb18030"] if guess in _CJK_ENCODINGS or not guess else [guess, "gb18030"])
    for enc in candidates:
        try:
            content.decode(enc)
            return "gbk" if enc == "gb18030" and _is_gbk(content) else enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReadError("unreadable_file", "ingest_reason_encoding")


def _is_gbk(content: bytes) -> bool:
    try:
        content.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def read_csv(content: bytes) -> tuple[list[SheetGrid], str]:
    """CSV (or tab-separated) text as one grid named after nothing ('CSV'), with its encoding."""
    encoding = detect_encoding(content)
    text = content.decode("gb18030" if encoding == "gbk" else encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ReadError("unreadable_file", "ingest_reason_corrupt") from None
    width = max((len(r) for r in rows), default=0)
    if len(rows) * max(width, 1) > MAX_CELLS:
        # sheet_too_large names the limit; too_large's template wants sizes in MB, which were left blank here
        raise ReadError("sheet_too_large", "", sheet="CSV", limit=f"{MAX_CELLS:,}")
    for r in rows:
        if len(r) < width:
            r.extend([""] * (width - len(r)))
    return [SheetGrid("CSV", rows)], encoding


def _damaged(content: bytes, kind: str) -> ReadError:
    """The refusal of a file of a format we read that no reader decodes: encrypted when its own
    structure says so (an .ods manifest's encryption data, a BIFF FILEPASS record), else damaged."""
    if kind == "ods" and _ods_encrypted(content):
        return ReadError("encrypted_ods")
    if kind == "xls" and has_filepass(content):
        return ReadError("encrypted_file")
    if kind == "xls" and not any(n.encode("utf-16-le") in content for n in ("Workbook", "Book")):
        return ReadError("unreadable_file", "ingest_reason_corrupt")  # an OLE2 file with no workbook in it
    return ReadError("damaged_file", kind=f".{kind}")


def _ods_encrypted(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            info = z.getinfo("META-INF/manifest.xml")
            if info.file_size > 4 * 2**20:
                return False
            return b"encryption-data" in z.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return False


_BIFF_BOF = re.compile(rb"\x09\x08[\x08\x10]\x00")


def has_filepass(content: bytes, sector: int = 512) -> bool:
    """A BIFF8 workbook stream (a BOF record at a sector boundary) whose records before EOF include
    FILEPASS (0x002F): the workbook is encrypted, even when its container is too damaged to open."""
    for m in _BIFF_BOF.finditer(content):
        if m.start() % sector:
            continue
        i = m.start()
        for _ in range(64):
            if i + 4 > len(content):
                break
            rid, size = struct.unpack_from("<HH", content, i)
            if rid == 0x002F:
                return True
            if rid == 0x000A:  # EOF of the globals
                break
            i += 4 + size
    return False


def read_workbook(content: bytes, max_bytes: int = MAX_BYTES) -> Workbook:
    """Every sheet of a spreadsheet file as raw grids; raises ReadError when the file cannot be read."""
    if len(content) > max_bytes:
        raise ReadError("too_large", "", size_mb=round(len(content) / 2**20, 1), limit_mb=round(max_bytes / 2**20, 1))
    kind = sniff_kind(content)
    if kind in ("xlsx", "xlsb", "ods"):
        if kind == "xlsx":
            from .budget import check_budget  # declared sheet sizes, before inflating or parsing anything

            check_budget(content)
        check_zip(content, max_unzipped=max(MAX_UNZIPPED, 20 * max_bytes), kind=kind)
        try:
            return Workbook(kind, read_calamine(content))
        except ReadError as exc:
            if exc.code != "unreadable_file":
                raise
            if kind != "xlsx":  # an .ods or .xlsb calamine cannot decode: encrypted, else damaged
                raise _damaged(content, kind) from None
            # calamine refuses some valid .xlsm (Excel 4 macro sheets, dialog sheets): openpyxl reads
            # their worksheets. A file neither reads is damaged.
            return Workbook(kind, read_openpyxl(content))
    if kind == "biff":  # Excel 2.x-4.0 worksheet: only xlrd reads these
        return Workbook("xls", read_xlrd(content))
    if kind == "xls":
        if is_encrypted_ole2(content):
            raise ReadError("encrypted_file")
        try:
            return Workbook("xls", read_calamine(content))
        except ReadError as exc:
            if exc.code == "encrypted_file":
                raise
        try:
            return Workbook("xls", read_xlrd(content))
        except ReadError as exc:
            if exc.code != "unreadable_file":
                raise
            raise _damaged(content, "xls") from None
    grids, encoding = read_csv(content)
    return Workbook("csv", grids, encoding)
