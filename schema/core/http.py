"""A GraphQL-over-HTTP endpoint (https://graphql.github.io/graphql-over-http/).

- POST ``application/json`` with ``{query, variables?, operationName?, extensions?}``, or
  ``multipart/form-data`` following the GraphQL multipart request spec (file uploads);
  GET with the same as query parameters, for queries only (a mutation over GET is a 405, so a
  cross-site link or image can never change anything).
- Responses are ``application/graphql-response+json`` or ``application/json`` by the Accept header.
- A malformed request (not JSON, no ``query``) gets a 400. An unparsable or invalid document, or
  bad variables, get a 400 in ``application/graphql-response+json`` and a 200 in
  ``application/json`` (the spec's rule for that legacy type: its clients read the body, not the
  status). Execution results get a 200. Nothing a client sends can cause a 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from decimal import Decimal
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    specified_rules,
    validate,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from procurement.db_faults import (
    RETRY_AFTER_SECONDS,
    DatabaseState,
    Unavailability,
    classify,
    explain,
)
from procurement.errors import Unauthenticated
from schema.core.awaitable import is_awaitable
from schema.core.cost import field_costs
from schema.core.errors import format_error
from schema.core.execution import FastExecutionContext
from schema.core.limits import QueryLimits, check_limits, parse_limited
from schema.core.multipart import MultipartError, read_multipart
from schema.core.text_safety import NoUnstorableText, check_variables
from schema.core.turns import Busy, Turns

log = logging.getLogger("procurement.graphql")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON_TYPE = "application/json"
MAX_BODY_BYTES = 1024 * 1024
MAX_CACHED_DOCUMENTS = 256
MAX_CACHED_QUERY = 64 * 1024  # characters; larger documents are checked every time
EXPLORER_PATH = "/explorer"  # the API explorer page (procurement/web/console_routes.py)
MULTIPART = "multipart/form-data"

# Opens the per-request execution context (an async context manager); raises Unauthenticated.
ContextFactory = Callable[[Request], AbstractAsyncContextManager[Any]]


class RequestError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class _Json(JSONResponse):
    def __init__(
        self, content: Any, status_code: int, media_type: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(content, status_code=status_code, headers=headers)
        self.headers["content-type"] = f"{media_type}; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return render_json(content)


# orjson is several times faster than json.dumps on a page of results. The options keep the bytes
# json.dumps(ensure_ascii=False, separators=(",", ":"), default=str) gave: a Decimal, datetime or
# dataclass goes through str() (so money is a string, exact), text is not escaped.
_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)


def render_json(content: Any) -> bytes:
    try:
        return orjson.dumps(content, default=str, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        # What orjson refuses and json accepts (an integer past 64 bits, nesting past 254).
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when we can serve none of it."""
    if not accept:
        return JSON_TYPE
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media == GRAPHQL_RESPONSE:
            candidate = GRAPHQL_RESPONSE
        elif media in (JSON_TYPE, "application/*", "*/*"):
            candidate = JSON_TYPE
        else:
            continue
        if quality <= 0:
            continue
        key = (quality, -position, candidate)
        if best is None or key[:2] > best[:2]:
            best = key
    return None if best is None else best[2]


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "query" not in request.query_params


async def _read_params(request: Request, max_upload_bytes: int) -> dict[str, Any]:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if key in params:
                if params[key] == "":
                    params[key] = None
                    continue
                try:
                    params[key] = json.loads(params[key], parse_float=Decimal)
                except ValueError:
                    raise RequestError(400, f"'{key}' is not valid JSON") from None
                except RecursionError:
                    raise RequestError(400, f"'{key}' nests too deep") from None
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == MULTIPART:
        try:
            return await read_multipart(request, max_upload_bytes)
        except MultipartError as error:
            raise RequestError(error.status, error.message) from None
    if content_type != JSON_TYPE:
        raise RequestError(415, "send the request as application/json (or multipart/form-data)")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise RequestError(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    try:
        # Exact decimals: a money amount sent as a JSON number must not pass through a float.
        params = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(400, "the request body is not valid JSON") from None
    except RecursionError:
        raise RequestError(400, "the request body nests too deep to be a GraphQL request") from None
    if not isinstance(params, dict):
        raise RequestError(400, "the request body must be a JSON object")
    return params


def _check_params(params: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    query = params.get("query")
    if query is None:
        raise RequestError(400, "'query' is required")
    if not isinstance(query, str):
        raise RequestError(400, "'query' must be a string")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be an object")
    if variables:
        problem = check_variables(variables)
        if problem:
            raise RequestError(400, problem)
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "'operationName' must be a string")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "'extensions' must be an object")
    return query, variables, operation_name


class GraphQLEndpoint:
    def __init__(
        self,
        schema: GraphQLSchema,
        context_factory: ContextFactory,
        *,
        limits: QueryLimits,
        max_upload_bytes: int,
        database_state: DatabaseState | None = None,
        turns: Turns | None = None,
    ) -> None:
        self.schema = schema
        self.turns = turns or Turns(0, 0.0)  # no limit unless the app sets one
        self.database_state = database_state or DatabaseState()
        self.max_upload_bytes = max_upload_bytes
        self.context_factory = context_factory
        self.limits = limits
        self.costs = field_costs(schema)
        # Parsing and validating a large document costs milliseconds; clients repeat the same
        # few documents, so the outcome is kept per query text (immutable, safe to share).
        # Only the event loop's thread touches this cache.
        self._checked: OrderedDict[str, tuple[DocumentNode, list[GraphQLError]]] = OrderedDict()

    def _parse_and_validate(self, query: str) -> tuple[DocumentNode, list[GraphQLError]]:
        """Raises GraphQLError when the query does not parse. Pure CPU, run in a worker thread:
        the limits come first, so the standard rules only ever see a document within them."""
        document = parse_limited(query, self.limits)
        refused = check_limits(document, self.schema, self.limits, self.costs)
        if refused:
            return document, refused
        return document, validate(self.schema, document, (*specified_rules, NoUnstorableText))

    async def _checked_document(self, query: str) -> tuple[DocumentNode, list[GraphQLError]]:
        cached = self._checked.get(query)
        if cached is not None:
            self._checked.move_to_end(query)
            return cached
        # In a thread, so that a large document never holds the event loop: a pure-Python loop
        # in a thread still gives the loop the interpreter every switch interval (5 ms).
        checked = await asyncio.to_thread(self._parse_and_validate, query)
        if len(query) <= MAX_CACHED_QUERY:
            self._checked[query] = checked
            if len(self._checked) > MAX_CACHED_DOCUMENTS:
                self._checked.popitem(last=False)
        return checked

    async def __call__(self, request: Request) -> Response:
        if request.method == "GET" and _wants_html(request):
            # A person in a browser: the explorer page, served by this service (no CDN).
            return RedirectResponse(EXPLORER_PATH, status_code=303)
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            return _Json(
                {"errors": [{"message": f"cannot answer in any of: {request.headers['accept']}"}]},
                406,
                JSON_TYPE,
            )
        try:
            return await self._handle(request, media_type)
        except RequestError as error:
            return _Json(
                {"errors": [{"message": error.message}]}, error.status, media_type, error.headers
            )

    async def _handle(self, request: Request, media_type: str) -> Response:
        if request.method not in ("GET", "POST"):
            raise RequestError(405, "use GET or POST", {"allow": "GET, POST"})
        try:
            async with self.context_factory(request) as context:
                # Authenticated and the body read before waiting for a turn: a slow client or a
                # refused one never holds a turn (schema/core/turns.py).
                params = await _read_params(request, self.max_upload_bytes)
                async with self.turns.turn():
                    result = await self._execute(request, context, media_type, params)
        except Busy:
            raise RequestError(
                503,
                f"the server is busy: no turn to execute within {self.turns.wait_seconds:g} s; "
                "retry later",
                RETRY_AFTER,
            ) from None
        except Unauthenticated as unauthenticated:
            challenge = {"www-authenticate": 'Bearer realm="procurement"'}
            raise RequestError(
                unauthenticated.status,
                unauthenticated.message,
                challenge if unauthenticated.status == 401 else {},
            ) from None
        except (DBAPIError, PoolTimeout) as error:  # before execution (token lookup), on commit
            kind = classify(error)
            if kind is None:
                raise
            self.database_state.failed(kind)
            raise RequestError(503, explain(kind), RETRY_AFTER) from None
        if isinstance(result, Response):
            return result
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [format_error(e) for e in result.errors]
            unavailable = _unavailability(result.errors)
            if unavailable is not None:
                # The database could not take the request: a 503 the client may retry.
                self.database_state.failed(unavailable)
                body["data"] = result.data
                return _Json(body, 503, media_type, RETRY_AFTER)
        if result.data is None and result.errors and _is_request_error(result):
            # Variable coercion failed: nothing executed, so it is a request error.
            return _Json(body, _document_error_status(media_type), media_type)
        body["data"] = result.data
        return _Json(body, 200, media_type)

    async def _execute(
        self, request: Request, context: Any, media_type: str, params: dict[str, Any]
    ) -> ExecutionResult | Response:
        query, variables, operation_name = _check_params(params)
        try:
            document, errors = await self._checked_document(query)
        except GraphQLError as error:
            return _Json(
                {"errors": [format_error(error)]}, _document_error_status(media_type), media_type
            )
        if errors:
            return _Json(
                {"errors": [format_error(e) for e in errors]},
                _document_error_status(media_type),
                media_type,
            )
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            raise RequestError(400, "the operation to run is unknown or ambiguous: name it")
        if request.method == "GET" and operation.operation is not OperationType.QUERY:
            raise RequestError(
                405, "only queries may be sent with GET; use POST", {"allow": "POST"}
            )
        if _only_introspection(operation, document):
            # Introspection resolves without a single await: the standard query is 0.2-1 s of
            # pure CPU, which on the event loop would hold every other request (and /healthz)
            # that long. In a thread the loop keeps its turn every switch interval.
            return await asyncio.to_thread(
                execute,  # type: ignore[arg-type]
                self.schema,
                document,
                variable_values=variables,
                operation_name=operation_name,
            )
        result = execute(
            self.schema,
            document,
            variable_values=variables,
            operation_name=operation_name,
            context_value=context,
            is_awaitable=is_awaitable,
            execution_context_class=FastExecutionContext,
        )
        if not isinstance(result, ExecutionResult):
            result = await result
        return result


RETRY_AFTER = {"retry-after": str(RETRY_AFTER_SECONDS)}
_META_FIELDS = frozenset({"__schema", "__type", "__typename"})


def _only_introspection(operation: OperationDefinitionNode, document: DocumentNode) -> bool:
    """Whether the operation selects nothing but the schema's meta fields (through fragments
    too): a query that touches no resolver of ours, no session and no database."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    pending, seen = [operation.selection_set], set[str]()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value not in _META_FIELDS:
                    return False
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    pending.append(fragments[name].selection_set)
    return operation.operation is OperationType.QUERY


def _unavailability(errors: list[GraphQLError]) -> Unavailability | None:
    """The database condition behind any of the errors, when one was a "not now"."""
    for error in errors:
        original = error.original_error
        if isinstance(original, DBAPIError | PoolTimeout):
            kind = classify(original)
            if kind is not None:
                return kind
    return None


def _document_error_status(media_type: str) -> int:
    """A document that does not parse or validate, or variables that do not coerce: 400 in the
    GraphQL response type, 200 in plain JSON (GraphQL over HTTP, "application/json" section)."""
    return 400 if media_type == GRAPHQL_RESPONSE else 200


def _is_request_error(result: ExecutionResult) -> bool:
    return all(e.path is None for e in result.errors or ())
