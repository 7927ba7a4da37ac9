"""Reads of demo models. Visibility is the pitch's: a demo model is seen by whoever may see its pitch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.demos.qr import phone_url, qr_svg
from pitchlab.demos.stage import StageExample, StageModel
from pitchlab.pitches.access import Action, object_for
from pitchlab.pitches.models import Pitch


def demo_model_list(*, pitch: Pitch) -> QuerySet[DemoModel]:
    return pitch.demo_models.all()


def demo_model_get(*, model_id: int, user: AbstractBaseUser | AnonymousUser, action: Action) -> DemoModel:
    """The demo model if ``user`` may do ``action`` to its pitch (access.object_for: 404 / 403 otherwise)."""
    demo_model = DemoModel.objects.filter(pk=model_id).select_related("pitch").first()
    return object_for(demo_model, user=user, action=action, missing=_("No such demo model."))


def example_get(*, demo_model: DemoModel, example_id: int) -> DemoExample | None:
    return demo_model.examples.filter(pk=example_id).first()


def audience_link_open(*, demo_model: DemoModel) -> AudienceLink | None:
    """The model's link that works now: not revoked, not expired."""
    return _open_links().filter(demo_model=demo_model).first()


def audience_link_get(*, token: str) -> AudienceLink | None:
    """The open link with ``token`` (and its model), or None for an unknown, revoked or expired one."""
    if not token or len(token) > 64:
        return None
    return _open_links().filter(token=token).select_related("demo_model", "demo_model__pitch").first()


def _open_links() -> QuerySet[AudienceLink]:
    now = timezone.now()
    return AudienceLink.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def audience_url(link: AudienceLink, request: HttpRequest | None) -> str:
    """The absolute link a phone can best reach (``qr.phone_url``: the request's, or PITCHLAB_PUBLIC_URL), else
    its path."""
    return phone_url(reverse("audience-page", args=[link.token]), request)


def _examples(demo_model: DemoModel, *, image_route: str, route_key: int | str) -> tuple[StageExample, ...]:
    return tuple(
        StageExample(
            id=example.pk,
            text=example.text,
            image_url=reverse(image_route, args=[route_key, example.pk]) if example.image else "",
            expected=example.expected_label,
            cached=example.cached_output,
        )
        for example in demo_model.examples.all()
    )


def _stage(demo_model: DemoModel, **fields: Any) -> StageModel:
    return StageModel(
        id=demo_model.pk,
        name=demo_model.name,
        kind=demo_model.kind,
        labels=tuple(demo_model.labels),
        ready=demo_model.status == DemoModel.Status.READY,
        budget_ms=settings.DEMO_BUDGET_MS,
        trained_on=demo_model.trained_on_text if demo_model.status == DemoModel.Status.READY else "",
        **fields,
    )


def stage_model(*, demo_model: DemoModel, request: HttpRequest | None = None) -> StageModel:
    """What the founder's slide shows of ``demo_model``: live URLs, examples with their cached outputs, the QR."""
    link = audience_link_open(demo_model=demo_model)
    url = audience_url(link, request) if link is not None else ""
    return _stage(
        demo_model,
        metrics=demo_model.metrics,
        examples=_examples(demo_model, image_route="api-demo-example-image", route_key=demo_model.pk),
        predict_url=reverse("api-demo-predict", args=[demo_model.pk]),
        explain_url=reverse("api-demo-explain", args=[demo_model.pk]),
        audience_url=url,
        qr_svg=qr_svg(url) if url.startswith("http") else "",
    )


def stage_models(*, pitch: Pitch, request: HttpRequest | None = None) -> list[StageModel]:
    """The pitch's models chosen for the deck, in order, each as one live demo slide."""
    return [stage_model(demo_model=m, request=request) for m in pitch.demo_models.filter(on_slide=True)]


def audience_stage_model(*, link: AudienceLink, request: HttpRequest | None = None) -> StageModel:
    """What the audience page shows: that one model, predictions only; nothing else of the pitch."""
    return _stage(
        link.demo_model,
        metrics={},
        examples=_examples(link.demo_model, image_route="audience-example-image", route_key=link.token),
        predict_url=reverse("audience-predict", args=[link.token]),
        explain_url="",
        audience_url=audience_url(link, request),
    )
