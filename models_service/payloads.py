"""Reading a request's JSON payload: the shape every task checks before anything else."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from models_service.errors import ServiceError


def request(payload: Any) -> dict[str, Any]:
    """The payload as a JSON object, or ServiceError("bad_request")."""
    if not isinstance(payload, dict):
        raise ServiceError("bad_request", "The request must be a JSON object.")
    return payload


def base64_field(raw: Any, *, missing: str, bad_code: str, what: str) -> bytes:
    """The bytes of a base64 field; ServiceError("no_input", ``missing``) when it is not a string,
    ServiceError(``bad_code``) when it is not valid base64."""
    if not isinstance(raw, str):
        raise ServiceError("no_input", missing)
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(bad_code, f"{what} is not valid base64.") from None
