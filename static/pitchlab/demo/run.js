/* The live demo try panel — running: one request at a time, numbered, with the cached answer past the budget and a hard
 * limit; the stage keys; mirroring another panel; taking the panel down.
 * Part of the panel's scripts (demo/core.js first, demo.js last): each part adds its functions to the panel object
 * ``p`` that demo.js's mount() makes; what changes while the panel lives (the run number, running, …) is read and
 * written on ``p``, and a function of another part is called as p.name(). */
(function () {
  "use strict";
  const D = window.PitchLab && window.PitchLab.demo;
  if (!D) return;
  const { PREDICT_GRACE_MS, EXPLAIN_LIMIT_MS, NOT_ANSWERING, BUSY } = D;

  D.parts.run = function (p) {
    const { root, opts, kind, stage, examples, budgetMs, explainUrl, current } = p;
    const { exampleButtons, textarea, fileInput, dropZone, preview, cameraButton, runButton, explainSwitch, status } = p;
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
      p.running = on;
      root.classList.toggle("is-running", on);
      runButton.disabled = on;
      exampleButtons.forEach((button) => { button.disabled = on; });
      if (fileInput) fileInput.disabled = on;
      if (cameraButton) cameraButton.disabled = on;
      root.setAttribute("aria-busy", String(on));
    }

    async function run() {
      if (p.picking) await p.picking; // Enter right after a number key: the example's picture first
      const input = currentInput();
      if (!input && current.example && current.example.cached) {
        p.showResult(current.example.cached, { cached: true }); // its picture did not load; its answer did
        return;
      }
      if (!input) {
        p.showEmpty(kind === "text" ? gettext("Type something first.") : gettext("Choose a picture first."), true);
        return;
      }
      const mine = ++p.seq;
      if (p.inflight) p.inflight.abort();
      clearTimeout(p.fallbackTimer);
      const explained = Boolean(explainSwitch && explainSwitch.checked);
      const cached = input.example ? input.example.cached : null;
      let showedCache = false;
      setRunning(true);
      p.say(gettext("Asking the model…"), "is-waiting");
      p.notifyInput(true);
      if (cached) {
        p.fallbackTimer = setTimeout(() => {
          if (mine !== p.seq) return;
          p.showResult(cached, { cached: true });
          showedCache = true;
          setRunning(false); // the room has its answer; the live one still replaces it if it comes
        }, budgetMs);
      }
      const controller = new AbortController();
      p.inflight = controller;
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
      if (mine !== p.seq) return; // a newer run owns the panel now
      clearTimeout(p.fallbackTimer);
      p.inflight = null;
      if (outcome.ok) {
        p.showResult(outcome.data, { explained, input });
      } else if (cached) {
        if (!showedCache) p.showResult(cached, { cached: true });
      } else {
        const line = errorLine(outcome);
        p.showEmpty(line, true);
        if (!p.mirroring && typeof opts.onError === "function") opts.onError(line);
      }
      setRunning(false);
    }

    function errorLine(outcome) {
      if (outcome.status === 429) return BUSY;
      const calm = outcome.status === 503 || (outcome.status >= 400 && outcome.status < 500);
      if (calm && outcome.message) return outcome.message.length > 240 ? `${outcome.message.slice(0, 239)}…` : outcome.message;
      return NOT_ANSWERING;
    }

    /** A key pressed on the slide while the focus is not in the text box: 1–9 pick an example, Enter runs. */
    function key(event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return false;
      if (/^[1-9]$/.test(event.key)) {
        const index = Number(event.key) - 1;
        if (index >= examples.length || p.running) return false;
        p.pick(index, { run: false });
        return true;
      }
      if (event.key === "Enter") {
        if (!p.running) run();
        return true;
      }
      return false;
    }

    // ---------- mirroring ----------
    /** Show another panel's input and answer (the presenter's, on the audience window); runs nothing. */
    function display(input, result, how) {
      const opt = how || {};
      p.seq += 1; // an own run in flight (there should be none) must not overwrite this
      if (p.inflight) p.inflight.abort();
      clearTimeout(p.fallbackTimer);
      p.mirroring = true;
      try {
        setRunning(false);
        const example = Number.isInteger(opt.example) ? examples[opt.example] || null : null;
        if (input && kind === "text" && typeof input.text === "string") {
          textarea.value = input.text;
          p.markExample(example);
        } else if (input && kind === "image") {
          if (input.image instanceof Blob) p.setImage(input.image, example);
          else {
            current.blob = null;
            preview.hidden = true;
            dropZone.classList.remove("has-image");
            p.markExample(example);
          }
        }
        if (result && Array.isArray(result.labels)) {
          const shownInput = kind === "text" ? { text: textarea.value } : { previewUrl: current.previewUrl };
          p.showResult(result, { cached: Boolean(opt.cached), explained: Boolean(opt.explained), input: shownInput });
        } else if (opt.running) {
          setRunning(true);
          p.say(gettext("Asking the model…"), "is-waiting");
        } else if (opt.error) {
          p.showEmpty(String(opt.error), true);
        } else {
          p.showEmpty("");
        }
      } finally {
        p.mirroring = false;
      }
    }

    function destroy() {
      p.seq += 1;
      if (p.inflight) p.inflight.abort();
      clearTimeout(p.fallbackTimer);
      p.closeCamera();
      if (current.previewUrl) URL.revokeObjectURL(current.previewUrl);
      cleanups.forEach((undo) => undo());
      root.replaceChildren();
      delete root.plDemo;
      if (D.lastActive === p.api) D.lastActive = null;
    }

    Object.assign(p, { currentInput, setRunning, run, errorLine, key, display, destroy });
  };
})();
