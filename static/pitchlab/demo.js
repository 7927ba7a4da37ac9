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
  let mounted = 0;
  let lastActive = null; // the panel touched last: where a pasted picture goes

  // ---------- small helpers ----------
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  const fmt = (text, values) => interpolate(text, values, true);

  // One colour convention for every explanation, words and pictures alike, colour-blind safe (blue/orange):
  // the worker's heat map (models_service/explain.py, HEATMAP_TOWARD / HEATMAP_AGAINST) uses the same two.
  const TOWARD_RGB = "37, 99, 235";
  const AGAINST_RGB = "234, 88, 12";
  const LEGEND_ALPHA = "0.55";

  /** "■ toward <label>  ■ against it": the key shown under every explanation, its swatches in the tokens' colours. */
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

  /** A translated sentence with nodes in it: "%(name)s" placeholders are replaced by ``values[name]`` (text or a node). */
  function rich(text, values) {
    return text.split(/%\((\w+)\)s/).map((piece, i) => (i % 2 ? values[piece] : piece)).filter((piece) => piece !== "");
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

  // ---------- the component ----------
  function mount(root, options) {
    if (root.plDemo) root.plDemo.destroy();
    const opts = options || {};
    const kind = opts.kind === "image" ? "image" : "text";
    const stage = Boolean(opts.stage);
    const labels = (opts.labels || []).map(String);
    const examples = (opts.examples || []).map(normalizeExample);
    const budgetMs = Number(opts.budgetMs) > 0 ? Number(opts.budgetMs) : DEFAULT_BUDGET_MS;
    const explainUrl = opts.explainUrl || "";
    const uid = `pl-demo-${++mounted}`;
    const cleanups = [];

    let seq = 0; // the number of the latest run; answers to older runs are dropped
    let inflight = null; // AbortController of the latest request
    let fallbackTimer = 0;
    let running = false;
    let hasResult = false;
    let current = { example: null, blob: null, previewUrl: "" };
    let camera = null; // the live MediaStream while the camera view is open
    let picking = null; // an example picture still loading: a run waits for it
    let mirroring = false; // inside display(): showing another panel's state, so no hooks fire

    function listen(target, type, handler, capture) {
      target.addEventListener(type, handler, capture);
      cleanups.push(() => target.removeEventListener(type, handler, capture));
    }

    // ---------- building the panel ----------
    root.replaceChildren();
    root.classList.add("pl-demo", `pl-demo--${kind}`);
    root.classList.toggle("pl-demo--stage", stage);

    const exampleButtons = examples.map((example, i) => {
      const number = i < 9 ? h("kbd", { className: "pl-demo-key", "aria-hidden": "true", text: String(i + 1) }) : null;
      const body = example.imageUrl
        ? h("img", { className: "pl-demo-thumb", src: example.imageUrl, alt: example.expected || fmt(gettext("Example %(n)s"), { n: i + 1 }) })
        : h("span", { className: "pl-demo-example-text", text: example.text });
      return h(
        "button",
        {
          type: "button",
          className: "pl-demo-example",
          "aria-pressed": "false",
          title: example.text || null,
          "aria-label": example.text ? fmt(gettext("Example %(n)s: %(text)s"), { n: i + 1, text: example.text }) : fmt(gettext("Example %(n)s"), { n: i + 1 }),
          onclick: () => pick(i, { run: true }),
        },
        number,
        body,
      );
    });
    const examplesBox = examples.length
      ? h("div", { className: "pl-demo-examples", role: "group", "aria-label": gettext("Examples") }, exampleButtons)
      : null;

    let textarea = null;
    let fileInput = null;
    let dropZone = null;
    let preview = null;
    let cameraButton = null;
    let cameraBox = null;
    let video = null;
    let inputBox;
    if (kind === "text") {
      textarea = h("textarea", {
        id: `${uid}-text`,
        className: "pl-demo-text",
        rows: stage ? 2 : 3,
        placeholder: stage ? gettext("Type a sentence from the room…") : gettext("Type or paste a sentence…"),
        spellcheck: "false",
      });
      inputBox = h(
        "div",
        { className: "pl-demo-field" },
        h("label", { className: "pl-demo-label", for: `${uid}-text`, text: gettext("Your text") }),
        textarea,
      );
    } else {
      fileInput = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", className: "pl-demo-file", id: `${uid}-file` });
      preview = h("img", { className: "pl-demo-preview", alt: gettext("The chosen picture"), hidden: true });
      const canCamera = Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
      cameraButton = canCamera
        ? h("button", { type: "button", className: "pl-demo-button ghost", text: gettext("Camera"), onclick: openCamera })
        : null;
      video = canCamera ? h("video", { className: "pl-demo-video", autoplay: true, playsinline: true, muted: true }) : null;
      cameraBox = canCamera
        ? h(
            "div",
            { className: "pl-demo-camera", hidden: true },
            video,
            h(
              "div",
              { className: "pl-demo-row" },
              h("button", { type: "button", className: "pl-demo-button", text: gettext("Take the picture"), onclick: snap }),
              h("button", { type: "button", className: "pl-demo-button ghost", text: gettext("Cancel"), onclick: closeCamera }),
            ),
          )
        : null;
      dropZone = h(
        "div",
        { className: "pl-demo-drop" },
        preview,
        h("p", { className: "pl-demo-drop-hint", text: gettext("Drop a picture here, paste one, or") }),
        h(
          "div",
          { className: "pl-demo-row" },
          h("label", { className: "pl-demo-button ghost pl-demo-pick", for: `${uid}-file` }, gettext("Choose a picture")),
          cameraButton,
        ),
        fileInput,
      );
      inputBox = h("div", { className: "pl-demo-field" }, dropZone, cameraBox);
    }

    const runButton = h("button", { type: "button", className: "pl-demo-button pl-demo-run", text: gettext("Run"), onclick: () => run() });
    const explainSwitch = explainUrl ? h("input", { type: "checkbox", role: "switch", className: "pl-demo-switch-input" }) : null;
    const pickHint = examples.length === 1
      ? ` · ${gettext("1 picks the example")}`
      : examples.length ? ` · ${fmt(gettext("1–%(last)s pick"), { last: Math.min(9, examples.length) })}` : "";
    const hintText = stage
      ? `${gettext("Enter runs")}${kind === "text" ? ` · ${gettext("Shift+Enter new line")}` : ""}${pickHint}`
      : kind === "text"
        ? fmt(gettext("%(key)s+Enter runs"), { key: MAC ? "⌘" : "Ctrl" })
        : "";
    const actions = h(
      "div",
      { className: "pl-demo-actions" },
      runButton,
      explainSwitch ? h("label", { className: "pl-demo-switch" }, explainSwitch, h("span", { text: gettext("Explain") })) : null,
      hintText ? h("span", { className: "pl-demo-hint", text: hintText }) : null,
    );

    const status = h("p", { className: "pl-demo-status" });
    const bars = h("ol", { className: "pl-demo-bars", "aria-label": gettext("Scores") });
    const meta = h("p", { className: "pl-demo-meta" });
    const explanation = h("div", { className: "pl-demo-explain", hidden: true });
    const output = h("div", { className: "pl-demo-output", "aria-live": "polite" }, status, bars, meta, explanation);

    // Where the model can be trusted, said before anyone types: it answers anything, confidently.
    const trainedOn = opts.trainedOn && !stage ? h("p", { className: "pl-demo-domain", text: String(opts.trainedOn) }) : null;
    root.append(h("div", { className: "pl-demo-body" }, h("div", { className: "pl-demo-input" }, trainedOn, examplesBox, inputBox, actions), output));
    showEmpty(gettext("Pick an example or try your own, then Run."));

    // ---------- input ----------
    function markExample(example) {
      current.example = example;
      exampleButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(Boolean(example) && example.index === i)));
    }

    function setImage(blob, example) {
      if (current.previewUrl) URL.revokeObjectURL(current.previewUrl);
      current.blob = blob;
      current.previewUrl = URL.createObjectURL(blob);
      preview.src = current.previewUrl;
      preview.hidden = false;
      dropZone.classList.add("has-image");
      markExample(example || null);
      notifyInput();
    }

    function takeFile(file) {
      if (!file) return false;
      if (file.type && !file.type.startsWith("image/")) {
        showEmpty(gettext("That file is not a picture."), true);
        return false;
      }
      setImage(file, null);
      return true;
    }

    async function pick(index, how) {
      const example = examples[index];
      if (!example) return;
      const wantRun = Boolean(how && how.run);
      // the room must not read the last answer next to the new input
      if (!wantRun && hasResult) showEmpty(stage ? gettext("Press Enter to run it.") : gettext("Run it to see the answer."));
      if (kind === "text") {
        textarea.value = example.text;
        markExample(example);
        notifyInput();
        if (wantRun) await run();
        return;
      }
      markExample(example);
      const loading = (async () => {
        const answer = await window.PitchLab.api.send("GET", example.imageUrl, { as: "blob", accept: "image/*" });
        if (!answer.ok) return false;
        setImage(answer.data, example);
        return true;
      })();
      picking = loading;
      const loaded = await loading;
      if (picking === loading) picking = null;
      if (!loaded) {
        current.blob = null; // never send the previous picture under this example's name
        preview.hidden = true;
        dropZone.classList.remove("has-image");
        if (wantRun && example.cached) showResult(example.cached, { cached: true });
        else showEmpty(gettext("The example picture did not load."), true);
        return;
      }
      if (wantRun) await run();
    }

    if (textarea) {
      listen(textarea, "input", () => {
        // the cached answer belongs to the example's exact text; an edit makes it free input
        markExample(examples.find((example) => example.text && example.text === textarea.value) || null);
        notifyInput();
      });
      listen(textarea, "keydown", (event) => {
        if (event.key !== "Enter" || event.isComposing) return;
        if (event.ctrlKey || event.metaKey || (stage && !event.shiftKey && !event.altKey)) {
          event.preventDefault();
          event.stopPropagation();
          if (!running) run();
        }
      });
    }

    if (fileInput) {
      listen(fileInput, "change", () => {
        takeFile(fileInput.files && fileInput.files[0]);
        fileInput.value = ""; // choosing the same file again still fires change
      });
      listen(root, "dragover", (event) => {
        if (!event.dataTransfer || !Array.from(event.dataTransfer.types || []).includes("Files")) return;
        event.preventDefault();
        root.classList.add("is-dragging");
      });
      listen(root, "dragleave", (event) => {
        if (!root.contains(event.relatedTarget)) root.classList.remove("is-dragging");
      });
      listen(root, "drop", (event) => {
        event.preventDefault();
        root.classList.remove("is-dragging");
        takeFile(event.dataTransfer && event.dataTransfer.files[0]);
      });
      listen(document, "paste", (event) => {
        const here = root.contains(event.target) || (lastActive === api && !event.target.closest?.("input, textarea"));
        if (!here || !visible(root)) return;
        const item = Array.from((event.clipboardData && event.clipboardData.items) || []).find(
          (entry) => entry.kind === "file" && entry.type.startsWith("image/"),
        );
        if (!item) return;
        event.preventDefault();
        takeFile(item.getAsFile());
      });
    }
    listen(root, "pointerdown", () => { lastActive = api; });
    listen(root, "focusin", () => { lastActive = api; });

    // ---------- camera ----------
    async function openCamera() {
      try {
        camera = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        showEmpty(gettext("The camera is not available here."), true);
        return;
      }
      video.srcObject = camera;
      cameraBox.hidden = false;
      dropZone.hidden = true;
    }

    function closeCamera() {
      if (camera) camera.getTracks().forEach((track) => track.stop());
      camera = null;
      if (video) video.srcObject = null;
      if (cameraBox) cameraBox.hidden = true;
      if (dropZone) dropZone.hidden = false;
    }

    function snap() {
      if (!camera || !video.videoWidth) return;
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob((blob) => {
        closeCamera();
        if (blob) setImage(blob, null);
      }, "image/png");
    }

    // ---------- hooks (mirroring) ----------
    function hookInput() {
      return kind === "text" ? { text: textarea.value } : { image: current.blob };
    }

    function exampleIndex() {
      return current.example ? current.example.index : null;
    }

    function notifyInput(running) {
      if (mirroring || typeof opts.onInput !== "function") return;
      opts.onInput(hookInput(), exampleIndex(), { running: Boolean(running) });
    }

    // ---------- running ----------
    function currentInput() {
      if (kind === "text") {
        const text = textarea.value;
        if (!text.trim()) return null;
        return {
          text,
          body: JSON.stringify({ text }),
          headers: { "Content-Type": "application/json" },
          example: current.example && current.example.text === text ? current.example : null,
        };
      }
      if (!current.blob) return null;
      const form = new FormData();
      form.append("image", current.blob, current.blob.name || "picture.png");
      return { body: form, headers: {}, example: current.example, previewUrl: current.previewUrl };
    }

    function setRunning(on) {
      running = on;
      root.classList.toggle("is-running", on);
      runButton.disabled = on;
      exampleButtons.forEach((button) => { button.disabled = on; });
      if (fileInput) fileInput.disabled = on;
      if (cameraButton) cameraButton.disabled = on;
      root.setAttribute("aria-busy", String(on));
    }

    async function run() {
      if (picking) await picking; // Enter right after a number key: the example's picture first
      const input = currentInput();
      if (!input && current.example && current.example.cached) {
        showResult(current.example.cached, { cached: true }); // its picture did not load; its answer did
        return;
      }
      if (!input) {
        showEmpty(kind === "text" ? gettext("Type something first.") : gettext("Choose a picture first."), true);
        return;
      }
      const mine = ++seq;
      if (inflight) inflight.abort();
      clearTimeout(fallbackTimer);
      const explained = Boolean(explainSwitch && explainSwitch.checked);
      const cached = input.example ? input.example.cached : null;
      let showedCache = false;
      setRunning(true);
      say(gettext("Asking the model…"), "is-waiting");
      notifyInput(true);
      if (cached) {
        fallbackTimer = setTimeout(() => {
          if (mine !== seq) return;
          showResult(cached, { cached: true });
          showedCache = true;
          setRunning(false); // the room has its answer; the live one still replaces it if it comes
        }, budgetMs);
      }
      const controller = new AbortController();
      inflight = controller;
      const limit = setTimeout(() => controller.abort(), explained ? EXPLAIN_LIMIT_MS : budgetMs + PREDICT_GRACE_MS);
      // this run's own limit and a newer run both abort through ``controller``, so api.js adds no time-out of its own
      const answer = await window.PitchLab.api.send("POST", explained ? explainUrl : opts.predictUrl, {
        body: input.body, headers: input.headers, signal: controller.signal, timeoutMs: 0,
      });
      clearTimeout(limit);
      const data = answer.data; // an HTML error page or an empty body is null: never shown raw
      let outcome;
      if (answer.ok && data && Array.isArray(data.labels)) outcome = { ok: true, data };
      else if (answer.status === 0) outcome = { ok: false, status: 0, message: "" }; // network down or abandoned past the limit
      else outcome = { ok: false, status: answer.status, message: data && typeof data.message === "string" ? data.message : "" };
      if (mine !== seq) return; // a newer run owns the panel now
      clearTimeout(fallbackTimer);
      inflight = null;
      if (outcome.ok) {
        showResult(outcome.data, { explained, input });
      } else if (cached) {
        if (!showedCache) showResult(cached, { cached: true });
      } else {
        const line = errorLine(outcome);
        showEmpty(line, true);
        if (!mirroring && typeof opts.onError === "function") opts.onError(line);
      }
      setRunning(false);
    }

    function errorLine(outcome) {
      if (outcome.status === 429) return BUSY;
      const calm = outcome.status === 503 || (outcome.status >= 400 && outcome.status < 500);
      if (calm && outcome.message) return outcome.message.length > 240 ? `${outcome.message.slice(0, 239)}…` : outcome.message;
      return NOT_ANSWERING;
    }

    // ---------- showing ----------
    function say(text, cls) {
      status.className = `pl-demo-status${cls ? ` ${cls}` : ""}`;
      status.textContent = text;
    }

    function bar(label, score, top) {
      const fill = h("span", { className: "pl-demo-bar-fill" });
      fill.style.width = score === null ? "0%" : percent(score);
      return h(
        "li",
        { className: `pl-demo-bar${top ? " is-top" : ""}${score === null ? " is-empty" : ""}`, "data-label": label },
        h("span", { className: "pl-demo-bar-label", text: label }),
        h("span", { className: "pl-demo-bar-track" }, fill),
        h("span", { className: "pl-demo-bar-score", text: score === null ? "" : percent(score) }),
      );
    }

    // On a phone the answer lands below the fold: bring it up (the deck's slide never scrolls).
    function reveal() {
      if (stage || !visible(output)) return;
      const box = output.getBoundingClientRect();
      if (box.bottom > window.innerHeight || box.top < 0) output.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }

    function showEmpty(line, isError) {
      hasResult = false;
      output.classList.remove("cached", "has-result");
      say(line, isError ? "is-error" : "is-idle");
      bars.replaceChildren(...labels.map((label) => bar(label, null, false)));
      meta.replaceChildren();
      explanation.hidden = true;
      explanation.replaceChildren();
      if (isError) reveal();
    }

    function showResult(result, how) {
      const cached = Boolean(how && how.cached);
      const ranked = result.labels
        .map((row) => ({ label: String(row.label), score: Number(row.score) || 0 }))
        .sort((a, b) => b.score - a.score);
      hasResult = true;
      output.classList.add("has-result");
      output.classList.toggle("cached", cached);
      if (cached) say(CACHED_NOTE, "cached pl-demo-cached");
      // on stage the highlighted top bar is the answer; the line stays free for "cached" and errors
      else say(stage || !ranked.length ? "" : ranked[0].label, "is-answer");
      bars.replaceChildren(...ranked.map((row, i) => bar(row.label, row.score, i === 0)));
      const facts = [latency(result.latency_ms), result.device ? String(result.device) : ""].filter(Boolean);
      meta.textContent = facts.join(" · ");
      const shown = !cached && how && how.explained && result.explanation;
      explanation.hidden = !shown;
      explanation.replaceChildren();
      if (shown) {
        if (kind === "text") explainText(result.explanation, how.input.text);
        else explainImage(result.explanation, how.input.previewUrl);
      }
      reveal();
      if (!mirroring && typeof opts.onResult === "function") {
        opts.onResult(result, { cached, explained: Boolean(shown), input: hookInput(), example: exampleIndex() });
      }
    }

    function explainText(expl, text) {
      const words = (Array.isArray(expl.words) ? expl.words : [])
        .filter((w) => Number.isInteger(w.start) && Number.isInteger(w.end) && w.start >= 0 && w.end <= text.length && w.start < w.end)
        .sort((a, b) => a.start - b.start);
      const strongest = Math.max(0, ...words.map((w) => Math.abs(Number(w.weight) || 0)));
      const line = h("p", { className: "pl-demo-words" });
      let at = 0;
      for (const word of words) {
        if (word.start < at) continue;
        if (word.start > at) line.append(text.slice(at, word.start));
        const weight = Number(word.weight) || 0;
        const span = h("span", {
          className: `pl-word ${weight > 0 ? "toward" : weight < 0 ? "against" : "neutral"}`,
          "data-weight": weight.toFixed(4),
          title: fmt(weight >= 0 ? gettext("%(weight)s toward %(label)s") : gettext("%(weight)s against %(label)s"), { weight: `${weight > 0 ? "+" : ""}${weight.toFixed(3)}`, label: expl.label }),
          text: text.slice(word.start, word.end),
        });
        if (strongest > 0 && weight !== 0) {
          const alpha = (0.12 + 0.6 * (Math.abs(weight) / strongest)).toFixed(3);
          span.style.backgroundColor = `rgba(${weight > 0 ? TOWARD_RGB : AGAINST_RGB}, ${alpha})`;
        }
        line.append(span);
        at = word.end;
      }
      if (at < text.length) line.append(text.slice(at));
      explanation.append(
        h("p", { className: "pl-demo-explain-head" }, rich(gettext("Why %(label)s (%(score)s)"), { label: h("strong", { text: String(expl.label) }), score: percent(expl.probability) })),
        line,
        explainLegend(expl.label, gettext("The stronger the colour, the stronger the push.")),
      );
    }

    function explainImage(expl, pictureUrl) {
      const overlayUrl = typeof expl.overlay === "string" && expl.overlay.startsWith("data:image/") ? expl.overlay : "";
      if (!overlayUrl) return;
      const overlay = h("img", { className: "pl-demo-overlay", src: overlayUrl, alt: fmt(gettext("Where the model looked for %(label)s"), { label: expl.label }) });
      const slider = h("input", { type: "range", min: "0", max: "100", value: "70", className: "pl-demo-opacity", "aria-label": gettext("Overlay opacity") });
      overlay.style.opacity = "0.7";
      slider.addEventListener("input", () => { overlay.style.opacity = String(Number(slider.value) / 100); });
      explanation.append(
        h("p", { className: "pl-demo-explain-head" }, rich(gettext("Why %(label)s (%(score)s)"), { label: h("strong", { text: String(expl.label) }), score: percent(expl.probability) })),
        h("div", { className: "pl-demo-overlay-wrap" }, pictureUrl ? h("img", { className: "pl-demo-overlay-base", src: pictureUrl, alt: "" }) : null, overlay),
        h("label", { className: "pl-demo-row pl-demo-legend" }, gettext("Overlay"), slider),
        explainLegend(expl.label, gettext("The stronger the colour, the stronger the push.")),
      );
    }

    if (explainSwitch) {
      listen(explainSwitch, "change", () => {
        if (explainSwitch.checked && hasResult && !running && currentInput()) run();
        else if (!explainSwitch.checked) explanation.hidden = true;
      });
    }

    // ---------- keys (stage) ----------
    /** A key pressed on the slide while the focus is not in the text box: 1–9 pick an example, Enter runs. */
    function key(event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return false;
      if (/^[1-9]$/.test(event.key)) {
        const index = Number(event.key) - 1;
        if (index >= examples.length || running) return false;
        pick(index, { run: false });
        return true;
      }
      if (event.key === "Enter") {
        if (!running) run();
        return true;
      }
      return false;
    }

    // ---------- mirroring ----------
    /** Show another panel's input and answer (the presenter's, on the audience window); runs nothing. */
    function display(input, result, how) {
      const opt = how || {};
      seq += 1; // an own run in flight (there should be none) must not overwrite this
      if (inflight) inflight.abort();
      clearTimeout(fallbackTimer);
      mirroring = true;
      try {
        setRunning(false);
        const example = Number.isInteger(opt.example) ? examples[opt.example] || null : null;
        if (input && kind === "text" && typeof input.text === "string") {
          textarea.value = input.text;
          markExample(example);
        } else if (input && kind === "image") {
          if (input.image instanceof Blob) setImage(input.image, example);
          else {
            current.blob = null;
            preview.hidden = true;
            dropZone.classList.remove("has-image");
            markExample(example);
          }
        }
        if (result && Array.isArray(result.labels)) {
          const shownInput = kind === "text" ? { text: textarea.value } : { previewUrl: current.previewUrl };
          showResult(result, { cached: Boolean(opt.cached), explained: Boolean(opt.explained), input: shownInput });
        } else if (opt.running) {
          setRunning(true);
          say(gettext("Asking the model…"), "is-waiting");
        } else if (opt.error) {
          showEmpty(String(opt.error), true);
        } else {
          showEmpty("");
        }
      } finally {
        mirroring = false;
      }
    }

    function destroy() {
      seq += 1;
      if (inflight) inflight.abort();
      clearTimeout(fallbackTimer);
      closeCamera();
      if (current.previewUrl) URL.revokeObjectURL(current.previewUrl);
      cleanups.forEach((undo) => undo());
      root.replaceChildren();
      delete root.plDemo;
      if (lastActive === api) lastActive = null;
    }

    const api = {
      root,
      run,
      pick,
      key,
      display,
      destroy,
      setExplain(on) {
        if (!explainSwitch) return;
        explainSwitch.checked = Boolean(on);
        explainSwitch.dispatchEvent(new Event("change"));
      },
      get running() { return running; },
    };
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
