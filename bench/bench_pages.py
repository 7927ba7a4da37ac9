"""Page-load benchmark (issue 15 §7): Lighthouse 12, mobile, on the pages of a running PitchLab, first load.

    (cd bench/lighthouse && npm ci)      # Lighthouse 12 from npm; it drives Debian's chromium, never its own
    .venv/bin/python bench/bench_pages.py [--runs 3] [--port 8765] [--app-dir DIR] [--label after] [--json OUT]

The app is started as ``make run`` starts it (``python -m pitchlab.launcher``: migrate, collectstatic, the demo
account and its sample pitch, then the Procfile's processes and an embedded Redis) with its own port and
PITCHLAB_VAR_DIR, from ``--app-dir`` (default: this checkout; give an older tree, e.g. ``git archive``'d, to
measure a "before"). The sample models are not built (PITCHLAB_BUILD_SAMPLES=0): the pages do not need them.
A share link and an audience link are made for the sample pitch; the founder's pages are loaded with the demo
account's session cookie.

Each page is measured ``--runs`` times by Lighthouse (mobile form factor, simulated slow 4G and 4x CPU
slowdown, its defaults; a fresh profile per run, so every run is a first load with an empty cache). Reported per
page: the median performance score, the median bytes transferred (Lighthouse's total-byte-weight: encoded, as
sent on the wire), of which fonts, and the median LCP. Traffic stays on loopback.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
ATTEMPTS = 4
DEMO_USER, DEMO_PASSWORD = "demo", "pitchlab-demo"

SETUP = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from pitchlab.sharing.services import share_link_create
from pitchlab.demos.services import audience_link_open
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import
user = get_user_model().objects.get(username="demo")
pitch = user.pitches.order_by("pk").first()
link = share_link_create(pitch=pitch, user=user)
demo = pitch.demo_models.order_by("pk").first()
audience = audience_link_open(demo_model=demo).token if demo is not None else None
# A pitch written in Chinese: the sample's story in Chinese words, so the deck needs PL CJK for real.
document = template_document("support_nlp")
document["name"] = "流明智能客服"
document["canvas"]["story"].update(STORY_ZH)
chinese = pitch_import(owner=user, document=document)
print(json.dumps({"pitch": pitch.pk, "share": link.token, "audience": audience, "chinese": chinese.pk}))
"""
STORY_ZH = {
    "purpose": "流明读取每一张进入的客服工单，在四十毫秒内把它分派给正确的团队。",
    "origin": "我在一家三百人的软件公司管了四年客服运营，团队从八人增长到三十人，每天有上千张工单涌入。",
    "customer_pain": "我们的客户是客服主管：人工分派平均要等四十分钟，紧急工单常常排在最后。",
    "conflict": "关键词规则便宜，但准确率只有六成；大模型准确，却太贵太慢。",
    "why_now": "小模型的推理成本一年降了九成，在每位客户自己的数据上微调第一次变得划算。",
    "insight": "分派准确率更取决于每家公司自己的标签体系，而不是模型的大小。",
    "climax": "在两千张真实工单的固定评测集上，准确率百分之九十四，比关键词规则高三十个百分点。",
    "vision": "今天我们分派工单，明天我们起草回复，最终让每一位客服主管都看得见瓶颈。",
}
SETUP = SETUP.replace("update(STORY_ZH)", f"update({STORY_ZH!r})")


def pages(ids: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """name -> (path, needs the founder's session)."""
    found = {
        "log-in page": ("/accounts/login/", False),
        "dashboard": ("/", True),
        "editor": (f"/pitches/{ids['pitch']}/", True),
        "web deck (en)": (f"/pitches/{ids['pitch']}/deck/?lang=en", True),
        "web deck (zh)": (f"/pitches/{ids['pitch']}/deck/?lang=zh", True),
        "presenter view": (f"/pitches/{ids['pitch']}/present/", True),
        "share page (en)": (f"/s/{ids['share']}/?lang=en", False),
        "share page (zh)": (f"/s/{ids['share']}/?lang=zh", False),
        "web deck, Chinese pitch": (f"/pitches/{ids['chinese']}/deck/?lang=zh", True),
    }
    if ids.get("audience"):
        found["audience page"] = (f"/d/{ids['audience']}/", False)
    return found


def wait_for(port: int, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"PitchLab did not answer on port {port} within {timeout:.0f}s")


def log_in(port: int) -> str:
    """The demo account's cookies, logged in through the real form (CSRF and all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the log-in page"
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": match[1], "username": DEMO_USER, "password": DEMO_PASSWORD})
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())
    connection.request(
        "POST",
        "/accounts/login/",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"http://127.0.0.1:{port}/"},
    )
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    assert "sessionid" in jar, f"log-in failed ({response.status})"
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())


def lighthouse(url: str, cookie: str | None, out: Path) -> dict[str, float]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    for attempt in range(1, ATTEMPTS + 1):
        # On a busy machine Lighthouse now and then loses the trace (NO_NAVSTART, NO_FCP): that run is taken again.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300, capture_output=True)
        if done.returncode == 0:
            break
        print(f"  lighthouse failed on {url} (try {attempt}): {done.stderr.decode()[-300:].strip()}", flush=True)
    else:
        raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    by_type = {item["resourceType"]: item["transferSize"] for item in audits["resource-summary"]["details"]["items"]}
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "font_bytes": by_type.get("font", 0),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    app_dir = Path(args.app_dir).resolve()
    var_dir = Path(tempfile.mkdtemp(prefix="pitchlab-bench-pages-"))
    env = {
        **os.environ,
        "PITCHLAB_VAR_DIR": str(var_dir),
        "PORT": str(args.port),
        "PITCHLAB_BUILD_SAMPLES": "0",
        "DJANGO_SETTINGS_MODULE": "pitchlab.settings",
        "PYTHONPATH": str(app_dir),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "PITCHLAB_DEBUG"):
        env.pop(name, None)
    app = subprocess.Popen(
        [sys.executable, "-m", "pitchlab.launcher"],
        cwd=app_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results: dict[str, Any] = {"label": args.label, "runs": args.runs, "pages": {}}
    try:
        wait_for(args.port, "/accounts/login/", timeout=300)
        made = subprocess.run(
            [sys.executable, "-c", SETUP], cwd=app_dir, env=env, check=True, capture_output=True, text=True
        )
        ids = json.loads(made.stdout.strip().splitlines()[-1])
        cookie = log_in(args.port)
        for name, (path, private) in pages(ids).items():
            if args.pages and name not in args.pages:
                continue
            samples = []
            for number in range(args.runs):
                out = var_dir / f"lighthouse-{len(results['pages'])}-{number}.json"
                samples.append(lighthouse(f"http://127.0.0.1:{args.port}{path}", cookie if private else None, out))
            summary: dict[str, Any] = {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}
            summary["scores"] = [sample["score"] for sample in samples]
            results["pages"][name] = summary
            print(
                f"{args.label:8} {name:18} score {summary['score']:5.0f} {summary['scores']}  "
                f"{summary['bytes'] / 1024:8.1f} KiB (fonts {summary['font_bytes'] / 1024:6.1f} KiB)  "
                f"LCP {summary['lcp_ms'] / 1000:5.2f} s  {summary['requests']:.0f} requests",
                flush=True,
            )
    finally:
        os.killpg(app.pid, signal.SIGINT)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--app-dir", default=str(ROOT))
    parser.add_argument("--label", default="after")
    parser.add_argument("--pages", nargs="*", help="only these pages (names as printed)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: (cd bench/lighthouse && npm ci)")
    if not Path(CHROME).exists():
        raise SystemExit(f"{CHROME} is missing: apt-get install chromium (never let a tool download a browser)")
    results = run(args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
