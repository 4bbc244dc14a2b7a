"""One error model: every refusal the tracker explains is a ``TrackerError``, a code and its parameters.

The texts live in YAML (``metrics/data/i18n/*.yaml``, keyed by the code, with ``<code>_fix`` for how to
fix it where there is something to do), so Chinese and English are rendered from the same record and
no caller keeps pre-rendered strings or cuts one text off another. ``render(exc, lang)`` is the one
way the app and the CLI turn any exception they show into words.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .i18n import t, translations


@dataclass(frozen=True)
class Text:
    """A parameter that is itself translated: an i18n key and its values, rendered per language."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str) -> str:
        # a value given per language ({"zh": "2025年9月30日", "en": "30 September 2025"}) takes the reader's
        return t(self.key, lang, **{k: v[lang] if isinstance(v, dict) and lang in v else v for k, v in self.values})

    def to_dict(self) -> dict[str, Any]:
        """A JSON form (a problem's params are stored with its submission)."""
        return {"$text": self.key, "values": dict(self.values)}


def rendered(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """``params`` with every ``Text`` rendered in ``lang`` (and stored ``Text`` forms read back)."""
    return {k: as_text(v).render(lang) if is_text(v) else v for k, v in params.items()}


def is_text(value: Any) -> bool:
    return isinstance(value, Text) or (isinstance(value, dict) and "$text" in value)


def as_text(value: Text | dict[str, Any]) -> Text:
    if isinstance(value, Text):
        return value
    return Text(value["$text"], tuple((value.get("values") or {}).items()))


class Blank(dict):
    """Format values where a placeholder the record does not carry renders empty, not a KeyError."""

    def __missing__(self, key: str) -> str:
        return ""


class TrackerError(Exception):
    """A refusal or failure the user is told about: ``code`` names its texts, ``params`` fill them.

    ``message(lang)`` says what went wrong, ``fix(lang)`` what to do ("" when there is nothing to do).
    Subclasses keep their names (``StoreError``, ``AuthError`` …) so ``except`` clauses stay precise.
    """

    # Prepended to the code to find its texts, where a code's name is already a UI key elsewhere.
    text_prefix: ClassVar[str] = ""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def text_key(self) -> str:
        return self.text_prefix + self.code

    def template(self, part: str, lang: str) -> str:
        """The raw text of ``part`` ("message" or "fix") in ``lang``; "" when the code has none."""
        key = self.text_key if part == "message" else f"{self.text_key}_fix"
        texts = translations().get(key)
        if texts is None:
            return self.text_key if part == "message" else ""
        return texts.get(lang) or texts.get("zh") or ""

    def text_values(self, lang: str) -> dict[str, Any]:
        """The parameters as the texts of ``lang`` use them."""
        return rendered(self.params, lang)

    def message(self, lang: str = "zh") -> str:
        """What went wrong, in ``lang``."""
        return self.template("message", lang).format_map(Blank(self.text_values(lang)))

    def fix(self, lang: str = "zh") -> str:
        """How to fix it, in ``lang`` ("" when there is nothing to do)."""
        return self.template("fix", lang).format_map(Blank(self.text_values(lang)))

    def __str__(self) -> str:
        return f"{self.message('zh')} / {self.message('en')}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its state, not by calling the constructor again: subclasses such as AccessDenied
        # take other arguments than the code, and an error may cross a process boundary (parse workers).
        return _restore, (type(self), self.__dict__.copy())


def _restore(cls: type[TrackerError], state: dict[str, Any]) -> TrackerError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, state.get("code", ""))
    exc.__dict__.update(state)
    return exc


def join(statement: str, fix: str, lang: str) -> str:
    """A statement followed by its fix: Chinese runs on, English takes a space."""
    if not fix:
        return statement
    return statement + (" " + fix if lang == "en" else fix)


def render(exc: BaseException, lang: str = "zh") -> str:
    """What the user is told about ``exc`` in ``lang``: the message and its fix for a ``TrackerError``,
    the exception's kind alone for anything else (its text may hold paths, URLs or secrets)."""
    if isinstance(exc, TrackerError):
        return join(exc.message(lang), exc.fix(lang), lang)
    return t("error_unexpected", lang, kind=type(exc).__name__)


def bilingual(exc: BaseException) -> str:
    """Both languages on one line, as the CLI prints a refusal on stderr."""
    return f"{render(exc, 'zh')} / {render(exc, 'en')}"


__all__ = ["Blank", "Text", "TrackerError", "bilingual", "join", "render", "rendered"]
