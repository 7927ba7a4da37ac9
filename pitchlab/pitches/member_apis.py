"""The team API: anyone on the team sees it; the owner invites, changes roles and removes; a member may leave.

Inviting by username adds the account at once (201, the member); inviting by e-mail always sends a link to
the address (202, the invitation), whether or not an account has it. The owner lists, resends and revokes
open invitations; whoever follows a link, signed in, accepts it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.pitches import invitations, members
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch
from pitchlab.pitches.models import PitchInvitation, PitchMember

# What the team's operations answer beyond the errors every operation documents (pitchlab/core/schema.py).
_ERRORS = {
    403: OpenApiResponse(description="A member whose role may not do this (only the owner manages the team)"),
    404: OpenApiResponse(description="No such pitch (or not yours to see), member or invitation"),
    429: OpenApiResponse(description="Too many invitations in a short time; Retry-After says when to try again"),
}


class MemberOut(serializers.ModelSerializer[PitchMember]):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = PitchMember
        fields = ["id", "username", "role", "created_at"]


class MemberInviteIn(serializers.Serializer[Any]):
    who = serializers.CharField(
        max_length=254,
        help_text="A username (the account joins at once) or an e-mail address (a link is sent to it).",
    )
    role = serializers.ChoiceField(choices=PitchMember.Role.choices)


class InvitationOut(serializers.ModelSerializer[PitchInvitation]):
    state = serializers.SerializerMethodField(help_text="pending, or expired (resend to renew it).")
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = PitchInvitation
        fields = ["id", "email", "role", "state", "invited_by", "created_at", "expires_at", "sent_count"]

    def get_state(self, invitation: PitchInvitation) -> str:
        return invitations.invitation_state(invitation)

    def get_invited_by(self, invitation: PitchInvitation) -> str | None:
        return invitation.invited_by.get_username() if invitation.invited_by else None


class InvitationSentOut(serializers.Serializer[Any]):
    message = serializers.CharField()
    invitation = InvitationOut()


class MemberUpdateIn(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=PitchMember.Role.choices)


class MemberListApi(APIView):
    @extend_schema(operation_id="members_list", responses=MemberOut(many=True))
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        return Response(MemberOut(members.member_list(pitch=pitch), many=True).data)

    @extend_schema(
        operation_id="members_invite",
        request=MemberInviteIn,
        responses={201: MemberOut, 202: InvitationSentOut, **_ERRORS},
        description="A username adds that account now (201). An e-mail address gets a link, valid 7 days, "
        "whether or not an account has it (202): whoever follows it signed in joins with the role.",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.MANAGE)
        data = MemberInviteIn(data=request.data)
        data.is_valid(raise_exception=True)
        added = members.member_invite(
            pitch=pitch,
            by=request.user,  # type: ignore[arg-type]
            site=invitations.site_for(request),
            **data.validated_data,
        )
        if isinstance(added, PitchInvitation):
            return Response(_sent(added), status=status.HTTP_202_ACCEPTED)
        return Response(MemberOut(added).data, status=status.HTTP_201_CREATED)


def _sent(invitation: PitchInvitation) -> dict[str, Any]:
    message = _("Invitation sent to %(email)s.") % {"email": invitation.email}
    return {"message": message, "invitation": InvitationOut(invitation).data}


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


class InvitationListApi(APIView):
    @extend_schema(operation_id="invitations_list", responses={200: InvitationOut(many=True), **_ERRORS})
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.MANAGE)
        return Response(InvitationOut(invitations.invitation_list(pitch=pitch), many=True).data)


class InvitationDetailApi(APIView):
    @extend_schema(
        operation_id="invitations_revoke",
        responses={204: None, **_ERRORS},
        description="The link stops working at once.",
    )
    def delete(self, request: Request, pitch_id: int, invitation_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.MANAGE)
        invitations.invitation_revoke(invitation=invitations.invitation_get(pitch=pitch, invitation_id=invitation_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResendApi(APIView):
    @extend_schema(
        operation_id="invitations_resend",
        request=None,
        responses={202: InvitationSentOut, **_ERRORS},
        description="A new link (the old one stops working) valid 7 more days, e-mailed again.",
    )
    def post(self, request: Request, pitch_id: int, invitation_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.MANAGE)
        invitation = invitations.invitation_get(pitch=pitch, invitation_id=invitation_id)
        resent = invitations.invitation_resend(
            invitation=invitation,
            by=request.user,  # type: ignore[arg-type]
            site=invitations.site_for(request),
        )
        return Response(_sent(resent), status=status.HTTP_202_ACCEPTED)


class InvitationAcceptApi(APIView):
    @extend_schema(
        operation_id="invitations_accept",
        request=None,
        responses={
            200: MemberOut,
            # No body, so the common 400 of pitchlab/core/schema.py is not added: the owner following the link.
            400: OpenApiResponse(description="The caller owns the pitch already"),
            404: OpenApiResponse(description="The link is unknown, expired, used or revoked"),
        },
        description="The signed-in caller joins with the invitation's role (the token is the e-mailed link's).",
    )
    def post(self, request: Request, token: str) -> Response:
        member = invitations.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
        return Response(MemberOut(member).data)
