"""What every page of the review app shares: the one service Context per process, the user, images.

This is the only module besides the pages that imports Streamlit; the logic it calls lives in
``ui_state``, ``medextract.imaging``, ``medextract.auth`` and ``medextract.services``.

Signing in: a password sign-in puts the username in session state (``USER``, with ``METHOD`` =
"password") and starts a browser session (``medextract.services.sessions``): the page posts its
one-time code to ``app.web_routes``, whose answer sets an HttpOnly cookie; after a reload the
cookie (read on the server, ``st.context.cookies``) signs the same person in again until logout
revokes it. Single sign-on is Streamlit's own cookie, read through ``st.user``. Either way the
account is looked up again on every run (``signed_in``), so a deactivation or a role change
applies at the next click, and session state never decides a role by itself. The services check
the account and its role once more in every operation the pages call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import downloads, ui_state
from medextract import auth, imaging, lifecycle
from medextract.pool import ensure_background_worker
from medextract.services import accounts, audit, documents, sessions, sso
from medextract.services.context import Context

T = TypeVar("T")

UPLOAD_PAGE = "pages/upload.py"
QUEUE_PAGE = "pages/queue.py"
REVIEW_PAGE = "pages/review.py"
RECORDS_PAGE = "pages/records.py"
DASHBOARD_PAGE = "pages/dashboard.py"
USERS_PAGE = "pages/admin_users.py"
LAYOUTS_PAGE = "pages/layouts.py"
LOGIN_PAGE = "pages/login.py"

DESTINATION = "auth_destination"  # session key: (page, query) a signed-out person was linked to
USER = "user"  # session key: the signed-in username (ui_state.current_user_from reads it)
METHOD = "auth_method"  # session key: "password" once a password sign-in succeeded
SSO_SEEN = "auth_sso_seen"  # session key: the SSO username whose sign-in this session audited
SESSION_ID = "auth_session_id"  # session key: this sign-in's browser session (sessions.revoke)
HANDOFF = "auth_handoff"  # session key: the code the page still has to swap for the cookie

# Session keys of answers looked up once per run (``once_per_run``): (this run, asked, answer).
RUN_IDENTITY = "auth_run_identity"  # signed_in(), asked: (method, user)
RUN_CONTEXT = "runtime_run_context"  # get_context()
RUN_STORE = "runtime_run_store"  # store_identity()
REVIEW_DOC = "review_doc_id"  # session key: the document open on the Review page


def database_url() -> str | None:
    """DATABASE_URL from the secrets file when one defines it, else from the environment."""
    try:
        url = st.secrets.get("DATABASE_URL")
    except (FileNotFoundError, KeyError):  # no secrets file at all: the normal case on a laptop
        url = None
    return url or os.environ.get("DATABASE_URL") or None


def store_identity() -> tuple[str, str]:
    """What decides which database ``Context.open`` reaches: the URL, else the data folder.

    Read once per run (see ``get_context``), at every call outside one.
    """
    return once_per_run(RUN_STORE, lambda: (database_url() or "", os.environ.get("MEDEXTRACT_DATA_DIR", "")))


def background_worker_enabled() -> bool:
    """Tests set MEDEXTRACT_BACKGROUND_WORKER=0 to seed documents with a fake engine instead."""
    return os.environ.get("MEDEXTRACT_BACKGROUND_WORKER", "1") != "0"


@st.cache_resource(show_spinner=False)
def open_context(url: str, data_dir: str) -> Context:
    """One Context (one connection pool) per database per process.

    ``data_dir`` is only part of the cache key: Context.open reads it from the environment.
    """
    return Context.open(url or None)


def get_context() -> Context:
    """The process's service Context for the configured database, its background worker running.

    Looked up once per run: a review rerun asks for it a dozen times, and each lookup reads
    ``st.secrets``, which looks for its files on disk at every access (a tenth of a field edit's
    rerun went there). The next run looks again, so a changed secrets file applies at the next
    click; outside a run (the app's HTTP routes) it is looked up every time.
    """
    return once_per_run(RUN_CONTEXT, _configured_context)


def _configured_context() -> Context:
    url, data_dir = store_identity()
    ctx = open_context(url, data_dir)
    if background_worker_enabled():
        # Extraction runs in a daemon thread, off the request path: it goes on after a tab closes.
        # Checked on every run (a lock and a dict lookup), so a worker that died is started again.
        ensure_background_worker(ctx)
    return ctx


def current_user() -> str:
    """The signed-in username (every page but the login page runs only for a signed-in person)."""
    return ui_state.current_user_from(st.session_state)


def current_role() -> str | None:
    """The signed-in person's role ("clerk", "supervisor", "admin"), None when signed out or none."""
    identity = signed_in()
    return identity.role if identity is not None else None


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get(name)
    except (FileNotFoundError, KeyError):  # no secrets file: no SSO, default settings
        return None
    return section if isinstance(section, Mapping) else None


def sso_enabled() -> bool:
    """Single sign-on is offered when secrets.toml has an ``[auth]`` section (st.login's config)."""
    return _secrets_section("auth") is not None


def _sso_claims() -> dict[str, Any] | None:
    """The ID-token claims of the SSO user of this session, or None when nobody signed in by SSO."""
    info = st.user.to_dict()
    return info if info.get("is_logged_in") is True else None


def this_run() -> object | None:
    """An object that stands for the current script run (Streamlit gives each run, a fragment's
    too, a fresh ``cursors`` dict); None outside a run."""
    run = get_script_run_ctx()
    return run.cursors if run is not None else None


def once_per_run(key: str, look_up: Callable[[], T], asked: Callable[[], object] = lambda: None) -> T:
    """``look_up()`` at most once per script run (a fragment's run too), kept in the session under
    ``key``; ``asked()`` names what else the answer depends on: when that changes within the run
    (a sign-in, a logout), it is looked up again. Outside a run it is looked up at every call."""
    run = this_run()
    if run is None:
        return look_up()  # the session's state is not this thread's to read
    memo = st.session_state.get(key)
    if memo is not None and memo[0] is run and memo[1] == asked():
        return memo[2]  # type: ignore[no-any-return]
    answer = look_up()
    st.session_state[key] = (run, asked(), answer)
    return answer


def signed_in() -> auth.Identity | None:
    """Who uses this session, looked up afresh at each run; None when nobody has signed in (or no
    longer may).

    Looked up once per run: the page guard, the sidebar and each "may I offer this button" ask
    the same question several times a run, and a clerk's rerun should not load the account for
    each. The next run (the next click) looks it up again, so a deactivation or a role change
    applies then; and the services check the account once more in every operation.
    """
    # Keyed by who the session says it is, too: a sign-in or a logout within the run asks anew.
    return once_per_run(RUN_IDENTITY, _look_up_identity, _asked_for)


def _asked_for() -> tuple[Any, Any]:
    """Who the session says it is: (sign-in method, user name)."""
    return st.session_state.get(METHOD), st.session_state.get(USER)


def _look_up_identity() -> auth.Identity | None:
    """Who uses this session, from the database now.

    An SSO identity may have ``role`` None (signed in at the provider, no access here). The first
    time a session sees an SSO identity, its sign-in is audited ("login", or "login_failed" with
    the reason).
    """
    if st.session_state.get(METHOD) != "password":
        _resume_session()  # a reload (or a link) in a browser whose session cookie is still live
    if st.session_state.get(METHOD) == "password":
        account = accounts.get_account(get_context(), str(st.session_state.get(USER, "")))
        if account is not None and account.active and account.has_password:
            return auth.Identity(account.username, account.display_name, account.role, "password")
        return None
    claims = _sso_claims()
    if claims is None:
        return None
    ctx = get_context()
    # Bound by the provider's issuer and subject; never by a name the person chose there.
    identity = sso.sign_in(ctx, claims, role_claim=auth.role_claim_name(_secrets_section("medextract")))
    if identity is None:
        return None
    if st.session_state.get(SSO_SEEN) != identity.username:
        st.session_state[SSO_SEEN] = identity.username
        if identity.role is None:
            audit.record(
                ctx, identity.username, "login_failed", detail={"method": "oidc", "reason": identity.problem}
            )
        else:
            audit.record(ctx, identity.username, "login", detail={"method": "oidc", "role": identity.role})
    if identity.role is not None:
        st.session_state[USER] = identity.username
    return identity


def session_cookie() -> str | None:
    """The browser's session cookie as this run's websocket request brought it, if any."""
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return None
    return value if isinstance(value, str) else None


def _resume_session() -> bool:
    """Sign in the person whose live session cookie the browser sent; True when there was one."""
    token = session_cookie()
    if token is None or _sso_claims() is not None:
        return False
    live = sessions.resolve(get_context(), token)
    if live is None:
        return False
    st.session_state[USER] = live.username
    st.session_state[METHOD] = "password"
    st.session_state[SESSION_ID] = live.id
    return True


def url_path(page: str) -> str:
    """The URL path Streamlit gives a page file ("pages/review.py" -> "review")."""
    return page.rsplit("/", 1)[-1].removesuffix(".py")


def remember_destination(path: str, query: Mapping[str, str]) -> None:
    """A signed-out person opened a link to ``path``: go there after signing in."""
    pages = {
        url_path(p): p
        for p in (UPLOAD_PAGE, QUEUE_PAGE, REVIEW_PAGE, RECORDS_PAGE, DASHBOARD_PAGE, USERS_PAGE)
    }
    if path in pages:
        st.session_state[DESTINATION] = (pages[path], {str(k): str(v) for k, v in query.items()})


def go_on() -> None:
    """After signing in: on to the page a link named (if this role may open it), else Upload."""
    page, query = st.session_state.pop(DESTINATION, None) or (UPLOAD_PAGE, {})
    if not auth.may_open(current_role(), page):
        page, query = UPLOAD_PAGE, {}
    st.switch_page(page, query_params=query or None)


def log_in(username: str, password: str) -> str | None:
    """Check a password sign-in (audited, with lockout); None on success, else the message to show.

    On success a browser session is begun: the frame hands its code to the browser
    (``session_handoff``), which swaps it for the HttpOnly cookie.
    """
    ctx = get_context()
    result = accounts.authenticate(ctx, username, password)
    if not result.ok or result.account is None:
        return result.message
    destination = st.session_state.get(DESTINATION)
    st.session_state.clear()  # nothing from before the sign-in carries over into the new session
    if destination is not None:
        st.session_state[DESTINATION] = destination
    st.session_state[USER] = result.account.username
    st.session_state[METHOD] = "password"
    session_id, code = sessions.begin(ctx, user=result.account.username)
    st.session_state[SESSION_ID] = session_id
    st.session_state[HANDOFF] = code
    return None


def end_session() -> bool:
    """Audit the logout, revoke the browser session and forget this session's state; True when an
    SSO cookie must go too."""
    identity = signed_in()
    ctx = get_context()
    if identity is not None:
        audit.record(ctx, identity.username, "logout", detail={"method": identity.method})
    session_id = st.session_state.get(SESSION_ID)
    if isinstance(session_id, int):
        sessions.revoke(ctx, session_id)
    st.session_state.clear()
    return _sso_claims() is not None


def log_out() -> None:
    """The Log out button: end the session, then leave for the login page (or the SSO logout)."""
    if end_session():
        st.logout()  # clears Streamlit's identity cookie and starts a new session
    else:
        # The login page is registered (hidden) while signed in and is the only page afterwards:
        # switching to it, not rerunning, spares the browser a "page not found" on the way out.
        st.switch_page(LOGIN_PAGE)


def require_page_role(page: str) -> auth.Identity:
    """The guard at the top of a restricted page: stop with an error unless the role may use it."""
    identity = signed_in()
    if identity is None or identity.role is None:
        st.error("Please log in first.")
        st.stop()
    needed = auth.PAGE_ROLE.get(page, lifecycle.CLERK)
    if not lifecycle.has_role(identity.role, needed):
        st.error(auth.needed_role_message(needed))
        st.stop()
    return identity


@st.cache_data(show_spinner=False, max_entries=32)
def _page_png(identity: tuple[str, str], user: str, doc_id: int, page: int, version: int) -> bytes:
    """A page image from the database, fetched once per document version and user (never re-OCR'd)."""
    return documents.page_image(get_context(), doc_id, page, user=user)


@st.cache_data(show_spinner=False, max_entries=256)
def _page_size(identity: tuple[str, str], user: str, doc_id: int, page: int, version: int) -> tuple[int, int]:
    """(width, height) of a stored page image: the pixels its fields' boxes are measured in."""
    return imaging.image_size(_page_png(identity, user, doc_id, page, version))


def page_for_viewer(doc_id: int, page: int, version: int) -> dict[str, Any]:
    """{url, width, height} of a page for the viewer. The image comes from the app's own route
    (app.downloads), answered only to the browser whose cookie signs this person in; width and
    height are the stored page's, the frame of the boxes, whatever size the route sends."""
    width, height = _page_size(store_identity(), current_user(), doc_id, page, version)
    return {"url": downloads.page_url(doc_id, page, version), "width": width, "height": height}


def open_review(doc_id: int) -> None:
    """Show a document on the Review page (from any page, also inside a fragment)."""
    st.session_state[REVIEW_DOC] = doc_id
    st.switch_page(REVIEW_PAGE, query_params={"doc": str(doc_id)})
