"""The progress engine: actual against target and pace, projection and status for every scope.

One function, ``compute_progress``, computes every number the app, the CLI and the reports show;
``counted_items`` returns the rows behind any one of them. Method and worked example:
docs/progress.md. Thresholds and status labels/colours: metrics/data/status.yaml.

Item-level work is vectorised with numpy (integer keys, sorted searches), so the cost grows
linearly with the number of rows; only the few hundred output rows are assembled in Python.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .catalog import DATA_DIR, Catalog, load_catalog
from .i18n import t
from .model import LEVELS, Dataset

STATUS_FILE = DATA_DIR / "status.yaml"
SCOPE_TYPES = ("national", "province", "direction", "flagship")
DAYS_PER_MONTH = 365.2425 / 12
_SHIFT = np.int64(1 << 22)  # composite sort key: group * _SHIFT + day offset (days fit in 22 bits)
_EPOCH_DAY = np.int64(-25567)  # 1900-01-01 as days since 1970: day offsets are taken from here

ROW_COLUMNS = [
    "scope_type", "scope", "metric", "name_zh", "name_en", "unit", "kind", "deadline", "actual", "target",
    "qualifier", "target_text", "target_source", "percent", "pace_percent", "pace_value", "gap_items", "gap_pp",
    "required_rate", "projected", "projected_percent", "status", "clause_section", "clause_quote",
    "contribution_percent", "n_rows", "basis", "actual_at_deadline", "met_on", "trend_per_month", "target_note",
    "passed", "actual_now", "after_deadline",
]


# ---- thresholds and status definitions (metrics/data/status.yaml, read by metrics.presentation) ------
# The one parser of status.yaml is metrics.presentation; these names stay importable from here.
from .presentation import status_colours, status_definitions, status_file as _status_file, status_label  # noqa: E402,F401
from .presentation import status_ids as _status_ids  # noqa: E402
from .presentation import provincial_metric_name  # noqa: E402

STATUS_IDS = _status_ids()


@dataclass(frozen=True)
class Thresholds:
    """The ratios that decide a status; defaults (with the reason for each) in metrics/data/status.yaml."""

    on_track_pace_ratio: float
    on_track_projection_ratio: float
    at_risk_pace_ratio: float
    at_risk_projection_ratio: float
    projection_window_months: int

    @classmethod
    def default(cls) -> "Thresholds":
        """The defaults of metrics/data/status.yaml."""
        return cls(**_status_file()["thresholds"])

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> "Thresholds":
        """The defaults with some values changed; unknown names raise ValueError."""
        values = dict(values or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown threshold(s) {unknown}; known: {sorted(names)}")
        return dataclasses.replace(cls.default(), **values)


# ---- the result ------------------------------------------------------------------------------------
@dataclass
class Progress:
    """Every figure of one computation; frames described in docs/progress.md."""

    as_of: dt.date
    baseline: dt.date
    thresholds: Thresholds
    rows: pd.DataFrame
    series: pd.DataFrame
    shared_items: pd.DataFrame
    plain_sums: pd.DataFrame
    warnings: pd.DataFrame
    overclaims: pd.DataFrame
    goals: pd.DataFrame
    tasks: pd.DataFrame
    goal_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    task_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)

    def records(self, scope_types: tuple[str, ...] = SCOPE_TYPES) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts: dates as YYYY-MM-DD, NaN as None, whole numbers as int."""
        df = self.rows[self.rows["scope_type"].isin(scope_types)]
        out = []
        for rec in df.to_dict("records"):
            out.append({k: _plain(v) for k, v in rec.items()})
        return out


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return None
        return int(v) if float(v).is_integer() and abs(v) < 2**53 else round(float(v), 4)
    if isinstance(v, np.integer):
        return int(v)
    return v


# ---- dates as integer days ----------------------------------------------------------------------------
_ORDINAL_1970 = dt.date(1970, 1, 1).toordinal()


def _day(d: dt.date | pd.Timestamp | str) -> np.int64:
    """Days since 1970-01-01 of a date (or a datetime, or an ISO date text)."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return np.int64(d.toordinal() - _ORDINAL_1970)


def _days(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 of a datetime column, and the mask of non-missing values."""
    arr = values.to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(arr)
    return arr.astype("datetime64[D]").astype(np.int64), ok


def _effective_days(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Completion day counted for each item: month precision at month end, year precision at year end."""
    arr = items["date"].to_numpy(dtype="datetime64[ns]")
    ok = ~np.isnat(arr)
    day = arr.astype("datetime64[D]")
    month_end = ((arr.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1)
    year_end = ((arr.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1)
    prec = items["date_precision"].fillna("").to_numpy(dtype=object)
    eff = np.where(prec == "month", month_end, np.where(prec == "year", year_end, day))
    return eff.astype(np.int64), ok


def _month_ends(first: np.int64, last: np.int64) -> np.ndarray:
    """Month-end days of every month from the month of ``first`` to the month of ``last``."""
    m0 = np.datetime64(int(first), "D").astype("datetime64[M]")
    m1 = np.datetime64(int(last), "D").astype("datetime64[M]")
    months = np.arange(m0, m1 + 1)
    return ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)


# ---- sorted-search primitives -----------------------------------------------------------------------------
def _composite(group: np.ndarray, day: np.ndarray) -> np.ndarray:
    return group.astype(np.int64) * _SHIFT + np.clip(day - _EPOCH_DAY, 0, _SHIFT - 1)


def _count_le(u_group: np.ndarray, u_day: np.ndarray, n_groups: int, q_days: np.ndarray) -> np.ndarray:
    """Matrix (group × query day): number of units of each group on or before each day."""
    out = np.zeros((n_groups, len(q_days)), dtype=np.float64)
    if n_groups == 0 or len(u_group) == 0:
        return out
    comp = np.sort(_composite(u_group, u_day))
    g = np.arange(n_groups, dtype=np.int64)
    starts = np.searchsorted(comp, g * _SHIFT, side="left")
    qg = np.repeat(g, len(q_days))
    qd = np.tile(q_days, n_groups)
    ends = np.searchsorted(comp, _composite(qg, qd), side="right")
    return (ends - np.repeat(starts, len(q_days))).reshape(n_groups, len(q_days)).astype(np.float64)


def _latest_le(t_group: np.ndarray, t_day: np.ndarray, t_value: np.ndarray, n_groups: int,
               q_days: np.ndarray) -> np.ndarray:
    """Matrix (group × query day): the latest value reported on or before each day (NaN if none)."""
    out = np.full((n_groups, len(q_days)), np.nan)
    if n_groups == 0 or len(t_group) == 0:
        return out
    comp = _composite(t_group, t_day)
    order = np.argsort(comp, kind="stable")  # ties keep file order: the later row wins
    comp, vals, grp = comp[order], t_value[order], t_group[order]
    g = np.arange(n_groups, dtype=np.int64)
    qg = np.repeat(g, len(q_days))
    idx = np.searchsorted(comp, _composite(qg, np.tile(q_days, n_groups)), side="right") - 1
    ok = (idx >= 0) & (grp[np.clip(idx, 0, None)] == qg)
    res = np.where(ok, vals[np.clip(idx, 0, None)], np.nan)
    return res.reshape(n_groups, len(q_days))


def _first_rows(order: np.ndarray, combo: np.ndarray) -> np.ndarray:
    """Indices of the first row (in ``order``) of each distinct ``combo`` value."""
    _, first = np.unique(combo[order], return_index=True)
    return order[first]


# ---- items: which rows count, under which key ---------------------------------------------------------
def _arrow_text(values: pd.Series) -> Any:
    """A text column as one contiguous Arrow array (concatenated frames arrive in chunks)."""
    import pyarrow as pa

    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _encode(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a text column and the distinct texts (missing counts as ""), via Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.fill_null(_arrow_text(values), "")
    enc = pc.dictionary_encode(arr)
    return enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), enc.dictionary.to_pylist()


def _name_keys(names: pd.Series) -> Any:
    """``metrics.text.item_key`` of many names at once (same result, computed by Arrow in C++)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.fill_null(_arrow_text(names), "")
    folded = pc.utf8_lower(pc.utf8_normalize(arr, "NFKC"))
    # Python's [\W_]+ after NFKC: everything that is neither a letter nor a digit.
    return pc.replace_substring_regex(folded, r"[^\pL\pN]+", "")


def _match_codes(items: pd.DataFrame, metric_codes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """National de-duplication key of each item row, as codes into a list of key texts.

    Rows with a 编号 match on it (the ``key`` column); a row without one matches a row of the same
    metric whose normalised name is equal (whether or not that row has a code), so a coded and an
    uncoded report of one enterprise count once. Where a name belongs to several codes, the
    smallest code is taken so the result does not depend on row order. Codes cover every row;
    only the rows at positions ``rows`` (the achieved ones) are matched by name.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from .text import item_key

    keys = items["key"]
    has_code = items["code"].fillna("").astype("string").str.strip().ne("").to_numpy(dtype=bool)
    missing = keys.isna().to_numpy() | (keys.fillna("") == "").to_numpy(dtype=bool)
    if missing.any():  # the ingest fills key; rows built by hand may not
        keys = keys.astype(object).copy()
        for i in np.flatnonzero(missing):
            raw = items["code"].iat[i] if has_code[i] else items["name"].iat[i]
            keys.iat[i] = item_key("" if raw is pd.NA or raw is None else raw)
    codes, texts = _encode(keys)
    # Only the rows that count (``rows``) are matched by name.
    unc_idx = rows[~has_code[rows]]
    coded_rows = rows[has_code[rows]]
    if len(unc_idx) == 0 or len(coded_rows) == 0:
        return codes, texts
    coded_idx = coded_rows[np.isin(metric_codes[coded_rows], np.unique(metric_codes[unc_idx]))]
    if len(coded_idx) == 0:
        return codes, texts
    names = _name_keys(items["name"].iloc[coded_idx])
    # Code of each coded row's normalised name in the key texts (-1: no row has that name as key).
    name_code = pc.fill_null(pc.index_in(names, value_set=pa.array(texts, type=pa.large_string())), -1)
    name_code = name_code.to_numpy(zero_copy_only=False).astype(np.int64)
    width = np.int64(max(len(texts), 1))
    ok = name_code >= 0
    coded_idx, name_code = coded_idx[ok], name_code[ok]
    coded_combo = metric_codes[coded_idx] * width + name_code
    unc_combo = metric_codes[unc_idx] * width + codes[unc_idx]
    cand = np.isin(coded_combo, unc_combo)
    coded_idx, coded_combo = coded_idx[cand], coded_combo[cand]
    if len(coded_idx) == 0:
        return codes, texts
    pairs = np.unique(np.stack([coded_combo, codes[coded_idx]], axis=1), axis=0)
    combos, first, n_codes = np.unique(pairs[:, 0], return_index=True, return_counts=True)
    chosen = pairs[first, 1].copy()
    for j in np.flatnonzero(n_codes > 1):  # rare: one name under several codes -> the smallest code
        options = pairs[first[j]: first[j] + n_codes[j], 1]
        chosen[j] = min(options, key=lambda c: texts[c])
    pos = np.clip(np.searchsorted(combos, unc_combo), 0, len(combos) - 1)
    hit = combos[pos] == unc_combo
    codes = codes.copy()
    codes[unc_idx[hit]] = chosen[pos[hit]]
    return codes, texts


@dataclass
class _Items:
    """Integer codes of the item rows: what counting needs, nothing else."""

    achieved: np.ndarray    # positions in data.items of the achieved rows
    province: np.ndarray    # codes into provinces (achieved rows)
    metric: np.ndarray
    direction: np.ndarray
    flagship: np.ndarray
    key: np.ndarray         # match key codes
    day: np.ndarray         # effective completion day
    provinces: list[str]
    metrics: list[str]
    directions: list[str]
    flagships: list[str]
    keys: list[str]
    register: set[tuple[str, str]]   # (province, metric) pairs with any register row, any status


def _prepared_items(data: Dataset, default_day: np.int64) -> _Items:
    items = data.items
    p_all, provinces = _encode(items["province"])
    m_all, metrics = _encode(items["metric"])
    nm = max(len(metrics), 1)
    pairs = np.unique(p_all * nm + m_all) if len(items) else np.zeros(0, dtype=np.int64)
    register = {(provinces[x // nm], metrics[x % nm]) for x in pairs}
    register = {(p, m) for p, m in register if p and m}
    achieved = np.flatnonzero((items["status"] == "achieved").to_numpy(dtype=bool, na_value=False))
    eff, ok = _effective_days(items[["date", "date_precision"]].iloc[achieved])
    if (~ok).any():
        # Achieved but undated: counted from the as-of date of the file that reported it.
        src_day = {s.get("label"): _day(s["as_of"]) for s in data.sources if s.get("as_of")}
        srcs = items["source"].iloc[achieved].to_numpy(dtype=object, na_value="")
        for i in np.flatnonzero(~ok):
            eff[i] = src_day.get(srcs[i], default_day)
    d_all, directions = _encode(items["direction"])
    f_all, flagships = _encode(items["flagship"])
    k_all, keys = _match_codes(items, m_all, achieved)
    return _Items(achieved=achieved, province=p_all[achieved], metric=m_all[achieved], direction=d_all[achieved],
                  flagship=f_all[achieved], key=k_all[achieved], day=eff, provinces=provinces, metrics=metrics,
                  directions=directions, flagships=flagships, keys=keys, register=register)


# ---- figures: one cumulative series per scope × metric ------------------------------------------------------
def _item_groups(it: _Items) -> dict[str, dict[str, Any]]:
    """Distinct units per scope type: group labels (scope, metric), unit group ids and unit days."""
    nm, nk = np.int64(max(len(it.metrics), 1)), np.int64(max(len(it.keys), 1))
    order = np.argsort(it.day, kind="stable")  # the earliest report of an item sets its date
    out: dict[str, dict[str, Any]] = {}

    def build(scope_type: str, scope_codes: np.ndarray, scope_names: list[str], mask: np.ndarray) -> None:
        sel = order[mask[order]]
        combo = (scope_codes * nm + it.metric) * nk + it.key
        first = _first_rows(sel, combo) if len(sel) else np.zeros(0, dtype=np.int64)
        gkey = scope_codes[first] * nm + it.metric[first]
        ug, inv = np.unique(gkey, return_inverse=True)
        raw = scope_codes[mask] * nm + it.metric[mask]
        out[scope_type] = {
            "labels": [(scope_names[g // nm], it.metrics[g % nm]) for g in ug],
            "unit_group": inv.astype(np.int64), "unit_day": it.day[first], "unit_rows": first,
            "raw_group": np.searchsorted(ug, raw), "raw_day": it.day[mask], "raw_known": np.isin(raw, ug),
        }

    n = len(it.day)
    build("province", it.province, it.provinces, it.province >= 0)
    build("national", np.zeros(n, dtype=np.int64), ["national"], np.ones(n, dtype=bool))
    for st, codes, names in (("direction", it.direction, it.directions), ("flagship", it.flagship, it.flagships)):
        blank = names.index("") if "" in names else -1
        build(st, codes, names, codes != blank)
    return out


# ---- targets and row specifications --------------------------------------------------------------------
_CATALOG_INFO: dict[int, tuple[Catalog, dict[str, dict[str, Any]]]] = {}


def _catalog_info(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Name, unit, kind and clause of every catalog metric (kept per catalog: catalogs are immutable)."""
    hit = _CATALOG_INFO.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    info: dict[str, dict[str, Any]] = {}
    for m in catalog.all_metrics:
        clause = m.source_clause
        info[m.id] = {"name_zh": m.name_zh, "name_en": m.name_en, "unit": m.unit, "kind": m.kind,
                      "clause_section": clause.section if clause else "", "clause_quote": clause.quote if clause else ""}
    if len(_CATALOG_INFO) > 8:
        _CATALOG_INFO.clear()
    _CATALOG_INFO[id(catalog)] = (catalog, info)
    return info


def _metric_info(catalog: Catalog, targets: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Name, unit, kind and clause of every metric the catalog or a province's targets name."""
    info = dict(_catalog_info(catalog))
    known = set(info)
    for rec in targets[~targets["metric"].isin(known)].drop_duplicates("metric").to_dict("records"):
        mid = rec["metric"]
        if mid is pd.NA or mid is None or mid in info:
            continue
        name = rec["name_zh"] if isinstance(rec["name_zh"], str) and rec["name_zh"] else mid
        info[mid] = {"name_zh": name, "name_en": provincial_metric_name(name, "en"),
                     "unit": rec["unit"] if isinstance(rec["unit"], str) else "",
                     "kind": rec["kind"] if rec["kind"] in ("count", "value") else "count",
                     "clause_section": "", "clause_quote": ""}
    return info


def _national_specs(catalog: Catalog, metric_id: str) -> list[dict[str, Any]]:
    m = catalog.metric_by_id.get(metric_id)
    if m is None:
        return []
    out = []
    for spec in m.targets:
        if spec.province is not None:
            continue
        out.append({"deadline": spec.deadline, "target": np.nan if spec.value is None else spec.value,
                    "qualifier": spec.qualifier, "target_text": spec.text_zh or "",
                    "clause_section": spec.clause.section if spec.clause else "",
                    "clause_quote": spec.clause.quote if spec.clause else ""})
    return out


def _row_specs(data: Dataset, catalog: Catalog, info: dict[str, dict[str, Any]],
               data_pairs: set[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """One dict per output row: scope, metric, deadline and target, before any number is computed."""
    specs: list[dict[str, Any]] = []
    national_ids = [m.id for m in catalog.countable_metrics]
    nat = {mid: _national_specs(catalog, mid) for mid in national_ids}

    def national_rows(scope_type: str, scope: str, mid: str, own_target: bool) -> None:
        for s in nat[mid]:
            if own_target:
                specs.append({"scope_type": scope_type, "scope": scope, "metric": mid, **s, "target_source": "national"})
            else:
                # No target of its own: the national deadline gives the time frame, the national
                # target only the contribution share.
                specs.append({"scope_type": scope_type, "scope": scope, "metric": mid, **s, "target": np.nan,
                              "qualifier": "", "target_text": "", "target_source": "none"})

    def untargeted(scope_type: str, scope: str, mid: str) -> None:
        i = info.get(mid, {})
        specs.append({"scope_type": scope_type, "scope": scope, "metric": mid, "deadline": None,
                      "target": np.nan, "qualifier": "", "target_text": "", "target_source": "none",
                      "clause_section": i.get("clause_section", ""), "clause_quote": i.get("clause_quote", "")})

    for mid in national_ids:
        national_rows("national", "national", mid, True)
    # Metrics of provincial plans (industry scale …) get a national row only where someone reports them.
    for mid in sorted({m for st, _, m in data_pairs if st == "province"} - set(national_ids)):
        if mid in catalog.metric_by_id:
            untargeted("national", "national", mid)

    targets = data.targets.dropna(subset=["province", "metric"])
    targets = targets[targets["deadline"].notna()]
    # The latest row wins where a province wrote the same metric and deadline twice.
    targets = targets.drop_duplicates(["province", "metric", "deadline"], keep="last")
    by_prov: dict[str, list[dict[str, Any]]] = {}
    for rec in targets.sort_values(["province", "metric", "deadline"], kind="stable").to_dict("records"):
        by_prov.setdefault(rec["province"], []).append(rec)

    provinces = sorted(set(data.provinces()) | {s for st, s, _ in data_pairs if st == "province"})
    for prov in provinces:
        own = by_prov.get(prov, [])
        own_metrics = {r["metric"] for r in own}
        for mid in national_ids:
            if mid not in own_metrics:
                national_rows("province", prov, mid, False)
        for r in own:
            i = info.get(r["metric"], {})
            value = r["value"]
            specs.append({"scope_type": "province", "scope": prov, "metric": r["metric"],
                          "deadline": pd.Timestamp(r["deadline"]).date(),
                          "target": np.nan if value is pd.NA or value is None or pd.isna(value) else float(value),
                          "qualifier": r["qualifier"] if isinstance(r["qualifier"], str) and r["qualifier"] else "eq",
                          "target_text": r["text"] if isinstance(r["text"], str) else "",
                          "target_source": "provincial", "target_note": r["note"] if isinstance(r["note"], str) else "",
                          "clause_section": i.get("clause_section", ""), "clause_quote": i.get("clause_quote", "")})
        shown = set(national_ids) | own_metrics
        for mid in sorted({m for st, s, m in data_pairs if st == "province" and s == prov} - shown):
            untargeted("province", prov, mid)

    for d in catalog.directions:
        for mid in national_ids:
            national_rows("direction", d.id, mid, False)
    for f in catalog.flagship:
        for mid in national_ids:
            national_rows("flagship", f.id, mid, False)
    return specs


# ---- the engine ------------------------------------------------------------------------------------------
def compute_progress(data: Dataset, catalog: Catalog | None = None, as_of: dt.date | None = None,
                     thresholds: Thresholds | None = None) -> Progress:
    """Actual, target, pace, projection and status for every scope × metric × deadline."""
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    thresholds = thresholds or Thresholds.default()
    baseline = catalog.policy.date
    as_of_day, base_day = _day(as_of), _day(baseline)

    info = _metric_info(catalog, data.targets)
    it = _prepared_items(data, as_of_day)
    ig = _item_groups(it)

    # Totals (累计值): the latest figure reported on or before a day.
    tot = data.totals.dropna(subset=["province", "metric", "value", "as_of"])
    t_day, _ = _days(tot["as_of"])
    t_pairs = list(zip(tot["province"].to_numpy(dtype=object), tot["metric"].to_numpy(dtype=object)))
    t_codes, t_uni = pd.factorize(pd.Series(t_pairs, dtype=object)) if t_pairs else (np.zeros(0, np.int64), [])
    t_labels = [tuple(x) for x in t_uni]
    t_index = {lab: i for i, lab in enumerate(t_labels)}

    register = it.register
    data_pairs = {("province", p, m) for p, m in register if p and m} | {("province", p, m) for p, m in t_labels}
    specs = _row_specs(data, catalog, info, data_pairs)

    # Query days: every month end up to the as-of month (the last capped at the as-of date), then the
    # baseline and every deadline already passed.
    months = _month_ends(min(base_day, as_of_day), as_of_day)
    cutoffs = np.minimum(months, as_of_day)
    deadline_days = {_day(d) for d in {s["deadline"] for s in specs} if d is not None}
    past = sorted(d for d in deadline_days if d < as_of_day)
    q_days = np.concatenate([cutoffs, [base_day], np.asarray(past, dtype=np.int64)]).astype(np.int64)
    n_m = len(cutoffs)
    col_of = {int(d): n_m + 1 + i for i, d in enumerate(past)}
    col_as_of, col_base = n_m - 1, n_m

    counts = {st: _count_le(g["unit_group"], g["unit_day"], len(g["labels"]), q_days) for st, g in ig.items()}
    totals_m = _latest_le(t_codes.astype(np.int64), t_day, tot["value"].to_numpy(dtype=float), len(t_labels), q_days)
    n_tot = np.bincount(t_codes[t_day <= as_of_day], minlength=len(t_labels)) if len(t_labels) else np.zeros(0)
    raw_n = {}
    for st, g in ig.items():
        ok = g["raw_known"] & (g["raw_day"] <= as_of_day)
        raw_n[st] = np.bincount(g["raw_group"][ok], minlength=len(g["labels"]))
    ig_index = {st: {lab: i for i, lab in enumerate(g["labels"])} for st, g in ig.items()}

    # One figure per scope × metric: its values at every query day.
    fig_keys = list(dict.fromkeys((s["scope_type"], s["scope"], s["metric"]) for s in specs))
    fig_of = {k: i for i, k in enumerate(fig_keys)}
    values = np.zeros((len(fig_keys), len(q_days)))
    n_rows = np.zeros(len(fig_keys), dtype=np.int64)
    basis = []
    totals_only: dict[str, list[int]] = {}
    for i, (st, scope, mid) in enumerate(fig_keys):
        if st != "province":
            continue
        kind = info.get(mid, {}).get("kind", "count")
        ti = t_index.get((scope, mid))
        if kind == "count" and ((scope, mid) in register or ti is None):
            gi = ig_index["province"].get((scope, mid))
            if gi is not None:
                values[i], n_rows[i] = counts["province"][gi], raw_n["province"][gi]
            basis.append("register" if (scope, mid) in register else "none")
        elif ti is not None:
            values[i], n_rows[i] = totals_m[ti], n_tot[ti]
            basis.append("totals")
            totals_only.setdefault(mid, []).append(i)
        else:
            values[i] = np.nan
            basis.append("none")
    basis_iter = iter(basis)
    bases = []
    for i, (st, scope, mid) in enumerate(fig_keys):
        if st == "province":
            bases.append(next(basis_iter))
            continue
        kind = info.get(mid, {}).get("kind", "count")
        key = ("national", mid) if st == "national" else (scope, mid)
        gi = ig_index[st].get(key)
        if kind == "count" and gi is not None:
            values[i], n_rows[i] = counts[st][gi], raw_n[st][gi]
        parts = totals_only.get(mid, []) if st == "national" else []
        if parts:
            block = values[parts]
            summed = np.nansum(block, axis=0)
            if kind == "value":
                values[i] = np.where(np.isnan(block).all(axis=0), np.nan, summed)
            else:
                values[i] = values[i] + summed
            n_rows[i] += int(sum(n_rows[p] for p in parts))
        elif kind == "value":
            values[i] = np.nan
        bases.append("register" if gi is not None and not parts else ("totals" if parts and gi is None else
                     ("register+totals" if parts else "none")))

    kinds = np.array([info.get(k[2], {}).get("kind", "count") for k in fig_keys], dtype=object)
    is_count = kinds == "count"
    actual_fig = values[:, col_as_of].copy()
    actual_fig[is_count & np.isnan(actual_fig)] = 0.0
    base_value = np.where(is_count, 0.0, np.nan_to_num(values[:, col_base]))

    # Trend: least squares on the last W month-end points (x in months since the baseline).
    slope = _trend(values[:, :n_m], cutoffs, base_day, as_of_day, actual_fig, is_count,
                   thresholds.projection_window_months)

    rows = _assemble(specs, fig_of, info, values, actual_fig, base_value, slope, n_rows, bases, kinds,
                     cutoffs, months, col_of, as_of_day, base_day, catalog, thresholds)
    series = _series(fig_keys, values[:, :n_m], months, is_count)

    warnings = _register_conflicts(tot, t_labels, totals_m, register, info, ig, ig_index, as_of_day, t_day, t_codes)
    shared = _shared_items(data, it, as_of_day)
    plain = _plain_sums(rows, catalog)
    over = _overclaims(data, catalog, plain, shared)
    goals, goal_ev = _level_distribution(data.assessments, "goal", catalog)
    tasks, task_ev = _level_distribution(data.tasks, "task", catalog)
    return Progress(as_of=as_of, baseline=baseline, thresholds=thresholds, rows=rows, series=series,
                    shared_items=shared, plain_sums=plain, warnings=warnings, overclaims=over,
                    goals=goals, tasks=tasks, goal_evidence=goal_ev, task_evidence=task_ev)


def _trend(series: np.ndarray, cutoffs: np.ndarray, base_day: np.int64, as_of_day: np.int64,
           actual: np.ndarray, is_count: np.ndarray, window: int) -> np.ndarray:
    """Units per month of each figure: least-squares slope over the last ``window`` month-end points."""
    w = max(int(window), 1)
    y = series[:, -w:]
    x = ((cutoffs[-w:] - base_day) / DAYS_PER_MONTH)[None, :].repeat(len(series), axis=0)
    valid = ~np.isnan(y)
    n = valid.sum(axis=1)
    xv, yv = np.where(valid, x, 0.0), np.where(valid, y, 0.0)
    sx, sy = xv.sum(axis=1), yv.sum(axis=1)
    sxx, sxy = (xv * xv).sum(axis=1), (xv * yv).sum(axis=1)
    denom = n * sxx - sx * sx
    with np.errstate(invalid="ignore", divide="ignore"):
        fitted = (n * sxy - sx * sy) / denom
        # Fewer than two points: the average rate since the baseline (items start from none there).
        elapsed = max((as_of_day - base_day) / DAYS_PER_MONTH, 0.0)
        fallback = np.where(is_count & (elapsed > 0), actual / elapsed if elapsed > 0 else 0.0, 0.0)
    slope = np.where((n >= 2) & (denom > 1e-12), fitted, fallback)
    slope = np.where(is_count, np.maximum(slope, 0.0), slope)  # counted items never disappear
    return np.nan_to_num(slope)


def _assemble(specs: list[dict[str, Any]], fig_of: dict, info: dict, values: np.ndarray, actual_fig: np.ndarray,
              base_value: np.ndarray, slope: np.ndarray, n_rows: np.ndarray, bases: list[str], kinds: np.ndarray,
              cutoffs: np.ndarray, months: np.ndarray, col_of: dict[int, int], as_of_day: np.int64,
              base_day: np.int64, catalog: Catalog, th: Thresholds) -> pd.DataFrame:
    """The output rows: every number of every spec, computed on whole columns at once."""
    col = {c: [sp.get(c, "") for sp in specs] for c in
           ("scope_type", "scope", "metric", "qualifier", "target_text", "target_source", "target_note",
            "clause_section", "clause_quote")}
    fi = np.array([fig_of[k] for k in zip(col["scope_type"], col["scope"], col["metric"])], dtype=np.int64)
    for c, missing in (("name_zh", None), ("name_en", None), ("unit", "")):
        col[c] = [info.get(m, {}).get(c, m if missing is None else missing) for m in col["metric"]]
    deadlines = [sp["deadline"] for sp in specs]
    actual = actual_fig[fi]
    target = np.array([sp["target"] for sp in specs], dtype=float)
    has_deadline = np.array([d is not None for d in deadlines], dtype=bool)
    dl_day = np.array([_day(d) if d is not None else as_of_day for d in deadlines], dtype=np.int64)
    passed = has_deadline & (dl_day < as_of_day)
    has_target = ~np.isnan(target)
    strict = np.array([q == "gt" for q in col["qualifier"]], dtype=bool)

    # Value at the deadline (for deadlines already passed).
    at_dl = np.full(len(specs), np.nan)
    for j in np.flatnonzero(passed):
        at_dl[j] = values[fi[j], col_of[int(dl_day[j])]]
    at_dl = np.where(passed & (kinds[fi] == "count"), np.nan_to_num(at_dl), at_dl)

    # A passed deadline is reported as it ended (issue 13): the actual is the value at the deadline,
    # what came after is kept apart, and pace, projection and required rate mean nothing any more.
    actual_now = actual
    actual = np.where(passed, at_dl, actual_now)
    after = np.where(passed, actual_now - at_dl, np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        span = (dl_day - base_day).astype(float)
        elapsed = np.where(has_deadline & (span > 0), np.clip((as_of_day - base_day) / span, 0.0, 1.0),
                           np.where(has_deadline, 1.0, np.nan))
        b = base_value[fi]
        pace_value = np.where(has_target, b + (target - b) * elapsed, np.nan)
        pos = has_target & (target > 0)
        percent = np.where(pos, actual / target * 100.0, np.nan)
        pace_percent = np.where(pos, pace_value / target * 100.0, elapsed * 100.0)
        months_left = (dl_day - as_of_day) / DAYS_PER_MONTH
        projected = np.where(passed, at_dl,
                             np.where(has_deadline, actual + slope[fi] * np.maximum(months_left, 0), np.nan))
        reached_now = np.where(strict, actual > target, actual >= target) & has_target
        reached_dl = np.where(strict, at_dl > target, at_dl >= target) & has_target
        required = np.where(has_target & has_deadline & ~passed & (months_left > 0),
                            np.maximum(target - actual, 0.0) / months_left, np.nan)
        required = np.where(has_target & reached_now & ~passed, 0.0, required)
        ahead = actual >= th.on_track_pace_ratio * pace_value
        near = actual >= th.at_risk_pace_ratio * pace_value
        proj_ok = projected >= th.on_track_projection_ratio * target
        proj_near = projected >= th.at_risk_projection_ratio * target
        national = _national_targets(catalog)
        nat_target = np.array([np.nan if st == "national" else national.get((m, d), national.get((m, None), np.nan))
                               for st, m, d in zip(col["scope_type"], col["metric"], deadlines)], dtype=float)
        contribution = np.where(nat_target > 0, actual / nat_target * 100.0, np.nan)
        projected_percent = np.where(pos, projected / target * 100.0, np.nan)
    status = np.select(
        [~has_target | ~has_deadline, passed & reached_dl, passed, reached_now, ahead | proj_ok, near | proj_near],
        ["no_target", "met", "missed", "met", "on_track", "at_risk"], default="off_track")
    live = np.where(passed, np.nan, 1.0)  # NaN after the deadline, 1 before: masks the forward-looking figures
    col.update({
        "kind": kinds[fi], "deadline": deadlines, "actual": actual, "target": target,
        "percent": percent, "pace_percent": pace_percent * live, "pace_value": pace_value * live,
        "gap_items": (actual - pace_value) * live, "gap_pp": (percent - pace_percent) * live,
        "required_rate": required * live, "projected": projected * live,
        "projected_percent": projected_percent * live, "status": status.astype(object),
        "passed": passed, "actual_now": actual_now, "after_deadline": after,
        "contribution_percent": contribution, "n_rows": n_rows[fi], "basis": np.asarray(bases, dtype=object)[fi],
        "actual_at_deadline": at_dl, "trend_per_month": slope[fi] * live,
        "met_on": _met_on(values[:, : len(months)][fi], target, strict, months),
    })
    return pd.DataFrame({c: col[c] for c in ROW_COLUMNS})


def _national_targets(catalog: Catalog) -> dict[tuple[str, Any], float]:
    """(metric, deadline) -> national target value, and (metric, None) -> its first one (NaN for 一批)."""
    out: dict[tuple[str, Any], float] = {}
    for m in catalog.countable_metrics:
        for spec in _national_specs(catalog, m.id):
            out[(m.id, spec["deadline"])] = spec["target"]
            out.setdefault((m.id, None), spec["target"])
    return out


def _met_on(series: np.ndarray, target: np.ndarray, strict: np.ndarray, months: np.ndarray) -> list[Any]:
    """The month end by which the target was first reached (None when not reached)."""
    if series.shape[1] == 0:
        return [None] * len(target)
    with np.errstate(invalid="ignore"):
        hit = np.where(strict[:, None], series > target[:, None], series >= target[:, None])
    first = hit.argmax(axis=1)
    any_hit = hit.any(axis=1)
    dates = months.astype("datetime64[D]")
    return [pd.Timestamp(dates[f]).date() if a else None for f, a in zip(first, any_hit)]


def _series(fig_keys: list[tuple[str, str, str]], values: np.ndarray, months: np.ndarray,
            is_count: np.ndarray) -> pd.DataFrame:
    """Long frame of the monthly cumulative series of every figure."""
    n, m = values.shape
    keys = np.array(fig_keys, dtype=object).reshape(-1, 3) if n else np.zeros((0, 3), dtype=object)
    vals = values.copy()
    return pd.DataFrame({
        "scope_type": np.repeat(keys[:, 0], m), "scope": np.repeat(keys[:, 1], m), "metric": np.repeat(keys[:, 2], m),
        "month": np.tile(pd.to_datetime(months.astype("datetime64[D]")), n),
        "cumulative": vals.reshape(-1),
    })


# ---- checks beside the figures ------------------------------------------------------------------------------
def _register_conflicts(tot: pd.DataFrame, t_labels: list, totals_m: np.ndarray, register: set, info: dict,
                        ig: dict, ig_index: dict, as_of_day: np.int64, t_day: np.ndarray,
                        t_codes: np.ndarray) -> pd.DataFrame:
    """Provinces that give both a register and a total for a count metric that disagree."""
    cols = ["code", "province", "metric", "register_count", "total_value", "total_as_of", "source",
            "message_zh", "message_en"]
    out = []
    g = ig["province"]
    comp = np.sort(_composite(g["unit_group"], g["unit_day"]))
    for ti, (prov, mid) in enumerate(t_labels):
        if info.get(mid, {}).get("kind", "count") != "count" or (prov, mid) not in register:
            continue
        mine = np.flatnonzero((t_codes == ti) & (t_day <= as_of_day))
        if len(mine) == 0:
            continue
        last = mine[np.argsort(t_day[mine], kind="stable")][-1]
        total, day = float(tot["value"].iat[last]), t_day[last]
        gi = ig_index["province"].get((prov, mid))
        count = 0 if gi is None else int(np.searchsorted(comp, _composite(np.array([gi]), np.array([day]))[0], "right")
                                         - np.searchsorted(comp, np.int64(gi) * _SHIFT, "left"))
        if abs(count - total) > 1e-9:
            when = np.datetime64(int(day), "D").astype(object)
            vals = {"province": prov, "metric": info.get(mid, {}).get("name_zh", mid), "count": count,
                    "total": f"{total:g}", "date": when.isoformat()}
            out.append({"code": "register_total_conflict", "province": prov, "metric": mid, "register_count": count,
                        "total_value": total, "total_as_of": when, "source": tot["source"].iat[last],
                        "message_zh": t("progress_warn_register_total", "zh", **vals),
                        "message_en": t("progress_warn_register_total", "en", **vals)})
    return pd.DataFrame(out, columns=cols)


def _shared_items(data: Dataset, it: _Items, as_of_day: np.int64) -> pd.DataFrame:
    """Items (same metric and match key) counted by two or more provinces as of the date."""
    cols = ["metric", "key", "name", "code", "n_provinces", "provinces"]
    ok = np.flatnonzero(it.day <= as_of_day)
    if len(ok) == 0:
        return pd.DataFrame(columns=cols)
    item = it.metric[ok] * np.int64(max(len(it.keys), 1)) + it.key[ok]
    pair = item * np.int64(max(len(it.provinces), 1)) + it.province[ok]
    _, first = np.unique(pair, return_index=True)  # one row per item and province
    items_u, per_item = np.unique(item[first], return_counts=True)
    sel = first[np.isin(item[first], items_u[per_item >= 2])]
    if len(sel) == 0:
        return pd.DataFrame(columns=cols)
    name_rank = np.argsort(np.argsort(np.asarray(it.provinces, dtype=object)))  # provinces in name order
    sel = sel[np.lexsort((name_rank[it.province[ok[sel]]], item[sel]))]
    rows = it.achieved[ok[sel]]
    names = data.items["name"].iloc[rows].to_numpy(dtype=object, na_value="")
    codes = data.items["code"].iloc[rows].to_numpy(dtype=object, na_value="")
    starts = np.concatenate([[0], np.flatnonzero(np.diff(item[sel])) + 1])
    prov_names = np.asarray(it.provinces, dtype=object)[it.province[ok[sel]]].tolist()
    bounds = [*starts.tolist(), len(sel)]
    first = sel[starts]
    return pd.DataFrame({
        "metric": np.asarray(it.metrics, dtype=object)[it.metric[ok[first]]],
        "key": np.asarray(it.keys, dtype=object)[it.key[ok[first]]],
        "name": names[starts],
        "code": [max((str(c) for c in codes[a:b] if c), default="") for a, b in zip(bounds, bounds[1:])],
        "n_provinces": np.diff(bounds),
        "provinces": ["、".join(prov_names[a:b]) for a, b in zip(bounds, bounds[1:])],
    }, columns=cols).sort_values(["metric", "key"], kind="stable").reset_index(drop=True)


def _plain_sums(rows: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Per national count metric: the plain sum of provincial counts beside the distinct national count."""
    cols = ["metric", "name_zh", "sum_of_provinces", "national_distinct", "double_counted"]
    prov: dict[str, float] = {}
    nat: dict[str, float] = {}
    seen = set()
    for st, scope, mid, actual in zip(rows["scope_type"], rows["scope"], rows["metric"], rows["actual"]):
        if (st, scope, mid) in seen or np.isnan(actual):
            continue
        seen.add((st, scope, mid))
        if st == "province":
            prov[mid] = prov.get(mid, 0.0) + float(actual)
        elif st == "national":
            nat[mid] = float(actual)
    out = []
    for m in catalog.countable_metrics:
        total, distinct = prov.get(m.id, 0.0), nat.get(m.id, 0.0)
        out.append({"metric": m.id, "name_zh": m.name_zh, "sum_of_provinces": total, "national_distinct": distinct,
                    "double_counted": total - distinct})
    return pd.DataFrame(out, columns=cols)


def _overclaims(data: Dataset, catalog: Catalog, plain: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """Provincial targets that fall short of the national one; claims beyond the distinct national count."""
    cols = ["check", "metric", "name_zh", "deadline", "national_target", "provincial_sum", "n_provinces",
            "national_distinct", "message_zh", "message_en"]
    out = []
    targets = data.targets.dropna(subset=["province", "metric", "value", "deadline"])
    by_metric: dict[str, list[tuple[str, dt.date, float]]] = {}
    for prov, mid, dl, value in zip(targets["province"], targets["metric"], targets["deadline"], targets["value"]):
        by_metric.setdefault(mid, []).append((prov, dl.date(), float(value)))
    for m in catalog.countable_metrics:
        for spec in _national_specs(catalog, m.id):
            if np.isnan(spec["target"]):
                continue
            # Each province's latest target on or before the national deadline.
            latest: dict[str, tuple[dt.date, float]] = {}
            for prov, dl, value in by_metric.get(m.id, []):
                if dl <= spec["deadline"] and (prov not in latest or dl >= latest[prov][0]):
                    latest[prov] = (dl, value)
            if not latest:
                continue
            mine = latest
            total = float(sum(v for _, v in latest.values()))
            if total < spec["target"]:
                vals = {"metric": m.name_zh, "sum": f"{total:g}", "n": len(mine), "target": f"{spec['target']:g}",
                        "deadline": spec["deadline"].isoformat()}
                out.append({"check": "targets_below_national", "metric": m.id, "name_zh": m.name_zh,
                            "deadline": spec["deadline"], "national_target": spec["target"],
                            "provincial_sum": total, "n_provinces": len(mine), "national_distinct": np.nan,
                            "message_zh": t("progress_overclaim_targets", "zh", **vals),
                            "message_en": t("progress_overclaim_targets", "en", **vals)})
    for rec in plain.to_dict("records"):
        if rec["double_counted"] > 0:
            n_shared = int((shared["metric"] == rec["metric"]).sum()) if len(shared) else 0
            vals = {"metric": rec["name_zh"], "sum": f"{rec['sum_of_provinces']:g}",
                    "distinct": f"{rec['national_distinct']:g}", "n": n_shared}
            out.append({"check": "claims_exceed_distinct", "metric": rec["metric"], "name_zh": rec["name_zh"],
                        "deadline": None, "national_target": np.nan, "provincial_sum": rec["sum_of_provinces"],
                        "n_provinces": np.nan, "national_distinct": rec["national_distinct"],
                        "message_zh": t("progress_overclaim_claims", "zh", **vals),
                        "message_en": t("progress_overclaim_claims", "en", **vals)})
    return pd.DataFrame(out, columns=cols)


def _level_distribution(frame: pd.DataFrame, what: str, catalog: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Distribution of self-assessed levels across provinces per goal (or task), and the evidence per province."""
    scores = {lv.id: lv.score for lv in catalog.levels}
    if what == "goal":
        entries = [(m.id, m.name_zh, m.name_en, m.targets[0].deadline if m.targets else None)
                   for m in catalog.qualitative_metrics]
    else:
        entries = [(tk.number, tk.name_zh, tk.name_en, None) for tk in catalog.tasks]
    ev_cols = ["province", what, "level", "evidence", "source", "sheet", "row"]
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    columns = [frame[c].to_numpy(dtype=object, na_value=None) for c in ev_cols]
    for values in zip(*columns):  # a few hundred rows: the last one of a province wins
        rec = dict(zip(ev_cols, values))
        if rec["province"] is None or rec[what] is None:
            continue
        latest[(rec["province"], rec[what])] = rec
    evidence = pd.DataFrame(sorted(latest.values(), key=lambda r: (str(r[what]), r["province"])), columns=ev_cols)
    out = []
    for key, zh, en, deadline in entries:
        levels = [r["level"] for (p, k), r in latest.items() if k == key]
        rec: dict[str, Any] = {what: key, "name_zh": zh, "name_en": en}
        if what == "goal":
            rec["deadline"] = deadline
        for lv in LEVELS:
            rec[lv] = levels.count(lv)
        rec["n_provinces"] = len(levels)
        sc = [scores[lv] for lv in levels if scores.get(lv) is not None]
        rec["mean_score"] = float(np.mean(sc)) if sc else np.nan
        out.append(rec)
    return pd.DataFrame(out), evidence


# ---- the rows behind a figure ---------------------------------------------------------------------------------
def counted_items(data: Dataset, catalog: Catalog | None = None, scope_type: str = "national",
                  scope: str = "national", metric: str = "", as_of: dt.date | None = None) -> pd.DataFrame:
    """The source rows behind one figure, with ``counted`` True on the rows that make up the number.

    Register rows carry the item columns; where the figure comes from totals (a value metric, or a
    province that reports a total without a register) the totals rows are included with ``origin``
    "total" and their ``value``. Among rows of the same item, the earliest is the counted one.
    """
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    as_of_day = _day(as_of)
    info = _metric_info(catalog, data.targets)
    kind = info.get(metric, {}).get("kind", "count")
    items = data.items
    it = _prepared_items(data, as_of_day)
    names = {"province": it.provinces, "direction": it.directions, "flagship": it.flagships}
    codes = {"province": it.province, "direction": it.direction, "flagship": it.flagship}
    sel = (it.metric == (it.metrics.index(metric) if metric in it.metrics else -2)) & (it.day <= as_of_day)
    if scope_type in names:
        sel &= codes[scope_type] == (names[scope_type].index(scope) if scope in names[scope_type] else -2)
    register = it.register
    parts = []
    if kind == "count" and sel.any():
        pos = np.flatnonzero(sel)
        order = pos[np.argsort(it.day[pos], kind="stable")]
        unit = it.key[order] * (np.int64(len(it.provinces) + 1)) + (it.province[order] if scope_type == "province" else 0)
        first = ~pd.Series(unit).duplicated().to_numpy()
        rows = items.iloc[it.achieved[order]].copy()
        rows["effective_date"] = pd.to_datetime(np.asarray(it.day[order], dtype="datetime64[D]"))
        rows["match_key"] = np.asarray(it.keys, dtype=object)[it.key[order]]
        rows["counted"] = first
        rows["origin"] = "item"
        parts.append(rows)
    if scope_type in ("national", "province"):
        tot = data.totals[(data.totals["metric"] == metric) & (data.totals["as_of"] <= pd.Timestamp(as_of))]
        if scope_type == "province":
            tot = tot[tot["province"] == scope]
        if kind == "count":
            tot = tot[[(p, metric) not in register for p in tot["province"]]]
        if len(tot):
            tot = tot.assign(_o=np.arange(len(tot))).sort_values(["as_of", "_o"], kind="stable")
            latest = ~tot["province"].duplicated(keep="last")
            rows = tot.drop(columns="_o").copy()
            rows["counted"] = latest.to_numpy()
            rows["origin"] = "total"
            parts.append(rows)
    if not parts:
        from .model import ITEM_COLUMNS
        return pd.DataFrame(columns=[*ITEM_COLUMNS, "effective_date", "match_key", "counted", "origin"])
    return pd.concat(parts, ignore_index=True)
