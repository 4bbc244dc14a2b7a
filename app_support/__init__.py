"""Streamlit-side plumbing of the dashboard: session state, cached loaders, the error boundary.

Everything that computes lives in ``metrics/`` (no streamlit there); this package only adapts it
to Streamlit: what is cached and on which keys, what the sidebar holds, how failures are shown.
"""
