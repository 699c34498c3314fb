"""What stands around every request: the token, the body limit, problem answers and the log.

- **Token.** With a token configured (``KSF_TOKEN``), every path but ``/health`` and the
  OpenAPI description needs ``Authorization: Bearer <token>``, compared in constant time
  (`hmac.compare_digest`), so the answer's timing tells nothing of the token.
- **Body limit.** A body over ``max_body`` bytes is refused with 413 as it arrives: by its
  ``Content-Length`` before a byte is read, and by counting when it is sent in chunks.
- **Problems.** A `Problem` raised anywhere becomes ``application/problem+json``; FastAPI's
  own validation errors too (422); an exception ksf did not expect is logged with its
  traceback on the service's side and answered with 500 and a fixed sentence.
- **Access log.** One JSON line a request on the ``ksf.serve.access`` logger: time, method,
  path, status, body size and duration. Never a query string, a body or an amount.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import attrs
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ksf.catalogue import serve as say
from ksf.explain_words import Lang
from ksf.serve.problems import MEDIA_TYPE, Problem

__all__ = ["Limits", "install_guards", "language"]

ACCESS = logging.getLogger("ksf.serve.access")
ERRORS = logging.getLogger("ksf.serve.errors")
OPEN_PATHS = frozenset({"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect"})
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


@attrs.frozen
class Limits:
    """How much one request may ask of the service."""

    max_body: int = 20 * 2**20  # bytes of request body
    max_rule_chars: int = 1_000_000  # characters of rule text sent to /check
    max_rows: int = 200_000  # rows evaluated in one request
    seconds: float = 30.0  # wall-clock time of one evaluation


def language(request: Request) -> Lang:
    """``?lang=zh`` or ``Accept-Language: zh…`` → Chinese; otherwise English."""
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "zh" if asked.strip().lower().startswith("zh") else "en"


def install_guards(app: FastAPI, limits: Limits, token: str | None) -> None:
    """The token, the problem answers, the body limit and the access log, on ``app``."""

    @app.exception_handler(Problem)
    async def problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, Problem)  # noqa: S101 - registered for Problem only
        return _problem_response(error, language(request))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)  # noqa: S101 - registered so
        errors = [
            {"location": list(map(str, e.get("loc", ()))), "message": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        found = Problem(422, "bad-request", say.BAD_REQUEST(), None, (("errors", errors),))
        return _problem_response(found, language(request))

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, error: Exception) -> Response:
        # The framework's own refusals (a body that is not JSON, a path or a method it does
        # not serve) get the same problem answers as ksf's.
        assert isinstance(error, StarletteHTTPException)  # noqa: S101 - registered so
        said = str(error.detail)[:300] if error.detail else None
        headers = tuple((error.headers or {}).items())  # a 405's Allow (RFC 9110)
        status = error.status_code
        kind, title = (
            ("not-found", say.NOT_FOUND()) if status == 404 else ("bad-request", say.BAD_REQUEST())
        )
        found = Problem(status, kind, title, said, (), headers)
        return _problem_response(found, language(request))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        ERRORS.error("internal error on %s %s", request.method, request.url.path, exc_info=error)
        return _problem_response(Problem(500, "internal", say.INTERNAL()), language(request))

    app.add_middleware(_Guard, limits=limits, token=token)


def _problem_response(problem: Problem, lang: Lang) -> Response:
    headers = dict(problem.headers)
    if problem.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        problem.body(lang), status_code=problem.status, media_type=MEDIA_TYPE, headers=headers
    )


class _Guard:
    """ASGI middleware: token, body limit and access log around each HTTP request."""

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        limits: Limits,
        token: str | None,
    ) -> None:
        self.app = app
        self.limits = limits
        self.token = token.encode("utf-8") if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = {"status": 500, "bytes": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            await send(message)

        refused = self._refusal(scope)
        if refused is not None:
            await _send_problem(refused, scope, sending)
        else:
            await self._pass(scope, receive, sending, seen)
        _log(scope, seen, time.perf_counter() - started)

    def _refusal(self, scope: Scope) -> Problem | None:
        """A problem to answer before reading the body: no token, or a body too large."""
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        if self.token is not None and scope["path"] not in OPEN_PATHS:
            sent = headers.get("authorization", b"")
            if not sent.startswith(b"Bearer "):
                return Problem(401, "unauthorised", say.NOT_AUTHORISED(), say.TOKEN_MISSING())
            if not hmac.compare_digest(sent[len(b"Bearer ") :].strip(), self.token):
                return Problem(401, "unauthorised", say.NOT_AUTHORISED(), say.TOKEN_WRONG())
        length = headers.get("content-length", b"0")
        if length.isdigit() and int(length) > self.limits.max_body:
            return _too_large(self.limits.max_body)
        return None

    async def _pass(self, scope: Scope, receive: Receive, send: Send, seen: dict[str, int]) -> None:
        """The request, its body counted as it arrives and cut off past the limit."""
        limit = self.limits.max_body

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    raise _too_large(limit)
            return message

        try:
            await self.app(scope, receiving, send)
        except Problem as problem:  # raised while the handler read the body
            await _send_problem(problem, scope, send)


def _too_large(limit: int) -> Problem:
    detail = say.BODY_LIMIT(limit=f"{limit:,}")
    return Problem(413, "body-too-large", say.BODY_TOO_LARGE(), detail)


async def _send_problem(problem: Problem, scope: Scope, send: Send) -> None:
    request = Request(scope)
    response = _problem_response(problem, language(request))
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _log(scope: Scope, seen: dict[str, int], seconds: float) -> None:
    """One JSON line: what was asked and how it went; no query, body or amount."""
    record = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": seen["status"],
        "body_bytes": seen["bytes"],
        "ms": round(seconds * 1000, 1),
    }
    ACCESS.info(json.dumps(record, ensure_ascii=False))
