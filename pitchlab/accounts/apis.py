"""The API of a user's own tokens: list, create, rotate, revoke.

A request authenticated by a token may list the tokens and rotate or revoke the token it carries, but not
make new ones or touch the others: a stolen key must not be able to mint keys that outlive its revocation,
nor cut off the owner's other scripts. A signed-in session (the password) may do everything.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.accounts import tokens
from pitchlab.accounts.models import ApiToken

# Beyond the errors every operation documents (pitchlab/core/schema.py): what is special to tokens.
_ERRORS = {
    403: OpenApiResponse(description="A token may only rotate or revoke itself; sign in to manage the others"),
}
_NOT_FOUND = {404: OpenApiResponse(description="No such live token of yours")}


class TokenOut(serializers.ModelSerializer[ApiToken]):
    current = serializers.SerializerMethodField(help_text="Whether this request was authenticated by this token.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "current"]

    def get_current(self, token: ApiToken) -> bool:
        used = self.context.get("used")
        return isinstance(used, ApiToken) and used.pk == token.pk


class TokenCreatedOut(TokenOut):
    key = serializers.SerializerMethodField(
        help_text="The key: shown this once, never again. Send it as 'Authorization: Token <key>'."
    )

    class Meta(TokenOut.Meta):
        fields = [*TokenOut.Meta.fields, "key"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_key(self, token: ApiToken) -> str:
        return str(self.context["key"])  # the key is never stored: it comes from token_create's answer


class TokenIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=tokens.NAME_MAX_LENGTH, help_text="What uses it, e.g. 'CI export job'.")


def _used(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def _created(request: Request, token: ApiToken, key: str) -> Response:
    data = TokenCreatedOut(token, context={"used": _used(request), "key": key}).data
    response = Response(data, status=status.HTTP_201_CREATED)
    response["Cache-Control"] = "no-store"  # the key must not linger in a cache
    return response


def _own_token(request: Request, token_id: int) -> ApiToken:
    token = tokens.token_get(user=request.user, token_id=token_id)
    used = _used(request)
    if used is not None and used.pk != token.pk:
        raise PermissionDenied(_("A token may only rotate or revoke itself; sign in to manage your other tokens."))
    return token


class TokenListApi(APIView):
    @extend_schema(operation_id="tokens_list", responses={200: TokenOut(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            TokenOut(tokens.token_list(user=request.user), many=True, context={"used": _used(request)}).data
        )

    @extend_schema(operation_id="tokens_create", request=TokenIn, responses={201: TokenCreatedOut, **_ERRORS})
    def post(self, request: Request) -> Response:
        if _used(request) is not None:
            raise PermissionDenied(_("Sign in to create a token: a token cannot create others."))
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = tokens.token_create(user=request.user, name=data.validated_data["name"])  # type: ignore[arg-type]
        return _created(request, token, key)


class TokenDetailApi(APIView):
    @extend_schema(
        operation_id="tokens_revoke",
        responses={204: None, **_ERRORS, **_NOT_FOUND},
        description="The key stops working at once.",
    )
    def delete(self, request: Request, token_id: int) -> Response:
        tokens.token_revoke(token=_own_token(request, token_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateApi(APIView):
    @extend_schema(
        operation_id="tokens_rotate",
        request=None,
        responses={201: TokenCreatedOut, **_ERRORS, **_NOT_FOUND},
        description="Revokes the token and answers its successor (same name, new key, shown once).",
    )
    def post(self, request: Request, token_id: int) -> Response:
        token, key = tokens.token_rotate(token=_own_token(request, token_id))
        return _created(request, token, key)
