"""The service layer every front end calls (the Streamlit pages, the worker, the CLI, the HTTP API).

One module per use case, each a set of functions taking a :class:`Context` first and the acting
person (``user=`` / ``by=`` / ``uploader=``) by name:

- ``upload``: intake, add_upload
- ``queue``: documents, status_counts, next_for_review
- ``documents``: get, page_image
- ``review``: start_review, take_over, save_draft, verify, reject, reopen, reextract
- ``pages``: merge, split, rotate, lineage (a document's pages put right; issue 11)
- ``records``: verified_records, reviewers, export_csv, log_export, dashboard
- ``dashboard``: date_range, overview, reviewer_figures, reviewers_csv (a period's figures, per reviewer)
- ``normalised``: export_hint (how a date or phone will read in the export's normalised column)
- ``audit``: record, audit_log, history
- ``accounts``: get_account, list_accounts, active_admins, create_account, set_role, set_active,
  deactivate, set_password, verify_password, is_locked, authenticate
- ``jobs`` (the worker's side): claim_next under a lease, renew_lease, save_extraction,
  fail_extraction, release
- ``layouts``: list_layouts, rename_layout, delete_layout, retrain_layout, layout_used,
  learning_queue, queue_learning (learned layouts, issue 10)
- ``learning`` (the worker's side of learning layouts): claim_next, claim_job, finish, fail

Every operation loads the acting account afresh and checks it is active and that its role may
perform the action (``medextract.lifecycle``), raising ``PermissionDenied`` otherwise; the rules
live here, never in a page or a route.
"""

from medextract.errors import DocumentNotFound, PermissionDenied, StoreError
from medextract.services.context import CLI, WORKER, Actor, Context, System

__all__ = [
    "CLI",
    "WORKER",
    "Actor",
    "Context",
    "DocumentNotFound",
    "PermissionDenied",
    "StoreError",
    "System",
]
