"""The HTTP API (FastAPI): the same service layer as the review app, behind bearer tokens.

from medextract.api import create_app
app = create_app(Context.open())        # python -m medextract.api serves it with uvicorn
"""

from medextract.api.app import create_app

__all__ = ["create_app"]
