/* The live demo try panel — showing: the status line, the score bars, the answer (live or cached) and its explanation.
 * Part of the panel's scripts (demo/core.js first, demo.js last): each part adds its functions to the panel object
 * ``p`` that demo.js's mount() makes; what changes while the panel lives (the run number, running, …) is read and
 * written on ``p``, and a function of another part is called as p.name(). */
(function () {
  "use strict";
  const D = window.PitchLab && window.PitchLab.demo;
  if (!D) return;
  const { CACHED_NOTE, TOWARD_RGB, AGAINST_RGB, h, rich, fmt, explainLegend, percent, latency, visible } = D;

  D.parts.show = function (p) {
    const { opts, kind, stage, labels, listen } = p;
    const { explainSwitch, status, bars, meta, explanation, output } = p;
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
      p.hasResult = false;
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
      p.hasResult = true;
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
      if (!p.mirroring && typeof opts.onResult === "function") {
        opts.onResult(result, { cached, explained: Boolean(shown), input: p.hookInput(), example: p.exampleIndex() });
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
        if (explainSwitch.checked && p.hasResult && !p.running && p.currentInput()) p.run();
        else if (!explainSwitch.checked) explanation.hidden = true;
      });
    }

    Object.assign(p, { say, bar, reveal, showEmpty, showResult, explainText, explainImage });
  };
})();
