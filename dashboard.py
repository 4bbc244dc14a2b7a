"""未来产业发展目标监测看板 — entry point.

``st.navigation`` lists every page explicitly (the ``pages/`` folder is not auto-discovered).
The sidebar (language, scope, as-of date) is drawn here so that its choices persist across pages,
and every page runs inside the error boundary: a failure shows a message, never a traceback.
"""
from __future__ import annotations

import logging

import streamlit as st

from app_support import data
from app_support.errors import error_boundary
from app_support.links import VIEW_TARGET, read_link, show_link_notes, write_link
from app_support.login import draw_account_box, require_login
from app_support.session import current_as_of, current_lang, current_scope, draw_sidebar
from metrics.errors import render
from metrics.i18n import t
from metrics.parse_pool import warm_up
from metrics.store import StoreError

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="未来产业发展目标监测看板", page_icon="📊", layout="wide")
warm_up()  # once per process, in the background: the first upload after a restart finds the parse pool started

lang = current_lang()
try:
    with st.spinner(t("app_loading_samples", lang)):
        data.seed_samples()
    as_of_default = data.default_as_of()
except StoreError as exc:
    # Nothing works without the store: say why (bilingual, no traceback) and stop here.
    logging.getLogger("tracker.app").exception("the store cannot be opened")
    st.error(t("app_store_error", lang))
    st.caption(render(exc, lang))
    st.stop()
# Accounts on (TRACKER_AUTH): no page, no sidebar until signed in; a missing secret stops here.
user = require_login(data.store())
read_link()  # a shared link's view, before the sidebar's widgets take their values
draw_sidebar(as_of_default)
draw_account_box(user)
lang = current_lang()

# (file, translation key of the title, url path, icon); the first page is the home page.
PAGES = [
    ("app_pages/overview.py", "app_page_overview", "overview", ":material/dashboard:"),
    ("app_pages/upload.py", "app_page_upload", "upload", ":material/upload_file:"),
    ("app_pages/gaps.py", "app_page_gaps", "gaps", ":material/trending_up:"),
    ("app_pages/compare.py", "app_page_compare", "compare", ":material/grid_on:"),
    ("app_pages/goals.py", "app_page_goals", "goals", ":material/checklist:"),
    ("app_pages/catalog.py", "catalog_title", "catalog", ":material/menu_book:"),
    ("app_pages/history.py", "app_page_history", "history", ":material/history:"),
    ("app_pages/rounds.py", "rounds_page_title", "rounds", ":material/fact_check:"),
    ("app_pages/report.py", "app_page_report", "report", ":material/description:"),
]
# The home page is served at "/" (its url_path is then empty: st.Page serves a default page only at the
# root), so its own path /overview is a hidden page of the same file: a shared /overview link opens the
# overview instead of Streamlit's "Page not found".
home_file, home_key, home_url, home_icon = PAGES[0]
pages = [st.Page(home_file, title=t(home_key, lang), url_path="", icon=home_icon, default=True),
         *[st.Page(path, title=t(key, lang), url_path=url, icon=icon) for path, key, url, icon in PAGES[1:]],
         st.Page(home_file, title=t(home_key, lang), url_path=home_url, icon=home_icon, visibility="hidden")]
page = st.navigation(pages)
st.session_state.pop(VIEW_TARGET, None)
try:
    with error_boundary("app_page_error_where"):
        page.run()
finally:
    # The view (even when the page stopped early, e.g. no data) goes into the URL to be shared;
    # a note on ignored link values is shown at the end of the page, where it was found.
    write_link(current_lang(), current_scope(), current_as_of(), st.session_state.get(VIEW_TARGET))
    show_link_notes(current_lang())
