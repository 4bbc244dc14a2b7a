"""The metric catalog of the policy: metrics, targets, dimensions and regions, read from data files.

The data lives in ``metrics/data/*.yaml``; this module validates it into pydantic models and
answers the questions other modules ask of it (resolve an alias, find a target, quote a clause).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .datafiles import parse_yaml
from .errors import TrackerError
from .quantity import Qualifier, parse_quantity
from .text import alias_key

DATA_DIR = Path(__file__).parent / "data"
Kind = Literal["count", "value", "qualitative"]


class CatalogError(TrackerError, ValueError):
    """A catalog or overlay file that does not validate; names the file, the entry and the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(_Model):
    section: str
    quote: str = Field(min_length=2)


class TargetSpec(_Model):
    """One target of one metric: a number (or none for 一批) by a deadline."""

    value: float | None = Field(default=None, ge=0)
    qualifier: Qualifier = "eq"
    text_zh: str | None = None
    text_en: str | None = None
    deadline: dt.date
    clause: Clause | None = None
    province: str | None = None  # None: the national target
    # Set for a target of a successor plan (metrics/data/plans/*.yaml): the plan's id and the deadline
    # of the target it succeeds (the policy's 2025 figure, say).
    plan: str | None = None
    succeeds: dt.date | None = None

    @property
    def is_batch(self) -> bool:
        """The policy's 一批: a target with no number."""
        return self.value is None


class MetricDef(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    unit: str = ""
    unit_en: str = ""
    kind: Kind
    aliases: list[str] = []
    tasks: list[int] = []
    targets: list[TargetSpec] = []
    clause: Clause | None = None
    national: bool = True  # False: defined for provincial plans, no national target
    province: str | None = None  # set for a custom metric of one province

    @model_validator(mode="after")
    def _check(self) -> "MetricDef":
        if self.kind != "qualitative" and not self.unit:
            raise ValueError(f"metric '{self.id}' of kind {self.kind} needs a unit")
        if self.national and not self.targets:
            raise ValueError(f"national metric '{self.id}' needs at least one target")
        if self.national and any(t.clause is None for t in self.targets if t.province is None):
            raise ValueError(f"every target of national metric '{self.id}' needs a clause")
        deadlines = [t.deadline for t in self.targets if t.province is None]
        if len(deadlines) != len(set(deadlines)):
            raise ValueError(f"metric '{self.id}' has two national targets with the same deadline")
        bad = [t for t in self.tasks if not 1 <= t <= 16]
        if bad:
            raise ValueError(f"metric '{self.id}' names tasks {bad}; tasks are numbered 1-16")
        return self

    @property
    def source_clause(self) -> Clause | None:
        """The clause that defines the metric: its own, or its first target's."""
        if self.clause is not None:
            return self.clause
        return next((t.clause for t in self.targets if t.clause is not None), None)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    def unit_label(self, lang: str = "zh") -> str:
        return (self.unit_en or self.unit) if lang == "en" else self.unit


class Direction(_Model):
    id: str
    name_zh: str
    name_en: str
    aliases: list[str] = []
    quote: str
    fields: list[str] = Field(min_length=1)


class Flagship(_Model):
    id: str
    name_zh: str
    name_en: str
    direction: str
    aliases: list[str] = []
    quote: str


class TaskGroup(_Model):
    id: int
    roman: str
    name_zh: str
    name_en: str


class Task(_Model):
    number: int = Field(ge=1, le=16)
    group: int = Field(ge=1, le=6)
    name_zh: str
    name_en: str


class Level(_Model):
    id: str
    name_zh: str
    name_en: str
    score: int | None = None
    aliases: list[str] = []


class Region(_Model):
    code: str = Field(pattern=r"^\d{6}$")
    name: str
    short: str
    name_en: str
    kind: Literal["province", "autonomous_region", "municipality", "plan_city", "corps"]
    parent: str | None = None
    aliases: list[str] = []


class Policy(_Model):
    id: str
    number: str
    title_zh: str
    title_en: str
    date: dt.date
    source_file: str


class ProvincialTarget(_Model):
    """A target from a province's own plan, as supplied by its 目标设定 sheet or an overlay file."""

    metric: str  # a catalog id or the id of a custom metric of the overlay
    value: float | None = Field(default=None, ge=0)
    qualifier: Qualifier = "eq"
    unit: str = ""
    deadline: dt.date
    text: str = ""  # the target as written, e.g. "100项以上"
    note: str = ""


class ProvincialOverlay(_Model):
    """A province's own plan: custom metrics and targets (several deadlines per metric allowed)."""

    province: str
    metrics: list[MetricDef] = []
    targets: list[ProvincialTarget] = []


class Catalog(_Model):
    policy: Policy
    metrics: list[MetricDef]
    provincial_metrics: list[MetricDef] = []
    directions: list[Direction]
    flagship: list[Flagship]
    task_groups: list[TaskGroup]
    tasks: list[Task]
    levels: list[Level]
    statuses: list[Level]
    regions: list[Region]
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @model_validator(mode="before")
    @classmethod
    def _provincial_defaults(cls, data: Any) -> Any:
        # The provincial metrics of catalog.yaml carry no national target.
        if isinstance(data, dict) and isinstance(data.get("provincial_metrics"), list):
            data = {**data, "provincial_metrics": [
                {"national": False, **m} if isinstance(m, dict) else m for m in data["provincial_metrics"]]}
        return data

    @model_validator(mode="after")
    def _check(self) -> "Catalog":
        ids = [m.id for m in self.all_metrics]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate metric ids {sorted(dup)}")
        if sorted(t.number for t in self.tasks) != list(range(1, 17)):
            raise ValueError("tasks must be numbered 1 to 16, each once")
        dirs = {d.id for d in self.directions}
        for f in self.flagship:
            if f.direction not in dirs:
                raise ValueError(f"flagship '{f.id}' names unknown direction '{f.direction}'")
        names = {r.name for r in self.regions}
        for r in self.regions:
            if r.parent and r.parent not in names:
                raise ValueError(f"region '{r.name}' names unknown parent '{r.parent}'")
        return self

    # ---- lookups -------------------------------------------------------------------------
    @property
    def all_metrics(self) -> list[MetricDef]:
        return [*self.metrics, *self.provincial_metrics]

    @cached_property
    def metric_by_id(self) -> dict[str, MetricDef]:
        return {m.id: m for m in self.all_metrics}

    def metric(self, metric_id: str) -> MetricDef:
        return self.metric_by_id[metric_id]

    @property
    def countable_metrics(self) -> list[MetricDef]:
        """National metrics that are counted or summed (not qualitative)."""
        return [m for m in self.metrics if m.kind != "qualitative"]

    @property
    def qualitative_metrics(self) -> list[MetricDef]:
        return [m for m in self.metrics if m.kind == "qualitative"]

    @cached_property
    def region_by_name(self) -> dict[str, Region]:
        return {r.name: r for r in self.regions}

    @cached_property
    def direction_by_id(self) -> dict[str, Direction]:
        return {d.id: d for d in self.directions}

    @cached_property
    def flagship_by_id(self) -> dict[str, Flagship]:
        return {f.id: f for f in self.flagship}

    @cached_property
    def task_by_number(self) -> dict[int, Task]:
        return {t.number: t for t in self.tasks}

    @cached_property
    def _alias_tables(self) -> dict[str, dict[str, str]]:
        tables: dict[str, dict[str, str]] = {}

        def table(entries: list[tuple[str, list[str]]]) -> dict[str, str]:
            out: dict[str, str] = {}
            for canonical, aliases in entries:
                for a in aliases:
                    out.setdefault(alias_key(a), canonical)
            return out

        tables["metric"] = table([(m.id, [m.id, m.name_zh, m.name_en, *m.aliases]) for m in self.all_metrics])
        tables["province"] = table([(r.name, [r.name, r.short, r.name_en, r.code, *r.aliases]) for r in self.regions])
        tables["direction"] = table([(d.id, [d.id, d.name_zh, d.name_en, *d.aliases]) for d in self.directions])
        tables["flagship"] = table([(f.id, [f.id, f.name_zh, f.name_en, *f.aliases]) for f in self.flagship])
        tables["level"] = table([(lv.id, [lv.id, lv.name_zh, lv.name_en, *lv.aliases]) for lv in self.levels])
        tables["status"] = table([(s.id, [s.id, s.name_zh, s.name_en, *s.aliases]) for s in self.statuses])
        tables["task"] = table([(str(t.number), [str(t.number), t.name_zh, t.name_en, f"{t.number}.{t.name_zh}"])
                                for t in self.tasks])
        tables["qualitative"] = tables["metric"]
        return tables

    def resolve(self, dimension: str, text: object) -> str | None:
        """The canonical key for ``text`` in one dimension (metric, province, direction, flagship,
        level, status, task), or None when it is not known."""
        if text is None:
            return None
        key = alias_key(str(text))
        if not key:
            return None
        return self._alias_tables[dimension].get(key)

    def resolve_metric(self, text: object) -> str | None:
        return self.resolve("metric", text)

    def resolve_province(self, text: object) -> str | None:
        return self.resolve("province", text)

    def national_target(self, metric_id: str, deadline: dt.date | None = None) -> TargetSpec | None:
        m = self.metric_by_id.get(metric_id)
        if m is None:
            return None
        nat = [t for t in m.targets if t.province is None]
        if deadline is not None:
            nat = [t for t in nat if t.deadline == deadline]
        return nat[0] if nat else None

    def label(self, dimension: str, key: str, lang: str = "zh") -> str:
        """The display name of a canonical key in a dimension."""
        attr = "name_en" if lang == "en" else "name_zh"
        if dimension == "metric":
            m = self.metric_by_id.get(key)
            return getattr(m, attr) if m else key
        if dimension == "province":
            r = self.region_by_name.get(key)
            return (r.name_en if lang == "en" else r.name) if r else key
        if dimension == "direction":
            d = self.direction_by_id.get(key)
            return getattr(d, attr) if d else key
        if dimension == "flagship":
            f = self.flagship_by_id.get(key)
            return getattr(f, attr) if f else key
        if dimension in ("level", "status"):
            for lv in (self.levels if dimension == "level" else self.statuses):
                if lv.id == key:
                    return getattr(lv, attr)
            return key
        if dimension == "task":
            t = self.task_by_number.get(int(key))
            return getattr(t, attr) if t else str(key)
        raise KeyError(dimension)

    def policy_text(self) -> str:
        return (DATA_DIR / self.policy.source_file).read_text(encoding="utf-8")

    # ---- provincial overlays ----------------------------------------------------------------
    def custom_metric_id(self, name: str) -> str:
        """A stable id for a metric a province names that the catalog does not know."""
        return "custom_" + hashlib.sha1(alias_key(name).encode("utf-8")).hexdigest()[:8]

    def check_overlay(self, overlay: ProvincialOverlay, source: str = "overlay") -> list[str]:
        """Problems of an overlay against this catalog, as readable sentences (empty when valid)."""
        problems: list[str] = []
        if overlay.province not in self.region_by_name:
            problems.append(f"{source}: province '{overlay.province}' is not a known region")
        custom = {m.id: m for m in overlay.metrics}
        for i, t in enumerate(overlay.targets):
            m = custom.get(t.metric) or self.metric_by_id.get(t.metric)
            where = f"{source}: targets[{i}] ({t.metric})"
            if m is None:
                problems.append(f"{where}: metric is neither in the catalog nor defined in the overlay")
                continue
            if m.kind == "qualitative":
                problems.append(f"{where}: a qualitative goal takes a self-assessment, not a number")
            if t.unit and m.unit and t.unit != m.unit:
                problems.append(f"{where}: unit '{t.unit}' differs from the metric's unit '{m.unit}'")
            if t.deadline <= self.policy.date:
                problems.append(f"{where}: deadline {t.deadline} is not after the policy date {self.policy.date}")
        seen = set()
        for t in overlay.targets:
            k = (t.metric, t.deadline)
            if k in seen:
                problems.append(f"{source}: two targets for {t.metric} with deadline {t.deadline}")
            seen.add(k)
        return problems

    def with_overlay(self, overlay: ProvincialOverlay) -> "Catalog":
        """This catalog plus a province's custom metrics and its targets (marked with the province)."""
        problems = self.check_overlay(overlay)
        if problems:
            raise CatalogError("catalog_invalid", file="overlay", entry=overlay.province, field="targets",
                               detail="; ".join(problems))
        metrics = {m.id: m for m in self.all_metrics}
        for m in overlay.metrics:
            metrics.setdefault(m.id, m.model_copy(update={"national": False, "province": overlay.province}))
        for t in overlay.targets:
            m = metrics[t.metric]
            spec = TargetSpec(value=t.value, qualifier=t.qualifier, text_zh=t.text or None,
                              deadline=t.deadline, province=overlay.province, clause=None)
            metrics[t.metric] = m.model_copy(update={"targets": [*m.targets, spec]})
        national = [metrics[m.id] for m in self.metrics]
        others = [m for k, m in metrics.items() if k not in {n.id for n in self.metrics}]
        # A fresh instance, not model_copy: the cached lookup tables must be rebuilt.
        fields = {k: getattr(self, k) for k in type(self).model_fields}
        return type(self)(**{**fields, "metrics": national, "provincial_metrics": others})


class PlanSource(_Model):
    id: str = Field(min_length=1)
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    # The text the clauses quote: a file next to the plan file, or the policy text (policy_zh.txt).
    source_file: str | None = None


class PlanEntry(_Model):
    """One target of a successor plan: the metric, the target it succeeds, its own figure and clause."""

    metric: str
    succeeds: dt.date
    deadline: dt.date
    value: float | None = Field(default=None, ge=0)
    qualifier: Qualifier = "eq"
    text_zh: str | None = None
    text_en: str | None = None
    clause: Clause


class Plan(_Model):
    """A successor plan (``metrics/data/plans/*.yaml``): national targets that follow the policy's."""

    plan: PlanSource
    successors: list[PlanEntry] = []
    folder: str = ""  # where the file was read (to find ``source_file``)

    def source_text(self, catalog: "Catalog") -> str:
        """The text every clause of the plan must quote."""
        if self.plan.source_file:
            return (Path(self.folder) / self.plan.source_file).read_text(encoding="utf-8")
        return catalog.policy_text()


def check_plan(plan: Plan, catalog: "Catalog", source: str = "plan") -> list[str]:
    """Problems of a successor plan against the catalog, as readable sentences (empty when valid):
    every entry names a national catalog metric and a target of it that exists, a later deadline,
    and a clause quoted word for word from the plan's source text."""
    problems: list[str] = []
    text = plan.source_text(catalog)
    for i, e in enumerate(plan.successors):
        where = f"{source}: successors[{i}] ({e.metric})"
        m = catalog.metric_by_id.get(e.metric)
        if m is None or not m.national or m.kind == "qualitative":
            problems.append(f"{where}: not a national metric of the catalog")
            continue
        deadlines = {t.deadline for t in m.targets if t.province is None}
        if e.succeeds not in deadlines:
            problems.append(f"{where}: the metric has no national target due {e.succeeds} to succeed")
        if e.deadline <= e.succeeds:
            problems.append(f"{where}: deadline {e.deadline} is not after the target it succeeds ({e.succeeds})")
        if e.deadline in deadlines:
            problems.append(f"{where}: the metric already has a national target due {e.deadline}")
        if e.clause.quote not in text:
            problems.append(f"{where}: the clause quote is not in the plan's source text")
        if e.value is None and not e.text_zh:
            problems.append(f"{where}: a target with no number needs text_zh (the words of the plan)")
    return problems


def load_plan_file(path: str | Path, catalog: "Catalog") -> Plan:
    """Read and check one successor plan file."""
    path = Path(path)
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
        plan = Plan.model_validate({**data, "folder": str(path.parent)})
    except yaml.YAMLError as exc:
        raise CatalogError("catalog_bad_yaml", file=path.name, error=str(exc)) from None
    except ValidationError as exc:
        raise _catalog_error(path.name, exc, data) from None
    problems = check_plan(plan, catalog, path.name)
    if problems:
        raise CatalogError("catalog_invalid", file=path.name, entry=plan.plan.id, field="successors",
                           detail="; ".join(problems))
    return plan


def with_plans(catalog: "Catalog", plans: list[Plan]) -> "Catalog":
    """The catalog with the successor plans' targets added to their metrics as national targets."""
    if not plans:
        return catalog
    metrics = {m.id: m for m in catalog.metrics}
    for plan in plans:
        for e in plan.successors:
            m = metrics[e.metric]
            if any(t.province is None and t.deadline == e.deadline for t in m.targets):
                raise CatalogError("catalog_invalid", file=plan.plan.id, entry=e.metric, field="deadline",
                                   detail=f"two national targets for {e.metric} due {e.deadline}")
            spec = TargetSpec(value=e.value, qualifier=e.qualifier, text_zh=e.text_zh, text_en=e.text_en,
                              deadline=e.deadline, clause=e.clause, plan=plan.plan.id, succeeds=e.succeeds)
            targets = sorted([*m.targets, spec], key=lambda t: (t.province or "", t.deadline))
            metrics[e.metric] = m.model_copy(update={"targets": targets})
    fields = {k: getattr(catalog, k) for k in type(catalog).model_fields}
    return type(catalog)(**{**fields, "metrics": [metrics[m.id] for m in catalog.metrics]})


PLANS_DIR = DATA_DIR / "plans"


def load_plans(paths: list[Path] | None = None, catalog: "Catalog | None" = None) -> list[Plan]:
    """The successor plans of ``paths`` (default: every ``metrics/data/plans/*.yaml``), in name order."""
    catalog = catalog or load_catalog_from(DEFAULT_FILES)
    paths = sorted(PLANS_DIR.glob("*.yaml")) if paths is None else list(paths)
    return [load_plan_file(p, catalog) for p in paths]


def parse_overlay(data: dict[str, Any], catalog: "Catalog", source: str = "overlay") -> ProvincialOverlay:
    """Validate a province's overlay given as plain data (from YAML or a 目标设定 sheet).

    Targets may be written as people write them: ``value: "100项以上"`` and ``deadline: 2026``.
    """
    data = dict(data)
    province = catalog.resolve_province(data.get("province")) or data.get("province")
    data["province"] = province
    custom_ids: dict[str, str] = {}
    metrics = []
    for i, m in enumerate(data.get("metrics") or []):
        m = dict(m)
        m.setdefault("id", catalog.custom_metric_id(m.get("name_zh", "")))
        m.setdefault("name_en", m.get("name_zh", m["id"]))
        m["national"], m["province"] = False, province
        custom_ids[alias_key(m.get("name_zh", ""))] = m["id"]
        for a in m.get("aliases", []):
            custom_ids[alias_key(a)] = m["id"]
        metrics.append(m)
    targets = []
    for t in data.get("targets") or []:
        t = dict(t)
        raw_metric = str(t.get("metric", ""))
        t["metric"] = catalog.resolve_metric(raw_metric) or custom_ids.get(alias_key(raw_metric)) or raw_metric
        value = t.get("value")
        if isinstance(value, str):
            q = parse_quantity(value, str(t.get("unit", "")))
            t.setdefault("text", value)
            if q is not None:
                t["value"], t["qualifier"] = q.value, t.get("qualifier", q.qualifier)
                if q.unit and not t.get("unit"):
                    t["unit"] = q.unit
        deadline = t.get("deadline")
        if isinstance(deadline, int) or (isinstance(deadline, str) and deadline.strip().isdigit()):
            t["deadline"] = dt.date(int(deadline), 12, 31)
        targets.append(t)
    data["metrics"], data["targets"] = metrics, targets
    try:
        overlay = ProvincialOverlay.model_validate(data)
    except ValidationError as exc:
        raise _catalog_error(source, exc, data) from None
    problems = catalog.check_overlay(overlay, source)
    if problems:
        raise CatalogError("catalog_invalid", file=source, entry=str(province), field="targets",
                           detail="; ".join(problems))
    return overlay


def load_overlay_file(path: str | Path, catalog: "Catalog | None" = None) -> ProvincialOverlay:
    """Read a province's overlay from a YAML file."""
    path = Path(path)
    catalog = catalog or load_catalog()
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogError("catalog_bad_yaml", file=path.name, error=str(exc)) from None
    return parse_overlay(data, catalog, path.name)


def _catalog_error(file: str, exc: ValidationError, data: Any) -> CatalogError:
    err = exc.errors()[0]
    loc = list(err["loc"])
    entry, field = "-", ".".join(str(x) for x in loc) or "-"
    # loc is like ("metrics", 3, "targets", 0, "deadline"): name the entry by its id where it has one.
    if len(loc) >= 2 and isinstance(loc[1], int):
        try:
            item = data[loc[0]][loc[1]]
            entry = f"{loc[0]}[{loc[1]}]" + (f" (id '{item['id']}')" if isinstance(item, dict) and "id" in item else "")
        except (KeyError, IndexError, TypeError):
            entry = f"{loc[0]}[{loc[1]}]"
        field = ".".join(str(x) for x in loc[2:]) or "-"
    return CatalogError("catalog_invalid", file=file, entry=entry, field=field, detail=err["msg"])


def load_catalog_from(files: dict[str, Path]) -> Catalog:
    """Load the catalog from its three data files: catalog, dimensions and regions."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for _, path in files.items():
        try:
            data = parse_yaml(Path(path).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise CatalogError("catalog_bad_yaml", file=Path(path).name, error=str(exc)) from None
        except OSError as exc:
            raise CatalogError("catalog_unreadable", file=str(path), error=str(exc)) from None
        if not isinstance(data, dict):
            raise CatalogError("catalog_not_sections", file=Path(path).name)
        for k, v in data.items():
            merged[k] = v
            owner[k] = Path(path).name
    try:
        return Catalog.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]["loc"]
        file = owner.get(str(first[0]), "catalog") if first else "catalog"
        raise _catalog_error(file, exc, merged) from None


DEFAULT_FILES = {"catalog": DATA_DIR / "catalog.yaml", "dimensions": DATA_DIR / "dimensions.yaml",
                 "regions": DATA_DIR / "regions.yaml"}


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The national catalog shipped with the package, with the successor plans of
    ``metrics/data/plans/`` (a new plan file is a new set of targets, no code change; cached)."""
    base = load_catalog_from(DEFAULT_FILES)
    return with_plans(base, load_plans(catalog=base))


def catalog_as_records(catalog: Catalog, lang: str = "zh") -> list[dict[str, Any]]:
    """One record per metric and deadline, the shape of ``python -m metrics catalog --json``."""
    out = []
    for m in catalog.all_metrics:
        specs = m.targets or [None]
        for t in specs:
            clause = (t.clause if t and t.clause else m.source_clause)
            out.append({
                "id": m.id,
                "name_zh": m.name_zh,
                "name_en": m.name_en,
                "unit": m.unit,
                "unit_en": m.unit_en,
                "kind": m.kind,
                "national": m.national,
                "province": t.province if t else m.province,
                "target": _number(t.value) if t else None,
                "target_text": (t.text_zh if lang == "zh" else t.text_en) if t else None,
                "qualifier": t.qualifier if t else None,
                "deadline": t.deadline.isoformat() if t else None,
                "baseline": catalog.policy.date.isoformat(),
                "clause": {"section": clause.section, "quote": clause.quote} if clause else None,
                "tasks": m.tasks,
                "aliases": m.aliases,
            })
    return out


def _number(v: float | None) -> float | int | None:
    """Whole numbers as int, so that JSON shows 100 rather than 100.0."""
    return int(v) if v is not None and float(v).is_integer() else v
