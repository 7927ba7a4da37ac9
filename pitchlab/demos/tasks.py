"""Thin tasks of the default worker: callbacks that record inference answers, and the capacity rehearsal."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from pitchlab.demos.models import DemoModel
from pitchlab.demos.services import demo_model_settle, evaluation_settle_answer


# Queued by the inference worker with its answer first (Celery's link): settle(answer, demo_model_id).
@shared_task(name="pitchlab.demos.settle", ignore_result=True)
def settle(answer: Any, demo_model_id: int) -> None:
    demo_model_settle(demo_model_id=demo_model_id, answer=answer)


@shared_task(name="pitchlab.demos.evaluation_settle", ignore_result=True)
def evaluation_settle(answer: Any, demo_model_id: int) -> None:
    evaluation_settle_answer(demo_model_id=demo_model_id, answer=answer)


@shared_task(name="pitchlab.demos.capacity_rehearsal", ignore_result=True, soft_time_limit=120, time_limit=150)
def capacity_rehearsal(demo_model_id: int, users: int, seconds: int) -> None:
    from pitchlab.demos.live import capacity_run

    demo_model = DemoModel.objects.filter(pk=demo_model_id).first()
    if demo_model is None:
        return
    try:
        report = capacity_run(demo_model=demo_model, users=users, seconds=seconds)
    except Exception as exc:  # the founder sees "failed" with the reason, not a run stuck at "running"
        report = {"status": "failed", "users": users, "seconds": seconds, "error": str(exc)[:300]}
        DemoModel.objects.filter(pk=demo_model_id).update(capacity=report)
        raise
    DemoModel.objects.filter(pk=demo_model_id).update(capacity=report)
