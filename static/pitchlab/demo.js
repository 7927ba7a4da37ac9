/* The live demo try panel starts here: ONE component for the founder's demo page, the deck's demo slide and the
 * audience page (its options and the reasons behind it are at the top of demo/core.js). mount() makes the panel object,
 * and each part (demo/build.js, input.js, show.js, run.js) adds its nodes and functions to it; this file is loaded
 * last and publishes window.PitchLabDemo. */
(function () {
  "use strict";
  const D = window.PitchLab && window.PitchLab.demo;
  if (!D) return;
  const { DEFAULT_BUDGET_MS, normalizeExample, fromStage, cachedOutput } = D;
  let mounted = 0;

  function mount(root, options) {
    if (root.plDemo) root.plDemo.destroy();
    const opts = options || {};
    const cleanups = [];
    function listen(target, type, handler, capture) {
      target.addEventListener(type, handler, capture);
      cleanups.push(() => target.removeEventListener(type, handler, capture));
    }
    const p = {
      root,
      opts,
      kind: opts.kind === "image" ? "image" : "text",
      stage: Boolean(opts.stage),
      labels: (opts.labels || []).map(String),
      examples: (opts.examples || []).map(normalizeExample),
      budgetMs: Number(opts.budgetMs) > 0 ? Number(opts.budgetMs) : DEFAULT_BUDGET_MS,
      explainUrl: opts.explainUrl || "",
      uid: `pl-demo-${++mounted}`,
      cleanups,
      listen,
      seq: 0, // the number of the latest run; answers to older runs are dropped
      inflight: null, // AbortController of the latest request
      fallbackTimer: 0,
      running: false,
      hasResult: false,
      current: { example: null, blob: null, previewUrl: "" },
      camera: null, // the live MediaStream while the camera view is open
      picking: null, // an example picture still loading: a run waits for it
      mirroring: false, // inside display(): showing another panel's state, so no hooks fire
    };
    // ---------- building the panel ----------
    D.parts.build(p);
    D.parts.input(p);
    D.parts.show(p);
    D.parts.run(p);
    p.showEmpty(gettext("Pick an example or try your own, then Run."));

    const api = {
      root,
      run: p.run,
      pick: p.pick,
      key: p.key,
      display: p.display,
      destroy: p.destroy,
      setExplain(on) {
        if (!p.explainSwitch) return;
        p.explainSwitch.checked = Boolean(on);
        p.explainSwitch.dispatchEvent(new Event("change"));
      },
      get running() { return p.running; },
    };
    p.api = api;
    root.plDemo = api;
    return api;
  }

  // Pages without a script of their own (the audience page) mark the mount point:
  // <div data-demo-options="ID"> where ID names a json_script with StageModel data or mount options.
  function autoMount() {
    document.querySelectorAll("[data-demo-options]").forEach((root) => {
      if (root.plDemo) return;
      const node = document.getElementById(root.dataset.demoOptions);
      if (!node) return;
      const data = JSON.parse(node.textContent);
      const stage = root.dataset.demoStage === "true";
      mount(root, "predict_url" in data ? fromStage(data, { stage }) : Object.assign({ stage }, data));
    });
  }

  window.PitchLabDemo = { mount, fromStage, cachedOutput };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", autoMount);
  else autoMount();
})();
