"""The single sign-on provider's keys, and the check of a JWT it signed (joserfc, Authlib's JOSE).

:class:`OidcVerifier` reads the provider's discovery document (``server_metadata_url``: its
``issuer``, ``jwks_uri`` and signing algorithms) and its JWKS once, keeps them for
``CACHE_SECONDS``, and checks a compact JWS with them:

- the header's ``alg`` is one of the asymmetric algorithms of ``ALGORITHMS`` that the provider
  announces: never ``none``, never an HMAC (whose "secret" would be the provider's public key);
- the key is the provider's key named by ``kid`` (or its only key), of the algorithm's type; a kid
  not in the cached JWKS (the provider rotated its keys) refetches it, at most every
  ``REFETCH_SECONDS`` so that made-up kids cannot make this server hammer the provider;
- the signature, then ``iss`` (the discovery document's issuer), ``aud`` (one of the configured
  audiences), ``exp`` (with ``LEEWAY`` seconds for clock skew), ``nbf`` and ``iat``, and ``sub``.

Only what passed is returned. A refusal is :class:`InvalidJwt` with a reason for the audit log;
the provider out of reach (and no keys cached) is :class:`ProviderUnavailable`.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import httpx
from joserfc import jwk, jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError

from medextract.config import ConfigError, OidcConfig, check_https

ALGORITHMS = {  # alg -> the JWK key type it needs
    **dict.fromkeys(("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"), "RSA"),
    **dict.fromkeys(("ES256", "ES384", "ES512"), "EC"),
    "EdDSA": "OKP",
}
TYPES = {"jwt", "at+jwt", "application/at+jwt"}  # an ID token's or an access token's (RFC 9068)
LEEWAY = 60  # seconds of clock skew allowed on exp, nbf and iat
CACHE_SECONDS = 3600.0  # the discovery document and the JWKS are fetched again after this
REFETCH_SECONDS = 60.0  # an unknown kid refetches the JWKS at most this often
FETCH_TIMEOUT = 5.0
MAX_DOCUMENT = 512 * 1024  # bytes of a discovery document or a JWKS
MAX_TOKEN = 16 * 1024

Fetch = Callable[[str], Mapping[str, Any]]


class InvalidJwt(Exception):
    """The JWT is refused; ``reason`` is one word for the audit log, the message is for the caller."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ProviderUnavailable(Exception):
    """The provider's discovery document or keys cannot be read (and none are cached)."""


@dataclass(frozen=True)
class _Provider:
    issuer: str
    jwks_uri: str
    algorithms: frozenset[str]
    keys: Mapping[str | None, Any]  # kid -> joserfc key (None: the only key, when it has no kid)
    fetched: float


def fetch_json(url: str) -> Mapping[str, Any]:
    """GET ``url`` as a JSON object (no redirects, a short timeout, a size limit)."""
    try:
        answer = httpx.get(url, timeout=FETCH_TIMEOUT, follow_redirects=False)
        answer.raise_for_status()
        if len(answer.content) > MAX_DOCUMENT:
            raise ProviderUnavailable(f"{url} answered more than {MAX_DOCUMENT} bytes")
        data = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{url} did not answer a JSON object")
    return data


class OidcVerifier:
    """Checks JWTs against one provider; thread-safe, one per API process."""

    def __init__(
        self,
        config: OidcConfig,
        *,
        fetch: Fetch = fetch_json,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._fetch = fetch
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._provider: _Provider | None = None
        self._refetched = -REFETCH_SECONDS

    def verify(self, token: str, now: datetime) -> dict[str, Any]:
        """The claims of ``token`` once every check passed; InvalidJwt or ProviderUnavailable."""
        header = _header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in ALGORITHMS:
            raise InvalidJwt("algorithm_refused", f"Tokens signed with {str(alg)[:20]!r} are not accepted.")
        typ = header.get("typ")
        if typ is not None and (not isinstance(typ, str) or typ.lower() not in TYPES):
            raise InvalidJwt("malformed", "The token is not a JWT (its 'typ' header).")
        if "crit" in header:
            raise InvalidJwt(
                "malformed", "The token's header has critical extensions this API does not know."
            )
        provider = self._current()
        if alg not in provider.algorithms:
            raise InvalidJwt("algorithm_refused", f"The provider does not sign with {alg}.")
        key = self._key(provider, header.get("kid"))
        if key.key_type != ALGORITHMS[alg]:
            raise InvalidJwt(
                "algorithm_refused", f"The provider's key {header.get('kid')!r} is not for {alg}."
            )
        try:
            claims = jwt.decode(token, key, algorithms=[alg]).claims
        except BadSignatureError as exc:
            raise InvalidJwt("bad_signature", "The token's signature is not the provider's.") from exc
        except JoseError as exc:
            raise InvalidJwt("malformed", "The token cannot be read as a signed JWT.") from exc
        _check_claims(claims, provider.issuer, self.config.audiences, now)
        return claims

    # ---- the provider's documents, cached --------------------------------------------------------

    def _current(self) -> _Provider:
        with self._lock:
            provider = self._provider
            if provider is None or self._monotonic() - provider.fetched > CACHE_SECONDS:
                try:
                    provider = self._provider = self._load()
                except ProviderUnavailable:
                    if provider is None:
                        raise
                    # keep the keys we had for now, and try again in a minute
                    retry_at = self._monotonic() - CACHE_SECONDS + REFETCH_SECONDS
                    self._provider = replace(provider, fetched=retry_at)
            return provider

    def _key(self, provider: _Provider, kid: object) -> Any:
        if kid is not None and not isinstance(kid, str):
            raise InvalidJwt("malformed", "The token's 'kid' header is not a string.")
        key = provider.keys.get(kid) or (provider.keys.get(None) if kid is None else None)
        if key is None and kid is None and len(provider.keys) == 1:
            key = next(iter(provider.keys.values()))
        if key is not None:
            return key
        with self._lock:  # a new kid: the provider may have rotated its keys
            current = self._provider or provider
            if kid in current.keys:
                return current.keys[kid]
            if self._monotonic() - self._refetched >= REFETCH_SECONDS:
                self._refetched = self._monotonic()
                try:
                    keys = _keys(self._fetch(current.jwks_uri))
                except ProviderUnavailable:
                    keys = {}
                if keys:
                    current = self._provider = replace(current, keys=keys)
            if kid in current.keys:
                return current.keys[kid]
        raise InvalidJwt("unknown_key", "The token names a signing key the provider does not publish.")

    def _load(self) -> _Provider:
        metadata = self._fetch(self.config.metadata_url)
        issuer, jwks_uri = metadata.get("issuer"), metadata.get("jwks_uri")
        if not isinstance(issuer, str) or not issuer or not isinstance(jwks_uri, str):
            raise ProviderUnavailable("the discovery document has no issuer or jwks_uri")
        try:
            check_https(jwks_uri, "The provider's jwks_uri")
        except ConfigError as exc:
            raise ProviderUnavailable(str(exc)) from exc
        announced = metadata.get("id_token_signing_alg_values_supported")
        algorithms = frozenset(ALGORITHMS).intersection(
            announced if isinstance(announced, list) else ["RS256"]
        )
        keys = _keys(self._fetch(jwks_uri))
        if not keys:
            raise ProviderUnavailable("the provider's JWKS has no signing key this API can use")
        return _Provider(issuer, jwks_uri, algorithms, keys, self._monotonic())


def _keys(jwks: Mapping[str, Any]) -> dict[str | None, Any]:
    """The JWKS's public signing keys by kid (a key for encryption, or private, is left out)."""
    found: dict[str | None, Any] = {}
    entries = jwks.get("keys")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        if entry.get("kty") not in set(ALGORITHMS.values()) or "d" in entry:
            continue
        try:
            key = jwk.import_key(entry)
        except (JoseError, ValueError, TypeError):
            continue
        kid = entry.get("kid")
        found[kid if isinstance(kid, str) else None] = key
    return found


def _header(token: str) -> dict[str, Any]:
    """The JOSE header of a compact JWS, unverified (only to pick the algorithm and the key)."""
    if len(token) > MAX_TOKEN or token.count(".") != 2:
        raise InvalidJwt("malformed", "The token is not a signed JWT.")
    segment = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError as exc:
        raise InvalidJwt("malformed", "The token's header cannot be read.") from exc
    if not isinstance(header, dict):
        raise InvalidJwt("malformed", "The token's header cannot be read.")
    return header


def _check_claims(claims: dict[str, Any], issuer: str, audiences: tuple[str, ...], now: datetime) -> None:
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "values": list(audiences)},
        sub={"essential": True},
        exp={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise InvalidJwt("expired", "The token has expired; get a new one from the provider.") from exc
    except ClaimError as exc:
        reason = {"iss": "wrong_issuer", "aud": "wrong_audience"}.get(exc.claim, "invalid_claims")
        raise InvalidJwt(
            reason, _CLAIM_MESSAGES.get(reason, f"The token's '{exc.claim}' claim is not valid.")
        ) from exc
    if claims.get("iss") != issuer:  # exactly the provider's, not a list holding it
        raise InvalidJwt("wrong_issuer", _CLAIM_MESSAGES["wrong_issuer"])
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidJwt("invalid_claims", "The token names no subject.")
    party = claims.get("azp")  # several audiences: the party it was issued to must be ours
    several = isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1
    if several and party is not None and party not in audiences:
        raise InvalidJwt("wrong_audience", _CLAIM_MESSAGES["wrong_audience"])


_CLAIM_MESSAGES = {
    "wrong_issuer": "The token was not issued by the single sign-on provider this server trusts.",
    "wrong_audience": "The token was not issued for this API (its audience).",
}
