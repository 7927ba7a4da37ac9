"""The business-model checklist check: items not started, and items marked done without evidence."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pitchlab.pitches.checks.findings import CheckContext, Finding, plain, short
from pitchlab.pitches.read_model import CanvasView

__all__ = ["CATALOGUE_PATH", "business_findings", "catalogue_titles"]

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "checklists" / "data" / "catalogue.json"


@lru_cache(maxsize=1)
def catalogue_titles() -> dict[str, tuple[str, str]]:
    """The packaged business-model items' titles by key: (English, Chinese); {} when the file cannot be read."""
    try:
        data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # The packaged file is data a maintainer edits: an odd entry is skipped rather than trusted.
    items = data.get("business") if isinstance(data, dict) else None
    titles: dict[str, tuple[str, str]] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        key, en, zh = (str(item.get(name) or "").strip() for name in ("key", "title_en", "title_zh"))
        if key and en:
            titles[key] = (en, zh or en)
    return titles


def business_findings(view: CanvasView, context: CheckContext) -> list[Finding]:
    """``missing_checklist`` / ``no_evidence`` (info): an item still "missing" / "done" without evidence, named by
    its title in each language (``context.titles``; a key the catalogue does not know is the founder's own word)."""
    findings: list[Finding] = []
    for item in view.business:
        status = plain(item.status).strip().lower()
        own = item.key.replace("_", " ").replace("-", " ")
        name_en, name_zh = (short(title) for title in context.titles.get(item.key, (own, own)))
        path = f"business.{item.key}"
        if status == "missing":
            findings.append(
                Finding(
                    code="missing_checklist",
                    path=path,
                    severity="info",
                    message_en=f'"{name_en}" is not started yet; jot down what you know so far.',
                    message_zh=f"“{name_zh}”还没有开始；先写下你目前掌握的情况。",
                )
            )
        elif status == "done" and not plain(item.evidence).strip():
            findings.append(
                Finding(
                    code="no_evidence",
                    path=path,
                    severity="info",
                    message_en=f'"{name_en}" is marked done; add the evidence (a link, a figure, a document).',
                    message_zh=f"“{name_zh}”已标记为完成；请补充证据（链接、数字或文件）。",
                )
            )
    return findings
