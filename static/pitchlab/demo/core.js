/* The live demo try panel: ONE component for the founder's demo page, the deck's demo slide and the audience page.
 *
 *   const panel = window.PitchLabDemo.mount(root, {
 *     kind: "text" | "image", predictUrl, explainUrl ("" hides the Explain switch), labels: [...],
 *     trainedOn: "" (a line saying what the model was trained on, worded by the server; shown above the input,
 *       not on a slide, where the deck says it),
 *     examples: [{id, text, image_url, expected_label, cached_output}], budgetMs: 2000,
 *     stage: false (true: large type, Enter runs, number keys pick); requests go through api.js (its CSRF token),
 *     onResult: optional function (result, {cached, explained, input, example}) called after each shown result,
 *     onInput: optional function (input, example, {running}) called when the input changes and when a run starts,
 *     onError: optional function (line) called when a run ends with a line instead of an answer,
 *   });
 *   panel.run(); panel.pick(index, {run}); panel.key(event) -> handled?; panel.setExplain(on); panel.destroy();
 *   panel.display(input, result, {cached, explained, running, error, example}): show what another panel showed (the
 *     presenter's, mirrored on the audience window) without running anything; hooks are not called.
 *   Inputs in hooks and display are {text} for a text model and {image: Blob | null} for an image model;
 *   example is the picked example's index or null.
 *
 * Why it is built the way it is:
 * - A demo on stage must never hang. An example that pre-flight answered carries `cached_output`; when the live
 *   model has not answered within budgetMs (or fails), that answer is shown marked "cached", and replaced if the
 *   live one arrives later. Free input with nothing cached gets one calm line. Every request also has a hard
 *   limit, so "running" always ends.
 * - Runs are numbered: an answer to an older run (the presenter already picked another example) is dropped.
 * - No inline scripts or style attributes in markup (a CSP is coming): pages hand data over in json_script
 *   elements; widths and colours are set through the CSSOM, which a CSP allows.
 * - Its words come from Django's JavaScript catalogue (gettext, loaded by every page that loads this script,
 *   before it), in the language of whoever looks at the page.
 *
 * The scripts, in order: dom.js and api.js (the app's core), this file (constants and pure helpers on
 * window.PitchLab.demo), demo/build.js (the panel's markup), demo/input.js (text, pictures, camera, examples),
 * demo/show.js (answers, bars, explanations), demo/run.js (running, keys, mirroring), and demo.js (mount, the public
 * window.PitchLabDemo).
 */
(function () {
  "use strict";

  const DEFAULT_BUDGET_MS = 2000;
  const PREDICT_GRACE_MS = 6000; // past budget + this, a predict request is abandoned (the server gives up at ~2 s)
  const EXPLAIN_LIMIT_MS = 15000; // the server's explain budget is ~10 s
  const NOT_ANSWERING = gettext("The model is not answering right now.");
  const BUSY = gettext("Lots of people are trying it — wait a few seconds.");
  const CACHED_NOTE = gettext("cached — the live model did not answer in time");
  const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");
  const fmt = (text, values) => interpolate(text, values, true);

  // One colour convention for every explanation, words and pictures alike, colour-blind safe (blue/orange):
  // the worker's heat map (models_service/explain.py, HEATMAP_TOWARD / HEATMAP_AGAINST) uses the same two.
  const TOWARD_RGB = "37, 99, 235";
  const AGAINST_RGB = "234, 88, 12";
  const LEGEND_ALPHA = "0.55";

  /** "■ toward <label>  ■ against it": the key shown under every explanation, its swatches in the tokens' colours. */
  const { h, rich } = window.PitchLab.dom;

  function explainLegend(label, extra) {
    const swatch = (rgb, cls) => {
      const node = h("span", { className: `pl-swatch ${cls}`, "aria-hidden": "true" });
      node.style.backgroundColor = `rgba(${rgb}, ${LEGEND_ALPHA})`;
      return node;
    };
    return h(
      "p",
      { className: "pl-demo-legend pl-explain-key", "data-legend": "" },
      h("span", { className: "pl-key" }, swatch(TOWARD_RGB, "toward"), ...rich(gettext("toward %(label)s"), { label: h("strong", { text: String(label) }) })),
      h("span", { className: "pl-key" }, swatch(AGAINST_RGB, "against"), gettext("against it")),
      extra ? h("span", { className: "pl-key-note", text: extra }) : null,
    );
  }

  /** An example's cached answer when it is usable, else null. */
  function cachedOutput(example) {
    const cached = example && (example.cached_output !== undefined ? example.cached_output : example.cached);
    return cached && Array.isArray(cached.labels) && cached.labels.length ? cached : null;
  }

  // Examples come from the API (expected_label, cached_output) or from a StageModel (expected, cached).
  function normalizeExample(example, index) {
    return {
      id: example.id,
      index,
      text: String(example.text || ""),
      imageUrl: String(example.image_url || example.imageUrl || ""),
      expected: String(example.expected_label || example.expected || ""),
      cached: cachedOutput(example),
    };
  }

  /** Mount options from a StageModel (dataclasses.asdict), as the deck and the audience page embed it. */
  function fromStage(model, extra) {
    return Object.assign(
      {
        kind: model.kind,
        predictUrl: model.predict_url,
        explainUrl: model.explain_url || "",
        labels: model.labels || [],
        trainedOn: model.trained_on || "",
        examples: model.examples || [],
        budgetMs: model.budget_ms || DEFAULT_BUDGET_MS,
      },
      extra || {},
    );
  }

  function percent(score) {
    const value = Math.max(0, Math.min(1, Number(score) || 0)) * 100;
    return `${value.toFixed(1)}%`;
  }

  function latency(ms) {
    const value = Number(ms);
    return Number.isFinite(value) ? `${Math.round(value)} ms` : "";
  }

  function visible(node) {
    return node.isConnected && node.getClientRects().length > 0;
  }

  const D = {
    DEFAULT_BUDGET_MS, PREDICT_GRACE_MS, EXPLAIN_LIMIT_MS, NOT_ANSWERING, BUSY, CACHED_NOTE, MAC, TOWARD_RGB, AGAINST_RGB,
    h, rich, fmt, explainLegend, cachedOutput, normalizeExample, fromStage, percent, latency, visible,
    lastActive: null, // the panel touched last: where a pasted picture goes
    parts: {},
  };
  window.PitchLab = Object.assign(window.PitchLab || {}, { demo: D });
})();
