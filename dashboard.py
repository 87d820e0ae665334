"""tinnhiem's Streamlit entry point (placeholder until the app pages land)."""

import streamlit as st

from tinnhiem.demo import demo_poll
from tinnhiem.tally import tally

st.set_page_config(page_title="tinnhiem — Kiểm phiếu tín nhiệm", layout="wide")
st.title("Kiểm phiếu tín nhiệm")
result = tally(demo_poll())
st.caption(f"Phiếu minh họa: đã nhập {result.counted}/{result.collected} phiếu thu về")
for row in result.officials:
    st.text(f"{row.official.name}: thấp {result.percent_vi(row.counts['low'])} — {row.band}")
