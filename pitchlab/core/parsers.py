"""Request parsers of the API: DRF's, plus the checks every parsed body gets before a view sees it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, NoReturn

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from pitchlab.core.text import Finding, first_in_form, first_invalid_utf8, first_unencodable

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict


def refuse(finding: Finding) -> NoReturn:
    """400 in the API's error shape, naming the field: ``{"message", "extra": {"field", "reason", ...}}``."""
    # Imported here: pitchlab.core.exceptions imports DRF's views, whose settings import this module.
    from pitchlab.core.exceptions import ApplicationError

    raise ApplicationError(finding.message(), extra=finding.as_extra())


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested too deeply for Python's decoder (``[[[[…`` a thousand
    times: a few kilobytes) is a 400 like any other unreadable body, not a RecursionError and a 500, and
    that text which cannot be stored (``"\\ud800"``, ``"\\u0000"``, keys included) is a 400 naming the
    field (pitchlab.core.text)."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        finding = first_unencodable(document)
        if finding is not None:
            refuse(finding)
        return document


def _is_utf8(parser_context: Mapping[str, Any] | None) -> bool:
    encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
    return str(encoding).lower().replace("_", "-") in ("utf-8", "utf8")


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing bytes that are not UTF-8 and text that cannot be stored (400 naming
    the field). A POST's form is usually parsed by Django before DRF looks (the CSRF check reads it) and
    checked by pitchlab.core.middleware.UnencodableTextMiddleware; this covers PUT and PATCH."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> _ImmutableQueryDict:
        raw = stream.read()
        finding = first_invalid_utf8(raw) if _is_utf8(parser_context) else None
        data: _ImmutableQueryDict = QueryDict(raw, encoding=parsers.get_encoding(parser_context or {}))  # type: ignore[attr-defined]
        finding = finding or first_in_form(data)
        if finding is not None:
            refuse(finding)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing field names, values and file names that cannot be stored or were
    not UTF-8 (400 naming the field). Covers PUT and PATCH, as FormParser does."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> parsers.DataAndFiles[Any, Any]:
        parsed = super().parse(stream, media_type, parser_context)
        finding = first_in_form(parsed.data, parsed.files, replacement_is_invalid=_is_utf8(parser_context))
        if finding is not None:
            refuse(finding)
        return parsed
