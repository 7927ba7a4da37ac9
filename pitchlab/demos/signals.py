"""Files that go with rows: a deleted demo model takes its own artefact (on the inference side) with it,
a deleted example its image, a deleted audience link its rate-limit counters in Redis. Signals, because a
deleted pitch deletes its models by cascade too."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel


@receiver(post_delete, sender=DemoModel)
def _remove_artefact(sender: type[DemoModel], instance: DemoModel, **kwargs: Any) -> None:
    from pitchlab.demos.services import artefact_remove

    if instance.owns_artefact:
        artefact = instance.artefact
        transaction.on_commit(lambda: artefact_remove(artefact))


@receiver(post_delete, sender=DemoExample)
def _remove_image(sender: type[DemoExample], instance: DemoExample, **kwargs: Any) -> None:
    if instance.image:
        image = instance.image
        transaction.on_commit(lambda: image.delete(save=False))


@receiver(post_delete, sender=AudienceLink)
def _forget_counters(sender: type[AudienceLink], instance: AudienceLink, **kwargs: Any) -> None:
    from pitchlab.demos.public_apis import audience_counters_forget

    token = instance.token
    transaction.on_commit(lambda: audience_counters_forget(token))


@receiver(post_save, sender=DemoModel)
@receiver(post_delete, sender=DemoModel)
def _drop_live_model(sender: type[DemoModel], instance: DemoModel, **kwargs: Any) -> None:
    """The live path keeps the model, and each of its links with it (demos/lookups.py)."""
    from pitchlab.demos.lookups import live_forget

    tokens = (
        []
        if kwargs.get("created")
        else list(AudienceLink.objects.filter(demo_model_id=instance.pk).values_list("token", flat=True))
    )
    live_forget(model_ids=[instance.pk], tokens=tokens)


@receiver(post_save, sender=AudienceLink)
@receiver(post_delete, sender=AudienceLink)
def _drop_live_link(sender: type[AudienceLink], instance: AudienceLink, **kwargs: Any) -> None:
    from pitchlab.demos.lookups import live_forget

    live_forget(tokens=[instance.token])
