"""The typed bodies of the service's requests and answers.

FastAPI writes the OpenAPI description from them; `ksf.serve.app` routes them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CheckRequest",
    "CheckResult",
    "Diagnostic",
    "EvaluateRequest",
    "ExplainRequest",
    "Explanation",
    "PayrollResult",
    "PostRequest",
    "PostResult",
    "ProblemDetails",
    "RulebookInfo",
    "RulebookText",
    "problems",
]

Cell = str | float | bool | None


class Diagnostic(BaseModel):
    """One problem in rule text (as `ksf check --format json` writes it)."""

    file: str
    severity: Literal["error", "warning"]
    code: str
    message: str
    hint: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None


class CheckRequest(BaseModel):
    """Rule text to check."""

    model_config = ConfigDict(extra="forbid")

    text: str
    name: str = Field("rules.ksf", max_length=200)


class CheckResult(BaseModel):
    """What checking found: ok when no error (warnings may remain)."""

    ok: bool
    cards: list[str]
    diagnostics: list[Diagnostic]


class RulebookInfo(BaseModel):
    """A rulebook in service."""

    name: str
    hash: str | None = Field(description="SHA-256 of the rule text in service")
    cards: list[str]
    currency: str | None
    error: str | None = Field(description="why the file as it is now does not compile")


class RulebookText(RulebookInfo):
    """A rulebook in service and its rule text."""

    text: str | None


class EvaluateRequest(BaseModel):
    """Rows to pay: one object per employee, keys are column names."""

    # A misspelt field ("crad") is refused, not ignored: ignored, it would pay by defaults.
    model_config = ConfigDict(extra="forbid")

    rows: list[dict[str, Cell]]
    # Numbers only: true or "5" for a param is a mistake, not 1 or 5.
    params: dict[str, Annotated[float, Field(strict=True)]] = Field(default_factory=dict)
    card: str | None = None
    id: str | None = Field(None, description="the id column (default: employee, 工号, …)")
    period: str | None = Field(
        None,
        max_length=20,
        description="a month (2026-08) or a quarter (2026Q3): the card versions in force",
    )
    allow_duplicate_ids: bool = Field(
        False,
        strict=True,  # true or false only: 0 or "no" is a mistake, not a choice
        description="pay an id found on several rows of one period and card once a row",
    )


class PostRequest(EvaluateRequest):
    """Rows of a period to pay and post to the ledger (``period`` is required)."""

    replace: bool = Field(
        False, strict=True, description="replace the period's posting (refused once closed)"
    )


class PostResult(BaseModel):
    """A period posted: the posting's id in the ledger and what it holds."""

    rulebook: str
    hash: str
    period: str
    posting: int
    rows: int


class ExplainRequest(EvaluateRequest):
    """Rows, and the employee (by id) or the row (from 0) to explain."""

    employee: str | None = None
    row: int | None = Field(None, ge=0)


class PayrollResult(BaseModel):
    """A payroll: one record per row sent, amounts rounded as the rulebook says."""

    rulebook: str
    hash: str
    currency: str
    period: str | None
    lines: list[str]
    rows: list[dict[str, Cell]]


class ProblemDetails(BaseModel):
    """An answer that is not the result asked for (RFC 9457), with ksf's fields beside.

    A rule error adds ``line``, ``column``, ``code`` and ``diagnostics``; a data error
    ``code``, ``column``, ``rows`` (from 0), ``labels`` (the rows' employee ids) and ``table``.
    """

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None


WHY = {
    400: "the body cannot be read as the media type it claims",
    401: "no bearer token, or not this service's",
    409: "the period is posted already (send replace: true) or closed",
    404: "no rulebook, or no employee, of that name",
    406: "the Accept header names no media type the payroll is answered in",
    413: "the body, the rule text or the rows are over the service's limit",
    415: "a body media type other than JSON, CSV or Parquet",
    422: "the request, the rule text or the data has an error",
    503: "the evaluation took longer than the service's limit",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented problem answers of an operation."""
    schema = {"$ref": "#/components/schemas/ProblemDetails"}
    return {
        status: {
            "description": WHY[status],
            "model": ProblemDetails,
            "content": {"application/problem+json": {"schema": schema}},
        }
        for status in statuses
    }


class Explanation(BaseModel):
    """The arithmetic of one employee's pay, in words."""

    rulebook: str
    hash: str
    row: int
    text: str
