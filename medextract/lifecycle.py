"""A document's life and who may act on it: the one home of statuses, transitions, labels and roles.

Statuses: ``queued -> extracting -> extracted -> in_review -> verified | rejected``, and ``failed``
(the engine's error kept with the bytes, so it can be queued again); ``merged`` and ``split`` end a
document whose pages went into new documents (``services.pages``: it stays, linked to them).
Every action that moves a document names the statuses it starts from and the one it leaves
(``TRANSITIONS``); every action a person may take names the least role that may take it
(``ACTION_ROLE``: clerk < supervisor < admin). The services check both inside each operation; the
pages only ask them what to show. Actions of the worker have no role: only the server itself (a
system actor) performs them.

Pure: no database, no Streamlit.
"""

from __future__ import annotations

from types import MappingProxyType

# ---- statuses ------------------------------------------------------------------------------------

QUEUED = "queued"
EXTRACTING = "extracting"
EXTRACTED = "extracted"
IN_REVIEW = "in_review"
VERIFIED = "verified"
REJECTED = "rejected"
FAILED = "failed"
MERGED = "merged"  # its pages went, with another document's, into a new document
SPLIT = "split"  # its pages went into several new documents
STATUSES = (QUEUED, EXTRACTING, EXTRACTED, IN_REVIEW, VERIFIED, REJECTED, FAILED, MERGED, SPLIT)

STATUS_LABELS = MappingProxyType(
    {
        QUEUED: "Queued",
        EXTRACTING: "Extracting",
        EXTRACTED: "Waiting for review",
        IN_REVIEW: "In review",
        VERIFIED: "Verified",
        REJECTED: "Rejected",
        FAILED: "Failed",
        MERGED: "Merged",
        SPLIT: "Split",
    }
)

WAITING_FOR_ENGINE = (QUEUED, EXTRACTING)  # the engine has not finished with the document
REVIEWABLE = (EXTRACTED, IN_REVIEW)  # a person may edit, verify or claim it
HAS_RESULTS = (EXTRACTED, IN_REVIEW, VERIFIED, REJECTED)  # its fields are shown
OPEN = (QUEUED, EXTRACTING, EXTRACTED, IN_REVIEW, FAILED)  # not finished: the queue's default view
REPLACED = (MERGED, SPLIT)  # its pages live on in other documents: no work left on it

# ---- roles ---------------------------------------------------------------------------------------

CLERK = "clerk"
SUPERVISOR = "supervisor"
ADMIN = "admin"
ROLES = (CLERK, SUPERVISOR, ADMIN)  # each includes the ones before it
ROLE_LABELS = MappingProxyType({CLERK: "Clerk", SUPERVISOR: "Supervisor", ADMIN: "Administrator"})
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_WHO = {CLERK: "a clerk", SUPERVISOR: "a supervisor or an administrator", ADMIN: "an administrator"}

# ---- actions -------------------------------------------------------------------------------------

# A person's actions on documents
UPLOAD = "upload"
VIEW = "view"  # the queue, a document, its page images
CLAIM = "claim"  # open a waiting document for review (taking over an expired claim)
SAVE = "save"
VERIFY = "verify"
REJECT = "reject"
REEXTRACT = "reextract"
PREVIEW = "preview"  # have a file read by the engine without storing it (the API's /v1/extract)
TAKE_OVER = "take_over"  # take a document someone else holds a live claim on
ASSIGN = "assign"  # give a waiting document to a chosen reviewer (claimed for them)
REOPEN = "reopen"
HISTORY = "history"
BULK = "bulk"  # one action on many selected documents at once (the queue's bulk actions)
MERGE = "merge"  # documents' pages, in a chosen order, into one new document
SPLIT_DOCUMENT = "split"  # a document's pages into several new documents
ROTATE = "rotate"  # turn one page of a document, then extract it again
# Not verified and not being read by the engine: what merge, split and rotate may change.
CHANGEABLE_PAGES = (QUEUED, EXTRACTED, IN_REVIEW, REJECTED, FAILED)
# A person's other actions
RECORDS = "records"  # verified records, their export, the reviewers
DASHBOARD = "dashboard"
MANAGE_ACCOUNTS = "manage_accounts"
LAYOUTS = "layouts"  # see, rename, delete and retrain the learned layouts
AUDIT_LOG = "audit_log"
# The worker's
EXTRACT = "extract"  # take a queued document to the engine
REUSE = "reuse"  # answer a queued document with its stored extraction
STORE_RESULT = "store_result"
FAIL = "fail"
RECLAIM = "reclaim"  # take a document whose worker's lease expired (the worker died)
REQUEUE = "requeue"  # put back a document its worker stopped reading (a clean shutdown)

TRANSITIONS = MappingProxyType(
    {  # action: (the statuses it applies to, the status it leaves)
        UPLOAD: ((), QUEUED),
        EXTRACT: ((QUEUED,), EXTRACTING),
        REUSE: ((QUEUED,), EXTRACTED),
        STORE_RESULT: ((EXTRACTING,), EXTRACTED),
        FAIL: ((EXTRACTING,), FAILED),
        RECLAIM: ((EXTRACTING,), EXTRACTING),
        REQUEUE: ((EXTRACTING,), QUEUED),
        CLAIM: (REVIEWABLE, IN_REVIEW),
        TAKE_OVER: (REVIEWABLE, IN_REVIEW),
        ASSIGN: (REVIEWABLE, IN_REVIEW),
        SAVE: (REVIEWABLE, IN_REVIEW),
        VERIFY: (REVIEWABLE, VERIFIED),
        REJECT: ((QUEUED, EXTRACTED, IN_REVIEW, FAILED), REJECTED),
        REOPEN: ((VERIFIED,), IN_REVIEW),
        REEXTRACT: ((QUEUED, EXTRACTED, IN_REVIEW, REJECTED, FAILED), QUEUED),
        MERGE: (CHANGEABLE_PAGES, MERGED),
        SPLIT_DOCUMENT: (CHANGEABLE_PAGES, SPLIT),
        ROTATE: (CHANGEABLE_PAGES, QUEUED),
    }
)

ACTION_ROLE = MappingProxyType(
    {
        UPLOAD: CLERK,
        VIEW: CLERK,
        CLAIM: CLERK,
        SAVE: CLERK,
        VERIFY: CLERK,
        REJECT: CLERK,
        REEXTRACT: CLERK,
        PREVIEW: CLERK,
        MERGE: CLERK,
        SPLIT_DOCUMENT: CLERK,
        ROTATE: CLERK,
        TAKE_OVER: SUPERVISOR,
        ASSIGN: SUPERVISOR,
        REOPEN: SUPERVISOR,
        HISTORY: SUPERVISOR,
        BULK: SUPERVISOR,
        RECORDS: SUPERVISOR,
        DASHBOARD: SUPERVISOR,
        LAYOUTS: SUPERVISOR,
        MANAGE_ACCOUNTS: ADMIN,
        AUDIT_LOG: ADMIN,
    }
)

ACTION_TEXT = MappingProxyType(
    {  # what a refusal says the person tried to do
        UPLOAD: "upload documents",
        VIEW: "see documents",
        CLAIM: "review documents",
        SAVE: "edit documents",
        VERIFY: "verify documents",
        REJECT: "reject documents",
        REEXTRACT: "have documents extracted again",
        PREVIEW: "have documents read",
        MERGE: "merge documents",
        SPLIT_DOCUMENT: "split documents",
        ROTATE: "rotate pages",
        TAKE_OVER: "take over a document someone else is reviewing",
        ASSIGN: "give documents to a reviewer",
        REOPEN: "reopen a verified record",
        HISTORY: "see a document's history",
        BULK: "act on many documents at once",
        RECORDS: "see or export verified records",
        DASHBOARD: "see the dashboard",
        LAYOUTS: "manage the learned layouts",
        MANAGE_ACCOUNTS: "manage user accounts",
        AUDIT_LOG: "read the audit log",
    }
)


def status_label(status: str) -> str:
    """A clerk's word for a status ("Waiting for review"); an unknown one is shown as it is."""
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def extraction_finished(status: str) -> bool:
    """Whether the engine is done with a document in ``status`` (successfully or not)."""
    return status not in WAITING_FOR_ENGINE


def sources(action: str) -> tuple[str, ...]:
    """The statuses ``action`` applies to."""
    return TRANSITIONS[action][0]


def target(action: str) -> str:
    """The status ``action`` leaves a document in."""
    return TRANSITIONS[action][1]


def can(action: str, status: str) -> bool:
    """Whether ``action`` may move a document that is ``status``."""
    return status in sources(action)


def has_role(role: str | None, needed: str) -> bool:
    """Whether ``role`` includes ``needed`` (admin ⊇ supervisor ⊇ clerk); None or unknown has nothing."""
    return role in _RANK and _RANK[role] >= _RANK[needed]


def may(role: str | None, action: str) -> bool:
    """Whether a person with ``role`` may perform ``action`` (never a worker's action)."""
    needed = ACTION_ROLE.get(action)
    return needed is not None and has_role(role, needed)


def role_label(role: str | None) -> str:
    """A role as people call it ("Administrator"); "No role" for None."""
    return ROLE_LABELS.get(role or "", "No role")


def refusal(action: str) -> str:
    """What a person is told whose role may not perform ``action``."""
    needed = ACTION_ROLE.get(action)
    text = ACTION_TEXT.get(action, action.replace("_", " "))
    if needed is None:
        return f"Only the server itself may {text}."
    return f"Only {_WHO[needed]} can {text}."
