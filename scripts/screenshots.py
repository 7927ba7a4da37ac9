"""Screenshots of a running PitchLab (``make run``) for the README and for looking at what we built.

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [docs/screenshots]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, size in {"desktop": (1280, 800), "phone": (390, 844)}.items():
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(f"{base}/accounts/login/")
            page.screenshot(path=out / f"login-{name}.png")
            page.fill("#id_username", "demo")
            page.fill("#id_password", "pitchlab-demo")
            page.click("button[type=submit]")
            page.wait_for_selector("h1:has-text('My pitches')")
            page.screenshot(path=out / f"dashboard-{name}.png")
            page.click(".pitch-name >> nth=0")
            page.wait_for_selector("text=Rename")
            page.screenshot(path=out / f"pitch-{name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
