"""The page and type rules of the Word and PDF reports, read from metrics/data/report_styles.yaml.

One definition for both renderers: ``docx`` sets these sizes, fonts (East Asian slot) and the
document grid; ``pdf`` turns the same values into CSS (``css``). Derived measures (bottom and
right margins, line and character pitch) are computed here once.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import read_yaml

STYLES_FILE = Path(__file__).resolve().parents[1] / "data" / "report_styles.yaml"
MM_PER_PT = 25.4 / 72
ROLES = ("title", "body", "heading1", "heading2", "heading3", "meta", "table", "caption", "page_number")


@dataclass(frozen=True)
class Role:
    font: str
    size_pt: float
    bold: bool = False
    align: str = "left"
    indent_chars: int = 0


@dataclass(frozen=True)
class ReportStyle:
    name: str
    label: dict[str, str]
    width_mm: float
    height_mm: float
    top_mm: float
    left_mm: float
    text_width_mm: float
    text_height_mm: float
    lines: int
    chars: int
    latin: str
    roles: dict[str, Role]
    page_number_text: str
    page_number_position: str   # outside (odd right, even left) | center
    page_number_below_mm: float
    page_number_inset_chars: int
    fallback: dict[str, list[str]]

    @property
    def bottom_mm(self) -> float:
        return round(self.height_mm - self.top_mm - self.text_height_mm, 3)

    @property
    def right_mm(self) -> float:
        return round(self.width_mm - self.left_mm - self.text_width_mm, 3)

    @property
    def line_pitch_pt(self) -> float:
        """Distance between baselines so that ``lines`` lines fill the type area's height."""
        return self.text_height_mm / self.lines / MM_PER_PT

    @property
    def char_pitch_pt(self) -> float:
        """Advance of one character so that ``chars`` characters fill the type area's width."""
        return self.text_width_mm / self.chars / MM_PER_PT

    def role(self, name: str) -> Role:
        return self.roles[name]

    def font_stack(self, font: str) -> list[str]:
        """The font and the fallbacks installed where we render, in order."""
        return list(dict.fromkeys([font, *self.fallback.get(font, []), "Noto Serif CJK SC", "serif"]))


def _style(name: str, raw: dict[str, Any], fallback: dict[str, list[str]]) -> ReportStyle:
    page, grid, pn = raw["page"], raw["grid"], raw["page_number"]
    missing = [r for r in ROLES if r not in raw["roles"]]
    if missing:
        raise ValueError(f"report style '{name}' lacks the roles {', '.join(missing)}")
    roles = {k: Role(font=str(v["font"]), size_pt=float(v["size_pt"]), bold=bool(v.get("bold", False)),
                     align=str(v.get("align", "left")), indent_chars=int(v.get("indent_chars", 0)))
             for k, v in raw["roles"].items()}
    return ReportStyle(name=name, label=dict(raw["label"]), width_mm=float(page["width_mm"]),
                       height_mm=float(page["height_mm"]), top_mm=float(page["top_mm"]),
                       left_mm=float(page["left_mm"]), text_width_mm=float(page["text_width_mm"]),
                       text_height_mm=float(page["text_height_mm"]), lines=int(grid["lines"]),
                       chars=int(grid["chars"]), latin=str(raw["latin"]), roles=roles,
                       page_number_text=str(pn["text"]), page_number_position=str(pn["position"]),
                       page_number_below_mm=float(pn["below_text_mm"]),
                       page_number_inset_chars=int(pn.get("inset_chars", 0)), fallback=fallback)


@lru_cache(maxsize=1)
def report_styles() -> dict[str, ReportStyle]:
    """Every report style by name (official, briefing)."""
    raw = read_yaml(STYLES_FILE)
    fallback = {str(k): [str(x) for x in v] for k, v in (raw.get("fallback") or {}).items()}
    return {name: _style(name, s, fallback) for name, s in raw["styles"].items()}


STYLE_NAMES = ("official", "briefing")
DEFAULT_STYLE = "official"


def report_style(name: str | None = None) -> ReportStyle:
    """One report style; an unknown name is refused with the known ones listed."""
    styles = report_styles()
    key = name or DEFAULT_STYLE
    if key not in styles:
        raise ValueError(f"unknown report style '{key}'; choose one of {', '.join(styles)}")
    return styles[key]


def page_number_parts(style: ReportStyle) -> tuple[str, str]:
    """The text before and after the page number ("— ", " —")."""
    before, _, after = style.page_number_text.partition("{n}")
    return before, after


def css(style: ReportStyle) -> str:
    """The @page and type rules of the PDF, from the same values the Word renderer uses."""
    def family(role: str) -> str:
        return ", ".join(f'"{f}"' if f not in ("serif", "sans-serif") else f
                         for f in style.font_stack(style.role(role).font))

    def esc(text: str) -> str:
        return text.replace("\\", "\\5C ").replace('"', "\\22 ")

    before, after = page_number_parts(style)
    pn = style.role("page_number")
    inset_pt = style.page_number_inset_chars * style.char_pitch_pt
    number = (f'content: "{esc(before)}" counter(page) "{esc(after)}"; font-family: {family("page_number")}; '
              f"font-size: {pn.size_pt}pt; vertical-align: top; padding-top: {style.page_number_below_mm}mm;")
    if style.page_number_position == "outside":
        pages = (f"@page :right {{ @bottom-right {{ {number} text-align: right; padding-right: {inset_pt:.2f}pt; }} }}\n"
                 f"@page :left {{ @bottom-left {{ {number} text-align: left; padding-left: {inset_pt:.2f}pt; }} }}\n")
    else:
        pages = f"@page {{ @bottom-center {{ {number} }} }}\n"
    body = style.role("body")
    # Letter spacing makes `chars` characters fill the type area exactly, as Word's character grid does.
    spacing = style.char_pitch_pt - body.size_pt
    rules = [f"@page {{ size: {style.width_mm}mm {style.height_mm}mm; margin: {style.top_mm}mm {style.right_mm}mm "
             f"{style.bottom_mm}mm {style.left_mm}mm; }}", pages,
             f"body {{ font-family: {family('body')}; font-size: {body.size_pt}pt; line-height: "
             f"{style.line_pitch_pt:.2f}pt; letter-spacing: {spacing:.3f}pt; }}",
             f"p.summary, p.finding {{ text-indent: {body.indent_chars}em; }}"]
    for role, selector in (("title", "h1"), ("heading1", "h2"), ("heading2", "h3"), ("heading3", "h4"),
                           ("table", "table.data"), ("caption", ".caption"), ("meta", ".meta td")):
        r = style.role(role)
        line = f"line-height: {style.line_pitch_pt:.2f}pt;" if role.startswith("heading") else ""
        rules.append(f"{selector} {{ font-family: {family(role)}; font-size: {r.size_pt}pt; "
                     f"font-weight: {'bold' if r.bold else 'normal'}; {line} }}")
    return "\n".join(rules)
