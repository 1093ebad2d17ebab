"""Where the server's programs find the database: the same place the review app does.

``--database-url`` (or an explicit URL), else DATABASE_URL in ./.streamlit/secrets.toml (the
app's secrets file), else the DATABASE_URL environment variable, else None: ``Context.open`` then
uses SQLite in $MEDEXTRACT_DATA_DIR (default ./data). The CLI, the HTTP API and the app agree, so
``make api`` and ``make run`` share one database.
"""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SECRETS = Path(".streamlit") / "secrets.toml"
log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The configuration cannot be read; the message says which file and why."""


def positive_number(name: str, default: float) -> float:
    """The environment variable ``name`` as a positive number; ``default`` when it is unset,
    not a number, or not above zero."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def database_url(explicit: str | None = None) -> str | None:
    """The database the app would use, from this directory (the app's precedence: secrets first)."""
    if explicit:
        return explicit
    url = _secrets().get("DATABASE_URL")
    return url if isinstance(url, str) and url else os.environ.get("DATABASE_URL") or None


# ---- normalised values in the export (medextract.normalise) -------------------------------------

DATE_ORDER_ENV = "MEDEXTRACT_DATE_ORDER"
DATE_ORDERS = ("DMY", "MDY")
PHONE_REGION_ENV = "MEDEXTRACT_PHONE_REGION"
DEFAULT_PHONE_REGION = "US"


def date_order() -> str | None:
    """How this deployment's numeric dates are printed when day and month could be either way
    round: "DMY" (5/11/2022 is 5 November), "MDY" (11 May), or None (unset: such a date gets no
    normalised form). An unknown value counts as unset, with a warning: a wrong setting must not
    decide 5/11 unasked."""
    raw = os.environ.get(DATE_ORDER_ENV, "").strip().upper()
    if raw and raw not in DATE_ORDERS:
        log.warning(
            "%s=%r is neither DMY nor MDY: either-way dates get no normalised form", DATE_ORDER_ENV, raw
        )
    return raw if raw in DATE_ORDERS else None


def phone_region() -> str:
    """The region (ISO 3166, default US) a phone number printed without +country code belongs
    to; "" when set empty or to an unknown region (a warning): then only numbers with + are
    normalised."""
    import phonenumbers  # only the export needs it

    raw = os.environ.get(PHONE_REGION_ENV, DEFAULT_PHONE_REGION).strip().upper()
    if raw and raw not in phonenumbers.SUPPORTED_REGIONS:
        log.warning(
            "%s=%r is no known region: only numbers with +country code are normalised", PHONE_REGION_ENV, raw
        )
        return ""
    return raw


# ---- webhooks ------------------------------------------------------------------------------------

WEBHOOK_URL_ENV = "MEDEXTRACT_WEBHOOK_URL"
WEBHOOK_SECRET_ENV = "MEDEXTRACT_WEBHOOK_SECRET"
MIN_WEBHOOK_SECRET = 32  # characters: the HMAC key is the receiver's only proof the POST is ours
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class WebhookConfig:
    """Where verified and rejected documents are announced, and the key their POSTs are signed with."""

    url: str
    secret: str = field(repr=False)


def webhook_config() -> WebhookConfig | None:
    """The deployment's webhook, or None when it has none.

    ``[webhook]`` ``url`` and ``secret`` in ./.streamlit/secrets.toml, else the environment's
    MEDEXTRACT_WEBHOOK_URL and MEDEXTRACT_WEBHOOK_SECRET. Every process that verifies or rejects
    (the app, the API) or delivers (their background worker, ``python -m medextract.worker``) must
    see the same one. ConfigError for a URL without a secret, a short secret, or plain http to
    anything but this machine.
    """
    section = _secrets().get("webhook")
    section = section if isinstance(section, dict) else {}
    url = str(section.get("url") or os.environ.get(WEBHOOK_URL_ENV) or "").strip()
    secret = str(section.get("secret") or os.environ.get(WEBHOOK_SECRET_ENV) or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"The webhook URL must be an https:// address, not {url!r}.")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ConfigError("The webhook URL must use https:// (plain http only to this machine).")
    if len(secret) < MIN_WEBHOOK_SECRET:
        raise ConfigError(
            f"The webhook needs a secret of at least {MIN_WEBHOOK_SECRET} characters "
            f"({WEBHOOK_SECRET_ENV}, or secret in [webhook]): its POSTs are signed with it."
        )
    return WebhookConfig(url, secret)


# ---- OIDC bearer tokens on the API ---------------------------------------------------------------

OIDC_METADATA_ENV = "MEDEXTRACT_OIDC_METADATA_URL"
OIDC_AUDIENCE_ENV = "MEDEXTRACT_OIDC_AUDIENCE"


@dataclass(frozen=True)
class OidcConfig:
    """The provider whose JWTs the API accepts: its discovery document, and the audiences (``aud``)
    a token must name (the app's client id, and any ``api_audience``)."""

    metadata_url: str
    audiences: tuple[str, ...]


def oidc_config() -> OidcConfig | None:
    """The single sign-on provider the app trusts, for the API's bearer JWTs; None without one.

    The app's own ``[auth]`` section of ./.streamlit/secrets.toml (``server_metadata_url``,
    ``client_id``: what st.login uses), else the environment's MEDEXTRACT_OIDC_METADATA_URL and
    MEDEXTRACT_OIDC_AUDIENCE. ``api_audience`` in ``[medextract]`` (a string or a list) adds the
    audience a provider puts in access tokens for this API. ConfigError for a discovery URL that is
    not https (plain http only to this machine) or a provider without an audience.
    """
    secrets = _secrets()
    section = secrets.get("auth")
    section = section if isinstance(section, dict) else {}
    url = str(section.get("server_metadata_url") or os.environ.get(OIDC_METADATA_ENV) or "").strip()
    if not url:
        return None
    check_https(url, "The single sign-on discovery URL (server_metadata_url)")
    audiences = [section.get("client_id") or os.environ.get(OIDC_AUDIENCE_ENV)]
    extra = secrets.get("medextract")
    extra = extra.get("api_audience") if isinstance(extra, dict) else None
    audiences += extra if isinstance(extra, list) else [extra]
    found = tuple(dict.fromkeys(str(a).strip() for a in audiences if isinstance(a, str) and a.strip()))
    if not found:
        raise ConfigError(
            f"Single sign-on needs the app's client_id in [auth] (or {OIDC_AUDIENCE_ENV}): "
            "a token's audience is checked against it."
        )
    return OidcConfig(url, found)


def check_https(url: str, what: str) -> None:
    """ConfigError unless ``url`` is https (or plain http to this machine)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"{what} must be an https:// address, not {url!r}.")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise ConfigError(f"{what} must use https:// (plain http only to this machine).")


def _secrets() -> dict[str, object]:
    try:
        return tomllib.loads(SECRETS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{SECRETS} is not valid TOML: {exc}") from exc
