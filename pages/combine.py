"""Tổng hợp: the points' or the polls' locked files combined, each refusal with its reason."""

from __future__ import annotations

import streamlit as st

from tinnhiem.ui import combine_view as view

st.title("Tổng hợp kết quả")
st.caption(
    "Chọn các tệp đã xuất của từng điểm lấy phiếu (cùng một đợt: được cộng lại) hoặc của "
    "nhiều đợt (đặt cạnh nhau). Tệp đã khóa được kiểm tra nhật ký kiểm toán; tệp trùng chỉ "
    "tính một lần; tệp mâu thuẫn bị loại, có nêu lý do."
)
files = view.uploads()
expected = view.expected_names()
if not files:
    st.info("Chưa chọn tệp nào.")
    st.stop()

combined, refusals = view.combine_uploads(files, expected)
view.show_refusals(refusals, combined.missing if combined else ())
if combined is None:
    st.warning("Không còn tệp nào dùng được để tổng hợp.")
    st.stop()
for number, poll in enumerate(combined.polls, start=1):
    view.show_poll(number, poll)
view.show_people(combined)
view.show_files(combined)
view.downloads(combined, files)
