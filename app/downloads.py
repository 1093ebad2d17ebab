"""Patient data leaves the app only to the browser that is signed in: the CSV export and page images.

Streamlit serves ``st.download_button`` data and ``st.image`` pictures from ``/media/<hash>``, a URL
that answers anyone who holds it, without the session's cookie, for as long as the session shows it
(even a deferred download button stores its file there once clicked). So the export and the page
images are served by the app's own routes (beside Streamlit's, through ``serve.py``'s ``st.App``):

- ``GET /_medextract/export.csv?type=...&provenance=1&from=YYYY-MM-DD&to=...&reviewer=...&ids=4,9``
  (``ids``: only those documents, the queue's ticked rows)
- ``GET /_medextract/page/{doc_id}/{page}.jpg?v={version}``
- ``GET /_medextract/reviewers.csv?from=YYYY-MM-DD&to=YYYY-MM-DD``: the dashboard's per-reviewer
  figures (people's work is not for a URL that answers anyone either)

Each request is answered only for the person the browser's own cookie signs in: the HttpOnly
password-session cookie (``services.sessions``), else Streamlit's signed single-sign-on cookie,
whose claims go through ``services.sso`` like the app's. The services then check that account's
role at that moment (records for the export, view for a page) and audit the export, exactly as
the pages' own calls would. A request a page of another site makes (``Sec-Fetch-Site:
cross-site``) is refused. A URL copied elsewhere is worth nothing without the cookie.

``export_url``, ``reviewers_url`` and ``page_url`` build the links for the pages and the document viewer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from medextract import auth, imaging
from medextract.errors import DocumentNotFound, PermissionDenied, StoreError
from medextract.services import dashboard, records, sessions, sso
from medextract.services.context import Context
from medextract.views import DateRange

EXPORT_PATH = "/_medextract/export.csv"
PAGE_PATH = "/_medextract/page/{doc_id:int}/{page:int}.jpg"
REVIEWERS_PATH = "/_medextract/reviewers.csv"
PAGE_WIDTH = 2400  # pixels: as the viewer shows a page (app.ui_runtime.MEDIA_WIDTH)


def _context() -> Context:
    from app import ui_runtime  # the app's one Context per database per process

    url, data_dir = ui_runtime.store_identity()
    return ui_runtime.open_context(url, data_dir)


def base_path(path: str) -> str:
    """``path`` under the server's base URL path (``server.baseUrlPath``)."""
    import streamlit as st

    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def export_url(
    doc_type: str,
    *,
    provenance: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    reviewer: str | None = None,
    document_ids: Sequence[int] | None = None,
) -> str:
    """The link that downloads the CSV export with these filters (for the signed-in browser only);
    ``document_ids`` keeps only those documents."""
    query: dict[str, str] = {"type": doc_type}
    if provenance:
        query["provenance"] = "1"
    if date_from is not None:
        query["from"] = date_from.isoformat()
    if date_to is not None:
        query["to"] = date_to.isoformat()
    if reviewer:
        query["reviewer"] = reviewer
    if document_ids is not None:
        query["ids"] = ",".join(str(int(i)) for i in document_ids)
    return base_path(EXPORT_PATH) + "?" + urlencode(query)


def reviewers_url(period: DateRange) -> str:
    """The link that downloads the dashboard's per-reviewer CSV for ``period``."""
    query = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return base_path(REVIEWERS_PATH) + "?" + urlencode(query)


def page_url(doc_id: int, page: int, version: int) -> str:
    """The link of a page image (0-based ``page``) for the viewer; ``version`` keeps caches honest."""
    return base_path(f"/_medextract/page/{int(doc_id)}/{int(page)}.jpg") + f"?v={int(version)}"


# ---- who is asking ------------------------------------------------------------------------------


def signed_in_user(ctx: Context, request: Request) -> str | None:
    """The username the request's own cookies sign in (password session, else SSO), or None."""
    live = sessions.resolve(ctx, request.cookies.get(sessions.COOKIE))
    if live is not None:
        return live.username
    claims = sso_claims(request)
    if not claims:
        return None
    identity = sso.sign_in(ctx, claims, role_claim=auth.role_claim_name(_medextract_settings()))
    return identity.username if identity is not None and identity.role is not None else None


def sso_claims(request: Request) -> Mapping[str, Any] | None:
    """The claims of Streamlit's signed single-sign-on cookie, checked as its websocket checks them
    (signature with the cookie secret, origin); None without a valid one."""
    try:  # Streamlit's own reader (1.67, pinned): no second implementation of its cookie format
        from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME
        from streamlit.web.server.starlette.starlette_websocket import (
            _get_signed_cookie_with_chunks,
            _parse_decoded_user_cookie,
        )

        raw = _get_signed_cookie_with_chunks(dict(request.cookies), USER_COOKIE_NAME)
        if not raw:
            return None
        origin = f"{request.url.scheme}://{request.headers.get('host', '')}"
        claims = _parse_decoded_user_cookie(raw, origin)
    except Exception:  # no SSO configured (no cookie secret), or a cookie that does not verify
        return None
    return claims if claims.get("is_logged_in") is True else None


def _medextract_settings() -> Mapping[str, Any] | None:
    try:
        import streamlit as st

        section = st.secrets.get("medextract")
    except Exception:  # no secrets file
        return None
    return section if isinstance(section, Mapping) else None


def _refused(status: int, message: str) -> Response:
    return Response(message, status_code=status, media_type="text/plain", headers=_PRIVATE)


_PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _cross_site(request: Request) -> bool:
    """A request a page of another site made (browsers say so in Sec-Fetch-Site)."""
    return request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none")


async def _requester(request: Request, *, cross_site: str, signed_out: str) -> tuple[Context, str] | Response:
    """The context and the signed-in person making ``request``; or the refusal to answer with:
    403 ``cross_site`` for a page of another site, 401 ``signed_out`` when nobody is signed in."""
    if _cross_site(request):
        return _refused(403, cross_site)
    ctx = _context()
    user = await run_in_threadpool(signed_in_user, ctx, request)
    if user is None:
        return _refused(401, signed_out)
    return ctx, user


def _csv_attachment(data: str | bytes, name: str) -> Response:
    headers = {**_PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type="text/csv; charset=utf-8", headers=headers)


_DOWNLOAD_ELSEWHERE = "Downloads start from MedExtract's own pages."
_DOWNLOAD_SIGNED_OUT = "Sign in to MedExtract first; this link works only in your signed-in browser."


# ---- the routes ---------------------------------------------------------------------------------


async def export_csv(request: Request) -> Response:
    """The CSV export for the signed-in supervisor, audited by ``records.export_csv``."""
    found = await _requester(request, cross_site=_DOWNLOAD_ELSEWHERE, signed_out=_DOWNLOAD_SIGNED_OUT)
    if isinstance(found, Response):
        return found
    ctx, user = found
    query = request.query_params
    try:
        doc_type = query["type"]
        date_from = date.fromisoformat(query["from"]) if query.get("from") else None
        date_to = date.fromisoformat(query["to"]) if query.get("to") else None
        ids = [int(i) for i in query["ids"].split(",") if i.strip()] if "ids" in query else None
    except (KeyError, ValueError):
        return _refused(400, "The export link is incomplete; use the button on the Records page.")
    try:
        data = await run_in_threadpool(
            lambda: records.export_csv(
                ctx,
                doc_type,
                user=user,
                provenance=query.get("provenance") == "1",
                date_from=date_from,
                date_to=date_to,
                reviewer=query.get("reviewer") or None,
                document_ids=ids,
            )
        )
    except StoreError as exc:  # PermissionDenied among them: a clerk, or a deactivated account
        return _refused(403, str(exc))
    return _csv_attachment(data, f"medextract-{doc_type}-{date.today().isoformat()}.csv".replace('"', ""))


async def reviewers_csv(request: Request) -> Response:
    """The dashboard's per-reviewer CSV for the signed-in supervisor (``dashboard.reviewers_csv``)."""
    found = await _requester(request, cross_site=_DOWNLOAD_ELSEWHERE, signed_out=_DOWNLOAD_SIGNED_OUT)
    if isinstance(found, Response):
        return found
    ctx, user = found
    try:
        period = DateRange(
            date.fromisoformat(request.query_params["from"]), date.fromisoformat(request.query_params["to"])
        )
    except (KeyError, ValueError):
        return _refused(400, "The download link is incomplete; use the button on the Dashboard.")
    try:
        data = await run_in_threadpool(lambda: dashboard.reviewers_csv(ctx, user=user, period=period))
    except StoreError as exc:  # PermissionDenied among them: a clerk, or a deactivated account
        return _refused(403, str(exc))
    return _csv_attachment(data, dashboard.csv_file_name(period))


async def page_image(request: Request) -> Response:
    """A page of a document as JPEG, for a signed-in person who may see documents."""
    found = await _requester(
        request,
        cross_site="Page images are shown on MedExtract's own pages.",
        signed_out="Sign in to MedExtract first.",
    )
    if isinstance(found, Response):
        return found
    ctx, user = found
    doc_id, page = request.path_params["doc_id"], request.path_params["page"]
    try:
        jpeg = await run_in_threadpool(page_jpeg, ctx, doc_id, page, user)
    except DocumentNotFound:
        return _refused(404, "No such document.")
    except PermissionDenied as exc:
        return _refused(403, str(exc))
    except StoreError as exc:  # no such page
        return _refused(404, str(exc))
    # Private: the browser may keep it for this session's reruns; no shared cache may.
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    return Response(jpeg, media_type="image/jpeg", headers=headers)


def page_jpeg(ctx: Context, doc_id: int, page: int, user: str) -> bytes:
    """The page as the viewer shows it: JPEG, at most PAGE_WIDTH wide (``documents.page_image``);
    a grayscale scan as a grayscale JPEG (encoded in the web process at each document opened: a
    2550 x 3300 scan took 133 ms of CPU as RGB, 98 ms as grayscale)."""
    from medextract.services import documents

    png = documents.page_image(ctx, doc_id, page, user=user)
    return imaging.to_jpeg(imaging.load_page(png, max_width=PAGE_WIDTH, keep_gray=True))


ROUTES = [
    Route(EXPORT_PATH, export_csv, methods=["GET"]),
    Route(PAGE_PATH, page_image, methods=["GET"]),
    Route(REVIEWERS_PATH, reviewers_csv, methods=["GET"]),
]
