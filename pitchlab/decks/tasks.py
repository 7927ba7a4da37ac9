"""Thin tasks: they take an id and call one service."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from pitchlab.decks.services import charts_warm, export_fail, export_run
from pitchlab.pitches.models import Pitch


# The export's state lives in its row, not in Celery's result store: no result to keep.
@shared_task(name="pitchlab.decks.export_render", ignore_result=True, soft_time_limit=120, time_limit=150)
def export_render(export_id: int) -> str:
    try:
        return str(export_run(export_id=export_id).status)
    except SoftTimeLimitExceeded:
        export_fail(export_id=export_id, reason="Rendering took longer than two minutes and was stopped.")
        return "failed"


@shared_task(name="pitchlab.decks.charts_render", ignore_result=True, soft_time_limit=60, time_limit=90)
def charts_render(pitch_id: int) -> int:
    pitch = Pitch.objects.filter(pk=pitch_id).first()
    return 0 if pitch is None else charts_warm(pitch=pitch)
