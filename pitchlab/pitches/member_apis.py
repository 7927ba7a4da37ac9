"""The team API: anyone on the team sees it; the owner invites, changes roles and removes; a member may leave."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.pitches import members
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch
from pitchlab.pitches.models import PitchMember


class MemberOut(serializers.ModelSerializer[PitchMember]):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = PitchMember
        fields = ["id", "username", "role", "created_at"]


class MemberInviteIn(serializers.Serializer[Any]):
    who = serializers.CharField(max_length=254, help_text="The teammate's username or e-mail address.")
    role = serializers.ChoiceField(choices=PitchMember.Role.choices)


class MemberUpdateIn(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=PitchMember.Role.choices)


class MemberListApi(APIView):
    @extend_schema(operation_id="members_list", responses=MemberOut(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        return Response(MemberOut(members.member_list(pitch=pitch), many=True).data)

    @extend_schema(operation_id="members_invite", request=MemberInviteIn, responses={201: MemberOut})
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.MANAGE)
        data = MemberInviteIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = members.member_invite(pitch=pitch, by=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(MemberOut(member).data, status=status.HTTP_201_CREATED)


def _member(request: Request, pitch_id: int, member_id: int, *, leaving: bool) -> PitchMember:
    pitch = api_pitch(request, pitch_id, Action.READ)
    return members.member_for(pitch=pitch, user=request.user, member_id=member_id, leaving=leaving)


class MemberDetailApi(APIView):
    @extend_schema(operation_id="members_update", request=MemberUpdateIn, responses=MemberOut)
    def patch(self, request: Request, pitch_id: int, member_id: int) -> Response:
        member = _member(request, pitch_id, member_id, leaving=False)
        data = MemberUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(MemberOut(members.member_update(member=member, role=data.validated_data["role"])).data)

    @extend_schema(
        operation_id="members_remove", responses={204: None}, description="The owner removes; a member leaves."
    )
    def delete(self, request: Request, pitch_id: int, member_id: int) -> Response:
        members.member_remove(member=_member(request, pitch_id, member_id, leaving=True))
        return Response(status=status.HTTP_204_NO_CONTENT)
