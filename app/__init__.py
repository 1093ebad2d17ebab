"""The review app's own helpers, beside its pages: session and Streamlit glue (``ui_runtime``) and
the pages' pure logic (``ui_state``). ``medextract`` is not a UI package; this one is."""
