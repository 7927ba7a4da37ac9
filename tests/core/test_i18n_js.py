"""The scripts' Chinese: every message of static/pitchlab/*.js is in djangojs.po, translated and compiled; /jsi18n/
serves the catalogue in the request's language with cache headers that never mix the two languages; and every page
that loads a script using the catalogue loads the catalogue before it."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from tests.po import Entry, read_po

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "djangojs.po"
MO = LOCALE / "djangojs.mo"
SCRIPTS = ROOT / "static" / "pitchlab"
TEMPLATES = ROOT / "templates"
ZH = "zh-hans"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# Messages the browser test and the pages rely on, with their translation.
KNOWN = {
    "All changes saved": "已全部保存",
    "No notes for this slide.": "这张幻灯片没有备注。",
    "Start rehearsal to time each slide and keep a report.": "开始排练，为每张幻灯片计时并生成报告。",
    "Connected": "已连接",
}


# ---------- the catalogue file ----------


def messages() -> list[Entry]:
    return [entry for entry in read_po(PO) if entry.msgid and "obsolete" not in entry.flags]


def script_messages() -> set[str]:
    """The msgids the scripts pass to gettext / ngettext (string literals only: anything else is not extracted)."""
    literal = r'"((?:[^"\\]|\\.)*)"'
    found: set[str] = set()
    for script in SCRIPTS.rglob("*.js"):  # the page scripts and their parts (demo_admin/*.js)
        text = script.read_text(encoding="utf-8")
        found |= {json.loads(f'"{m}"') for m in re.findall(rf"\bgettext\(\s*{literal}", text)}
        found |= {json.loads(f'"{m}"') for m in re.findall(rf"\bngettext\(\s*{literal}", text)}
        # a call with anything but a string literal first would be invisible to makemessages
        for call in re.finditer(r"\b(n?gettext)\(\s*([^\s\"])", text):
            raise AssertionError(f"{script.name}: {call.group(1)}() with a non-literal message: {call.group(0)!r}")
    return found


def test_the_header_says_simplified_chinese_with_one_plural_form() -> None:
    header = read_po(PO)[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


def test_every_script_message_is_translated_and_none_is_fuzzy() -> None:
    entries = messages()
    assert len(entries) > 250  # the scripts hold some 300 messages; an empty catalogue must not pass
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy: {entry.msgid!r}")
        forms = [entry.msgstr.get(0, "")]
        if len(entry.msgstr) != 1:  # Chinese has one plural form
            problems.append(f"line {entry.line}: {len(entry.msgstr)} forms: {entry.msgid!r}")
        if not all(form.strip() for form in forms):
            problems.append(f"line {entry.line}: not translated: {entry.msgid!r}")
        for form in forms:
            wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.plural or ""))
            if form and set(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"line {entry.line}: placeholders differ: {entry.msgid!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_holds_exactly_the_scripts_messages() -> None:
    """makemessages was run after the last change to a script: nothing missing, nothing left over."""
    in_po = {entry.msgid for entry in messages()}
    in_scripts = script_messages()
    assert not in_scripts - in_po, f"run `make messages` (makemessages -d djangojs): {sorted(in_scripts - in_po)}"
    assert not in_po - in_scripts, f"no script uses these any more: {sorted(in_po - in_scripts)}"


def test_the_compiled_catalogue_matches_the_po() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = messages()
    for entry in entries:
        if entry.plural is None:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], entry.msgid
        else:
            assert compiled.ngettext(entry.msgid, entry.plural, 1) == entry.msgstr[0], entry.msgid
            assert compiled.ngettext(entry.msgid, entry.plural, 5) == entry.msgstr[0], entry.msgid
    catalog = compiled._catalog  # type: ignore[attr-defined]
    assert len({key[0] if isinstance(key, tuple) else key for key in catalog} - {""}) == len(entries)


# ---------- /jsi18n/ ----------


def catalogue(client: Client, **headers: str) -> tuple[int, dict[str, object], dict[str, str]]:
    response = client.get(reverse("javascript-catalog"), headers=headers)
    body = response.content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});\n", body, re.S)
    return response.status_code, json.loads(found.group(1)) if found else {}, dict(response.headers)


def test_the_catalogue_is_served_in_chinese_to_a_chinese_browser(client: Client) -> None:
    status, strings, headers = catalogue(client, accept_language=ZH)
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    for english, chinese in KNOWN.items():
        assert strings[english] == chinese
    assert "Sample" in strings  # the demo page's words
    assert strings["%(n)s example"] == ["%(n)s 个示例"]


def test_the_catalogue_is_english_by_default(client: Client) -> None:
    status, strings, _ = catalogue(client, accept_language="en")
    assert status == 200
    assert not any(value in json.dumps(strings, ensure_ascii=False) for value in KNOWN.values())
    status, strings, _ = catalogue(Client())  # no preference at all: LANGUAGE_CODE
    assert not any(value in json.dumps(strings, ensure_ascii=False) for value in KNOWN.values())


def test_the_language_cookie_chooses_the_catalogue(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ZH
    _, strings, _ = catalogue(client, accept_language="en")
    assert strings["Connected"] == "已连接"


def test_the_cache_headers_never_mix_the_languages(client: Client) -> None:
    """Vary names both inputs of the language; the ETag names the language and the translations; a browser asks
    again on every page (no-cache) and gets an empty 304 while nothing changed."""
    _, _, zh = catalogue(client, accept_language=ZH)
    _, _, en = catalogue(client, accept_language="en")
    for headers in (zh, en):
        vary = {part.strip().lower() for part in headers["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary
        assert "no-cache" in headers["Cache-Control"]
    assert zh["ETag"] != en["ETag"]
    url = reverse("javascript-catalog")
    again = client.get(url, headers={"accept-language": ZH, "if-none-match": zh["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    # the language switched (cookie or browser): the Chinese copy's ETag no longer matches
    status, strings, _ = catalogue(client, accept_language="en", if_none_match=zh["ETag"])
    assert status == 200
    assert "已连接" not in strings.values()
    assert client.post(url).status_code == 405


# ---------- pages load the catalogue before their scripts ----------


class Scripts(HTMLParser):
    """The src and attributes of every <script> in a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append(dict(attrs))


TEMPLATE_SCRIPT = re.compile(r"<script\b[^>]*>")
STATIC_SRC = re.compile(r"""\{%\s*static\s+['"]pitchlab/([\w./-]+\.js)['"]\s*%\}""")
CATALOGUE_SRC = re.compile(r"""\{%\s*url\s+['"]javascript-catalog['"]\s*%\}""")


def needs_catalogue(script: str) -> bool:
    text = (SCRIPTS / script).read_text(encoding="utf-8")
    return bool(re.search(r"\b(n?gettext|interpolate|pgettext)\(", text))


def test_the_scripts_that_use_the_catalogue() -> None:
    users = {
        str(script.relative_to(SCRIPTS))
        for script in SCRIPTS.rglob("*.js")
        if needs_catalogue(str(script.relative_to(SCRIPTS)))
    }
    expected = {
        "api.js",
        "demo.js",
        "demo/build.js",
        "demo/core.js",
        "demo/input.js",
        "demo/run.js",
        "demo/show.js",
        "demo_admin/core.js",
        "drill.js",
        "editor/core.js",
        "editor/fields.js",
        "editor/panels.js",
        "editor/save.js",
        "present/core.js",
        "present/rehearsal.js",
        "present/room.js",
        "present/stage.js",
        "remote.js",
        "report.js",
    }
    assert expected <= users


def template_scripts(path: Path) -> list[str]:
    """The template's <script> tags, in order, as "catalogue" or the pitchlab script's file name (others left out)."""
    order = []
    for tag in TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8")):
        if CATALOGUE_SRC.search(tag):
            assert re.search(r"\sdefer\b", tag), f"{path}: the catalogue must be deferred like the scripts: {tag}"
            assert "async" not in tag, f"{path}: an async catalogue may come after the scripts: {tag}"
            order.append("catalogue")
        elif found := STATIC_SRC.search(tag):
            order.append(found.group(1))
    return order


def test_base_loads_the_catalogue_in_its_head() -> None:
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    head = base[: base.index("</head>")]
    assert CATALOGUE_SRC.search(head)
    assert "{% block content %}" in base[base.index("</head>") :]


@pytest.mark.parametrize("template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")))
def test_every_template_loads_the_catalogue_before_a_script_that_uses_it(template: str) -> None:
    path = TEMPLATES / template
    text = path.read_text(encoding="utf-8")
    extends_base = bool(re.search(r"""\{%\s*extends\s+['"]base\.html['"]\s*%\}""", text))
    seen = extends_base  # base.html loads it in <head>, before any block of the page
    for item in template_scripts(path):
        if item == "catalogue":
            seen = True
        elif needs_catalogue(item):
            assert seen, f"{template} loads pitchlab/{item} (which calls gettext) without the catalogue before it"


@pytest.fixture
def founder_pitch(make_user: Callable[..., User]) -> tuple[Client, Pitch]:
    user = make_user("ada")
    client = Client()
    client.force_login(user)
    return client, pitch_create(owner=user, name="Lumen")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["pitch-detail", "present", "remote", "deck", "rehearsal-list", "drill", "demo-page"])
def test_rendered_pages_load_the_catalogue_first(founder_pitch: tuple[Client, Pitch], page: str) -> None:
    client, pitch = founder_pitch
    response = client.get(reverse(page, args=[pitch.pk]), headers={"accept-language": ZH})
    assert response.status_code == 200
    parser = Scripts()
    parser.feed(response.content.decode())
    sources = [tag.get("src") or "" for tag in parser.found]
    assert not [tag for tag in parser.found if not tag.get("src") and tag.get("type") != "application/json"]
    catalogue_at = sources.index(reverse("javascript-catalog")) if reverse("javascript-catalog") in sources else None
    for index, src in enumerate(sources):
        name = src.split("/static/pitchlab/", 1)[-1]  # demo_admin/core.js: a part in its folder
        if "/static/pitchlab/" in src and needs_catalogue(name):
            assert catalogue_at is not None, f"{page}: {src} without the catalogue"
            assert catalogue_at < index, f"{page}: {src} before the catalogue"
