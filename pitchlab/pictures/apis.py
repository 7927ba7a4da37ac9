"""A pitch's pictures over the API: one class per resource, input checked here, work done in services.

Viewers read (the list, a picture, its file); editors upload, change and delete; anyone without a role in the
pitch gets 404 (pitchlab/pitches/access.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pitchlab.core.images import read_image_upload
from pitchlab.core.parsers import JSONParser, MultiPartParser
from pitchlab.pictures import renditions, services
from pitchlab.pictures.images import WIDTHS, Box, picture_limits
from pitchlab.pictures.models import ALT_MAX_LENGTH, Picture
from pitchlab.pictures.selectors import picture_get, picture_list
from pitchlab.pictures.serving import PictureFileQuery, file_response
from pitchlab.pitches.access import Action
from pitchlab.pitches.apis import api_pitch

MIN_CROP = 0.01  # a crop box narrower or lower than 1% of the picture shows nothing anyone can see


class FocalSerializer(serializers.Serializer[Any]):
    x = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="0: left edge, 1: right edge")
    y = serializers.FloatField(min_value=0.0, max_value=1.0, help_text="0: top edge, 1: bottom edge")


class CropSerializer(serializers.Serializer[Any]):
    """A part of the picture, normalised to its width and height (0..1)."""

    left = serializers.FloatField(min_value=0.0, max_value=1.0)
    top = serializers.FloatField(min_value=0.0, max_value=1.0)
    right = serializers.FloatField(min_value=0.0, max_value=1.0)
    bottom = serializers.FloatField(min_value=0.0, max_value=1.0)

    def validate(self, attrs: dict[str, float]) -> dict[str, float]:
        if attrs["right"] - attrs["left"] < MIN_CROP or attrs["bottom"] - attrs["top"] < MIN_CROP:
            raise serializers.ValidationError(
                _("The crop box is empty: right must exceed left and bottom exceed top by at least %(min)s.")
                % {"min": MIN_CROP}
            )
        return attrs


class PictureOut(serializers.ModelSerializer[Picture]):
    format = serializers.CharField(source="fmt", help_text="the stored master's format: png or jpeg")
    focal = serializers.SerializerMethodField()
    crop = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(help_text="changes when the picture or its crop or focal point does")
    file_url = serializers.SerializerMethodField(help_text="the picture's file (add w=, fmt=, ratio= as needed)")
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Picture
        fields = [
            "id",
            "role",
            "alt",
            "format",
            "width",
            "height",
            "size_bytes",
            "focal",
            "crop",
            "version",
            "file_url",
            "created_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(FocalSerializer)
    def get_focal(self, picture: Picture) -> dict[str, float]:
        return {"x": picture.focal_x, "y": picture.focal_y}

    @extend_schema_field(CropSerializer(allow_null=True))
    def get_crop(self, picture: Picture) -> dict[str, float] | None:
        box = picture.crop
        return None if box is None else {"left": box.left, "top": box.top, "right": box.right, "bottom": box.bottom}

    def get_version(self, picture: Picture) -> str:
        return renditions.version(picture)

    def get_file_url(self, picture: Picture) -> str:
        url = reverse("api-picture-file", args=[picture.pitch_id, picture.pk])
        return f"{url}?v={renditions.version(picture)}"

    def get_created_by(self, picture: Picture) -> str | None:
        return picture.created_by.get_username() if picture.created_by else None


class PictureUploadIn(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="a PNG, JPEG or WebP image (still, RGB, 8 bits per channel)")
    role = serializers.ChoiceField(choices=Picture.Role.choices)
    alt = serializers.CharField(required=False, allow_blank=True, max_length=ALT_MAX_LENGTH, default="")


class PictureChangeIn(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Picture.Role.choices, required=False)
    alt = serializers.CharField(required=False, allow_blank=True, max_length=ALT_MAX_LENGTH)
    focal = FocalSerializer(required=False)
    crop = CropSerializer(required=False, allow_null=True, help_text="null removes the crop box")

    def change(self) -> services.PictureChange:
        data = self.validated_data
        focal, crop = data.get("focal"), data.get("crop")
        return services.PictureChange(
            role=Picture.Role(data["role"]) if "role" in data else None,
            alt=data.get("alt"),
            focal=(focal["x"], focal["y"]) if focal is not None else None,
            crop=Box(crop["left"], crop["top"], crop["right"], crop["bottom"]) if crop is not None else None,
            clear_crop="crop" in data and crop is None,
        )


class PictureListQuery(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Picture.Role.choices, required=False)


def _picture(request: Request, pitch_id: int, picture_id: int, action: Action) -> Picture:
    picture = picture_get(pitch=api_pitch(request, pitch_id, action), picture_id=picture_id)
    if picture is None:
        raise NotFound(_("No such picture."))
    return picture


class PictureListApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="pictures_list",
        parameters=[PictureListQuery],
        responses=PictureOut(many=True),
    )
    def get(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.READ)
        query = PictureListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        pictures = picture_list(pitch=pitch, role=query.validated_data.get("role"))
        return Response(PictureOut(pictures.select_related("created_by"), many=True).data)

    @extend_schema(
        operation_id="pictures_upload",
        request={"multipart/form-data": PictureUploadIn},
        responses={
            201: PictureOut,
            200: OpenApiResponse(PictureOut, description="The same image was already a picture of this pitch"),
            400: OpenApiResponse(
                description="Not an image PitchLab takes (format, pixels, animated, CMYK, 16-bit, shape): "
                "message says why, extra.code names the family, extra.fields.file holds the message; nothing stored"
            ),
            413: OpenApiResponse(description="The file is over the picture size limit (extra.limit_bytes)"),
        },
        description="Uploads a picture (multipart: file, role, alt). It is checked by content, re-encoded "
        "(upright, sRGB, no metadata) and stored once per pitch.",
    )
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = api_pitch(request, pitch_id, Action.EDIT)
        given = PictureUploadIn(data=request.data)
        given.is_valid(raise_exception=True)
        limits = picture_limits(max_bytes=settings.PICTURE_MAX_BYTES, max_pixels=settings.PICTURE_MAX_PIXELS)
        picture, created = services.picture_upload(
            pitch=pitch,
            user=request.user if isinstance(request.user, User) else None,
            data=read_image_upload(given.validated_data["file"], limits),
            role=Picture.Role(given.validated_data["role"]),
            alt=given.validated_data["alt"],
        )
        return Response(PictureOut(picture).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PictureDetailApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="pictures_retrieve", responses=PictureOut)
    def get(self, request: Request, pitch_id: int, picture_id: int) -> Response:
        return Response(PictureOut(_picture(request, pitch_id, picture_id, Action.READ)).data)

    @extend_schema(operation_id="pictures_partial_update", request=PictureChangeIn, responses=PictureOut)
    def patch(self, request: Request, pitch_id: int, picture_id: int) -> Response:
        picture = _picture(request, pitch_id, picture_id, Action.EDIT)
        given = PictureChangeIn(data=request.data)
        given.is_valid(raise_exception=True)
        return Response(PictureOut(services.picture_update(picture=picture, change=given.change())).data)

    @extend_schema(operation_id="pictures_destroy", responses={204: None})
    def delete(self, request: Request, pitch_id: int, picture_id: int) -> Response:
        services.picture_delete(picture=_picture(request, pitch_id, picture_id, Action.EDIT))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnyAccept(BaseContentNegotiation):
    """The file's format is chosen from Accept by the view itself; an error still answers the API's JSON, so
    ``Accept: image/webp`` alone is not refused with 406 as DRF's negotiation would."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return renderers[0], renderers[0].media_type


class PictureFileApi(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        operation_id="pictures_file",
        parameters=[PictureFileQuery],
        responses={
            (200, "image/webp"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="If-None-Match named the current ETag"),
        },
        description="The picture cut to its crop box (and to ratio= around its focal point), at most w pixels "
        "wide, as fmt, or WebP when fmt is not given and the Accept header takes image/webp (else the master's own "
        f"format). w is snapped up to one of {', '.join(map(str, WIDTHS))}. With v= (the picture's version) the answer "
        "may be cached for a year; without it, revalidated by ETag.",
    )
    def get(self, request: Request, pitch_id: int, picture_id: int) -> HttpResponseBase:
        picture = _picture(request, pitch_id, picture_id, Action.READ)
        query = PictureFileQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return file_response(
            picture=picture,
            given=query.validated_data,
            accept=request.headers.get("Accept", ""),
            if_none_match=request.headers.get("If-None-Match", ""),
        )
