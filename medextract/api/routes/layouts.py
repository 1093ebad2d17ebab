"""Learned layouts (supervisors): the clinics' forms the engine learned from verified documents."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from medextract.api.auth import Ctx, User
from medextract.api.errors import problem_responses
from medextract.services import layouts

router = APIRouter(prefix="/v1/layouts", tags=["layouts"])
PROBLEMS = problem_responses(401, 403)


class LayoutOut(BaseModel):
    """One learned layout: printed words and geometry only, never a patient's value."""

    id: str = Field(description="the layout's file name in the layouts folder, without .json")
    name: str
    document_type: str
    fields: int = Field(description="fields whose place on the form it knows")
    documents_seen: int = Field(
        description="verified documents of this form, the one it learned from included"
    )
    fields_corrected: int = Field(description="fields clerks changed on documents read with it since")
    taught_by: str = Field(description="the clerk who verified the document it was learned from")
    created: datetime | None
    learned_from: int | None = Field(description="the document it was (re)trained on")


class LayoutList(BaseModel):
    layouts: list[LayoutOut]


@router.get(
    "",
    response_model=LayoutList,
    summary="The learned layouts (supervisors)",
    description="By document type, then name; the same list as the app's Learned layouts page.",
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def list_layouts(user: User, ctx: Ctx) -> LayoutList:
    return LayoutList(layouts=[LayoutOut(**asdict(v)) for v in layouts.list_layouts(ctx, user=user)])
