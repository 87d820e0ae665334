"""An empty page: the baseline of the page measures (Streamlit's own cost of one rerun)."""
