"""The review app with its session routes: `streamlit run serve.py` (what `make run` does).

Streamlit's ASGI server (``st.App``) runs ``streamlit_app.py`` as usual and adds the app's own
HTTP routes (``app.web_routes``): the ones that set and clear the HttpOnly session cookie, so that
a reload keeps a person signed in. ``streamlit run streamlit_app.py`` still works, without that.
"""

import streamlit as st

from app import downloads
from app.web_routes import ROUTES
from medextract.privacy import secure_process

# Before anything is written: every file this server (and its extraction worker, and tesseract)
# creates is private to its user, and temporary files go to a 0700 folder removed at exit.
secure_process()

# The export and page images are served only to the browser whose cookie signs someone in
# (app.downloads), never from Streamlit's /media/ URLs that answer anyone holding them.
app = st.App("streamlit_app.py", routes=[*ROUTES, *downloads.ROUTES])
