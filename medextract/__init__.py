"""MedExtract's storage and service layer: documents, reviews, verified records, exports.

The Streamlit pages call :class:`medextract.store.Store` and the pure modules here; nothing in
this package imports streamlit, and the OCR engine (``extraction``) is imported lazily.
"""
