"""The setup page (pages/setup.py) through Streamlit's AppTest: the happy path and each refusal."""

from __future__ import annotations

import dataclasses
import io
import json
import unicodedata

import openpyxl
import pytest
from app_pages import open_page
from html_tables import html_table
from pin_gate import PIN, admin_gate_shown, gate_shown, unlock, unlock_admin
from streamlit.testing.v1 import AppTest

from tinnhiem.demo import demo_entries, demo_poll
from tinnhiem.model import Attendance, Official
from tinnhiem.storage import Store

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
OFFICIALS = "Nguyễn Văn An; Chủ tịch HĐND\nTrần Thị Bích - Phó Chủ tịch\nLê **Văn** Cường, Ủy viên"


def page(poll_id: int | None = None) -> AppTest:
    """The setup page, run once, showing ``poll_id`` when given."""
    return open_page("pages/setup.py", poll_id, pin=PIN, admin=True)


def button(at: AppTest, label: str):
    """The button with this label (the page's buttons are found by what the user reads)."""
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def fill(at: AppTest, total: int, present: int, issued: int, collected: int) -> AppTest:
    """Type a title, the attendance, the ballot numbers and (a new poll) the PIN twice."""
    if any(t.key == "setup.pin" for t in at.text_input):
        at.text_input(key="setup.pin").input(PIN)
        at.text_input(key="setup.pin_again").input(PIN)
    at.text_input(key="setup.title").input("Kỳ họp thứ mười bốn")
    at.text_input(key="setup.body").input("HĐND tỉnh")
    at.number_input(key="setup.total").set_value(total)
    at.number_input(key="setup.present").set_value(present)
    at.number_input(key="setup.issued").set_value(issued)
    at.number_input(key="setup.collected").set_value(collected)
    return at.run()


def paste(at: AppTest, text: str = OFFICIALS) -> AppTest:
    """Paste a list of officials and put it into the table."""
    at.text_area(key="setup.paste").input(text).run()
    return at.button(key="setup.import").click().run()


def errors(at: AppTest) -> list[str]:
    """The error messages shown, without the Markdown escapes put before user text."""
    return [e.value.replace("\\", "") for e in at.error]


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: precomposed letter + combining tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out.append((letter + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(out)


def counting_poll(store: Store, entered: int = 5) -> int:
    """The demo poll, its count open, ``entered`` ballots entered."""
    poll_id = store.create_poll(dataclasses.replace(demo_poll(), entries=None), pin=PIN)
    store.open_count(poll_id)
    for marks in demo_entries()[:entered]:
        store.add_ballot(poll_id, marks)
    return poll_id


def test_new_poll_is_created_and_its_count_opened(store: Store) -> None:
    """Typing a setting, pasting three officials, saving and opening gives a counting poll."""
    at = page()
    assert not at.exception
    at = paste(fill(at, 50, 47, 47, 47))
    assert list(at.data_editor[0].value["Họ và tên"]) == [
        "Nguyễn Văn An",
        "Trần Thị Bích",
        "Lê **Văn** Cường",
    ]
    at = button(at, "Lưu thiết lập").click().run()
    assert "Đã lưu thiết lập." in [s.value for s in at.success]
    (summary,) = store.list_polls()
    assert at.query_params["poll"] == str(summary.id)
    poll = store.get_poll(summary.id)
    assert poll.title == "Kỳ họp thứ mười bốn"
    assert poll.members == Attendance(50, 47)
    assert poll.officials[2] == Official("Lê **Văn** Cường", "Ủy viên")
    at = button(at, "Lưu và mở kiểm phiếu").click().run()
    assert not errors(at)
    assert store.state(summary.id) == "counting"
    assert any("Đã mở kiểm phiếu" in s.value for s in at.success)


def test_count_opens_in_totals_mode_when_chosen(store: Store) -> None:
    """Choosing "Nhập tổng số kiểm tay" opens the count for hand-count totals."""
    at = paste(fill(page(), 30, 25, 25, 25))
    at.radio(key="setup.mode").set_value("totals")
    at = button(at, "Lưu và mở kiểm phiếu").click().run()
    (summary,) = store.list_polls()
    assert (store.state(summary.id), store.mode(summary.id)) == ("counting", "totals")


@pytest.mark.usefixtures("store")
def test_xlsx_upload_fills_the_table() -> None:
    """An XLSX list with its header under a title fills the table in STT order."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["DANH SÁCH"],
        ["STT", "Họ và tên", "Chức danh"],
        [2, "B", "Phó"],
        [1, "A", "Trưởng"],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    at = page()
    at.file_uploader(key="setup.upload").upload("ds.xlsx", buffer.getvalue(), "application/xlsx")
    at = at.run().button(key="setup.import").click().run()
    assert list(at.data_editor[0].value["Họ và tên"]) == ["A", "B"]


@pytest.mark.usefixtures("store")
def test_quorum_indicator_follows_the_numbers() -> None:
    """19 of 30 present shows red "chưa đủ túc số"; 20 of 30 shows green "đủ túc số"."""
    at = fill(page(), 30, 19, 19, 19)
    assert "Có mặt 19/30 — cần tối thiểu 20: chưa đủ túc số" in errors(at)
    at.number_input(key="setup.present").set_value(20).run()
    assert "Có mặt 20/30 — cần tối thiểu 20: đủ túc số" in [s.value for s in at.success]


def test_open_refused_without_quorum(store: Store) -> None:
    """With 19 of 30 present the poll is saved but the count does not open, and says why."""
    at = paste(fill(page(), 30, 19, 19, 19))
    at = button(at, "Lưu và mở kiểm phiếu").click().run()
    (summary,) = store.list_polls()
    assert store.state(summary.id) == "setup"
    assert any("Chưa mở được kiểm phiếu" in e and "chưa đủ túc số" in e for e in errors(at))
    assert "Chưa đủ túc số: có mặt 19/30, cần ít nhất 20 (hai phần ba số được triệu tập)." in (
        errors(at)
    )


def test_save_refused_without_officials(store: Store) -> None:
    """An empty officials list is refused next to the table and nothing is stored."""
    at = fill(page(), 30, 25, 25, 25)
    at = button(at, "Lưu thiết lập").click().run()
    assert any("Danh sách người được lấy phiếu đang trống" in e for e in errors(at))
    assert store.list_polls() == []


def test_save_refused_when_collected_exceeds_issued(store: Store) -> None:
    """12 ballots collected of 10 issued is refused with both numbers."""
    at = paste(fill(page(), 30, 25, 10, 12))
    at = button(at, "Lưu thiết lập").click().run()
    assert any("Số phiếu thu về (12) lớn hơn số phiếu phát ra (10)" in e for e in errors(at))
    assert store.list_polls() == []


@pytest.mark.usefixtures("store")
def test_open_refused_without_ballots_collected() -> None:
    """Opening with no ballot collected is refused with the store's reason."""
    at = paste(fill(page(), 30, 25, 0, 0))
    at = button(at, "Lưu và mở kiểm phiếu").click().run()
    assert any("chưa có phiếu thu về" in e for e in errors(at))


@pytest.mark.usefixtures("store")
def test_pasted_list_appends_and_moves() -> None:
    """ "Thêm vào cuối" keeps the list, and ↑ moves the chosen official up one place."""
    at = paste(page())
    at.radio(key="setup.import_how").set_value("Thêm vào cuối")
    at = paste(at, "Phạm Thị Dung; Ủy viên")
    assert len(at.data_editor[0].value) == 4
    at.selectbox(key="setup.move").set_value(3).run()
    at = at.button(key="setup.up").click().run()
    names = list(at.data_editor[0].value["Họ và tên"])
    assert names[2:] == ["Phạm Thị Dung", "Lê **Văn** Cường"]
    assert list(at.data_editor[0].value["STT"]) == [1, 2, 3, 4]


@pytest.mark.usefixtures("store")
def test_duplicate_name_in_the_table_is_warned() -> None:
    """Appending a name already in the table warns under the table."""
    at = paste(page())
    at.radio(key="setup.import_how").set_value("Thêm vào cuối")
    at = paste(at, "NGUYEN VAN AN; Ủy viên")
    assert any("Trùng họ tên" in w.value and "vị trí 1 và 4" in w.value for w in at.warning)


@pytest.mark.usefixtures("store")
def test_typed_stt_moves_the_row() -> None:
    """Typing STT 1 on the third row puts that official first and renumbers the list."""
    at = paste(page())
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {2: {"STT": 1}}, "added_rows": [], "deleted_rows": []}
    at = at.run()
    names = list(at.data_editor[0].value["Họ và tên"])
    assert names == ["Lê **Văn** Cường", "Nguyễn Văn An", "Trần Thị Bích"]


@pytest.mark.usefixtures("store")
def test_uploaded_csv_file_fills_the_table() -> None:
    """A Windows-1258 CSV with a title row is read, and its exemption reason kept."""
    text = (
        "DANH SÁCH\nSTT;Họ và tên;Chức vụ;Lý do miễn\n"
        "2;Bùi Văn B;Phó;\n1;Hồ Thị A;Trưởng;Nghỉ hưu\n"
    )
    at = page()
    at.file_uploader(key="setup.upload").upload("ds.csv", cp1258(text), "text/csv")
    at = at.run()
    assert any("Đọc được 2 người" in t.value and "Windows-1258" in t.value for t in at.text)
    at = at.button(key="setup.import").click().run()
    table = at.data_editor[0].value
    assert list(table["Họ và tên"]) == ["Hồ Thị A", "Bùi Văn B"]
    assert list(table["Lý do khác"]) == ["Nghỉ hưu", ""]


@pytest.mark.usefixtures("store")
def test_unreadable_file_gets_its_message() -> None:
    """A CSV without a header row shows which headers are expected."""
    at = page()
    at.file_uploader(key="setup.upload").upload("ds.csv", b"1;A;B\n", "text/csv")
    at = at.run()
    assert any("Không tìm thấy dòng tiêu đề" in e for e in errors(at))


def test_counting_poll_allows_only_ballot_numbers(store: Store) -> None:
    """While counting the setting is text (no field to type in); collected can change, not
    below entered."""
    poll_id = counting_poll(store, entered=5)
    at = page(poll_id)
    assert not at.data_editor
    assert [n.key for n in at.number_input if not n.disabled][:2] == [
        "setup.issued",
        "setup.collected",
    ]
    assert not [t for t in at.text_input if t.key.startswith("setup.")]
    setting = {row["Mục"]: row["Thiết lập"] for row in html_table(at, "setup-setting")}
    assert setting["Hình thức"] == "Lấy phiếu tín nhiệm"
    assert html_table(at, "setup-members")[0]["Có mặt"] == "47"
    at.number_input(key="setup.collected").set_value(4)
    at = button(at, "Lưu thiết lập").click().run()
    assert any("Đã nhập 5 phiếu" in e for e in errors(at))
    assert store.get_poll(poll_id).collected == 47
    at.number_input(key="setup.collected").set_value(46)
    at = button(at, "Lưu thiết lập").click().run()
    assert store.get_poll(poll_id).collected == 46
    assert not [b for b in at.button if b.label == "Lưu và mở kiểm phiếu"]


def test_locked_poll_cannot_be_changed(store: Store) -> None:
    """After the lock every field is disabled and no save or open button is offered."""
    poll_id = counting_poll(store, entered=47)
    store.close_count(poll_id)
    store.lock(poll_id)
    at = page(poll_id)
    assert any("Đã khóa" in i.value for i in at.info)
    assert not [n for n in at.number_input if n.key.startswith("setup.")]
    assert html_table(at, "setup-ballots") == [{"Số phiếu phát ra": "47", "Số phiếu thu về": "47"}]
    labels = [b.label for b in at.button]
    assert "Lưu thiết lập" not in labels
    assert "Lưu và mở kiểm phiếu" not in labels


def test_exempt_official_shows_its_reason(store: Store) -> None:
    """A stored standard exemption appears in the exemption column of the table."""
    poll_id = counting_poll(store)
    rows = html_table(page(poll_id), "setup-officials")
    row = next(r for r in rows if r["Họ và tên"] == "Hồ Thị Kim Oanh")
    assert row["Miễn lấy phiếu (lý do)"] == "Đã có thông báo nghỉ hưu"
    assert row["STT"] == ""  # not on the ballot


def test_poll_file_import_and_bad_file(store: Store) -> None:
    """A poll file becomes a new poll; a broken one names what is wrong."""
    poll_id = counting_poll(store)
    data = json.dumps(store.export_data(poll_id), ensure_ascii=False).encode()
    at = page(poll_id)
    at.session_state["setup.import_open"] = True  # the box opened
    at = at.run()
    at = unlock_admin(at) if admin_gate_shown(at) else at
    at.file_uploader(key="setup.json").upload("poll.json", data, "application/json")
    at = at.run()
    at = at.button(key="setup.import_json").click().run()
    assert len(store.list_polls()) == 2
    assert any("Đã nhập tệp" in s.value for s in at.success)
    assert any("chưa có mã PIN" in w.value for w in at.warning)  # an imported poll has none
    at.text_input(key="access.new").input("86420")
    at.text_input(key="access.again").input("86420")
    at = next(b for b in at.button if b.label == "Đặt mã PIN").click().run()
    assert store.check_pin(int(store.list_polls()[0].id), "86420")
    at.file_uploader(key="setup.json").clear()
    at.file_uploader(key="setup.json").upload("bad.json", b"{not json", "application/json")
    at = at.run()
    at = at.button(key="setup.import_json").click().run()
    assert any("Không nhập được tệp: (tệp): JSON sai ở dòng 1, cột 2" in e for e in errors(at))
    bad = json.dumps({"format": "tinnhiem/1", "kind": "poll"}).encode()
    at.file_uploader(key="setup.json").clear()
    at.file_uploader(key="setup.json").upload("bad.json", bad, "application/json")
    at = at.run()
    at = at.button(key="setup.import_json").click().run()
    assert any(e.startswith("Không nhập được tệp") for e in errors(at))
    assert len(store.list_polls()) == 2


def test_ballots_pdf_offered_for_a_stored_poll(store: Store) -> None:
    """A stored poll with officials offers its ballot papers as a PDF download."""
    at = page(counting_poll(store))
    assert "Tải phiếu tín nhiệm để in (PDF)" in [d.label for d in at.get("download_button")]


def test_new_poll_choice_gives_a_blank_form_until_another_poll_is_opened(store: Store) -> None:
    """Choosing "new" empties the form; opening a poll by URL (the sidebar) leaves that draft."""
    poll_id = counting_poll(store)
    at = page(poll_id)
    at = at.selectbox(key="setup.choice").set_value("new").run()
    at = unlock_admin(at)  # a new poll needs the administrator
    assert at.text_input(key="setup.title").value == ""
    assert not at.text_input(key="setup.title").disabled
    at.query_params["poll"] = str(counting_poll(store))
    at = at.run()
    assert gate_shown(at)  # the PIN given for one poll does not open another
    at = unlock(at)
    setting = {row["Mục"]: row["Thiết lập"] for row in html_table(at, "setup-setting")}
    assert setting["Kỳ họp / hội nghị"] == demo_poll().title  # a counting poll: as text


def raw_page(poll_id: int) -> AppTest:
    """The setup page of ``poll_id``, run once, the PIN not given."""
    return open_page("pages/setup.py", poll_id)


def test_an_existing_poll_shows_nothing_editable_without_its_pin(store: Store) -> None:
    """Without the PIN the setup of a stored poll shows only the gate: no field, no save."""
    at = raw_page(counting_poll(store))
    assert gate_shown(at)
    assert (
        at.text_input(key="access.pin").proto.type == at.text_input(key="access.pin").proto.PASSWORD
    )
    assert not [t for t in at.text_input if t.key.startswith("setup.")]
    assert not at.number_input and not at.data_editor
    assert "Lưu thiết lập" not in [b.label for b in at.button]


def test_a_wrong_pin_is_refused_and_the_fifth_locks_the_gate(store: Store) -> None:
    """A wrong PIN says "Mã PIN không đúng"; the fifth in a row says how long to wait."""
    poll_id = counting_poll(store)
    at = raw_page(poll_id)
    for _ in range(4):
        at = unlock(at, "0000")
        assert any("Mã PIN không đúng" in e for e in errors(at))
        assert gate_shown(at)
    at = unlock(at, "0000")
    assert any("Hãy chờ 30 giây" in e for e in errors(at))
    at = unlock(at, PIN)  # even the right PIN waits while the gate is locked
    assert any("Hãy chờ" in e for e in errors(at))
    assert gate_shown(at) and not at.number_input


def test_a_new_poll_needs_its_pin_typed_twice_alike(store: Store) -> None:
    """Creating a poll without a PIN, with two different ones or a short one stores nothing."""
    at = paste(fill(page(), 50, 47, 47, 47))
    for first, second, message in (
        ("", "", "Chưa đặt mã PIN"),
        ("2468", "2469", "không khớp"),
        ("12", "12", "từ 4 đến 12 chữ số"),
    ):
        at.text_input(key="setup.pin").input(first)
        at.text_input(key="setup.pin_again").input(second)
        at = button(at, "Lưu thiết lập").click().run()
        assert any(message in e for e in errors(at)), errors(at)
        assert store.list_polls() == []
    at.text_input(key="setup.pin").input(PIN)
    at.text_input(key="setup.pin_again").input(PIN)
    at = button(at, "Lưu thiết lập").click().run()
    (summary,) = store.list_polls()
    assert store.check_pin(summary.id, PIN)
    assert not gate_shown(at)  # the board that created it is not asked again


def test_a_counting_polls_setting_is_text_and_hostile_names_stay_text(store: Store) -> None:
    """Past setup the setting, officials and board are read-only tables: every name is shown
    exactly as typed and never becomes markup (no <img> reaches the page, so the browser
    fetches nothing); an exempt official keeps a row without a ballot number."""
    hostile = '<img src="http://example.invalid/x.png"> **đậm** $x^2$ :red[đỏ] &amp;'
    poll = dataclasses.replace(
        demo_poll(),
        entries=None,
        title=hostile,
        officials=(Official(hostile, "<b>Chủ tịch</b>"), *demo_poll().officials[1:]),
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    at = page(poll_id)
    setting = {row["Mục"]: row["Thiết lập"] for row in html_table(at, "setup-setting")}
    assert setting["Kỳ họp / hội nghị"] == hostile
    first = html_table(at, "setup-officials")[0]
    assert (first["STT"], first["Họ và tên"], first["Chức vụ"]) == ("1", hostile, "<b>Chủ tịch</b>")
    drawn = "".join(h.value for h in at.get("html"))
    assert "<img" not in drawn and "<b>" not in drawn
    assert "&lt;img" in drawn
