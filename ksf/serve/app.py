"""The HTTP service (LANGUAGE.md §16): check rule text, evaluate and explain payrolls.

FastAPI, because it writes the OpenAPI 3.1 description from the same typed models the
handlers use (a hand-kept description drifts from the code), on Starlette and uvicorn.
Every handler is a thin layer over the public API: the service adds the limits, the token,
problem answers and the access log (`ksf.serve.guards`), and nothing of its own to the pay.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import anyio
import attrs
from fastapi import FastAPI, Query, Request
from fastapi import Path as InPath
from fastapi.responses import JSONResponse, Response

import ksf
from ksf.catalogue import serve as say
from ksf.errors import KsfError
from ksf.explain_words import Lang
from ksf.io import diagnostics, payroll_csv, payroll_json
from ksf.io.write_xlsx import write_xlsx
from ksf.ledger import AlreadyPostedError, Ledger, PeriodClosedError
from ksf.payroll import Payroll
from ksf.payslip import find_employee
from ksf.serve.bodies import PARQUET, Sent, from_json, rows
from ksf.serve.guards import Limits, install_guards, language
from ksf.serve.models import (
    CheckRequest,
    CheckResult,
    Diagnostic,
    EvaluateRequest,
    ExplainRequest,
    Explanation,
    PayrollResult,
    PostRequest,
    PostResult,
    RulebookInfo,
    RulebookText,
    problems,
)
from ksf.serve.problems import Problem, from_error
from ksf.serve.store import Entry, RulebookStore

__all__ = ["SETTINGS", "create_app", "from_environment"]

SETTINGS = "KSF_SERVE_SETTINGS"  # what `ksf serve` passes each worker: folder and limits, JSON

NAME = r"^[^/\\]{1,100}$"  # a rule file's stem: no '/' or '\\', so no path (and Java-safe)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def create_app(
    store: RulebookStore, limits: Limits, token: str | None = None, ledger: Ledger | None = None
) -> FastAPI:
    """The service over the rulebooks of ``store``; with ``ledger``, payrolls post to it."""
    app = FastAPI(
        title="ksf",
        version=ksf.__version__,
        description="KSF pay rules: check rule text, evaluate and explain payrolls.",
    )
    install_guards(app, limits, token)
    _rulebook_routes(app, store, limits)
    _payroll_routes(app, store, limits)
    if ledger is not None:
        _ledger_route(app, store, limits, ledger)
    _describe_security(app, required=token is not None)
    return app


def _describe_security(app: FastAPI, *, required: bool) -> None:
    """The bearer token in the OpenAPI description, so generated clients send it.

    The token is checked by the guard around every request (`ksf.serve.guards`), not per
    route; the description says so once: every operation but ``/health`` takes it,
    required when the service runs with ``KSF_TOKEN``.
    """
    written = app.openapi

    def described() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = written()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearer"] = {"type": "http", "scheme": "bearer"}
        needed: list[dict[str, list[str]]] = [{"bearer": []}] if required else [{"bearer": []}, {}]
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                operation["security"] = [] if path == "/health" else needed
        app.openapi_schema = schema
        return schema

    app.openapi = described  # type: ignore[method-assign]


def from_environment() -> FastAPI:
    """The service as ``ksf serve`` configured it: the factory uvicorn calls in each worker.

    The folder and the limits come from the environment, the token from ``KSF_TOKEN``.
    """
    settings = json.loads(os.environ.get(SETTINGS, "{}"))
    default = Limits()
    limits = Limits(
        max_body=int(settings.get("max_body", default.max_body)),
        max_rule_chars=int(settings.get("max_rule_chars", default.max_rule_chars)),
        max_rows=int(settings.get("max_rows", default.max_rows)),
        seconds=float(settings.get("seconds", default.seconds)),
    )
    store = RulebookStore(Path(settings.get("rules", ".")))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    ledger = Ledger(settings["ledger"]) if settings.get("ledger") else None
    return create_app(store, limits, os.environ.get("KSF_TOKEN") or None, ledger)


def _ledger_route(app: FastAPI, store: RulebookStore, limits: Limits, ledger: Ledger) -> None:
    @app.post(
        "/rulebooks/{name}/post",
        tags=["payroll"],
        responses=problems(400, 401, 404, 409, 413, 422, 503),
        operation_id="post",
    )
    async def post(
        name: Annotated[str, InPath(pattern=NAME)], body: PostRequest, request: Request
    ) -> PostResult:
        """Evaluate a period's payroll and post it to the ledger, in one transaction.

        A period posted before is refused (409) unless ``replace`` is true; a closed one always.
        """
        lang = language(request)
        entry = _entry(store, name, lang)
        if body.period is None:
            raise Problem(422, "bad-request", say.BAD_REQUEST(), say.POST_NEEDS_PERIOD())
        payroll = await _evaluated(entry, from_json(body), limits, lang)
        try:
            posting = await anyio.to_thread.run_sync(
                lambda: ledger.post(payroll, replace=body.replace)
            )
        except (AlreadyPostedError, PeriodClosedError) as error:
            raise Problem(409, "already-posted", say.LEDGER_REFUSED(), error.render(lang)) from None
        except KsfError as error:
            raise from_error(error, lang, name) from None
        assert entry.book is not None  # noqa: S101 - _entry answers 404 otherwise
        return PostResult(
            rulebook=name,
            hash=entry.book.hash,
            period=str(payroll.period),
            posting=posting,
            rows=len(payroll),
        )


def _rulebook_routes(app: FastAPI, store: RulebookStore, limits: Limits) -> None:
    @app.get("/health", tags=["service"], operation_id="health")
    def health() -> dict[str, str]:
        """The service is up."""
        return {"status": "ok"}

    @app.get(
        "/rulebooks", tags=["rulebooks"], responses=problems(401), operation_id="listRulebooks"
    )
    def rulebooks(request: Request) -> list[RulebookInfo]:
        """Every rulebook in service, by name and hash."""
        lang = language(request)
        return [_info(e, lang) for e in store.refresh().entries.values()]

    @app.get(
        "/rulebooks/{name}",
        tags=["rulebooks"],
        responses=problems(401, 404, 422),
        operation_id="getRulebook",
    )
    def rulebook(name: Annotated[str, InPath(pattern=NAME)], request: Request) -> RulebookText:
        """One rulebook and its rule text."""
        lang = language(request)
        entry = _entry(store, name, lang)
        return RulebookText(**_info(entry, lang).model_dump(), text=entry.text)

    @app.post(
        "/check", tags=["rules"], responses=problems(400, 401, 413, 422), operation_id="check"
    )
    def check(body: CheckRequest, request: Request) -> CheckResult:
        """Check rule text: every error and warning, with line, column, message and hint."""
        lang = language(request)
        if len(body.text) > limits.max_rule_chars:
            detail = say.RULES_LIMIT(size=f"{len(body.text):,}", limit=f"{limits.max_rule_chars:,}")
            raise Problem(413, "rules-too-large", say.RULES_TOO_LARGE(), detail)
        try:
            book = ksf.compile(body.text, name=body.name)
        except KsfError as error:
            report = diagnostics.FileReport(body.name, failure=error)
        else:
            report = diagnostics.FileReport(body.name, book.cards, book.warnings)
        found = [Diagnostic(**attrs.asdict(r)) for r in diagnostics.records(report, lang)]
        ok = not any(d.severity == "error" for d in found)
        return CheckResult(ok=ok, cards=list(report.cards), diagnostics=found)


def _evaluate_description() -> tuple[dict[str, Any], dict[int | str, dict[str, Any]]]:
    """The evaluate operation's bodies (JSON, CSV, Parquet) and answers, for OpenAPI."""
    body_types = {
        "application/json": {"schema": EvaluateRequest.model_json_schema()},
        "text/csv": {"schema": {"type": "string"}},
        PARQUET: {"schema": {"type": "string", "format": "binary"}},
    }
    answers = problems(400, 401, 404, 406, 413, 415, 422, 503)
    answers[200] = {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
    return body_types, answers


def _payroll_routes(app: FastAPI, store: RulebookStore, limits: Limits) -> None:
    body_types, answers = _evaluate_description()

    @app.post(
        "/rulebooks/{name}/evaluate",
        tags=["payroll"],
        openapi_extra={"requestBody": {"required": True, "content": body_types}},
        responses=answers,
        operation_id="evaluate",
    )
    async def evaluate(
        name: Annotated[str, InPath(pattern=NAME)],
        request: Request,
        card: Annotated[str | None, Query(max_length=200)] = None,
        id: Annotated[str | None, Query(max_length=200)] = None,  # noqa: A002
        period: Annotated[str | None, Query(max_length=20)] = None,
        allow_duplicate_ids: bool = False,
    ) -> PayrollResult:
        """Evaluate a payroll from JSON rows, a CSV body or a Parquet body.

        The answer is JSON, or CSV or XLSX when the Accept header asks for it.
        """
        entry = _entry(store, name)
        sent = await rows(request, card, id, period)
        if sent.json and not any(len(values) for values in sent.columns.values()):
            return _empty(entry, sent)  # type: ignore[return-value]
        if allow_duplicate_ids:
            sent = attrs.evolve(sent, allow_duplicate_ids=True)
        payroll = await _evaluated(entry, sent, limits, language(request))
        return _answer(request, entry, payroll)  # type: ignore[return-value]

    @app.post(
        "/rulebooks/{name}/explain",
        tags=["payroll"],
        responses=problems(400, 401, 404, 413, 422, 503),
        operation_id="explain",
    )
    async def explain(
        name: Annotated[str, InPath(pattern=NAME)], body: ExplainRequest, request: Request
    ) -> Explanation:
        """Explain one employee's pay: every line, its inputs and its arithmetic."""
        lang = language(request)
        entry = _entry(store, name)
        payroll = await _evaluated(entry, from_json(body), limits, lang)
        try:
            row = _row_to_explain(payroll, body)
            text = payroll.explain(row, lang=lang)
        except KsfError as error:  # no such employee: 404, the ids there are named
            raise from_error(error, lang, "request body") from None
        assert entry.book is not None  # noqa: S101 - _entry answers 404 otherwise
        return Explanation(rulebook=name, hash=entry.book.hash, row=row, text=text)


def _entry(store: RulebookStore, name: str, lang: Lang = "en") -> Entry:
    """The rulebook in service by that name, else a 404 (or a 422 if it never compiled)."""
    entries = store.refresh().entries
    entry = entries.get(name)
    if entry is None:
        names = ", ".join(entries) or say.NO_RULEBOOKS()
        detail = say.RULEBOOK_NAMED(name=repr(name), names=names)
        raise Problem(404, "unknown-rulebook", say.UNKNOWN_RULEBOOK(), detail)
    if entry.book is None:
        detail = say.RULEBOOK_BROKEN(name=repr(name), error=_error_text(entry.error, lang))
        raise Problem(422, "rule-error", say.BROKEN_RULEBOOK(), detail)
    return entry


def _error_text(error: KsfError | None, lang: Lang) -> str:
    render = getattr(error, "render", None)
    return render(lang) if callable(render) else str(error)


def _info(entry: Entry, lang: Lang) -> RulebookInfo:
    book = entry.book
    return RulebookInfo(
        name=entry.name,
        hash=None if book is None else book.hash,
        cards=[] if book is None else list(book.cards),
        currency=None if book is None else book.currency,
        error=None if entry.error is None else _error_text(entry.error, lang),
    )


async def _evaluated(entry: Entry, sent: Sent, limits: Limits, lang: Lang) -> Payroll:
    """The payroll of the rows, in a worker thread, within the service's row and time limits."""
    rows = max((len(v) for v in sent.columns.values()), default=0)
    if rows > limits.max_rows:
        detail = say.ROWS_LIMIT(rows=rows, limit=limits.max_rows)
        raise Problem(413, "too-many-rows", say.TOO_MANY_ROWS(), detail)
    book = entry.book
    assert book is not None  # noqa: S101 - _entry answers 404 otherwise

    def run() -> Payroll:
        return book.evaluate(
            sent.columns,
            card=sent.card,
            params=sent.params,
            id_column=sent.id_column,
            period=sent.period,
            allow_duplicate_ids=sent.allow_duplicate_ids,
        )

    try:
        with anyio.fail_after(limits.seconds):
            # abandon_on_cancel: the answer goes at the limit; the thread's work is dropped
            return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
    except TimeoutError:
        detail = say.TIME_LIMIT(seconds=limits.seconds)
        retry = (("Retry-After", "5"),)
        raise Problem(503, "too-slow", say.TOO_SLOW(), detail, (), retry) from None
    except KsfError as error:
        raise from_error(error, lang, entry.path.name, evaluating=True) from None


def _empty(entry: Entry, sent: Sent) -> Response:
    """No rows sent: an empty payroll (no card column is needed to pay nobody)."""
    book = entry.book
    assert book is not None  # noqa: S101 - _entry answers 404 otherwise
    result = PayrollResult(
        rulebook=entry.name,
        hash=book.hash,
        currency=book.currency,
        period=sent.period,
        lines=[],
        rows=[],
    )
    return JSONResponse(result.model_dump())


def _row_to_explain(payroll: Payroll, body: ExplainRequest) -> int:
    if body.employee is not None:
        return int(find_employee(payroll, body.employee)[0])
    if body.row is None:
        raise Problem(422, "bad-request", say.BAD_REQUEST(), say.EMPLOYEE_OR_ROW())
    if body.row >= len(payroll):
        detail = say.ROW_OUT_OF_RANGE(row=body.row, rows=len(payroll))
        raise Problem(422, "bad-request", say.BAD_REQUEST(), detail)
    return body.row


def _answer(request: Request, entry: Entry, payroll: Payroll) -> Response:
    """The payroll in the media type the request accepts: JSON, CSV or XLSX."""
    accept = request.headers.get("accept", "application/json").lower()
    book = entry.book
    assert book is not None  # noqa: S101 - _entry answers 404 otherwise
    if "application/json" in accept or "*/*" in accept or not accept.strip():
        records = json.loads(payroll_json(payroll))
        result = PayrollResult(
            rulebook=entry.name,
            hash=book.hash,
            currency=payroll.currency,
            period=None if payroll.period is None else str(payroll.period),
            lines=list(payroll.lines),
            rows=records,
        )
        return JSONResponse(result.model_dump())
    if "text/csv" in accept:
        return Response(payroll_csv(payroll), media_type="text/csv; charset=utf-8")
    if XLSX in accept:
        return Response(_xlsx(payroll, language(request)), media_type=XLSX)
    raise Problem(406, "not-acceptable", say.NOT_ACCEPTABLE(), say.ACCEPTS(accept=repr(accept)))


def _xlsx(payroll: Payroll, lang: Lang) -> bytes:
    """The payroll workbook (a payroll sheet and a payslip per row; the excel extra)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "payroll.xlsx"
        write_xlsx(payroll, path, lang=lang)
        return path.read_bytes()
