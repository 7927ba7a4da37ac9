"""The rational-pitch checker: from fervour to rationality (pure, standard library only, no Django).

``check_canvas`` reads a canvas (a ``read_model.CanvasView``) and returns ``Finding``s: places where the pitch
sells instead of shows, or claims what it does not yet back up. Each family of checks is one rule in ``RULES``,
in its own module by subdomain (``story``, ``experiments``, ``risks``, ``business``); adding a check is adding
a rule there.

Codes:

* ``hype`` (info): a hype word in a story field, a use-of-funds label or a milestone.
* ``absolute`` (warning): an absolute claim ("no competitors", "100%准确") in the same fields.
* ``unbacked_growth`` (warning): a story field claims growth while no traction metric has two periods.
* ``unbacked_accuracy`` (warning): a story field claims model performance while no experiment has a
  numeric value.
* ``no_baseline`` / ``no_sample_count`` (warning): an experiment row without a baseline (rows with a
  value) / without a positive integer sample count (every row).
* ``no_unit`` (warning): a latency or other time-like result (latency, response time, 延迟, 耗时…) with a value
  and no unit: "80" is not a claim until it says ms or s.
* ``small_sample`` (warning): a result on fewer than 100 samples or with a 95 % interval wider than ±10 points
  (``metrics.is_small_sample``, the rule every slide and the API use).
* ``eval_overlap`` (warning): a measured result whose evaluation inputs overlap the model's training examples
  (the row's ``overlap`` count, for models trained in PitchLab).
* ``sample_model_result`` (warning): a result measured on a PitchLab sample model, not the company's own.
* ``unmitigated_risk`` (warning): a risk scoring likelihood × impact ≥ 15 with no mitigation.
* ``missing_checklist`` / ``no_evidence`` (info): a business item still "missing" / "done" without evidence.

The words and phrases are data, in ``data/hype_words.json`` (see its ``_about``); ``load_lexicon``
reads them (``lexicon.py`` says how they match). Text is read as plain text: HTML tags are dropped, entities
decoded, and it is NFKC-normalised.

The canvas is parsed once by the read model, which reads a missing key or a value of the wrong type as not
given; the rules take its typed values as they are and never raise on a view.
"""

from __future__ import annotations

from collections.abc import Mapping

from pitchlab.pitches.canvas import Canvas, unit_paths
from pitchlab.pitches.checks.business import CATALOGUE_PATH, business_findings, catalogue_titles
from pitchlab.pitches.checks.experiments import experiment_findings
from pitchlab.pitches.checks.findings import CODES, CheckContext, Finding, Rule, Severity
from pitchlab.pitches.checks.lexicon import DEFAULT_LEXICON_PATH, Lexicon, Terms, load_lexicon
from pitchlab.pitches.checks.risks import RISK_SCORE_THRESHOLD, risk_findings
from pitchlab.pitches.checks.story import unbacked_findings, wording_findings
from pitchlab.pitches.read_model import CanvasView, as_view

__all__ = [
    "CATALOGUE_PATH",
    "CODES",
    "DEFAULT_LEXICON_PATH",
    "RISK_SCORE_THRESHOLD",
    "RULES",
    "CheckContext",
    "Finding",
    "Lexicon",
    "Rule",
    "Severity",
    "Terms",
    "catalogue_titles",
    "check_canvas",
    "load_lexicon",
]

RULES: dict[str, Rule] = {
    "wording": wording_findings,
    "unbacked": unbacked_findings,
    "experiments": experiment_findings,
    "risks": risk_findings,
    "business": business_findings,
}
"""Every family of checks by name; ``check_canvas`` runs them all and orders their findings by unit."""


def check_canvas(
    canvas: CanvasView | Canvas,
    *,
    lexicon: Lexicon | None = None,
    titles: Mapping[str, tuple[str, str]] | None = None,
) -> list[Finding]:
    """Every finding for ``canvas``, ordered by unit (``canvas.unit_paths`` order), then code.

    ``canvas`` is a ``CanvasView``; a validated canvas document is still accepted and parsed once
    (``read_model.as_view``, transitional while callers move to passing a view). ``lexicon`` defaults to the
    packaged one (``load_lexicon()``); ``titles`` names the business-model items (key → English and Chinese
    title) and defaults to the packaged catalogue's (``catalogue_titles()``).
    """
    view = as_view(canvas)
    context = CheckContext(
        lexicon=lexicon if lexicon is not None else load_lexicon(),
        titles=titles if titles is not None else catalogue_titles(),
    )
    findings = [finding for rule in RULES.values() for finding in rule(view, context)]
    business = {item.key: None for item in view.business}  # unit_paths reads the business keys only
    order = {path: index for index, path in enumerate(unit_paths({"business": business}))}
    findings.sort(key=lambda f: (order.get(f.path, len(order)), f.code))  # stable: row and text order kept
    return findings
