"""The OpenAPI document's common error answers, written once for every operation.

Every API error has the same body (``{"message": ..., "extra": {...}}``, core/exceptions.py), and most of
them can happen to any operation of a kind: a body can be invalid or too large, a logged-in call can be
refused, a path can name nothing, anyone can be rate-limited, and every request needs the database. The
schema class below adds those answers to each operation, so an endpoint's ``extend_schema`` states only
what is special to it (its success, a 409, a 503 from the inference worker). Where an endpoint describes
one of the common codes itself, its words are kept and only the body's schema is added.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

_RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "Seconds to wait before trying again.",
    }
}


class ErrorOut(serializers.Serializer[Any]):
    """The body of every API error (``pitchlab.core.exceptions.api_exception_handler``)."""

    message = serializers.CharField(help_text="What went wrong, in words meant for the user.")
    extra = serializers.DictField(
        help_text='Details: {"fields": {name: [messages]}} for invalid input, "field" for the one at fault, '
        '"retry_after" (seconds) when refused for now, and facts such as a unit\'s current value on a 409.'
    )


# code → (description, when it applies). "body": the operation takes a request body; "input": a body or a query
# parameter; "login": the operation needs a logged-in caller; "path": the path names an object; "any": always.
COMMON_ERRORS: dict[int, tuple[str, str]] = {
    400: ("The input is invalid: message says why, extra.fields (or extra.field) names what is at fault.", "input"),
    401: ("Not logged in (send a session cookie or an Authorization: Token header).", "login"),
    403: ("Logged in, but the caller's role does not allow this (message says why), or a CSRF failure.", "login"),
    404: ("No such object, or one the caller may not see.", "path"),
    413: ("The request body is too large.", "body"),
    415: ("The body's Content-Type is missing or not one this operation reads.", "body"),
    429: ("Too many requests; try again after Retry-After seconds.", "any"),
    503: ("A service it needs (the database, the task queue) cannot be reached right now; nothing was done.", "any"),
}
HEADERS = {429: _RETRY_AFTER, 503: _RETRY_AFTER}


def _applies(when: str, operation: dict[str, Any]) -> bool:
    has_body = "requestBody" in operation
    parameters = operation.get("parameters", [])
    security = operation.get("security", [])
    if when == "body":
        return has_body
    if when == "input":
        return has_body or any(parameter.get("in") == "query" for parameter in parameters)
    if when == "login":
        # {} among the requirements means "no credentials needed" (the audience's public endpoints).
        return bool(security) and {} not in security
    if when == "path":
        return any(parameter.get("in") == "path" for parameter in parameters)
    return True


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the common error answers added to each operation."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for number, (description, when) in COMMON_ERRORS.items():
            if str(number) not in responses and _applies(when, operation):
                responses[str(number)] = {"description": description}
        for code, response in responses.items():
            if not code.startswith(("4", "5")):
                continue
            if "content" not in response:
                # An endpoint's own words for a common code ("only the owner shares") keep their description.
                described = response.get("description") or COMMON_ERRORS.get(int(code), ("",))[0]
                error_body = self._get_response_for_code(ErrorOut, code, ["application/json"])  # type: ignore[no-untyped-call]
                response.update(error_body)
                response["description"] = described
            if int(code) in HEADERS:
                response.setdefault("headers", {}).update(HEADERS[int(code)])
        operation["responses"] = dict(sorted(responses.items()))
        return operation
