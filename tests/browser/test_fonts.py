"""In chromium: an English deck fetches no CJK font at all; a Chinese one fetches exactly the PL CJK slices holding
the characters it shows (a few of them), and draws its text with them.

Which slices a page needs is worked out from fonts.css itself (tests/fontfaces.py, the CSS Fonts matching order),
from the text the browser actually renders in the deck's fonts, slide after slide.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import
from pitchlab.sharing import services as sharing
from tests.browser.conftest import without_beacons
from tests.fontfaces import WEB_FONTS, cjk_faces_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long enough passphrase"

# The visible text of the page set in the deck's font stack (PL Sans, PL CJK), SVG charts included.
RENDERED_IN_DECK_FONTS = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || !walker.currentNode.textContent.trim() || !element.checkVisibility()) continue;
    if (getComputedStyle(element).fontFamily.includes("PL CJK")) parts.push(walker.currentNode.textContent);
  }
  return parts.join("");
}"""

STORIES_ZH = [
    {
        "purpose": "澄影健康在胸片拍完一分钟内标出疑似肺炎的片子，让放射科医生先读最紧急的。",
        "origin": "我在大学附属医院做了九年放射科医生。二〇二三年的一个夜班，待读列表里有三百一十份检查。",
        "customer_pain": "急诊胸片按到达顺序排队，危重病人的片子可能要等九个小时才有人看。",
        "climax": "在两千张外部验证胸片上，灵敏度百分之九十四，比基线高十一个百分点。",
    },
    {
        "purpose": "流明读取每一张进入的客服工单，在四十毫秒内把它分派给正确的团队。",
        "origin": "我在一家三百人的软件公司管了四年客服运营，团队从八人增长到三十人。",
        "conflict": "关键词规则便宜，但准确率只有六成；大模型准确，却太贵太慢。",
        "vision": "今天我们分派工单，明天我们起草回复，最终让每一位客服主管都看得见瓶颈。",
    },
    {
        "purpose": "我们把农户的土壤检测从两周缩短到两分钟：手机拍照，模型估算氮磷钾含量。",
        "why_now": "小模型的推理成本一年降了九成，县里的合作社第一次用得起。",
        "insight": "龘犇鱻：罕见字也要显示正确，而只多下载它所在的那一个分片。",
    },
]


def _pitch(owner: User, story: dict[str, str] | None, template: str) -> Pitch:
    document = copy.deepcopy(template_document(template))
    assert document is not None
    if story is not None:
        document["name"] = "澄影健康"
        document["canvas"]["story"].update(story)
    return pitch_import(owner=owner, document=document)


def _log_in(browser: Any, base: str) -> Any:
    # The share page is visited for its fonts, not its analytics: no beacon may land after the test.
    context = without_beacons(browser.new_context(viewport={"width": 1280, "height": 800}))
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context


def _visit(context: Any, url: str, *, flip: bool) -> tuple[set[str], str]:
    """Open ``url`` with an empty cache, show every slide, and return the font files fetched and the text drawn."""
    page: Page = context.new_page()
    fetched: set[str] = set()
    page.on("request", lambda request: fetched.add(request.url) if "/static/fonts/" in request.url else None)
    page.goto(url)
    page.wait_for_load_state("load")
    text = page.evaluate(RENDERED_IN_DECK_FONTS)
    if flip:
        count = int(page.locator("[data-deck]").get_attribute("data-count") or 1)
        for _ in range(count - 1):
            page.keyboard.press("ArrowRight")
            text += page.evaluate(RENDERED_IN_DECK_FONTS)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[...document.fonts].every(face => face.status !== 'error')")
    page.close()
    return {url.rsplit("/", 1)[1].split("?")[0] for url in fetched}, text


def _urls(base: str, pitch: Pitch, owner: User, lang: str) -> list[tuple[str, bool]]:
    token = sharing.share_link_create(pitch=pitch, user=owner).token
    return [
        (f"{base}/pitches/{pitch.pk}/deck/?lang={lang}", True),
        (f"{base}/s/{token}/?lang={lang}", True),
        (f"{base}/pitches/{pitch.pk}/present/?lang={lang}", False),
    ]


@pytest.mark.parametrize("template", ["support_nlp", "medical_imaging"])
def test_an_english_deck_fetches_no_cjk_font(browser: Any, live_server: Any, template: str) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = _pitch(owner, None, template)
    context = _log_in(browser, live_server.url)
    for url, flip in _urls(live_server.url, pitch, owner, "en"):
        fetched, text = _visit(context, url, flip=flip)
        assert "Problem" in text or "problem" in text.lower(), url  # the slides were drawn in the deck's fonts
        assert not [name for name in fetched if "cjk" in name.lower() or "droid" in name.lower()], (url, fetched)
        assert not [name for name in fetched if name.endswith(".ttf")], (url, fetched)
        assert "pl-sans-400-latin.woff2" in fetched, (url, fetched)
        kilobytes = sum((WEB_FONTS / name).stat().st_size for name in fetched) / 1024
        assert kilobytes < 80, (url, fetched, kilobytes)
    context.close()


@pytest.mark.parametrize("story", range(len(STORIES_ZH)))
def test_a_chinese_deck_fetches_only_the_slices_it_shows(browser: Any, live_server: Any, story: int) -> None:
    owner = User.objects.create_user("ada", "ada@example.com", PASSWORD)
    pitch = _pitch(owner, STORIES_ZH[story], "medical_imaging" if story == 0 else "support_nlp")
    context = _log_in(browser, live_server.url)
    for url, flip in _urls(live_server.url, pitch, owner, "zh"):
        fetched, text = _visit(context, url, flip=flip)
        cjk = {name for name in fetched if name.startswith("pl-cjk")}
        assert "澄影健康" in text, url
        assert cjk == cjk_faces_for(text), url  # every slice it needs, and nothing else
        assert "pl-cjk-00.woff2" in cjk
        assert not [name for name in fetched if name.endswith(".ttf")], (url, fetched)
        kilobytes = sum((WEB_FONTS / name).stat().st_size for name in cjk) / 1024
        rare = [name for name in cjk if "rare" in name]
        assert len(cjk) - len(rare) <= 8, (url, sorted(cjk))
        assert kilobytes < 450 + 125 * len(rare), (url, sorted(cjk), kilobytes)
    context.close()
