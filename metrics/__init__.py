"""Future Industries Target Tracker: the domain package (catalog, ingest, progress, storage, reports, CLI).

Nothing here imports streamlit; the pages call into this package, never the other way round.
"""
__version__ = "0.1.0"
