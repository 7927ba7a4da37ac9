/* Demo models page — A ready model's panel: the try panel (demo.js) and the curated examples.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { budgetMs, may, panelTemplate, fmt, h, part, slotFor, say, tell, clearErrors, percent, duration, isNumber, busy, call } = A;
  // ---------- one ready model's panel ----------
  function buildPanel(entry) {
    const body = part(entry.el, "panel-body");
    body.append(panelTemplate.content.cloneNode(true));
    const kind = entry.model.kind;
    body.querySelectorAll("[data-kind]").forEach((node) => { node.hidden = node.dataset.kind !== kind; });
    part(body, "budget").textContent = duration(budgetMs);
    entry.panel = { root: body, examples: [], stops: [] };
    setupExamples(entry);
    A.setupPreflight(entry);
    A.setupAudience(entry);
    A.setupEvaluate(entry);
    A.paintLink(entry, entry.model.audience_link || null);
    // the pre-flight report names its examples, so it is drawn once they are known
    loadExamples(entry).then(() => A.loadPreflight(entry));
    A.loadEvaluation(entry);
  }

  function mountTry(entry) {
    const root = part(entry.panel.root, "try");
    const component = window.PitchLabDemo;
    if (!component || typeof component.mount !== "function") {
      root.replaceChildren(h("p", { class: "field-error", text: gettext("The try panel did not load. Reload the page to try again.") }));
      return;
    }
    if (!entry.panel.tryHolder) {
      entry.panel.tryHolder = h("div", { class: "try-mount" });
      root.replaceChildren(entry.panel.tryHolder);
    }
    const links = A.urls(entry.model);
    try {
      // mounting again on the same element replaces the previous panel (and its listeners)
      component.mount(entry.panel.tryHolder, {
        kind: entry.model.kind,
        predictUrl: links.predict,
        explainUrl: links.explain,
        labels: entry.model.labels || [],
        trainedOn: entry.model.trained_on_text || "",
        examples: entry.panel.examples,
        budgetMs,
        stage: false,
      });
    } catch (e) {
      root.replaceChildren(h("p", { class: "field-error", text: fmt(gettext("The try panel could not start: %(error)s"), { error: e.message }) }));
      entry.panel.tryHolder = null;
    }
  }

  // ----- curated examples -----
  function setupExamples(entry) {
    const root = entry.panel.root;
    const form = part(root, "example-form");
    if (!form) return;
    const select = form.querySelector('[name="expected_label"]');
    (entry.model.labels || []).forEach((label) => select.append(h("option", { value: label, text: label })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      const slot = slotFor(form, "form");
      const expected = select.value;
      let options;
      if (entry.model.kind === "image") {
        const file = form.querySelector('[name="image"]').files[0];
        if (!file) { say(slot, gettext("Choose a PNG or JPEG picture first.")); return; }
        const data = new FormData();
        data.append("image", file);
        data.append("expected_label", expected);
        options = { form: data, timeoutMs: 60000 };
      } else {
        const text = form.querySelector('[name="text"]').value.trim();
        if (!text) { say(slot, gettext("Type the example's text first.")); return; }
        options = { json: { text, expected_label: expected } };
      }
      const button = form.querySelector('[type="submit"]');
      busy(button, gettext("Adding…"));
      const answer = await call("POST", A.urls(entry.model).examples, options);
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      form.reset(); // only after success: on an error the text and picture stay
      entry.panel.examples.push(answer.data);
      renderExamples(entry);
      mountTry(entry);
    });
  }

  async function loadExamples(entry) {
    const slot = slotFor(entry.panel.root, "examples");
    const answer = await call("GET", A.urls(entry.model).examples);
    if (!answer.ok) {
      tell(slot, answer, { label: gettext("Try again"), run: () => loadExamples(entry) }, `${gettext("The examples could not be loaded.")} `);
    } else {
      say(slot, "");
      entry.panel.examples = Array.isArray(answer.data) ? answer.data : (answer.data && answer.data.results) || [];
      renderExamples(entry);
    }
    mountTry(entry);
  }

  function topLabel(output) {
    const labels = output && Array.isArray(output.labels) ? output.labels : [];
    return labels.length ? labels[0] : null;
  }

  function renderExamples(entry) {
    const root = entry.panel.root;
    const listNode = part(root, "examples");
    const examples = entry.panel.examples;
    part(root, "examples-count").textContent = String(examples.length);
    if (entry.model.examples_count !== examples.length) A.paint(entry, { ...entry.model, examples_count: examples.length });
    if (!examples.length) {
      listNode.replaceChildren(h("li", { class: "example-empty", text: gettext("No curated example yet. Add the three or four inputs you will show on stage.") }));
      return;
    }
    listNode.replaceChildren(...examples.map((example, index) => {
      const top = topLabel(example.cached_output);
      const content = example.image_url
        ? h("img", { class: "example-thumb", src: example.image_url, alt: fmt(gettext("Example %(n)s"), { n: index + 1 }), loading: "lazy" })
        : h("p", { class: "example-text", text: example.text });
      const cached = top
        ? h("span", { class: `example-cached${example.expected_label && top.label !== example.expected_label ? " mismatch" : ""}` },
          fmt(gettext("last answer: %(label)s %(score)s"), { label: top.label, score: percent(top.score) }),
          isNumber(example.cached_output.latency_ms) ? ` · ${duration(example.cached_output.latency_ms)}` : "")
        : h("span", { class: "example-cached none", text: gettext("no answer kept yet: run pre-flight") });
      const remove = may.edit ? h("button", {
        type: "button", class: "row-remove", title: gettext("Delete this example"), "aria-label": fmt(gettext("Delete example %(n)s"), { n: index + 1 }), text: "×",
      }) : null;
      const errorSlot = h("p", { class: "field-error", role: "alert", hidden: true });
      if (remove) remove.addEventListener("click", async () => {
        remove.disabled = true;
        const answer = await call("DELETE", `${A.urls(entry.model).examples}${example.id}/`);
        remove.disabled = false;
        if (!answer.ok && answer.status !== 404) { tell(errorSlot, answer); return; }
        entry.panel.examples = entry.panel.examples.filter((other) => other.id !== example.id);
        renderExamples(entry);
        mountTry(entry);
      });
      return h("li", { class: "example" },
        h("span", { class: "example-key", text: index < 9 ? String(index + 1) : "" }),
        h("div", { class: "example-body" },
          content,
          h("div", { class: "example-meta" },
            example.expected_label ? h("span", { class: "chip small", text: fmt(gettext("expected: %(label)s"), { label: example.expected_label }) }) : null,
            cached),
          errorSlot),
        remove);
    }));
  }


  Object.assign(A, { buildPanel, mountTry, setupExamples, loadExamples, topLabel, renderExamples });
})();
