"""Stored XSS: hostile text in every field is shown as text — in the HTML pages, in the PDF, in the browser.

Every free-text string of the canvas (story, table cells, chart labels, checklist evidence, risks, team, ask,
demo script and examples, slide titles and notes), the pitch's name, the demo model's name, labels and
curated example, the rehearsal transcript and the drill's question and better-answer note hold markup.
(The share view's own check is in tests/sharing.)
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from pitchlab.decks.services import export_render_pdf, pitch_stage_models
from tests.security.conftest import PASSWORD, World, build_world

PAYLOAD = (
    '<script>alert("x")</script> "><img src=x onerror=alert(1)> </textarea><svg onload=alert(1)> '
    "{{7*7}} <b>bold</b> <para>&amp; & </para> ';alert(1);//"
)
SHORT_PAYLOAD = "<b>bold</b><img src=x onerror=alert(1)>{{7*7}}"  # rows of at most 100 characters

# What must never reach a page as markup, and how the escaped payload reads in HTML.
RAW = ("<script>alert(", "<img src=x", "<svg onload", "<b>bold</b>", "<para>", "</textarea><svg")
ESCAPED = ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", "\\u003Cscript\\u003Ealert(")


def hostile(key: str) -> str:
    return SHORT_PAYLOAD if key in {"period", "metric", "label", "name", "model", "model name"} else PAYLOAD


@pytest.fixture
def hostile_world(founder: User) -> World:
    return build_world(founder, hostile)


def test_the_hostile_canvas_was_stored_as_typed(hostile_world: World) -> None:
    """The test means something only if the payload really is in the fields it claims to fill."""
    content = hostile_world.pitch.content
    assert content["story"]["conflict"] == PAYLOAD
    assert content["data"]["traction"][0]["metric"] == SHORT_PAYLOAD
    assert content["risks"][0]["mitigation"] == PAYLOAD
    assert content["team"][0]["bio"] == PAYLOAD
    assert content["demo"]["script"] == PAYLOAD
    assert content["ask"]["milestones"][0]["text"] == PAYLOAD
    assert content["ask"]["use_of_funds"][0]["label"] == SHORT_PAYLOAD
    assert all(answer["evidence"] == PAYLOAD for answer in content["business"].values() if answer)
    assert content["deck"]["slides"][0]["notes"] == PAYLOAD
    assert content["data"]["competitors"]["items"][0]["name"] == SHORT_PAYLOAD
    assert content["data"]["market"]["tam"]["source"] == PAYLOAD
    assert hostile_world.pitch.name == SHORT_PAYLOAD
    assert hostile_world.rehearsal.transcript == PAYLOAD
    assert hostile_world.answer.better_answer == PAYLOAD


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_page_shows_the_payload_as_text(client: Client, hostile_world: World, lang: str) -> None:
    client.force_login(hostile_world.owner)
    client.cookies["django_language"] = lang
    pages = {**hostile_world.pages(), "editor (Chinese canvas)": f"/pitches/{hostile_world.pitch.pk}/?lang=zh"}
    pages.pop("API docs")
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        html = response.content.decode()
        for raw in RAW:
            assert raw not in html, f"{name} ({url}) has {raw!r} as markup"
        if name not in {"password change"}:
            assert any(escaped in html for escaped in ESCAPED) or "&lt;b&gt;bold&lt;/b&gt;" in html, (
                f"{name} ({url}) does not show the payload at all: the test would prove nothing there"
            )


def test_the_template_syntax_in_a_field_is_not_evaluated(client: Client, hostile_world: World) -> None:
    client.force_login(hostile_world.owner)
    html = client.get(f"/pitches/{hostile_world.pitch.pk}/deck/").content.decode()
    assert "{{7*7}}" in html


def _pdf_text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text().split()) for page in reader.pages), reader


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_shows_the_payload_as_literal_characters(hostile_world: World, lang: str) -> None:
    pitch = hostile_world.pitch
    pdf = export_render_pdf(
        name=pitch.name, canvas=pitch.content, theme="dark", lang=lang, demos=pitch_stage_models(pitch=pitch)
    )
    text, reader = _pdf_text(pdf)
    # reportlab draws strings as they are (no Paragraph markup): tags are visible characters, entities stay
    # entities, and nothing in them turned into bold text or a link.
    squashed = "".join(PAYLOAD.split())
    assert squashed[:60] in text
    assert "<b>bold</b>" in text
    assert "<para>&amp;&</para>" in text
    assert "{{7*7}}" in text
    assert reader.metadata is not None
    assert reader.metadata.title == SHORT_PAYLOAD  # the document's title is the company's name, as typed
    for page in reader.pages:
        assert "/Annots" not in page  # no link or action was made from the text


def test_the_pdf_export_through_the_app_shows_the_payload(client: Client, hostile_world: World) -> None:
    """The same through the export path a founder uses (rendered inline here, as the worker would)."""
    from pitchlab.decks.models import DeckExport
    from pitchlab.decks.services import export_create, export_run

    export = export_create(pitch=hostile_world.pitch, theme="light", lang="en")
    export = export_run(export_id=export.pk)
    assert export.status == DeckExport.Status.READY, export.error
    client.force_login(hostile_world.owner)
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]  # a hostile PDF name could not make it render inline
    text, _ = _pdf_text(body)
    assert "<b>bold</b>" in text


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_and_no_element_is_injected_in_the_browser(browser: Any, live_server: Any) -> None:
    """In chromium: no dialog opens, no element of the payload exists in the DOM, no CSP violation is reported.

    (The CSP alone would stop an injected onerror= from running; counting injected elements catches an
    injection the policy merely contained.)
    """
    world = build_world(User.objects.create_user("ada", "ada@example.com", PASSWORD), hostile)
    context = browser.new_context()
    context.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    dialogs: list[str] = []
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # Elements the payload would make if it were parsed as markup (a legitimate <b> elsewhere is not one).
    injected = """[
        ...document.querySelectorAll('img[src="x"], svg[onload], para, [onerror], [onload]'),
        ...[...document.querySelectorAll("b")].filter((b) => b.textContent === "bold"),
        ...[...document.querySelectorAll("script:not([src])")].filter((s) => s.type !== "application/json"),
    ].length"""
    for name, url in world.pages().items():
        if name == "API docs":
            continue
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(700)  # the page's scripts render what they fetch (no networkidle: some pages poll)
        assert page.evaluate(injected) == 0, f"{name}: payload elements in the DOM"
        assert page.evaluate("window.__violations") == [], f"{name}: {page.evaluate('window.__violations')}"
        assert "{{7*7}}" in page.content() or name in {"password change"}, f"{name}: payload not shown"
    assert dialogs == []
    context.close()
