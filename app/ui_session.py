"""The browser's half of a password session: hand the code over for the cookie, or clear it.

A tiny Streamlit component (in the page itself, no iframe) posts to the app's own routes
(``app.web_routes``), whose answers set or delete the HttpOnly cookie: the page's scripts never
see the session token. The component tells Python when the post is answered, so the code is
handed over once.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, web_routes

CLEARED = "auth_cookie_cleared"  # session key: this session already asked to delete a dead cookie

_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.url) return;
  const sent = (window.__medextractSession = window.__medextractSession || new Set());
  const once = data.url + " " + (data.code || "");
  if (sent.has(once)) return;
  sent.add(once);
  fetch(data.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code: data.code || "" }),
  })
    .then((response) => setTriggerValue("done", response.status))
    .catch(() => setTriggerValue("done", 0));
}
"""

_post = st.components.v2.component("medextract_session", js=_JS)


def _url(path: str) -> str:
    """``path`` under the server's base URL path (``server.baseUrlPath``)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def _ignore() -> None:
    """The component's trigger needs a callback; its value is read after the rerun."""


def sync_cookie(signed_in: bool) -> None:
    """Hand a fresh sign-in's code to the browser; delete a cookie that no longer signs anyone in."""
    code = st.session_state.get(ui_runtime.HANDOFF)
    if signed_in and isinstance(code, str):
        result = _post(
            key="session_handoff",
            data={"url": _url(web_routes.SESSION_PATH), "code": code},
            on_done_change=_ignore,
        )
        if result.get("done") is not None:
            st.session_state.pop(ui_runtime.HANDOFF, None)
    elif not signed_in and ui_runtime.session_cookie() and not st.session_state.get(CLEARED):
        result = _post(key="session_end", data={"url": _url(web_routes.END_PATH)}, on_done_change=_ignore)
        if result.get("done") is not None:
            st.session_state[CLEARED] = True
