"""The hostile poll in Chromium at 1366×768 (issue 13 point 5): every page shows user text
as typed, and no page makes the browser fetch anything but this app.

Every request goes through ``page.route("**/*")``: one to anywhere but 127.0.0.1/localhost
on the app's port is refused and recorded; the DOM (shadow roots and frames included) may
hold no image, link, frame or stylesheet pointing elsewhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import hostile as H
import pytest
from browser_support import App, unlock, wait_ready
from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser
PIN = "246810"

# The DOM's text (input values too) and every address it refers to, through shadow roots
# and same-origin frames: a component or a chart may draw inside either.
_DOM = """() => {
  const texts = [], urls = [];
  const attrs = ["src", "href", "srcset", "poster", "data", "action", "background"];
  const visit = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { texts.push(node.data); return; }
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE
        && node.nodeType !== Node.DOCUMENT_NODE) return;
    if (node.nodeType === Node.ELEMENT_NODE) {
      for (const a of attrs) { const v = node.getAttribute(a); if (v) urls.push(v); }
      const style = node.getAttribute("style");
      if (style && style.includes("url(")) urls.push(style);
      if ("value" in node && typeof node.value === "string") texts.push(node.value);
      if (node.shadowRoot) visit(node.shadowRoot);
      if (node.tagName === "IFRAME") {
        try { if (node.contentDocument) visit(node.contentDocument); } catch (e) {}
      }
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(document);
  return { text: texts.join("\\n"), urls };
}"""


def offline_page(browser: Browser, app: App) -> tuple[Page, list[str]]:
    """A 1366×768 tab whose every request leaving the app is refused and recorded."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    outside: list[str] = []

    def ours(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.hostname in ("127.0.0.1", "localhost") and parts.port == app.port

    def route(request: Route) -> None:
        if ours(request.request.url):
            request.continue_()
        else:
            outside.append(request.request.url)
            request.abort()

    page.route("**/*", route)
    page.on("websocket", lambda ws: None if ours(ws.url) else outside.append(ws.url))
    page.on("request", lambda r: None if ours(r.url) else outside.append(r.url))
    return page, outside


def dom(page: Page) -> tuple[str, list[str]]:
    found = page.evaluate(_DOM)
    return found["text"], found["urls"]


def foreign(urls: list[str]) -> list[str]:
    """The addresses that point outside the app (relative ones are the app's own)."""
    bad = []
    for url in urls:
        if H.OUTSIDE in url:
            bad.append(url)
            continue
        parts = urlsplit(url.strip())
        local = parts.hostname in (None, "127.0.0.1", "localhost")
        known = parts.scheme in ("", "http", "https", "ws", "data", "blob")
        if (not known or not local) and not url.startswith(("#", "data:", "blob:")):
            bad.append(url)
    return bad


def visit(page: Page, app: App, path: str, poll_id: int, pin: bool) -> str:
    """Open ``path`` of ``poll_id`` (the board's PIN given when asked); the DOM's text."""
    page.goto(f"{app.url}{path}?poll={poll_id}")
    wait_ready(page)
    if pin:
        unlock(page, PIN)
    page.wait_for_timeout(1500)  # anything an element would fetch, fetched by now
    text, urls = dom(page)
    assert foreign(urls) == [], path
    assert "Traceback" not in text
    return H.visible(text)


def absent(text: str, expected) -> list[str]:
    return [t for t in expected if H.visible(t) not in text]


def test_every_page_of_the_hostile_poll_is_literal_and_offline(app: App, browser: Browser) -> None:
    """Counting, results, the projector with its chart, setup, and an imported copy's
    results: every hostile text shown as typed; not one request leaves the app."""
    poll = H.make_hostile_poll(app.store, PIN)
    locked = H.make_hostile_poll(app.store, PIN)
    copy = H.lock_and_import(app.store, locked.poll_id)
    page, outside = offline_page(browser, app)
    names = [*H.NAMES, H.LONG_NAME]
    frame = [H.BODY, H.TITLE]

    text = visit(page, app, "/", poll.poll_id, pin=True)
    assert absent(text, [*names, *frame, H.VOID_REASON, H.CORRECTION_REASON]) == []

    text = visit(page, app, "/ket-qua", poll.poll_id, pin=True)
    exempt = [H.EXEMPT.name, H.EXEMPT.position, H.EXEMPT.exempt_reason or ""]
    assert absent(text, [*names, *frame, *exempt]) == []  # names: in each consequence

    text = visit(page, app, "/trinh-chieu", poll.poll_id, pin=False)
    page.wait_for_selector(".vega-embed canvas, .vega-embed svg", state="attached")  # drawn
    text, urls = dom(page)
    assert foreign(urls) == []
    assert absent(H.visible(text), [*names, *frame]) == []

    text = visit(page, app, "/thiet-lap", poll.poll_id, pin=True)
    assert absent(text, [H.TITLE, H.BODY, H.PLACE]) == []  # the fields' values

    text = visit(page, app, "/ket-qua", copy, pin=False)
    assert absent(text, [H.FILE_NAME, *names]) == []
    page.close()
    assert outside == []
