"""The ballot keyboard: an entry line that never loses a ballot, with a live preview.

A browser-side component (``st.components.v2``, inline JavaScript, no network): each line
ended with Enter gets a sequence number and joins a queue that the component sends whole
with every change, until the server acknowledges it. Streamlit merges rerun requests that
arrive while a script runs, keeping only the newest value of a widget: with a queue the
newest value still holds every unacknowledged ballot, so ballots typed faster than the
server can store them are stored late, never lost; and never twice, because each line
carries its keyboard's id and line number, which the store keeps unique per poll. The
preview of the typed line against the officials' names is drawn in the browser at each
key press, with ``textContent`` only (names are data, never markup).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

_HTML = """
<div class="tn-entry">
  <div class="tn-help"></div>
  <textarea class="tn-line" rows="1" autocomplete="off" autocorrect="off"
         autocapitalize="off" spellcheck="false" aria-label="Phiếu"></textarea>
  <div class="tn-probe" aria-hidden="true"></div>
  <div class="tn-status" aria-live="polite"></div>
  <table class="tn-preview"><tbody></tbody></table>
</div>
"""

_CSS = """
.tn-entry { font-family: var(--st-font, sans-serif); color: var(--st-text-color, #111); }
.tn-line, .tn-probe { box-sizing: border-box; width: 100%; font-size: 2rem; letter-spacing: .35em;
  font-family: monospace; padding: .35rem .7rem; border: 2px solid #0072B2;
  border-radius: .5rem; outline: none; background: white; color: #111; display: block;
  resize: none; overflow: hidden; line-height: 1.3; white-space: pre-wrap;
  overflow-wrap: anywhere; word-break: break-all; }
/* A long ballot (28 to 44 officials) wraps onto a second line rather than scrolling out
   of sight; the field is as tall as the whole ballot from the first key. */
.tn-line.long, .tn-probe.long { font-size: 1.6rem; letter-spacing: .14em; }
.tn-probe { position: absolute; visibility: hidden; height: auto; left: -10000px; }
.tn-line::placeholder { letter-spacing: normal; font-family: var(--st-font, sans-serif);
  font-size: 1.1rem; color: #777; }
.tn-line:focus { box-shadow: 0 0 0 3px #56B4E966; }
.tn-help { font-size: .875rem; color: #6b6b6b; margin: 0 0 .4rem 0; line-height: 1.4; }
.tn-status { min-height: 1.4rem; margin: .3rem 0; font-size: .95rem; color: #444; }
.tn-status.bad { color: #B00020; font-weight: 600; }
.tn-preview { border-collapse: collapse; width: 100%; font-size: 1rem; }
.tn-preview td { border-bottom: 1px solid #ddd; padding: .2rem .5rem; }
.tn-preview td.no { width: 3rem; text-align: right; color: #555; }
.tn-preview tr.next td { background: #FFF3C4; }
.tn-preview td.bad { color: #B00020; font-weight: 600; }
.tn-preview td.mark { width: 40%; }
.tn-preview td.low { color: #B00020; }
"""

_JS = """
// A ballot not acknowledged this long is announced: the server may be gone.
const PATIENCE_MS = 5000;

export default function (component) {
  const { setStateValue, parentElement } = component;
  const data = component.data ? JSON.parse(component.data) : null;
  const root = parentElement.querySelector(".tn-entry");
  if (!root || !data) return;
  const line = root.querySelector(".tn-line");
  const status = root.querySelector(".tn-status");
  const body = root.querySelector(".tn-preview tbody");
  root.querySelector(".tn-help").textContent = data.help || "";
  // The keyboard's id and line numbers make each line's source: the store keeps one ballot
  // per source, so two keyboards must never draw the same id (64 random bits).
  const randomId = () => {
    const bytes = new Uint8Array(8);
    if (globalThis.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else bytes.forEach((_, i) => { bytes[i] = Math.floor(Math.random() * 256); });
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const own = root.__tn || (root.__tn = {
    client: randomId(), seq: 0, queue: [], focused: false, sentAt: 0 });
  const acked = (data.acked || {})[own.client] || 0;
  own.queue = own.queue.filter((item) => item.seq > acked);
  line.placeholder = data.placeholder;
  const probe = root.querySelector(".tn-probe");
  const long = data.names.length > 20;
  line.classList.toggle("long", long);
  probe.classList.toggle("long", long);
  // The field's height: what the whole ballot (or a longer line) takes at this width.
  const fit = () => {
    probe.style.width = line.offsetWidth + "px";
    probe.textContent = "0".repeat(Math.max(data.names.length, line.value.length, 1));
    line.style.height = probe.offsetHeight + "px";
  };
  if (!own.resizer && globalThis.ResizeObserver) {
    own.resizer = new ResizeObserver(fit);
    own.resizer.observe(line);
  }

  const expand = (typed) => {
    const compact = typed.replace(/\\s+/g, "");
    if (compact === "x" || compact === "X") return "X";
    const same = compact.match(/^(?:\\*(\\d)|(\\d)\\*)$/);
    if (same) return (same[1] || same[2]).repeat(data.names.length);
    return compact;
  };
  const cell = (row, text, cls) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
  };
  // The typed line against the names; with nothing typed, the last line read back.
  const rows = (marks, typing) => {
    data.names.forEach((name, i) => {
      const row = document.createElement("tr");
      let word = "", cls = "mark";
      if (marks === "X") word = data.invalid_word;
      else if (i < marks.length) {
        word = data.words[marks[i]];
        if (word === undefined) { word = "? “" + marks[i] + "” không hợp lệ"; cls = "mark bad"; }
        else if (marks[i] === data.low) cls = "mark low";
      } else if (typing && i === marks.length) row.className = "next";
      else if (!typing) { word = "— thiếu"; cls = "mark bad"; }
      cell(row, String(i + 1), "no");
      cell(row, name, "");
      cell(row, word, cls);
      body.appendChild(row);
    });
    if (!typing && marks !== "X" && marks.length > data.names.length) {
      const row = document.createElement("tr");
      cell(row, "", "no");
      cell(row, "", "");
      cell(row, "thừa “" + marks.slice(data.names.length) + "”", "mark bad");
      body.appendChild(row);
    }
  };
  const render = () => {
    fit();
    const marks = expand(line.value);
    body.replaceChildren();
    const late = own.queue.length > 0 && Date.now() - own.sentAt >= PATIENCE_MS;
    if (late && !line.value) {
      status.className = "tn-status bad";
      status.textContent = "⚠ Máy chủ chưa lưu " + own.queue.length + " phiếu: "
        + own.queue.map((item) => item.line).join(", ")
        + ". Kiểm tra kết nối; nếu số phiếu đã nhập không tăng, tải lại trang rồi gõ lại.";
      return;
    }
    if (!line.value) {
      const last = own.queue.length ? null : data.last;
      status.textContent = last ? last.title : "";
      status.className = last && last.bad ? "tn-status bad" : "tn-status";
      if (last) rows(last.marks, false);
      return;
    }
    rows(marks, true);
    const n = data.names.length;
    const ok = marks === "X" || (marks.length === n && [...marks].every((c) => c in data.words));
    status.className = ok || marks.length < n ? "tn-status" : "tn-status bad";
    status.textContent = ok ? "Đủ " + n + " người — nhấn Enter để lưu."
      : marks.length < n ? "Đã gõ " + marks.length + " / " + n + " người."
      : "Thừa " + (marks.length - n) + " ký tự — xóa bớt trước khi nhấn Enter.";
  };
  // A line the server refused comes back into the empty field once, to be mended.
  const refused = data.refused;
  if (refused && refused.client === own.client && refused.seq > (own.restored || 0)) {
    own.restored = refused.seq;
    if (!line.value) line.value = refused.line;
  }
  line.oninput = render;
  line.onkeydown = (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const typed = line.value;
    if (!typed.trim()) return;
    line.value = "";
    own.seq += 1;
    own.queue.push({ seq: own.seq, line: typed });
    setStateValue("queue", { client: own.client, items: own.queue.slice() });
    own.sentAt = Date.now();
    setTimeout(render, PATIENCE_MS + 50);
    render();
  };
  render();
  if (!own.focused) { line.focus(); own.focused = true; }
}
"""

_component = st.components.v2.component(
    "tinnhiem.ballot_keyboard", html=_HTML, css=_CSS, js=_JS, isolate_styles=True
)


def ballot_keyboard(key: str, data: dict[str, Any], on_queue: Callable[[], None]) -> dict | None:
    """Mount the keyboard; the queue it sends (``{"client", "items": [{seq, line}]}``) or None.

    ``data``: names (ballot order), words (digit → word), low (the digit shown in red),
    invalid_word, placeholder, help, acked (client → last stored sequence number), last
    (``{marks, title, bad}``: the line read back while the field is empty, or None),
    refused (``{client, seq, line}``: a refused line to put back into that keyboard's
    empty field once, or None).
    ``on_queue`` runs before the page's script whenever the queue changed; read the queue
    there with ``queue_of(key)``.
    """
    # Sent as one JSON string: Streamlit looks into each value of a dict for a data frame
    # to send as Arrow (a pandas check per key, ~1 ms per rerun); a string it sends as is.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    result = _component(key=key, data=payload, default={"queue": None}, on_queue_change=on_queue)
    return result.queue


def queue_of(key: str) -> dict | None:
    """The queue the keyboard ``key`` last sent (inside its callback or after mounting)."""
    value = st.session_state.get(key)
    if value is None:
        return None
    queue = value.get("queue") if hasattr(value, "get") else getattr(value, "queue", None)
    return queue if isinstance(queue, dict) else None
