"""A pitch with something on every page (demo model, example, audience link, rehearsal, drill answer)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from pitchlab.demos.models import DemoExample, DemoModel
from pitchlab.demos.services import audience_link_open
from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from pitchlab.rehearsals.models import DrillAnswer, Rehearsal
from pitchlab.rehearsals.services import rehearsal_create

PASSWORD = "a-long enough passphrase"

# Canvas strings that are choices or formats, not free text: they keep the template's value.
NOT_FREE_TEXT = {"category", "response", "status", "kind", "key", "date", "currency", "theme"}


@dataclass
class World:
    owner: User
    pitch: Pitch
    demo_model: DemoModel
    example: DemoExample
    token: str
    rehearsal: Rehearsal
    answer: DrillAnswer

    def pages(self) -> dict[str, str]:
        """Every page a founder (or the audience) opens, by name."""
        p = self.pitch.pk
        return {
            "dashboard": "/",
            "editor": f"/pitches/{p}/",
            "delete": f"/pitches/{p}/delete/",
            "deck": f"/pitches/{p}/deck/",
            "audience window": f"/pitches/{p}/deck/?audience=1",
            "presenter view": f"/pitches/{p}/present/",
            "phone remote": f"/pitches/{p}/remote/",
            "demo page": f"/pitches/{p}/demo/",
            "audience link": f"/d/{self.token}/",
            "rehearsals": f"/pitches/{p}/rehearsals/",
            "rehearsal report": f"/pitches/{p}/rehearsals/{self.rehearsal.pk}/",
            "drill": f"/pitches/{p}/drill/",
            "password change": "/accounts/password/change/",
            "API docs": "/api/docs/",
        }


ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
    "404": "/no/such/page/",
}


def fill_strings(node: Any, text: Callable[[str], str], key: str = "") -> Any:
    """``node`` with every free-text string replaced by ``text(key)`` (lists of strings, e.g. labels, too)."""
    if isinstance(node, dict):
        return {k: fill_strings(v, text, k) for k, v in node.items()}
    if isinstance(node, list):
        return [fill_strings(v, text, key) for v in node]
    if isinstance(node, str) and key not in NOT_FREE_TEXT:
        return text(key)
    return node


def build_world(owner: User, text: Callable[[str], str] | None = None) -> World:
    """The support template with every slide in the deck and a demo, rehearsal and drill answer.

    With ``text``, every free-text string of the canvas (and the names, labels, examples, transcript and
    notes around it) is ``text(field name)``.
    """
    document = copy.deepcopy(template_document("support_nlp"))
    assert document is not None
    say: Callable[[str], str] = text or (lambda key: f"Some {key}")
    canvas = document["canvas"]
    canvas["deck"] = {
        "slides": [
            {"kind": kind, "title": say("title") if text else "", "notes": say("notes"), "seconds": 30, "hidden": False}
            for kind in SLIDE_KINDS
        ],
        "theme": "light",
        "notes_appendix": True,
    }
    if text:
        canvas = fill_strings(canvas, text)
        # Rows keyed by (period, metric) must stay distinct.
        for index, row in enumerate(canvas["data"]["traction"]):
            row["period"] = f"{row['period']} {index}"
        canvas["data"]["experiments"] = canvas["data"]["experiments"][:2]
        document["name"] = text("name")
    document["canvas"] = canvas
    pitch = pitch_import(owner=owner, document=document)
    # The tiny sample text model's labels and folder name (tests/conftest.py: demo_models_dir), so a real
    # inference worker answers for it.
    labels = [say("label") + " a", say("label") + " b"] if text else ["billing", "bug", "praise"]
    demo_model = DemoModel.objects.create(
        pitch=pitch,
        name=say("model name") if text else "Ticket router",
        kind="text",
        source="examples",
        status="ready",
        artefact="sample-text",
        labels=labels,
        metrics={"accuracy": 0.9, "macro_f1": 0.88, "samples": 40},
        failure=say("failure") if text else "",
    )
    example = DemoExample.objects.create(
        demo_model=demo_model,
        text=say("example") if text else "My invoice is wrong",
        expected_label=labels[0],
        position=1,
        cached_output={"labels": [{"label": labels[0], "score": 0.9}, {"label": labels[1], "score": 0.1}]},
    )
    link = audience_link_open(demo_model=demo_model)
    rehearsal = rehearsal_create(
        pitch=pitch,
        status="complete",
        segments=[{"slide": "title", "start_ms": 0, "end_ms": 40_000}],
        transcript=say("transcript") if text else "Um, we route tickets.",
    )
    answer = DrillAnswer.objects.create(
        pitch=pitch,
        user=owner,
        question_key="bank:moat",
        source="bank",
        category="market",
        question_text=say("question") if text else "What stops a bigger player copying you?",
        rating=2,
        better_answer=say("better answer") if text else "Lead with the pilot's numbers.",
        seconds=40,
    )
    return World(owner, pitch, demo_model, example, link.token, rehearsal, answer)


@pytest.fixture
def founder(db: None) -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def world(founder: User) -> World:
    return build_world(founder)
