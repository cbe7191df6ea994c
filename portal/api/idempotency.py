"""`Idempotency-Key` on every POST: the first answer is stored (keyed by API key and
idempotency key, with a hash of the request) and replayed to every retry.

The stored row is inserted in the same transaction as the operation's effect, so two
requests with the same key at once meet at the unique index: the second waits for the first
to commit, then replays its answer (one effect). A retry with another body is refused
(api.idempotency_key_reused). A refusal is stored and replayed like a success; a server
error rolls everything back, so a retry runs again."""

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from pydantic import BaseModel

from portal.api.auth import actor_of, key_of
from portal.api.errors import ApiError, refused
from portal.api.models import ApiKeyActor, IdempotentRequest
from portal.api.problems import PROBLEM_CONTENT_TYPE, problem_document
from portal.errors import ServiceError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

# What a POST does, as the key's actor: its status and the model it answers with.
Operation = Callable[[ApiKeyActor], tuple[int, BaseModel]]


def request_hash(request: HttpRequest) -> str:
    """Method, path and body; a JSON body in canonical form (key order and spacing do not
    make a different request)."""
    body = request.body
    with contextlib.suppress(ValueError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def idempotency_key_of(request: HttpRequest) -> str:
    value = request.headers.get(HEADER)
    if value is None or not value.strip():
        raise refused(ApiError.IDEMPOTENCY_KEY_MISSING)
    if not _VALID_KEY.match(value):
        raise refused(ApiError.IDEMPOTENCY_KEY_INVALID)
    return value


def _claim(api_key_id: Any, key: str, digest: str, request: HttpRequest) -> int | None:
    """Insert the key's row, or wait for a concurrent holder to commit and return None (one
    statement: INSERT ... ON CONFLICT DO NOTHING, on PostgreSQL and SQLite alike)."""
    meta = IdempotentRequest._meta
    quote = connection.ops.quote_name
    columns = ["api_key_id", "key", "request_hash", "method", "path", "content_type"]
    columns += ["response_body", "created_at"]
    created_at = meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    values = [api_key_id, key, digest, request.method, request.path[:500], "", "", created_at]
    # Identifiers from the model, quoted; every value is a parameter.
    table, names = quote(meta.db_table), ", ".join(quote(c) for c in columns)
    sql = (
        f"INSERT INTO {table} ({names}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('api_key_id')}, {quote('key')}) DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _stored(api_key_id: Any, key: str) -> IdempotentRequest:
    """The row a retry replays (what it needs of it; one statement, written out like the
    claim: a replay is mostly this and the key lookup)."""
    meta = IdempotentRequest._meta
    quote = connection.ops.quote_name
    columns = ["id", "request_hash", "status_code", "content_type", "response_body"]
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} "  # noqa: S608
        f"FROM {quote(meta.db_table)} WHERE {quote('api_key_id')} = %s AND {quote('key')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [api_key_id, key])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - the claim found it; rows are deleted only when old
        raise IdempotentRequest.DoesNotExist
    return IdempotentRequest(**dict(zip(columns, row, strict=True)), key=key)


def _response(stored: IdempotentRequest, *, replayed: bool) -> HttpResponse:
    response = HttpResponse(
        stored.response_body, status=stored.status_code or 500, content_type=stored.content_type
    )
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response


def run_once(request: HttpRequest, operation: Operation) -> HttpResponse:
    """Run `operation` once per API key and idempotency key, as the key's actor; every
    other request with that idempotency key gets its answer back."""
    key = idempotency_key_of(request)
    digest = request_hash(request)
    api_key = key_of(request)
    api_key_id = IdempotentRequest._meta.get_field("api_key").get_db_prep_value(
        api_key.pk, connection
    )
    with transaction.atomic():
        created = _claim(api_key_id, key, digest, request)
        stored = IdempotentRequest(
            pk=created, api_key=api_key, key=key, request_hash=digest, path=request.path
        )
        if created is None:
            stored = _stored(api_key_id, key)
            if stored.request_hash != digest:
                raise refused(ApiError.IDEMPOTENCY_KEY_REUSED)
            return _response(stored, replayed=True)
        try:
            with transaction.atomic():
                status, model = operation(actor_of(request))
            body = json.dumps(model.model_dump(mode="json"))
            content_type = "application/json"
        except ServiceError as error:
            document = problem_document(error)
            status, body = document["status"], json.dumps(document)
            content_type = PROBLEM_CONTENT_TYPE
        stored.status_code = status
        stored.response_body = body
        stored.content_type = content_type
        IdempotentRequest.objects.filter(pk=stored.pk).update(
            status_code=status, response_body=body, content_type=content_type
        )
        return _response(stored, replayed=False)
