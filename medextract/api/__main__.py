"""``python -m medextract.api``: serve the HTTP API with uvicorn on the app's database.

    python -m medextract.api [--host 127.0.0.1] [--port 8000] [--database-url URL] [--no-worker]

The database is found as the review app finds it (``medextract.config``), so ``make api`` and
``make run`` share one. The extraction worker runs in this process unless ``--no-worker`` or
MEDEXTRACT_BACKGROUND_WORKER=0 (then run ``python -m medextract.worker`` beside it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import uvicorn

from medextract import config
from medextract.api.app import create_app
from medextract.api.middleware import configure_logging
from medextract.privacy import secure_process
from medextract.services.context import Context
from medextract.services.oidc_keys import OidcVerifier


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m medextract.api", description="Serve the MedExtract HTTP API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--database-url", help="the database (default: as the app finds it)")
    parser.add_argument("--no-worker", action="store_true", help="leave extraction to a separate worker")
    args = parser.parse_args(argv)
    secure_process()  # umask 077 and a private temporary folder: page images and OCR text stay ours
    configure_logging()
    try:
        url = config.database_url(args.database_url)
        oidc = config.oidc_config()  # checked before serving: a broken [auth] is named at once
    except config.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ctx = Context.open(url)
    worker = not args.no_worker and os.environ.get("MEDEXTRACT_BACKGROUND_WORKER", "1") != "0"
    try:
        uvicorn.run(
            create_app(ctx, background_worker=worker, oidc=OidcVerifier(oidc) if oidc else None),
            host=args.host,
            port=args.port,
            log_config=None,  # keep configure_logging's format (with the request id)
            access_log=False,  # the middleware logs each request, with its id and without its query
        )
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
