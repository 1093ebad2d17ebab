"""Single sign-on JWTs on the API, through the real ASGI app, against the mock provider over HTTP.

The provider (tests/oidc_mock.py) serves its discovery document and JWKS on 127.0.0.1 and signs
with an RSA key pair generated for the test. A token is the account its issuer and subject were
bound to by a sign-in to the app (``services.sso``), with that account's current role; every other
token is refused and audited, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from medextract import config
from medextract.api import create_app
from medextract.config import OidcConfig
from medextract.services import accounts, audit, sso
from medextract.services.context import Context
from medextract.services.oidc_keys import OidcVerifier
from tests.api_support import Api, extracted, fake_extract, png, serve
from tests.oidc_mock import KEY_ID, OidcMock, b64url, oidc_provider
from tests.test_store_support import SYSTEM

ROLE = "medextract_role"
SAM = "sam@example.org"


@pytest.fixture
def provider() -> Iterator[OidcMock]:
    with oidc_provider() as mock:
        yield mock


@pytest.fixture
def api(ctx: Context, provider: OidcMock) -> Iterator[Api]:
    config = OidcConfig(f"{provider.base_url}/.well-known/openid-configuration", (provider.client_id,))
    with serve(ctx, extract_fn=fake_extract(), oidc=OidcVerifier(config)) as client:
        yield client


@pytest.fixture
def sam(ctx: Context, provider: OidcMock) -> str:
    """A supervisor bound to the provider's subject "sam-1" by a sign-in to the app."""
    claims = {
        "iss": provider.base_url,
        "sub": "sam-1",
        "email": SAM,
        "email_verified": True,
        ROLE: "supervisor",
    }
    identity = sso.sign_in(ctx, claims, role_claim=ROLE)
    assert identity is not None and (identity.username, identity.role) == (SAM, "supervisor")
    return "sam-1"


def claims(ctx: Context, provider: OidcMock, **changes: Any) -> dict[str, Any]:
    """An access token's claims for sam, valid for five minutes at the services' clock."""
    now = int(ctx.now().timestamp())
    base = {"iss": provider.base_url, "aud": provider.client_id, "sub": "sam-1", "iat": now, "exp": now + 300}
    return {k: v for k, v in (base | changes).items() if v is not None}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refusals(ctx: Context) -> list[dict[str, Any]]:
    return [json.loads(e.detail) for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "api_auth_failed"]


def records(api: Api, token: str) -> Any:
    return api.get("/v1/records", params={"type": "prescription"}, headers=bearer(token))


def test_a_valid_token_acts_as_the_bound_account_with_its_current_role(
    api: Api, ctx: Context, provider: OidcMock, sam: str
) -> None:
    [doc_id] = extracted(ctx, "rx.png")
    # The token's own role claim says admin: only the account's role counts.
    token = provider.sign(claims(ctx, provider, **{ROLE: "admin", "preferred_username": "ada"}))
    assert records(api, token).status_code == 200
    assert api.get(f"/v1/documents/{doc_id}", headers=bearer(token)).json()["history"] is not None
    assert api.get("/v1/webhooks/deliveries", headers=bearer(token)).status_code == 403
    accounts.set_role(ctx, SAM, "clerk", by="ada")  # the very next call sees the new role
    answer = records(api, token)
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    upload = api.post(
        "/v1/documents", files=[("files", ("a.png", png("sso"), "image/png"))], headers=bearer(token)
    )
    assert upload.status_code == 200 and upload.json()["results"][0]["status"] == "accepted"
    newest = next(e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "upload")
    assert newest.user == SAM  # audited as the account, as an API token's call is
    assert accounts.get_account(ctx, SAM).role == "clerk"  # type: ignore[union-attr]  # claim wrote nothing


def test_an_id_token_and_an_access_token_with_the_api_audience_are_accepted(
    ctx: Context, provider: OidcMock, sam: str
) -> None:
    config = OidcConfig(
        f"{provider.base_url}/.well-known/openid-configuration",
        (provider.client_id, "https://api.example.org"),
    )
    with serve(ctx, extract_fn=fake_extract(), oidc=OidcVerifier(config)) as api:
        access = provider.sign(
            claims(ctx, provider, aud=["https://api.example.org", "other"], azp=provider.client_id),
            header={"alg": "RS256", "typ": "at+jwt", "kid": KEY_ID},
        )
        assert records(api, access).status_code == 200
        assert records(api, provider.sign(claims(ctx, provider))).status_code == 200


@pytest.mark.parametrize(
    ("case", "reason", "code"),
    [
        ("wrong issuer", "wrong_issuer", "invalid_token"),
        ("issuer in a list", "wrong_issuer", "invalid_token"),
        ("wrong audience", "wrong_audience", "invalid_token"),
        ("no audience", "wrong_audience", "invalid_token"),
        ("expired", "expired", "token_expired"),
        ("no expiry", "invalid_claims", "invalid_token"),
        ("not yet valid", "invalid_claims", "invalid_token"),
        ("bad signature", "bad_signature", "invalid_token"),
        ("tampered payload", "bad_signature", "invalid_token"),
        ("alg none", "algorithm_refused", "invalid_token"),
        ("HS256 keyed with the public key", "algorithm_refused", "invalid_token"),
        ("unknown kid", "unknown_key", "invalid_token"),
        ("unknown subject", "unknown_subject", "unknown_identity"),
    ],
)
def test_a_token_failing_a_check_is_refused_and_audited(
    api: Api, ctx: Context, provider: OidcMock, sam: str, case: str, reason: str, code: str
) -> None:
    token = bad_token(ctx, provider, case)
    answer = records(api, token)
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == 'Bearer realm="medextract", error="invalid_token"'
    assert answer.json()["code"] == code
    [logged] = refusals(ctx)
    assert (logged["reason"], logged["method"]) == (reason, "oidc")
    assert not any(part in json.dumps(logged) for part in token.split(".") if part)  # never the token


def bad_token(ctx: Context, provider: OidcMock, case: str) -> str:
    now = int(ctx.now().timestamp())
    if case == "wrong issuer":
        return provider.sign(claims(ctx, provider, iss="https://login.evil.example"))
    if case == "issuer in a list":
        return provider.sign(claims(ctx, provider, iss=[provider.base_url]))
    if case == "wrong audience":
        return provider.sign(claims(ctx, provider, aud="some-other-client"))
    if case == "no audience":
        return provider.sign(claims(ctx, provider, aud=None))
    if case == "expired":  # a minute's leeway, and more than that past
        return provider.sign(claims(ctx, provider, iat=now - 900, exp=now - 61))
    if case == "no expiry":
        return provider.sign(claims(ctx, provider, exp=None))
    if case == "not yet valid":
        return provider.sign(claims(ctx, provider, nbf=now + 600))
    if case == "bad signature":  # another key pair, under the provider's kid
        return provider.sign(claims(ctx, provider), key=rsa.generate_private_key(65537, 2048))
    if case == "tampered payload":
        head, _, signature = provider.sign(claims(ctx, provider, sub="someone")).split(".")
        return f"{head}.{b64url(json.dumps(claims(ctx, provider)).encode())}.{signature}"
    if case == "alg none":
        return provider.sign(claims(ctx, provider), header={"alg": "none", "typ": "JWT"})
    if case == "HS256 keyed with the public key":  # the classic algorithm confusion
        public = provider.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = {"alg": "HS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = (
            f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims(ctx, provider)).encode())}"
        )
        mac = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{b64url(mac)}"
    if case == "unknown kid":
        return provider.sign(claims(ctx, provider), header={"alg": "RS256", "typ": "JWT", "kid": "made-up"})
    if case == "unknown subject":  # sam's verified e-mail and name, but not sam's subject
        return provider.sign(
            claims(ctx, provider, sub="sam-2", email=SAM, email_verified=True, preferred_username=SAM)
        )
    raise AssertionError(case)


def test_expiry_allows_a_minute_of_clock_skew(api: Api, ctx: Context, provider: OidcMock, sam: str) -> None:
    now = int(ctx.now().timestamp())
    late = provider.sign(claims(ctx, provider, iat=now - 600, exp=now - 30))
    assert records(api, late).status_code == 200


def test_a_deactivated_account_is_refused_whatever_its_token(
    api: Api, ctx: Context, provider: OidcMock, sam: str
) -> None:
    token = provider.sign(claims(ctx, provider, **{ROLE: "supervisor"}))
    accounts.deactivate(ctx, SAM, by="ada")
    answer = records(api, token)
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    assert answer.json()["detail"] == f"The account {SAM} has been deactivated; ask an administrator."
    [logged] = refusals(ctx)
    assert (logged["reason"], logged["subject"]) == ("deactivated", "sam-1")
    accounts.set_active(ctx, SAM, True, by="ada")
    assert records(api, token).status_code == 200


def test_without_a_provider_a_jwt_is_refused_and_api_tokens_still_work(
    ctx: Context, provider: OidcMock, sam: str
) -> None:
    with serve(ctx, extract_fn=fake_extract(), oidc=None) as api:
        answer = records(api, provider.sign(claims(ctx, provider)))
        assert (answer.status_code, answer.json()["code"]) == (401, "oidc_not_configured")
        assert "no" in answer.json()["detail"] and "API token" in answer.json()["detail"]
        assert [d["reason"] for d in refusals(ctx)] == ["oidc_disabled"]
        assert records(api, api.token("sue")).status_code == 200


def test_api_tokens_keep_working_beside_jwts(api: Api, ctx: Context, provider: OidcMock, sam: str) -> None:
    assert records(api, api.token("sue")).status_code == 200
    assert records(api, provider.sign(claims(ctx, provider))).status_code == 200
    assert records(api, api.token("uma")).status_code == 403
    answer = records(api, "not.a-token")
    assert (answer.status_code, answer.json()["code"]) == (401, "invalid_token")


def test_the_keys_are_fetched_once_and_again_when_the_provider_rotates(
    api: Api, ctx: Context, provider: OidcMock, sam: str
) -> None:
    for _ in range(5):
        assert records(api, provider.sign(claims(ctx, provider))).status_code == 200
    assert provider.log.count("/.well-known/openid-configuration") == 1
    assert provider.log.count("/jwks") == 1
    new_key = rsa.generate_private_key(65537, 2048)
    provider.more_keys["rotated"] = new_key
    rotated = provider.sign(claims(ctx, provider), key=new_key, header={"alg": "RS256", "kid": "rotated"})
    assert records(api, rotated).status_code == 200
    assert records(api, rotated).status_code == 200
    assert provider.log.count("/jwks") == 2
    # Made-up kids do not make the server fetch the keys again and again.
    for index in range(3):
        made_up = provider.sign(claims(ctx, provider), header={"alg": "RS256", "kid": f"nope-{index}"})
        assert records(api, made_up).status_code == 401
    assert provider.log.count("/jwks") == 2


def test_a_provider_out_of_reach_is_a_503_not_a_401(ctx: Context, sam: str) -> None:
    config = OidcConfig("http://127.0.0.1:9/.well-known/openid-configuration", ("medextract-test",))
    with serve(ctx, extract_fn=fake_extract(), oidc=OidcVerifier(config)) as api:
        header = b64url(json.dumps({"alg": "RS256", "kid": KEY_ID}).encode())
        token = f"{header}.{b64url(b'{}')}.{base64.urlsafe_b64encode(b'sig').decode().rstrip('=')}"
        answer = records(api, token)
        assert (answer.status_code, answer.json()["code"]) == (503, "identity_provider_unavailable")
        assert [d["reason"] for d in refusals(ctx)] == ["provider_unavailable"]


def test_the_provider_is_the_apps_own_from_secrets_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctx: Context
) -> None:
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(config, "SECRETS", secrets)
    for name in (config.OIDC_METADATA_ENV, config.OIDC_AUDIENCE_ENV):
        monkeypatch.delenv(name, raising=False)
    assert config.oidc_config() is None
    assert create_app(ctx, extract_fn=fake_extract()).state.oidc is None
    secrets.write_text(
        '[auth]\nclient_id = "medextract"\n'
        'server_metadata_url = "https://login.example.org/.well-known/openid-configuration"\n'
        '[medextract]\napi_audience = ["https://api.example.org"]\n'
    )
    found = config.oidc_config()
    assert found == OidcConfig(
        "https://login.example.org/.well-known/openid-configuration",
        ("medextract", "https://api.example.org"),
    )
    assert create_app(ctx, extract_fn=fake_extract()).state.oidc.config == found
    secrets.write_text('[auth]\nclient_id = "x"\nserver_metadata_url = "http://login.example.org/x"\n')
    with pytest.raises(config.ConfigError, match="https"):
        config.oidc_config()
    secrets.write_text('[auth]\nserver_metadata_url = "https://login.example.org/x"\n')
    with pytest.raises(config.ConfigError, match="client_id"):
        config.oidc_config()
