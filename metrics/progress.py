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
# The one parser of status.yaml is metrics.presentation; the engine reads thresholds and ids through it.
from .presentation import status_file as _status_file  # noqa: E402
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


# Characters on which Arrow's NFKC, lower case and [^\pL\pN] agree with ``metrics.text.item_key``
# (ASCII, CJK punctuation, the Unicode 1.1 ideographs, full-width ASCII): names made only of these take
# the fast Arrow path; any other name (Greek final sigma, newer ideographs, special case mappings …)
# is keyed by ``item_key`` itself, so both paths are one rule (pinned by a hypothesis test).
_ARROW_SAFE = "^[\\x{0}-\\x{7f}\\x{3000}-\\x{303f}\\x{4e00}-\\x{9fa5}\\x{ff01}-\\x{ff5e}]*$"


def _name_keys(names: pd.Series) -> Any:
    """``metrics.text.item_key`` of many names at once: Arrow (C++) where it provably agrees, else item_key."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .text import item_key

    arr = pc.fill_null(_arrow_text(names), "")
    folded = pc.utf8_lower(pc.utf8_normalize(arr, "NFKC"))
    # Python's [\W_]+ after NFKC: everything that is neither a letter nor a digit.
    keys = pc.replace_substring_regex(folded, r"[^\pL\pN]+", "")
    other = np.flatnonzero(~pc.match_substring_regex(arr, _ARROW_SAFE).to_numpy(zero_copy_only=False))
    if len(other) == 0:
        return keys
    values = keys.to_pylist()
    for i, raw in zip(other, pc.take(arr, pa.array(other)).to_pylist()):
        values[i] = item_key(raw)
    return pa.array(values, type=pa.large_string())


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
        if spec.plan is not None and spec.value is None:
            # A successor plan's target in words only (2027: 关键核心技术取得重大突破) is already a
            # qualitative goal of the catalog; a row counts against a successor's figure only.
            continue
        out.append({"deadline": spec.deadline, "target": np.nan if spec.value is None else spec.value,
                    "qualifier": spec.qualifier, "target_text": spec.text_zh or "",
                    "clause_section": spec.clause.section if spec.clause else "",
                    "clause_quote": spec.clause.quote if spec.clause else ""})
    return out


class _SpecList(list):
    """The output rows' specifications, built scope by scope."""

    def national(self, scope_type: str, scope: str, mid: str, specs: list[dict[str, Any]], own_target: bool) -> None:
        """Rows on the national deadlines of ``mid``; with the national target only where it is the scope's own."""
        for sp in specs:
            if own_target:
                self.append({"scope_type": scope_type, "scope": scope, "metric": mid, **sp, "target_source": "national"})
            else:
                # No target of its own: the national deadline gives the time frame, the national
                # target only the contribution share.
                self.append({"scope_type": scope_type, "scope": scope, "metric": mid, **sp, "target": np.nan,
                             "qualifier": "", "target_text": "", "target_source": "none"})

    def untargeted(self, scope_type: str, scope: str, mid: str, info: dict[str, dict[str, Any]]) -> None:
        """One row without target or deadline (a metric someone reports that has no target here)."""
        i = info.get(mid, {})
        self.append({"scope_type": scope_type, "scope": scope, "metric": mid, "deadline": None,
                     "target": np.nan, "qualifier": "", "target_text": "", "target_source": "none",
                     "clause_section": i.get("clause_section", ""), "clause_quote": i.get("clause_quote", "")})


def _provincial_targets(data: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Each province's own targets, by metric and deadline; the latest row wins where one was written twice."""
    targets = data.targets.dropna(subset=["province", "metric"])
    targets = targets[targets["deadline"].notna()]
    targets = targets.drop_duplicates(["province", "metric", "deadline"], keep="last")
    by_prov: dict[str, list[dict[str, Any]]] = {}
    for rec in targets.sort_values(["province", "metric", "deadline"], kind="stable").to_dict("records"):
        by_prov.setdefault(rec["province"], []).append(rec)
    return by_prov


def _provincial_spec(r: dict[str, Any], info: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The row of one target a province set itself."""
    i = info.get(r["metric"], {})
    value = r["value"]
    return {"scope_type": "province", "scope": r["province"], "metric": r["metric"],
            "deadline": pd.Timestamp(r["deadline"]).date(),
            "target": np.nan if value is pd.NA or value is None or pd.isna(value) else float(value),
            "qualifier": r["qualifier"] if isinstance(r["qualifier"], str) and r["qualifier"] else "eq",
            "target_text": r["text"] if isinstance(r["text"], str) else "",
            "target_source": "provincial", "target_note": r["note"] if isinstance(r["note"], str) else "",
            "clause_section": i.get("clause_section", ""), "clause_quote": i.get("clause_quote", "")}


def _row_specs(data: Dataset, catalog: Catalog, info: dict[str, dict[str, Any]],
               data_pairs: set[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """One dict per output row: scope, metric, deadline and target, before any number is computed."""
    specs = _SpecList()
    national_ids = [m.id for m in catalog.countable_metrics]
    nat = {mid: _national_specs(catalog, mid) for mid in national_ids}
    for mid in national_ids:
        specs.national("national", "national", mid, nat[mid], True)
    # Metrics of provincial plans (industry scale …) get a national row only where someone reports them.
    for mid in sorted({m for st, _, m in data_pairs if st == "province"} - set(national_ids)):
        if mid in catalog.metric_by_id:
            specs.untargeted("national", "national", mid, info)

    by_prov = _provincial_targets(data)
    provinces = sorted(set(data.provinces()) | {s for st, s, _ in data_pairs if st == "province"})
    for prov in provinces:
        own = by_prov.get(prov, [])
        own_metrics = {r["metric"] for r in own}
        for mid in national_ids:
            if mid not in own_metrics:
                specs.national("province", prov, mid, nat[mid], False)
        specs.extend(_provincial_spec(r, info) for r in own)
        shown = set(national_ids) | own_metrics
        for mid in sorted({m for st, s, m in data_pairs if st == "province" and s == prov} - shown):
            specs.untargeted("province", prov, mid, info)

    for scope_type, scopes in (("direction", catalog.directions), ("flagship", catalog.flagship)):
        for sc in scopes:
            for mid in national_ids:
                specs.national(scope_type, sc.id, mid, nat[mid], False)
    return list(specs)


# ---- the engine ------------------------------------------------------------------------------------------
def compute_progress(data: Dataset, catalog: Catalog | None = None, as_of: dt.date | None = None,
                     thresholds: Thresholds | None = None) -> Progress:
    """Actual, target, pace, projection and status for every scope × metric × deadline.

    The steps, one function each: items (which rows count, ``_prepared_items``) → keys (the national
    de-duplication key, ``_match_codes``) → groups (distinct items per scope, ``_item_groups``) →
    targets (one spec per output row, ``_row_specs``; the passed deadlines set the query days,
    ``_calendar``) → counts (every figure at every query day, ``_counts`` and ``_figures``) → pace
    (``_pace``) → projection (``_trend``, ``_projection``) → status (``_status``); ``_assemble``
    puts the columns together and ``_checks`` adds the checks beside the figures.
    """
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    thresholds = thresholds or Thresholds.default()
    baseline = catalog.policy.date
    as_of_day, base_day = _day(as_of), _day(baseline)
    info = _metric_info(catalog, data.targets)

    it = _prepared_items(data, as_of_day)                        # items, keys
    groups = _item_groups(it)                                    # groups
    totals = _totals(data)
    specs = _row_specs(data, catalog, info, _data_pairs(it, totals))  # targets
    cal = _calendar(specs, base_day, as_of_day)
    counts = _counts(it, groups, totals, cal)                    # counts
    figs = _figures(specs, info, counts, cal)
    figs.slope = _trend(figs.values[:, :cal.n_months], cal.cutoffs, base_day, as_of_day, figs.actual,
                        figs.is_count, thresholds.projection_window_months)
    rows = _assemble(specs, figs, cal, info, catalog, thresholds)  # pace, projection, status
    series = _series(figs.keys, figs.values[:, :cal.n_months], cal.months)
    return Progress(as_of=as_of, baseline=baseline, thresholds=thresholds, rows=rows, series=series,
                    **_checks(data, catalog, info, it, groups, counts, totals, rows))


def _checks(data: Dataset, catalog: Catalog, info: dict, it: _Items, groups: dict, counts: "_Counts",
            totals: "_Totals", rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The checks beside the figures (conflicts, shared items, over-claims) and the level distributions."""
    as_of_day = counts.as_of_day
    shared = _shared_items(data, it, as_of_day)
    plain = _plain_sums(rows, catalog)
    goals, goal_ev = _level_distribution(data.assessments, "goal", catalog)
    tasks, task_ev = _level_distribution(data.tasks, "task", catalog)
    return {"warnings": _register_conflicts(totals.frame, totals.labels, it.register, info, groups,
                                            counts.group_of, as_of_day, totals.day, totals.codes),
            "shared_items": shared, "plain_sums": plain, "overclaims": _overclaims(data, catalog, plain, shared),
            "goals": goals, "tasks": tasks, "goal_evidence": goal_ev, "task_evidence": task_ev}


@dataclass
class _Totals:
    """Reported totals (累计值) with the integer code of each row's (province, metric)."""

    frame: pd.DataFrame                  # rows with province, metric, value and date
    day: np.ndarray                      # day of each row
    codes: np.ndarray                    # code of each row into labels
    labels: list[tuple[str, str]]        # (province, metric) of each code
    index: dict[tuple[str, str], int]    # (province, metric) -> code


def _totals(data: Dataset) -> _Totals:
    """Totals: the latest figure reported on or before a day counts."""
    tot = data.totals.dropna(subset=["province", "metric", "value", "as_of"])
    t_day, _ = _days(tot["as_of"])
    t_pairs = list(zip(tot["province"].to_numpy(dtype=object), tot["metric"].to_numpy(dtype=object)))
    t_codes, t_uni = pd.factorize(pd.Series(t_pairs, dtype=object)) if t_pairs else (np.zeros(0, np.int64), [])
    labels = [tuple(x) for x in t_uni]
    return _Totals(frame=tot, day=t_day, codes=t_codes, labels=labels,
                   index={lab: i for i, lab in enumerate(labels)})


def _data_pairs(it: _Items, totals: _Totals) -> set[tuple[str, str, str]]:
    """("province", province, metric) of everything a province reports, in a register or as totals."""
    return ({("province", p, m) for p, m in it.register if p and m}
            | {("province", p, m) for p, m in totals.labels})


@dataclass
class _Calendar:
    """The query days: every month end up to the as-of month (the last capped at the as-of date),
    then the baseline and every deadline already passed."""

    as_of_day: np.int64
    base_day: np.int64
    months: np.ndarray          # month-end days
    cutoffs: np.ndarray         # month ends capped at the as-of date
    q_days: np.ndarray          # cutoffs, baseline, passed deadlines
    col_of: dict[int, int]      # passed deadline day -> its column in q_days

    @property
    def n_months(self) -> int:
        return len(self.cutoffs)

    @property
    def col_as_of(self) -> int:
        return self.n_months - 1

    @property
    def col_base(self) -> int:
        return self.n_months


def _calendar(specs: list[dict[str, Any]], base_day: np.int64, as_of_day: np.int64) -> _Calendar:
    months = _month_ends(min(base_day, as_of_day), as_of_day)
    cutoffs = np.minimum(months, as_of_day)
    deadline_days = {_day(d) for d in {s["deadline"] for s in specs} if d is not None}
    past = sorted(d for d in deadline_days if d < as_of_day)
    q_days = np.concatenate([cutoffs, [base_day], np.asarray(past, dtype=np.int64)]).astype(np.int64)
    col_of = {int(d): len(cutoffs) + 1 + i for i, d in enumerate(past)}
    return _Calendar(as_of_day=as_of_day, base_day=base_day, months=months, cutoffs=cutoffs, q_days=q_days,
                     col_of=col_of)


@dataclass
class _Counts:
    """What figures are read from: distinct items and reported totals at every query day."""

    items: dict[str, np.ndarray]                      # scope type -> (group × query day) distinct items
    rows: dict[str, np.ndarray]                       # scope type -> register rows per group to the as-of date
    group_of: dict[str, dict[tuple[str, str], int]]   # scope type -> (scope, metric) -> group
    totals: np.ndarray                                # (province, metric) × query day: the latest total
    total_rows: np.ndarray                            # totals rows per (province, metric) to the as-of date
    total_of: dict[tuple[str, str], int]              # (province, metric) -> totals code
    register: set[tuple[str, str]]                    # (province, metric) with a register
    as_of_day: np.int64


def _counts(it: _Items, groups: dict[str, dict[str, Any]], totals: _Totals, cal: _Calendar) -> _Counts:
    items = {st: _count_le(g["unit_group"], g["unit_day"], len(g["labels"]), cal.q_days) for st, g in groups.items()}
    latest = _latest_le(totals.codes.astype(np.int64), totals.day, totals.frame["value"].to_numpy(dtype=float),
                        len(totals.labels), cal.q_days)
    n_labels = len(totals.labels)
    n_tot = (np.bincount(totals.codes[totals.day <= cal.as_of_day], minlength=n_labels) if n_labels
             else np.zeros(0))
    raw_n = {}
    for st, g in groups.items():
        ok = g["raw_known"] & (g["raw_day"] <= cal.as_of_day)
        raw_n[st] = np.bincount(g["raw_group"][ok], minlength=len(g["labels"]))
    group_of = {st: {lab: i for i, lab in enumerate(g["labels"])} for st, g in groups.items()}
    return _Counts(items=items, rows=raw_n, group_of=group_of, totals=latest, total_rows=n_tot,
                   total_of=totals.index, register=it.register, as_of_day=cal.as_of_day)


@dataclass
class _Figures:
    """One figure per scope × metric: its value at every query day and what it is made of."""

    keys: list[tuple[str, str, str]]     # (scope type, scope, metric)
    index: dict[tuple[str, str, str], int]
    values: np.ndarray                   # figure × query day
    n_rows: np.ndarray                   # source rows behind each figure
    bases: list[str]                     # register, totals, register+totals or none
    kinds: np.ndarray                    # count or value
    actual: np.ndarray                   # value at the as-of date (a count without rows is 0)
    base_value: np.ndarray               # value at the baseline (0 for counts)
    slope: np.ndarray | None = None      # trend, units per month

    @property
    def is_count(self) -> np.ndarray:
        return self.kinds == "count"


def _figures(specs: list[dict[str, Any]], info: dict, counts: _Counts, cal: _Calendar) -> _Figures:
    keys = list(dict.fromkeys((s["scope_type"], s["scope"], s["metric"]) for s in specs))
    kinds = np.array([info.get(k[2], {}).get("kind", "count") for k in keys], dtype=object)
    values = np.zeros((len(keys), len(cal.q_days)))
    n_rows = np.zeros(len(keys), dtype=np.int64)
    bases = [""] * len(keys)
    totals_only: dict[str, list[int]] = {}  # metric -> province figures that come from totals alone
    for i, (st, scope, mid) in enumerate(keys):
        if st == "province":
            bases[i] = _province_figure(i, scope, mid, kinds[i], counts, values, n_rows)
            if bases[i] == "totals":
                totals_only.setdefault(mid, []).append(i)
    for i, (st, scope, mid) in enumerate(keys):
        if st != "province":
            parts = totals_only.get(mid, []) if st == "national" else []
            bases[i] = _aggregate_figure(i, st, scope, mid, kinds[i], parts, counts, values, n_rows)
    is_count = kinds == "count"
    actual = values[:, cal.col_as_of].copy()
    actual[is_count & np.isnan(actual)] = 0.0
    base_value = np.where(is_count, 0.0, np.nan_to_num(values[:, cal.col_base]))
    return _Figures(keys=keys, index={k: i for i, k in enumerate(keys)}, values=values, n_rows=n_rows,
                    bases=bases, kinds=kinds, actual=actual, base_value=base_value)


def _province_figure(i: int, scope: str, mid: str, kind: str, counts: _Counts, values: np.ndarray,
                     n_rows: np.ndarray) -> str:
    """Fill figure ``i`` of a province from its register (a count metric) or its totals; return the basis."""
    ti = counts.total_of.get((scope, mid))
    if kind == "count" and ((scope, mid) in counts.register or ti is None):
        gi = counts.group_of["province"].get((scope, mid))
        if gi is not None:
            values[i], n_rows[i] = counts.items["province"][gi], counts.rows["province"][gi]
        return "register" if (scope, mid) in counts.register else "none"
    if ti is not None:
        values[i], n_rows[i] = counts.totals[ti], counts.total_rows[ti]
        return "totals"
    values[i] = np.nan
    return "none"


def _aggregate_figure(i: int, st: str, scope: str, mid: str, kind: str, parts: list[int], counts: _Counts,
                      values: np.ndarray, n_rows: np.ndarray) -> str:
    """Fill figure ``i`` of the nation, a direction or a flagship: distinct items plus, for the nation,
    the provinces that report totals only (``parts``); return the basis."""
    key = ("national", mid) if st == "national" else (scope, mid)
    gi = counts.group_of[st].get(key)
    if kind == "count" and gi is not None:
        values[i], n_rows[i] = counts.items[st][gi], counts.rows[st][gi]
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
    if gi is not None and not parts:
        return "register"
    if parts and gi is None:
        return "totals"
    return "register+totals" if parts else "none"


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


# ---- the output rows: pace, projection, status on whole columns at once -----------------------------------
@dataclass
class _RowSpecs:
    """The per-row inputs of every output row, as arrays."""

    fi: np.ndarray             # figure of each row
    deadlines: list[Any]
    target: np.ndarray
    has_deadline: np.ndarray
    dl_day: np.ndarray         # deadline day (the as-of day where there is none)
    passed: np.ndarray
    has_target: np.ndarray
    strict: np.ndarray         # the target must be exceeded (qualifier gt)


def _row_arrays(specs: list[dict[str, Any]], col: dict[str, list], figs: _Figures, cal: _Calendar) -> _RowSpecs:
    deadlines = [sp["deadline"] for sp in specs]
    target = np.array([sp["target"] for sp in specs], dtype=float)
    has_deadline = np.array([d is not None for d in deadlines], dtype=bool)
    dl_day = np.array([_day(d) if d is not None else cal.as_of_day for d in deadlines], dtype=np.int64)
    return _RowSpecs(
        fi=np.array([figs.index[k] for k in zip(col["scope_type"], col["scope"], col["metric"])], dtype=np.int64),
        deadlines=deadlines, target=target, has_deadline=has_deadline, dl_day=dl_day,
        passed=has_deadline & (dl_day < cal.as_of_day), has_target=~np.isnan(target),
        strict=np.array([q == "gt" for q in col["qualifier"]], dtype=bool))


def _at_deadline(r: _RowSpecs, figs: _Figures, cal: _Calendar) -> np.ndarray:
    """The value at the deadline of every row whose deadline has passed (NaN for the others)."""
    at_dl = np.full(len(r.fi), np.nan)
    for j in np.flatnonzero(r.passed):
        at_dl[j] = figs.values[r.fi[j], cal.col_of[int(r.dl_day[j])]]
    return np.where(r.passed & (figs.kinds[r.fi] == "count"), np.nan_to_num(at_dl), at_dl)


def _pace(r: _RowSpecs, actual: np.ndarray, base_value: np.ndarray, cal: _Calendar) -> dict[str, np.ndarray]:
    """Where the figure should be by now on a straight line from the baseline to the target."""
    with np.errstate(invalid="ignore", divide="ignore"):
        span = (r.dl_day - cal.base_day).astype(float)
        elapsed = np.where(r.has_deadline & (span > 0), np.clip((cal.as_of_day - cal.base_day) / span, 0.0, 1.0),
                           np.where(r.has_deadline, 1.0, np.nan))
        pace_value = np.where(r.has_target, base_value + (r.target - base_value) * elapsed, np.nan)
        pos = r.has_target & (r.target > 0)
        percent = np.where(pos, actual / r.target * 100.0, np.nan)
        pace_percent = np.where(pos, pace_value / r.target * 100.0, elapsed * 100.0)
    return {"pace_value": pace_value, "percent": percent, "pace_percent": pace_percent}


def _projection(r: _RowSpecs, actual: np.ndarray, at_dl: np.ndarray, slope: np.ndarray,
                cal: _Calendar) -> dict[str, np.ndarray]:
    """The figure projected to the deadline on the trend, and the rate still required to meet the target."""
    with np.errstate(invalid="ignore", divide="ignore"):
        months_left = (r.dl_day - cal.as_of_day) / DAYS_PER_MONTH
        projected = np.where(r.passed, at_dl,
                             np.where(r.has_deadline, actual + slope * np.maximum(months_left, 0), np.nan))
        reached_now = np.where(r.strict, actual > r.target, actual >= r.target) & r.has_target
        required = np.where(r.has_target & r.has_deadline & ~r.passed & (months_left > 0),
                            np.maximum(r.target - actual, 0.0) / months_left, np.nan)
        required = np.where(r.has_target & reached_now & ~r.passed, 0.0, required)
        pos = r.has_target & (r.target > 0)
        projected_percent = np.where(pos, projected / r.target * 100.0, np.nan)
    return {"projected": projected, "required_rate": required, "projected_percent": projected_percent,
            "reached_now": reached_now}


def _status(r: _RowSpecs, actual: np.ndarray, at_dl: np.ndarray, pace_value: np.ndarray, projected: np.ndarray,
            reached_now: np.ndarray, th: Thresholds) -> np.ndarray:
    """The status of every row (thresholds and their reasons in metrics/data/status.yaml)."""
    with np.errstate(invalid="ignore"):
        reached_dl = np.where(r.strict, at_dl > r.target, at_dl >= r.target) & r.has_target
        ahead = actual >= th.on_track_pace_ratio * pace_value
        near = actual >= th.at_risk_pace_ratio * pace_value
        proj_ok = projected >= th.on_track_projection_ratio * r.target
        proj_near = projected >= th.at_risk_projection_ratio * r.target
    return np.select(
        [~r.has_target | ~r.has_deadline, r.passed & reached_dl, r.passed, reached_now, ahead | proj_ok,
         near | proj_near],
        ["no_target", "met", "missed", "met", "on_track", "at_risk"], default="off_track")


def _contribution(r: _RowSpecs, col: dict[str, list], actual: np.ndarray, catalog: Catalog) -> np.ndarray:
    """Each row's actual as a share of the national target for the same metric and deadline."""
    national = _national_targets(catalog)
    nat_target = np.array([np.nan if st == "national" else national.get((m, d), national.get((m, None), np.nan))
                           for st, m, d in zip(col["scope_type"], col["metric"], r.deadlines)], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(nat_target > 0, actual / nat_target * 100.0, np.nan)


def _assemble(specs: list[dict[str, Any]], figs: _Figures, cal: _Calendar, info: dict, catalog: Catalog,
              th: Thresholds) -> pd.DataFrame:
    """The output rows: every number of every spec, computed on whole columns at once."""
    col = {c: [sp.get(c, "") for sp in specs] for c in
           ("scope_type", "scope", "metric", "qualifier", "target_text", "target_source", "target_note",
            "clause_section", "clause_quote")}
    for c, missing in (("name_zh", None), ("name_en", None), ("unit", "")):
        col[c] = [info.get(m, {}).get(c, m if missing is None else missing) for m in col["metric"]]
    r = _row_arrays(specs, col, figs, cal)
    at_dl = _at_deadline(r, figs, cal)
    # A passed deadline is reported as it ended (issue 13): the actual is the value at the deadline,
    # what came after is kept apart, and pace, projection and required rate mean nothing any more.
    actual_now = figs.actual[r.fi]
    actual = np.where(r.passed, at_dl, actual_now)
    pace = _pace(r, actual, figs.base_value[r.fi], cal)
    proj = _projection(r, actual, at_dl, figs.slope[r.fi], cal)
    status = _status(r, actual, at_dl, pace["pace_value"], proj["projected"], proj["reached_now"], th)
    live = np.where(r.passed, np.nan, 1.0)  # NaN after the deadline, 1 before: masks the forward-looking figures
    col.update({
        "kind": figs.kinds[r.fi], "deadline": r.deadlines, "actual": actual, "target": r.target,
        "percent": pace["percent"], "pace_percent": pace["pace_percent"] * live,
        "pace_value": pace["pace_value"] * live, "gap_items": (actual - pace["pace_value"]) * live,
        "gap_pp": (pace["percent"] - pace["pace_percent"]) * live,
        "required_rate": proj["required_rate"] * live, "projected": proj["projected"] * live,
        "projected_percent": proj["projected_percent"] * live, "status": status.astype(object),
        "passed": r.passed, "actual_now": actual_now, "after_deadline": np.where(r.passed, actual_now - at_dl, np.nan),
        "contribution_percent": _contribution(r, col, actual, catalog), "n_rows": figs.n_rows[r.fi],
        "basis": np.asarray(figs.bases, dtype=object)[r.fi], "actual_at_deadline": at_dl,
        "trend_per_month": figs.slope[r.fi] * live,
        "met_on": _met_on(figs.values[:, : len(cal.months)][r.fi], r.target, r.strict, cal.months),
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


def _series(fig_keys: list[tuple[str, str, str]], values: np.ndarray, months: np.ndarray) -> pd.DataFrame:
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
def _register_conflicts(tot: pd.DataFrame, t_labels: list, register: set, info: dict,
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
