"""上传数据 Upload: templates, upload, the row-by-row validation report, preview of changes, store.

Flat named steps (issue 16): each uploaded file is read, reported, previewed and — after the page
has said what will be stored and, for a file naming no as-of date, the officer has confirmed one —
stored (issue 12).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import streamlit as st

from app_support import change_tables, data, item_tables, uploads
from app_support.errors import error_boundary
from app_support.account_widgets import denied, upload_permitted
from app_support.review_notice import show_returned_notices
from app_support.round_picker import round_picker
from app_support.session import NATIONAL, choice, current_lang, current_scope, scope_label, scope_options
from app_support.ui import page_setup, show_changes, show_figures, translated
from metrics.access import AccessDenied, can_upload
from metrics.catalog import load_catalog
from metrics.i18n import t
from metrics.sheets import SHEET_KIND, SHEET_METRIC, sheet_defs
from metrics.mapping import IGNORE, Mapping, find_profile, save_profile, to_yaml
from metrics.markup import md_text
from metrics.model import IngestResult
from metrics.presentation import counted, fmt_count, fmt_date, fmt_time, metric_name, region_name
from metrics.settings import max_upload_bytes
from metrics.text import alias_key
from metrics.upload_plan import as_of_guess, store_plan
from metrics.workbook_spec import workbook_sheets


def templates_section(lang: str, scope: str) -> str | None:
    """The template downloads; returns the province chosen for them (None: any province)."""
    st.subheader(t("app_upload_templates", lang))
    provinces = [p for p in scope_options() if p != NATIONAL]
    province = choice(st.selectbox, t("app_upload_province", lang), [NATIONAL, *provinces], "upload_province",
                      lambda p: t("app_upload_any_province", lang) if p == NATIONAL else scope_label(p, lang),
                      index=0 if scope == NATIONAL else 1 + provinces.index(scope))
    chosen = None if province == NATIONAL else province
    c1, c2 = st.columns(2)
    c1.download_button(t("app_upload_blank_template", lang), data.template_bytes(chosen),
                       file_name=uploads.template_filename(chosen, prefilled=False), key="download_blank",
                       mime=uploads.XLSX_MIME, icon=":material/download:")
    if chosen and data.dataset(chosen).provinces():
        c2.download_button(t("app_upload_prefilled_template", lang), data.prefilled_template_bytes(chosen),
                           file_name=uploads.template_filename(chosen, prefilled=True), key="download_prefilled",
                           mime=uploads.XLSX_MIME, icon=":material/download:")
    elif chosen:
        c2.caption(t("app_upload_no_previous", lang, province=scope_label(chosen, lang)))
    return chosen


def refused(name: str, content: bytes, limit: int, lang: str, user) -> bool:
    """Refuse a file by its name or size before reading it (recorded); True when refused."""
    refusal = uploads.upload_refusal(name, len(content), limit)
    if refusal:
        st.error(t(refusal, lang, mb=limit // 2**20))
        data.store().record_refusal(user.username if user else "", name, content, refusal)
    return bool(refusal)


def show_unreadable(result: IngestResult, name: str, content: bytes, chosen: str | None, lang: str, user) -> None:
    data.store().record_refusal(user.username if user else "", name, content,
                                result.problems[0].code if result.problems else "unreadable_file", chosen)
    for p in result.problems:
        # md_text: the message quotes workbook text, which must not render as a link or image
        st.error(md_text(p.message_en if lang == "en" and p.message_en else p.message))


def confirmed_as_of(n: int, sha: str, result: IngestResult, lang: str) -> dt.date | None:
    """For a file naming no as-of date: ask for one (pre-filled with the guess, shown as a guess) and
    return it once the officer has confirmed it; None until then."""
    key = f"as_of_confirmed_{sha[:16]}"
    if st.session_state.get(key):
        return dt.date.fromisoformat(st.session_state[key])
    st.warning(t("app_upload_as_of_missing", lang))
    guess = as_of_guess(result)
    st.caption(t("app_upload_as_of_guess", lang, date=fmt_date(guess, lang)) if guess
               else t("app_upload_as_of_no_guess", lang))
    today = dt.date.today()
    chosen = st.date_input(t("app_upload_as_of_label", lang), value=min(guess or today, today), max_value=today,
                           key=f"as_of_input_{n}_{sha[:12]}")
    if st.button(t("app_upload_as_of_confirm", lang), key=f"as_of_confirm_{n}_{sha[:12]}",
                 icon=":material/event_available:"):
        st.session_state[key] = chosen.isoformat()
        st.rerun()
    return None


MAPPABLE_KINDS = ("items", "totals", "targets")


def remembered_profile(result: IngestResult, chosen: str | None) -> Mapping | None:
    """The mapping profile stored for the file's province and shape, if any."""
    if not result.readable or not result.shape_signature:
        return None
    return find_profile(data.store(), result.province or chosen, result.shape_signature)


def field_label(kind: str, key: str, lang: str) -> str:
    if key == IGNORE:
        return t("app_upload_mapping_ignore", lang)
    d = next(x for x in sheet_defs() if x.key == kind)
    c = d.column(key)
    return c.header_en if lang == "en" else c.header_zh


def kind_label(kind: str, lang: str) -> str:
    d = next(x for x in workbook_sheets() if x["key"] == kind)
    return d["name_en"] if lang == "en" else d["name_zh"]


def sheet_metric_choice(n: int, sheet: str, earlier: str, lang: str) -> str:
    """The metric a whole item sheet holds ("" : its name or a column says it)."""
    metrics = {m.id: m for m in load_catalog().countable_metrics}
    options = ["", *metrics]
    return st.selectbox(t("app_upload_mapping_metric", lang, sheet=sheet), options,
                        index=options.index(earlier) if earlier in options else 0,
                        format_func=lambda m: t("app_upload_mapping_metric_column", lang) if not m
                        else metric_name({"name_zh": metrics[m].name_zh, "name_en": metrics[m].name_en}, lang),
                        key=f"map_metric_{n}_{sheet}")


def mapping_choices(n: int, sheet: str, columns: list[dict[str, str]], earlier: dict[str, str], lang: str
                    ) -> dict[str, str]:
    """One sheet's choices: what the sheet is (when not recognised) and the field of each column."""
    kind = columns[0]["sheet_kind"]
    out: dict[str, str] = {}
    if not kind:
        kinds = list(MAPPABLE_KINDS)
        kind = st.selectbox(t("app_upload_mapping_kind", lang, sheet=sheet), kinds,
                            index=kinds.index(earlier.get(SHEET_KIND)) if earlier.get(SHEET_KIND) in kinds else 0,
                            format_func=lambda k: kind_label(k, lang), key=f"map_kind_{n}_{sheet}")
        out[SHEET_KIND] = kind
    metric = sheet_metric_choice(n, sheet, earlier.get(SHEET_METRIC, ""), lang) if kind == "items" else ""
    if metric:
        out[SHEET_METRIC] = metric
    d = next(x for x in sheet_defs() if x.key == kind)
    options = [IGNORE, *[c.key for c in d.columns]]
    for col in columns:  # pre-set: the earlier choice, else the field the header already names
        before = earlier.get(col["header"]) or d.lookup.get(alias_key(col["header"]), IGNORE)
        out[col["header"]] = st.selectbox(
            t("app_upload_mapping_column", lang, column=col["column"], header=col["header"]), options,
            index=options.index(before) if before in options else 0,
            format_func=lambda k, kind=kind: field_label(kind, k, lang), key=f"map_{n}_{sheet}_{col['column']}")
    return out


PREVIEW_COLUMNS = {"sheet": "app_col_sheet", "row": "app_col_row", "province": "app_col_province",
                   "metric": "app_col_metric", "name": "app_col_name", "code": "app_col_code_id",
                   "status": "app_col_status", "date": "app_col_date", "as_of": "app_col_as_of",
                   "value": "app_col_value", "deadline": "app_col_deadline"}


def mapping_preview(n: int, content: bytes, name: str, chosen: str | None, candidate: Mapping, lang: str) -> None:
    """The first rows as the candidate mapping reads them, and its counts."""
    trial = data.parse_upload(content, name, chosen, None, candidate.to_json())
    counts = trial.row_counts
    frames = [(kind, frame) for kind, frame in (("items", trial.items), ("totals", trial.totals),
                                                ("targets", trial.targets)) if len(frame)]
    # "The first rows:" only above rows: with none valid, the sentence ends at the counts
    st.caption(t("app_upload_mapping_preview" if frames else "app_upload_mapping_preview_none", lang,
                 valid=counted(counts.valid, "valid_row", lang), invalid=counted(counts.invalid, "invalid_row", lang)))
    for kind, frame in frames:
        shown = item_tables.by_name(frame.head(5), load_catalog(), lang)  # names, not internal keys
        st.dataframe(translated(shown, PREVIEW_COLUMNS, lang), hide_index=True, width="stretch",
                     key=f"map_preview_{n}_{kind}")


def mapping_step(n: int, sha: str, result: IngestResult, content: bytes, name: str, chosen: str | None,
                 profile: Mapping | None, lang: str, user) -> None:
    """Columns (or sheets) the headers do not name: the officer maps each to a field or ignores it;
    the choice is remembered as a profile of the province and the workbook's shape."""
    st.markdown(f"##### {t('app_upload_mapping_title', lang)}")
    st.caption(t("app_upload_mapping_intro", lang))
    by_sheet: dict[str, list[dict[str, str]]] = {}
    for col in result.unmapped:
        by_sheet.setdefault(col["sheet"], []).append(col)
    earlier = profile.sheets if profile is not None else {}
    sheets = {sheet: mapping_choices(n, sheet, cols, earlier.get(sheet, {}), lang) for sheet, cols in by_sheet.items()}
    province = result.province or chosen or ""
    default_name = f"{province or t('app_upload_any_province', lang)} · {name}"
    profile_name = st.text_input(t("app_upload_mapping_name", lang), value=profile.name if profile else default_name,
                                 key=f"map_name_{n}_{sha[:12]}")
    candidate = Mapping(profile_name.strip() or default_name, {**earlier, **sheets}, province, result.shape_signature)
    mapping_preview(n, content, name, chosen, candidate, lang)
    if can_upload(user) and st.button(t("app_upload_mapping_save", lang), key=f"map_save_{n}_{sha[:12]}",
                                      icon=":material/save:"):  # a viewer maps to look, never saves
        save_profile(data.store(), candidate, by=user.username if user else "")
        st.rerun()


def show_profile(n: int, profile: Mapping, lang: str) -> bool:
    """The note naming the profile a file was read with, its YAML export, and whether the officer
    wants to change it."""
    st.info(t("app_upload_mapping_applied", lang, profile=profile.name))
    st.download_button(t("app_upload_mapping_export", lang), to_yaml(profile).encode("utf-8"),
                       file_name=(re.sub(r'[\\/:*?"<>|\s]+', "_", profile.name).strip("._") or "mapping") + ".yaml",
                       mime="application/x-yaml", key=f"map_export_{n}",
                       icon=":material/download:")
    return st.toggle(t("app_upload_mapping_edit", lang), key=f"map_edit_{n}")


def show_summary(n: int, result: IngestResult, lang: str) -> None:
    counts = result.row_counts
    catalog = load_catalog()
    # show_figures: a long value ("31 December 2025", several regions) wraps instead of being cut
    regions = ("、" if lang == "zh" else ", ").join(region_name(catalog, p, lang) for p in result.provinces())
    show_figures([(t("app_upload_province", lang), regions or "–", None),
                  (t("app_col_as_of", lang), fmt_date(result.as_of, lang) if result.as_of else "–", None),
                  (t("app_col_valid", lang), fmt_count(counts.valid), None),
                  (t("app_col_invalid", lang), fmt_count(counts.invalid), None)])
    st.markdown(f"##### {t('app_upload_sheet_counts', lang)}")
    st.dataframe(translated(uploads.sheet_count_table(result.sheets),
                            {"sheet": "app_col_sheet", "valid": "app_col_valid", "invalid": "app_col_invalid",
                             "blank": "app_col_blank", "total": "app_col_total"}, lang),
                 hide_index=True, width="stretch", key=f"sheet_counts_{n}")


def show_report(n: int, result: IngestResult, content: bytes, name: str, chosen: str | None,
                as_of: dt.date | None, mapping: str | None, lang: str) -> None:
    report = uploads.problem_table(result.problems, lang)
    notes = sum(p.severity == "info" for p in result.problems)  # the table lists them too: the title counts them
    title = t("app_upload_report", lang, errors=counted(len(result.errors), "error", lang),
              warnings=counted(len(result.warnings), "warning", lang), notes=counted(notes, "note", lang))
    st.markdown(f"##### {title}")
    if report.empty:
        st.success(t("app_upload_clean", lang))
        return
    report["severity"] = report["severity"].map(lambda s: t(f"app_severity_{s}", lang))
    st.dataframe(translated(report, {"severity": "app_col_severity", "sheet": "app_col_sheet",
                                     "row": "app_col_row", "column": "app_col_column",
                                     "value": "app_col_value", "problem": "app_col_problem",
                                     "fix": "app_col_fix", "code": "app_col_code"}, lang),
                 hide_index=True, width="stretch", key=f"report_{n}")
    st.download_button(t("app_upload_annotated", lang), data.annotated_workbook(content, name, chosen, as_of, mapping, lang),
                       file_name=uploads.annotated_filename(name), mime=uploads.XLSX_MIME,
                       key=f"annotated_{n}", icon=":material/download:")


def show_preview(n: int, content: bytes, name: str, chosen: str | None, as_of: dt.date | None,
                 mapping: str | None, lang: str, valid: int = 1) -> None:
    """What storing would change, against the current submissions of the file's provinces."""
    st.markdown(f"##### {t('app_upload_preview', lang)}")
    if not valid:  # no row to store: "3 removed" would only frighten (nothing replaces the stored rows)
        st.caption(t("app_upload_preview_no_rows", lang))
        return
    changes = change_tables.diff_rows(data.upload_diff(content, name, chosen, as_of, mapping))
    if changes.empty:
        st.caption(t("app_changes_none", lang))
        return
    st.caption(t("app_upload_preview_counts", lang,
                 added=int((changes["change"] == "added").sum()),
                 removed=int((changes["change"] == "removed").sum()),
                 changed=int((changes["change"] == "changed").sum())))
    st.dataframe(show_changes(changes, lang), hide_index=True, width="stretch", key=f"changes_{n}",
                 height=240 if len(changes) > 6 else "auto")  # no rows of empty cells under a short list


def show_store_plan(n: int, result: IngestResult, lang: str) -> None:
    """Said plainly before the store button: 将保存 N 行，跳过 M 行, the skipped rows listed."""
    plan = store_plan(result, lang)
    title = t("app_upload_will_store", lang, stored=counted(plan.stored, "row", lang),
              skipped=counted(plan.skipped, "row", lang))
    st.markdown(f"##### {title}")
    if not plan.rows.empty:
        st.dataframe(translated(plan.rows, {"sheet": "app_col_sheet", "row": "app_col_row",
                                            "reason": "app_col_reason"}, lang),
                     hide_index=True, width="stretch", key=f"skipped_{n}")


def store_button(n: int, sha: str, result: IngestResult, content: bytes, name: str, lang: str, user) -> None:
    """The store button (none for a viewer or another province's editor); stores and says so."""
    pick = round_picker(data.store(), result, n, lang, user)  # which reporting round (issue 13)
    provinces_in_file = result.provinces()
    if not upload_permitted(user, provinces_in_file, lang):
        return
    # A file with errors is stored only once the officer has said they know which rows stay out (issue 13).
    invalid = result.row_counts.invalid
    agreed = not invalid or st.checkbox(
        t("app_upload_confirm_errors", lang, invalid=counted(invalid, "row", lang),
          stored=counted(result.row_counts.valid, "row", lang)),
        key=f"store_agree_{n}_{sha[:12]}")
    if not st.button(t("app_upload_store", lang), key=f"store_{n}_{sha[:12]}", type="primary",
                     disabled=not (provinces_in_file and agreed), icon=":material/save:"):
        return
    try:
        with st.spinner(t("app_upload_storing", lang)):
            outcome = data.store().save_submission(result, content, name, uploader="", actor=None, user=user)
    except AccessDenied as exc:  # the store checks again, whatever the page showed
        denied(exc)
        return
    data.invalidate()
    if getattr(outcome, "duplicate_of", None):
        st.info(t("app_upload_same_file", lang, id=outcome.duplicate_of, uploaded_at=""))
    else:
        ids = getattr(outcome, "submission_ids", None) or [outcome.submission_id]
        st.success(t("app_upload_stored", lang, ids=counted(len(ids), "submission_ids", lang,
                                                           ids=(", " if lang == "en" else "、").join(map(str, ids)))))
        pick.confirm(outcome)


def handle_file(n: int, uploaded, chosen: str | None, limit: int, lang: str, user) -> None:
    """One uploaded file: refuse, read (with its remembered mapping), map what is not recognised,
    report, preview, ask what is missing, say what is stored, store."""
    content, name = uploaded.getvalue(), uploaded.name
    st.text(f"{t('app_upload_file', lang)}: {name}")  # st.text: the name is the user's, never markdown
    if refused(name, content, limit, lang, user):
        return
    sha = hashlib.sha256(content).hexdigest()
    with st.status(t("app_upload_reading", lang), expanded=False) as status:
        result = unmapped = data.parse_upload(content, name, chosen)
        profile = remembered_profile(result, chosen)
        mapping = profile.to_json() if profile is not None else None
        if mapping:
            result = data.parse_upload(content, name, chosen, None, mapping)
        status.update(label=t("app_upload_read_done", lang), state="complete")
    if not result.readable:
        show_unreadable(result, name, content, chosen, lang, user)
        return
    if profile is not None and show_profile(n, profile, lang):  # the officer disagrees: map again
        mapping_step(n, sha, unmapped, content, name, chosen, profile, lang, user)
    earlier = uploads.same_file(data.store().history(), sha)  # stored before: nothing to ask, nothing to store
    as_of = None
    if result.as_of_missing and not earlier:
        as_of = confirmed_as_of(n, sha, result, lang)
        if as_of is not None:
            st.caption(t("app_upload_as_of_confirmed", lang, date=fmt_date(as_of, lang)))
            result = data.parse_upload(content, name, chosen, as_of, mapping)
    show_summary(n, result, lang)
    show_report(n, result, content, name, chosen, as_of, mapping, lang)
    if result.unmapped:  # after the report that names them: the officer says what they hold
        mapping_step(n, sha, result, content, name, chosen, profile, lang, user)
    show_preview(n, content, name, chosen, as_of, mapping, lang, result.row_counts.valid)
    if earlier:  # nothing will be stored: no plan of rows "to be stored" above the note
        st.info(t("app_upload_same_file", lang, id=earlier["id"], uploaded_at=fmt_time(earlier["uploaded_at"], lang)))
        return
    if result.as_of_missing:  # no store before the as-of date is confirmed
        return
    show_store_plan(n, result, lang)
    store_button(n, sha, result, content, name, lang, user)


def main(user) -> None:
    lang, scope = current_lang(), current_scope()
    # A returned submission's comments, for the province's editors (issue 13).
    notice_province = user.province if user is not None and user.province else (None if scope == NATIONAL else scope)
    show_returned_notices(data.store(), notice_province, lang)
    chosen = None
    with error_boundary("app_upload_templates"):
        chosen = templates_section(lang, scope)
    st.subheader(t("app_upload_files", lang))
    limit = max_upload_bytes()
    st.caption(t("app_upload_widget_note", lang, mb=limit // 2**20))  # the uploader's own texts are English only
    files = st.file_uploader(t("app_upload_files_label", lang, mb=limit // 2**20), type=list(uploads.UPLOAD_TYPES),
                             accept_multiple_files=True, key="upload_files", help=t("app_upload_files_help", lang))
    for n, uploaded in enumerate(files or []):
        with error_boundary("app_upload_files"), st.container(border=True):
            handle_file(n, uploaded, chosen, limit, lang, user)


# The login check, header and banner first, at module level, as on every page (see test_app_pages).
user = page_setup("app_page_upload", scoped=False)  # None when accounts are off
main(user)
