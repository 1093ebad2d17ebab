"""MedExtract's storage and service layer: documents, reviews, verified records, exports, accounts.

Front ends (the Streamlit app in ``app/`` and ``pages/``, the worker, the CLI) call the services
in :mod:`medextract.services`; the document lifecycle and the roles are
:mod:`medextract.lifecycle`'s. Nothing in this package imports streamlit, and the OCR engine
(``extraction``) is imported lazily.
"""
