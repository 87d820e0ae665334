"""The one place inside the package that imports streamlit: shared widgets, charts, state keys."""
