"""A request's rows from its body: JSON rows, a CSV export or a Parquet file.

Each body is read as it says it is, never guessed: a CSV body in the encoding its
``charset=`` names (UTF-8 when none), and a JSON body checked against `EvaluateRequest`
with its mistakes said without echoing the body back.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

import attrs
import numpy as np
from fastapi import Request
from pydantic import ValidationError

from ksf.catalogue import serve as say
from ksf.errors import KsfError
from ksf.io import parse_csv
from ksf.io.read_parquet import arrow_columns
from ksf.optional import requires
from ksf.serve.guards import language
from ksf.serve.models import EvaluateRequest
from ksf.serve.problems import Problem, from_error

__all__ = ["PARQUET", "Sent", "from_json", "rows"]

PARQUET = "application/vnd.apache.parquet"


@attrs.frozen
class Sent:
    """The rows of a request, as columns, and how to evaluate them."""

    columns: dict[str, Any]
    params: dict[str, float]
    card: str | None
    id_column: str | None
    period: str | None = None  # the card versions in force (LANGUAGE.md §13)
    allow_duplicate_ids: bool = False
    json: bool = False  # sent as JSON rows (an empty list is a request to pay nobody)


async def rows(
    request: Request, card: str | None, id_column: str | None, period: str | None
) -> Sent:
    """The request's rows from its body: JSON, CSV or Parquet."""
    media_type, _, options = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    body = await request.body()
    try:
        if media_type in ("application/json", ""):
            return from_json(_json_body(body), period)
        if media_type == "text/csv":
            columns = parse_csv(_text(body, _charset(options)), "request body")
            return Sent(dict(columns), {}, card, id_column, period)
        if media_type in (PARQUET, "application/octet-stream"):
            return Sent(_parquet(body), {}, card, id_column, period)
    except KsfError as error:
        raise from_error(error, language(request), "request body") from None
    detail = say.MEDIA_TYPE(media_type=repr(media_type))
    raise Problem(415, "unsupported-media-type", say.BAD_MEDIA_TYPE(), detail)


def _json_body(body: bytes) -> EvaluateRequest:
    """The JSON body checked against the model; its mistakes said without echoing it."""
    try:
        found = json.loads(body)
    except json.JSONDecodeError as error:
        detail = say.BODY_NOT_JSON(line=error.lineno, column=error.colno, error=error.msg)
        raise Problem(422, "bad-request", say.BAD_REQUEST(), detail) from None
    except (UnicodeDecodeError, RecursionError, ValueError):
        detail = say.NOT_ENCODED(charset="UTF-8")
        raise Problem(422, "bad-request", say.BAD_REQUEST(), detail) from None
    try:
        return EvaluateRequest.model_validate(found)
    except ValidationError as error:
        errors = [
            {"location": [str(part) for part in e["loc"]], "message": e["msg"]}
            for e in error.errors(include_input=False, include_url=False)
        ]
        raise Problem(422, "bad-request", say.BAD_REQUEST(), None, (("errors", errors),)) from None


def _charset(options: str) -> str:
    """The ``charset=`` of a Content-Type's parameters; UTF-8 when none is named."""
    for option in options.split(";"):
        key, _, value = option.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"') or "utf-8"
    return "utf-8"


def _text(body: bytes, charset: str) -> str:
    """The body decoded as ``charset`` (a UTF-8 byte-order mark dropped), never guessed."""
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        detail = say.UNKNOWN_CHARSET(charset=repr(charset)[:60])
        raise Problem(415, "unsupported-media-type", say.BAD_MEDIA_TYPE(), detail) from None
    try:
        text = body.decode(codec.name)
    except UnicodeDecodeError:
        detail = say.NOT_ENCODED(charset=codec.name.upper())
        raise Problem(422, "bad-request", say.BAD_REQUEST(), detail) from None
    return text.removeprefix("\ufeff")


def from_json(body: EvaluateRequest, period: str | None = None) -> Sent:
    """The rows of a JSON body as columns; the body's period, else the query's."""
    keys = list(dict.fromkeys(k for row in body.rows for k in row))
    columns = {k: np.asarray([row.get(k) for row in body.rows], dtype=object) for k in keys}
    sent = Sent(columns, dict(body.params), body.card, body.id, body.period or period)
    return attrs.evolve(sent, allow_duplicate_ids=body.allow_duplicate_ids, json=True)


def _parquet(body: bytes) -> dict[str, Any]:
    """Columns of a Parquet body (the pyarrow extra)."""
    with requires("pyarrow", say.BAD_MEDIA_TYPE(), "pyarrow"):
        import pyarrow as pa
        import pyarrow.parquet as pq
    try:
        table = pq.read_table(pa.BufferReader(body))
    except (pa.ArrowInvalid, OSError) as error:
        raise Problem(422, "bad-request", say.BAD_REQUEST(), str(error)[:500]) from None
    return arrow_columns(table, "request body")
