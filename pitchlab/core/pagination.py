"""Pagination whose query parameters are checked: a malformed or out-of-range ``limit`` or ``offset`` is a 400
that says why. DRF's LimitOffsetPagination quietly takes ``?limit=abc`` for the default and passes
``?offset=99999999999999999999999`` to the database, which cannot hold it (a 500)."""

from __future__ import annotations

import re

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from pitchlab.core.exceptions import ApplicationError

MAX_OFFSET = 10**12  # far past any list PitchLab holds; offset + limit stays well inside a 64-bit SQL integer
_DIGITS = re.compile(r"[0-9]{1,13}", re.ASCII)


class StrictLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def _number(self, request: Request, name: str, default: int, low: int, high: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
            raise ApplicationError(f"{name} must be a whole number from {low} to {high:,}.", extra={"field": name})
        return int(raw)

    def get_limit(self, request: Request) -> int:
        return self._number(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._number(request, self.offset_query_param, 0, 0, MAX_OFFSET)
