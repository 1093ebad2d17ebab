"""The deployment's webhook deliveries: what was announced, and how each delivery went (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from medextract.api.auth import Ctx, User
from medextract.api.errors import problem_responses
from medextract.services import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
PROBLEMS = problem_responses(401, 403)


class DeliveryOut(BaseModel):
    """One announcement: ``delivered_at`` once the receiver answered 2xx; ``next_attempt_at`` while
    it is still being tried; ``failed_at`` once the attempts ran out."""

    id: int = Field(description="Also sent as X-MedExtract-Delivery: receivers drop repeats by it.")
    event: str = Field(description="document.verified or document.rejected")
    document_id: int | None
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    last_status: int | None = Field(description="The receiver's HTTP status at the last attempt.")
    last_error: str | None = Field(description='"HTTP 503", or why no answer came ("ConnectTimeout").')


class DeliveryList(BaseModel):
    configured: bool = Field(description="Whether this deployment has a webhook at all.")
    deliveries: list[DeliveryOut]


@router.get(
    "/deliveries",
    response_model=DeliveryList,
    summary="The latest webhook deliveries, newest first (administrators)",
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def list_deliveries(
    user: User, ctx: Ctx, limit: Annotated[int, Query(ge=1, le=500, description="how many")] = 100
) -> DeliveryList:
    found = webhooks.deliveries(ctx, user=user, limit=limit)
    return DeliveryList(
        configured=ctx.webhook is not None,
        deliveries=[DeliveryOut.model_validate(d, from_attributes=True) for d in found],
    )
