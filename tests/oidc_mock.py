"""A local OpenID Connect provider for the single-sign-on tests: discovery, authorize, token, JWKS.

Just enough of OIDC's authorization-code flow for Streamlit's ``st.login`` (Authlib) to accept it:
``/authorize`` approves at once and redirects back with a one-time code; ``/token`` checks the
client's credentials, the redirect URI and the PKCE verifier, then returns an RS256-signed ID
token (signed here with ``cryptography``, the JWT assembled by hand) carrying the nonce and the
claims in ``OidcMock.claims``. Runs in a thread on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_ID = "medextract-test-key"


def b64url(data: bytes) -> str:
    """Base64url without padding, as JOSE wants it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _public_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": _uint(numbers.n),
        "e": _uint(numbers.e),
    }


@dataclass
class Grant:
    """What /authorize remembered for a code, checked again at /token."""

    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    claims: dict[str, Any]


@dataclass
class OidcMock:
    """The provider's state: its key, its one client, the user who signs in next, what happened."""

    client_id: str = "medextract-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    claims: dict[str, Any] = field(default_factory=dict)  # the next sign-in's user (sub, email, ...)
    base_url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    more_keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)  # kid -> another key published
    grants: dict[str, Grant] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)  # request paths, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.base_url,
            "authorization_endpoint": f"{self.base_url}/authorize",
            "token_endpoint": f"{self.base_url}/token",
            "jwks_uri": f"{self.base_url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def jwks(self) -> dict[str, Any]:
        """The public half of the key, and of each key in ``more_keys`` (a rotation) by its kid."""
        keys = {KEY_ID: self.key, **self.more_keys}
        return {"keys": [_public_jwk(kid, key) for kid, key in keys.items()]}

    def id_token(self, grant: Grant) -> str:
        """header.payload.signature, RS256 over the first two parts."""
        now = int(time.time())
        payload = {
            "iss": self.base_url,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            **({"nonce": grant.nonce} if grant.nonce else {}),
            **grant.claims,
        }
        return self.sign(payload)

    def sign(
        self,
        payload: dict[str, Any],
        *,
        key: rsa.RSAPrivateKey | None = None,
        header: dict[str, Any] | None = None,
    ) -> str:
        """A compact JWS of ``payload``: RS256 with this provider's key (or ``key``) under its kid;
        ``header`` replaces the header (its alg is then only what it claims: the signature stays
        RS256, none for "none")."""
        header = header or {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
        if header.get("alg") == "none":
            return f"{signing_input}."
        signer = key or self.key
        signature = signer.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Approve at once: redirect to the client's redirect_uri with a fresh code and its state."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, b"unknown client or response type"
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.grants[code] = Grant(
                query["redirect_uri"], query.get("nonce"), query.get("code_challenge"), dict(self.claims)
            )
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return 302, {"Location": target}, b""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        """Exchange a code once for tokens, after checking the client, redirect URI and PKCE."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        with self.lock:
            grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
        }


def _handler(mock: OidcMock) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            mock.log.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                self._json(200, mock.metadata())
            elif url.path == "/jwks":
                self._json(200, mock.jwks())
            elif url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, headers, body = mock.authorize(query)
                self._send(status, body, headers)
            else:
                self._send(404, b"not found")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            mock.log.append(url.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if url.path == "/token":
                self._json(*mock.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, b"not found")

    return Handler


@contextmanager
def oidc_provider(**claims: Any) -> Iterator[OidcMock]:
    """A running mock provider on 127.0.0.1 (a free port); ``claims`` are the first user's."""
    mock = OidcMock(claims=dict(claims))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mock))
    mock.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="oidc-mock", daemon=True)
    thread.start()
    try:
        yield mock
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
