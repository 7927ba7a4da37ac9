"""Every page in English and Simplified Chinese: the catalogue is complete and compiled, the browser's preference
and the language switch both choose the language, and English stays the default."""

from __future__ import annotations

import gettext
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any as SettingsWrapper

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from pitchlab.rehearsals import services as rehearsal_services
from tests.po import Entry, read_po
from tests.support import missing_service

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
ZH = "zh-hans"
# The chrome of every page that extends base.html, in both languages.
CHROME_EN = ("My pitches", "Log out", "Password")
CHROME_ZH = ("我的路演", "退出登录")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sd]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# ---------- the catalogue ----------


def messages_of(path: Path) -> list[Entry]:
    return [entry for entry in read_po(path) if entry.msgid]


def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete() -> None:
    entries = read_po(PO)
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags, "the header must not be fuzzy (msgfmt would skip it)"
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    messages = messages_of(PO)
    assert len(messages) > 250
    problems = []
    for entry in messages:
        where = f"django.po:{entry.line} {entry.msgid[:60]!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        if "obsolete" in entry.flags:
            problems.append(f"{where}: obsolete (run `make messages`)")
        if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values()):
            problems.append(f"{where}: not translated")
    assert problems == []


def test_every_translation_keeps_the_placeholders_and_the_markup_of_its_message() -> None:
    problems = []
    for entry in messages_of(PO):
        for text in entry.msgstr.values():
            # Chinese has one plural form: its text takes the plural message's placeholders.
            original = entry.plural if entry.plural is not None else entry.msgid
            if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(original)):
                problems.append(f"django.po:{entry.line}: placeholders {entry.msgid!r} -> {text!r}")
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                problems.append(f"django.po:{entry.line}: markup {entry.msgid!r} -> {text!r}")
            if '"' in text and '"' not in entry.msgid:
                problems.append(f"django.po:{entry.line}: a straight double quote would break an attribute: {text!r}")
    assert problems == []


def test_the_catalogue_holds_every_message_of_the_code_and_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper
) -> None:
    """What `make messages` would extract now is already in django.po: a new string without a translation fails."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        missing_service("GNU gettext (xgettext, msgmerge) is not installed (apt-get install gettext)")
    # makemessages writes next to the files it scans: let it scan links to the code from a folder of our own.
    for name in ("pitchlab", "templates"):
        (tmp_path / name).symlink_to(Path(settings.BASE_DIR) / name)
    out = tmp_path / "out" / "zh_Hans" / "LC_MESSAGES"
    out.mkdir(parents=True)
    shutil.copy(PO, out / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "out"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], domain="django", symlinks=True, no_obsolete=True, verbosity=0)
    known = {(entry.context, entry.msgid) for entry in messages_of(PO)}
    extracted = {(entry.context, entry.msgid) for entry in messages_of(out / "django.po")}
    assert sorted(extracted - known, key=str) == [], "new messages: run `make messages` and translate them"
    assert sorted(known - extracted, key=str) == [], "messages no longer used: run `make messages`"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    catalog = compiled._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in messages_of(PO):
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected |= {(key, index): text for index, text in entry.msgstr.items()}
    actual = {key: value for key, value in catalog.items() if key != ""}
    stale = {key for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)}
    assert not stale, f"django.mo is out of date with django.po (run `make messages`): {sorted(map(str, stale))[:5]}"


# ---------- the pages ----------


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    pitch = pitch_create(owner=owner, name="Acme AI")
    pitch.content["story"]["purpose"] = "Support teams answer every ticket in minutes."
    pitch.save()
    return pitch


@pytest.fixture
def web(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def html_lang(html: str) -> str:
    found = re.search(r"<html lang=\"([^\"]+)\"", html)
    assert found is not None, "no <html lang=...>"
    return found[1]


def get(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def pages(pitch: Pitch) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """url name -> (url, Chinese that must show, English that must not) for the owner's pages."""
    rehearsal = rehearsal_services.rehearsal_create(
        pitch=pitch, status="complete", segments=[{"slide": "title", "start_ms": 0, "end_ms": 9000}]
    )
    base = (CHROME_ZH, CHROME_EN)
    return {
        "dashboard": (reverse("dashboard"), (*CHROME_ZH, "新建路演", "创建路演"), (*CHROME_EN, "New pitch")),
        "editor": (
            reverse("pitch-detail", args=[pitch.pk]),
            (*CHROME_ZH, "完成度", "导出 PDF"),
            (*CHROME_EN, "Export PDF"),
        ),
        "demos": (
            reverse("demo-page", args=[pitch.pk]),
            (*CHROME_ZH, "演示模型", "添加模型"),
            (*CHROME_EN, "Add a model"),
        ),
        "rehearsals": (reverse("rehearsal-list", args=[pitch.pk]), base[0], base[1]),
        "report": (reverse("rehearsal-report", args=[pitch.pk, rehearsal.pk]), (*CHROME_ZH, "排练报告"), base[1]),
        "drill": (reverse("drill", args=[pitch.pk]), (*CHROME_ZH, "投资人问答演练"), base[1]),
        "deck": (reverse("deck", args=[pitch.pk]), ("打印", "下一页"), ("Print", "Next slide")),
        "present": (
            reverse("present", args=[pitch.pk]),
            ("开始排练", "演讲者视图", "手机遥控"),
            ("Start rehearsal", "Phone remote"),
        ),
        "remote": (reverse("remote", args=[pitch.pk]), ("连接中…", "黑屏"), ("Connecting…", "Blank")),
    }


ANONYMOUS = {
    "login": ("登录", "忘记密码？", "用户名"),
    "signup": ("创建账户", "注册", "已有账户？"),
    "password_reset": ("重置密码", "发送重置链接"),
}
ANONYMOUS_EN = ("Log in", "Sign up", "Forgot your password?", "Send reset link", "Create your account")


def assert_chinese(html: str, shown: tuple[str, ...], hidden: tuple[str, ...], where: str) -> None:
    assert html_lang(html) == ZH, where
    for text in shown:
        assert text in html, f"{where}: {text!r} missing"
    for text in hidden:
        assert text not in html, f"{where}: English {text!r} left"
    assert "data-language-switch" in html, f"{where}: no language switch"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["zh-hans", "zh-CN,zh;q=0.9,en;q=0.8", "zh"])
def test_the_browser_preference_gives_every_page_in_chinese(web: Client, pitch: Pitch, accept: str) -> None:
    for name, (url, shown, hidden) in pages(pitch).items():
        assert_chinese(get(web, url, accept_language=accept), shown, hidden, name)


@pytest.mark.django_db
def test_the_language_cookie_gives_every_page_in_chinese_whatever_the_browser_prefers(
    web: Client, pitch: Pitch
) -> None:
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = ZH
    for name, (url, shown, hidden) in pages(pitch).items():
        assert_chinese(get(web, url, accept_language="en-GB,en;q=0.9"), shown, hidden, name)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["header", "cookie"])
def test_the_pages_before_logging_in_are_in_chinese(mode: str) -> None:
    client = Client()
    headers = {"accept_language": ZH} if mode == "header" else {}
    if mode == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = ZH
    for name, shown in ANONYMOUS.items():
        assert_chinese(get(client, reverse(name), **headers), shown, ANONYMOUS_EN, name)


@pytest.mark.django_db
def test_english_stays_the_default(web: Client, pitch: Pitch) -> None:
    for name, (url, _shown, _hidden) in pages(pitch).items():
        for headers in ({}, {"accept_language": "en-US,en;q=0.9"}, {"accept_language": "fr-FR"}):
            html = get(web, url, **headers)
            assert html_lang(html) == "en", (name, headers)
            assert not any(text in html for text in CHROME_ZH), name
    dashboard = get(web, reverse("dashboard"))
    assert all(text in dashboard for text in CHROME_EN)
    assert "Sign up" in get(Client(), reverse("login"))


@pytest.mark.django_db
def test_the_switch_sets_the_language_and_comes_back_to_the_page(web: Client, pitch: Pitch) -> None:
    editor = reverse("pitch-detail", args=[pitch.pk])
    english = get(web, editor, accept_language="en")
    assert re.search(r'<button class="link current"[^>]*value="en"[^>]*aria-current="true"', english)
    assert f'<input type="hidden" name="next" value="{editor}">' in english

    response = web.post(reverse("set_language"), {"language": ZH, "next": editor}, headers={"accept_language": "en"})
    assert response.status_code == 302
    assert response["Location"] == editor
    assert web.cookies[settings.LANGUAGE_COOKIE_NAME].value == ZH
    chinese = get(web, reverse("dashboard"), accept_language="en")
    assert_chinese(chinese, CHROME_ZH, CHROME_EN, "dashboard after the switch")
    assert re.search(r'value="zh-hans"[^>]*aria-current="true"', chinese)

    response = web.post(reverse("set_language"), {"language": "en", "next": "/"}, headers={"accept_language": ZH})
    assert response.status_code == 302
    back = get(web, reverse("dashboard"), accept_language=ZH)
    assert html_lang(back) == "en"
    assert all(text in back for text in CHROME_EN)


@pytest.mark.django_db
def test_the_switch_is_a_plain_form_without_inline_script(web: Client, pitch: Pitch) -> None:
    for url in (reverse("dashboard"), reverse("deck", args=[pitch.pk]), reverse("present", args=[pitch.pk])):
        html = get(web, url)
        form = re.search(r"<form[^>]*data-language-switch[^>]*>.*?</form>", html, re.S)
        assert form is not None, url
        assert f'action="{reverse("set_language")}"' in form[0]
        assert "csrfmiddlewaretoken" in form[0]
        assert not re.search(r"\son[a-z]+=|<script|\sstyle=", form[0]), url


@pytest.mark.django_db
def test_messages_form_errors_and_error_pages_are_in_chinese(web: Client, pitch: Pitch) -> None:
    response = web.post(reverse("dashboard"), {"name": "明镜科技"}, headers={"accept_language": ZH}, follow=True)
    assert "已创建“明镜科技”。" in response.content.decode()

    refused = web.post(reverse("dashboard"), {"name": "   "}, headers={"accept_language": ZH})
    assert refused.status_code == 400
    assert "该字段是必填项。" in refused.content.decode()
    assert "公司名称" in refused.content.decode()

    missing = web.get("/pitches/987654/", headers={"accept_language": ZH})
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    assert "Not found" not in missing.content.decode()


@pytest.mark.django_db
def test_the_deck_slides_speak_the_decks_language_and_the_controls_the_pages(web: Client, pitch: Pitch) -> None:
    """?lang=en on a Chinese page: English slides (and html lang), Chinese controls marked as such."""
    html = get(web, reverse("deck", args=[pitch.pk]) + "?lang=en", accept_language=ZH)
    assert html_lang(html) == "en"
    assert re.search(r'<nav class="deck-nav"[^>]*lang="zh-hans"', html)
    assert "打印" in html


@pytest.mark.django_db
def test_the_password_reset_email_is_written_in_the_visitors_language(owner: User) -> None:
    response = Client().post(reverse("password_reset"), {"email": owner.email}, headers={"accept_language": ZH})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "有人申请重置 PitchLab 账户 founder 的密码。" in str(mail.outbox[0].body)


@pytest.mark.django_db
def test_a_demo_models_kind_source_and_status_show_in_the_pages_language(web: Client, pitch: Pitch) -> None:
    from pitchlab.demos.models import DemoModel

    DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source="examples",
        status="ready",
        artefact="router",
        labels=["billing", "bug"],
        metrics={"accuracy": 0.9, "macro_f1": 0.88, "samples": 12},
        on_slide=False,
    )
    url = reverse("demo-page", args=[pitch.pk])
    chinese = get(web, url, accept_language=ZH)
    for text in ("文本分类器 · 用示例训练", ">就绪</span>", "12 条示例", "准确率"):
        assert text in chinese
    assert "Text classifier" not in chinese
    english = get(web, url, accept_language="en")
    for text in ("Text classifier · Trained from examples", ">Ready</span>", "12 examples", "Accuracy"):
        assert text in english
