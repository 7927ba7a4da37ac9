/* The editor's brand kit panel (templates/decks/_brand_panel.html): colours, fonts, footer and logo choice.
 *
 * Saves the whole canvas unit ``deck.brand`` through window.PitchLab.api under the canvas' version rule, like the
 * editor's other units (editor/save.js): each write sends the version the panel's content is based on; a 409 shows
 * the other version with "Keep mine" / "Take theirs"; a 400 is shown at the field it concerns, and a colour refused
 * for contrast comes with the nearest readable shade (``suggested``), offered as a one-click "Use #rrggbb".
 * Its words come from Django's JavaScript catalogue (gettext). Drawn for editors only: viewers get the values.
 */
(function () {
  "use strict";
  const FIELDS = ["primary", "accent", "heading_font", "body_font", "footer", "logo", "logo_dark"];
  const COLOURS = ["primary", "accent"];
  const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;
  const TYPING_MS = 700;
  const fmt = (text, values) => interpolate(text, values, true);

  /** ``#abc``, ``abc`` or ``#AABBCC`` as ``#aabbcc``; null when it is not a colour. */
  function normalised(text) {
    const match = HEX.exec(text.trim());
    if (!match) return null;
    const digits = match[1].toLowerCase();
    return `#${digits.length === 3 ? digits.replace(/./g, "$&$&") : digits}`;
  }

  function start() {
    const panel = document.querySelector("[data-brand-panel]");
    const stateNode = document.getElementById("brand-state");
    if (!panel || !stateNode || !window.PitchLab || !window.PitchLab.api || panel.dataset.mounted) return;
    panel.dataset.mounted = "1";
    const api = window.PitchLab.api;
    const initial = JSON.parse(stateNode.textContent);
    const one = (selector) => panel.querySelector(selector);
    const input = (field) => one(`[data-brand-input="${field}"]`);
    const status = one("[data-brand-status]");
    let base = initial.version; // the pitch version the panel's content is based on
    let saved = pick(initial); // what the server holds, as far as this page knows
    let timer = null;
    let sending = false;
    let again = false;

    function pick(source) {
      const out = {};
      for (const field of FIELDS) out[field] = source[field] === undefined ? null : source[field];
      return out;
    }

    // ---------- reading and filling ----------
    function colourValue(field) {
      const text = input(field).value.trim();
      if (!text) return null;
      return normalised(text) || text; // a malformed colour goes as typed: the API says what is wrong with it
    }
    function logoValue(field) {
      const checked = one(`[data-brand-logo="${field}"]:checked`);
      return checked && checked.value ? Number(checked.value) : null;
    }
    function read() {
      return {
        primary: colourValue("primary"),
        accent: colourValue("accent"),
        heading_font: input("heading_font").value,
        body_font: input("body_font").value,
        footer: input("footer").value,
        logo: logoValue("logo"),
        logo_dark: logoValue("logo_dark"),
      };
    }
    function fill(value) {
      for (const field of COLOURS) setColour(field, value[field] || "");
      for (const field of ["heading_font", "body_font", "footer"]) input(field).value = value[field] || "";
      for (const field of ["logo", "logo_dark"]) {
        const wanted = value[field] === null || value[field] === undefined ? "" : String(value[field]);
        const radio = one(`[data-brand-logo="${field}"][value="${wanted}"]`) || one(`[data-brand-logo="${field}"][value=""]`);
        if (radio) radio.checked = true;
      }
      preview();
    }
    function setColour(field, colour) {
      const picker = one(`[data-brand-picker="${field}"]`);
      input(field).value = colour;
      picker.value = normalised(colour) || picker.dataset.default;
    }

    // ---------- the preview: the colours as titles on a light and a dark slide, the fonts in their face ----------
    function preview() {
      for (const field of COLOURS) {
        const colour = normalised(input(field).value); // none: each preview surface shows its theme's own
        if (colour) panel.style.setProperty(`--brandkit-${field}`, colour);
        else panel.style.removeProperty(`--brandkit-${field}`);
      }
      for (const field of ["heading_font", "body_font"]) {
        const select = input(field);
        const option = select.selectedOptions[0];
        if (!option) continue;
        select.style.fontFamily = option.dataset.stack;
        panel.style.setProperty(`--brandkit-${field.replace("_", "-")}`, option.dataset.stack);
      }
    }

    // ---------- saving ----------
    function say(text) { status.textContent = text; }

    /** The editor's status line (top of the page) speaks for every unit: a refused brand kit is "not saved" there
     * too, until the editor's next save redraws it or this panel saves. */
    function pageStatus(refused) {
      const editor = window.PitchLab.editor;
      const line = document.getElementById("save-status");
      if (!refused) { if (editor && editor.refreshStatus) editor.refreshStatus(); return; }
      if (!line) return;
      line.className = "save-status invalid";
      line.textContent = gettext("Not saved: fix the highlighted field");
    }

    function schedule(now) {
      clearTimeout(timer);
      if (now) send();
      else timer = setTimeout(send, TYPING_MS);
    }

    async function send() {
      clearTimeout(timer);
      if (sending) { again = true; return; }
      if (!one("[data-brand-conflict]").hidden) return; // the founder chooses first
      const value = read();
      sending = true;
      say(gettext("Saving…"));
      const answer = await api.send("PATCH", panel.dataset.url, {
        json: { base_version: base, changes: { "deck.brand": value } },
      });
      sending = false;
      if (answer.ok) {
        base = answer.data.unit_versions["deck.brand"];
        saved = value;
        clearErrors();
        for (const field of COLOURS) if (value[field] && input(field).value !== value[field]) setColour(field, value[field]);
        say(gettext("All changes saved"));
        pageStatus(false);
      } else if (answer.status === 409) {
        const theirs = answer.data && answer.data.extra && answer.data.extra.conflicts && answer.data.extra.conflicts["deck.brand"];
        if (theirs) showConflict(theirs);
        say("");
      } else if (answer.status === 400) {
        showErrors(answer.data);
        say(gettext("Not saved: fix the highlighted field"));
        pageStatus(true);
      } else {
        showError("", answer.message);
        say("");
      }
      if (again) { again = false; send(); }
    }

    // ---------- refusals, at the field they concern ----------
    function clearErrors() {
      panel.querySelectorAll("[data-brand-error]").forEach((node) => { node.hidden = true; node.textContent = ""; });
      panel.querySelectorAll("[data-brand-suggest]").forEach((node) => { node.hidden = true; });
      panel.querySelectorAll(".has-error").forEach((node) => node.classList.remove("has-error"));
    }

    function showError(field, text) {
      const node = one(`[data-brand-error="${field}"]`) || one('[data-brand-error=""]');
      node.textContent = node.textContent ? `${node.textContent} ${text}` : text;
      node.hidden = false;
      const box = field && one(`[data-brand-field="${field}"]`);
      if (box) box.classList.add("has-error");
    }

    function messages(detail) {
      if (typeof detail === "string") return [detail];
      if (Array.isArray(detail)) return detail.flatMap(messages);
      if (detail && typeof detail === "object") return Object.values(detail).flatMap(messages);
      return [];
    }

    function showErrors(data) {
      clearErrors();
      const fields = data && data.extra && data.extra.fields;
      const detail = fields ? (fields["deck.brand"] || fields) : null;
      if (!detail || typeof detail !== "object" || Array.isArray(detail)) {
        showError("", messages(detail).join(" ") || (data && data.message) || gettext("The request was refused."));
        return;
      }
      for (const [field, said] of Object.entries(detail)) {
        if (field !== "suggested") showError(FIELDS.includes(field) ? field : "", messages(said).join(" "));
      }
      for (const [field, colour] of Object.entries(detail.suggested || {})) {
        const offer = one(`[data-brand-suggest="${field}"]`);
        if (!offer) continue;
        offer.textContent = fmt(gettext("Use %(colour)s"), { colour });
        offer.dataset.colour = colour;
        offer.hidden = false;
      }
    }

    // ---------- a conflict: someone else saved the brand kit since this page read it ----------
    function showConflict(theirs) {
      const box = one("[data-brand-conflict]");
      const title = document.createElement("p");
      title.className = "conflict-title";
      title.textContent = gettext("Someone changed this since you opened it. Their version:");
      const other = document.createElement("p");
      other.className = "theirs";
      other.textContent = FIELDS.map((field) => `${labelOf(field)}: ${theirs.value[field] ?? "—"}`).join(" · ");
      const keep = button(gettext("Keep mine"), "button small");
      const take = button(gettext("Take theirs"), "button ghost small");
      keep.addEventListener("click", () => { box.hidden = true; base = theirs.version; send(); });
      take.addEventListener("click", () => {
        box.hidden = true;
        base = theirs.version;
        saved = pick(theirs.value);
        clearErrors();
        fill(saved);
        say(gettext("All changes saved"));
      });
      const actions = document.createElement("div");
      actions.className = "paste-actions";
      actions.append(keep, take);
      box.replaceChildren(title, other, actions);
      box.hidden = false;
    }

    function labelOf(field) {
      const label = one(`[data-brand-field="${field}"] label, [data-brand-field="${field}"] legend`);
      return label ? label.textContent.trim() : field;
    }

    function button(text, cls) {
      const node = document.createElement("button");
      node.type = "button";
      node.className = cls;
      node.textContent = text;
      return node;
    }

    // ---------- logos uploaded or deleted in the Pictures panel (pictures.js announces them) ----------
    function addLogo(picture) {
      for (const field of ["logo", "logo_dark"]) {
        const newest = one(`[data-brand-logo="${field}"][value=""]`);
        if (!newest || one(`[data-brand-logo="${field}"][value="${picture.id}"]`)) continue;
        const choice = document.createElement("label");
        choice.className = "brandkit-logo-choice";
        const radio = document.createElement("input");
        Object.assign(radio, { type: "radio", name: `brand-${field}`, value: String(picture.id) });
        radio.dataset.brandLogo = field;
        radio.addEventListener("change", () => schedule(true));
        radio.checked = saved[field] === picture.id; // a restore may bring back the chosen logo after its choice
        const img = document.createElement("img");
        const heading = document.getElementById(`pictures-${picture.role}`);
        img.src = `${picture.file_url}&w=160`;
        img.alt = picture.alt || (heading ? heading.textContent.trim() : picture.role);
        img.title = heading ? heading.textContent.trim() : "";
        if (picture.role === "logo_dark") img.className = "on-dark";
        choice.append(radio, img);
        newest.closest("label").after(choice); // newest first, as the page draws them
      }
      panel.querySelectorAll("[data-brand-no-logo]").forEach((note) => { note.hidden = true; });
    }
    function removeLogo(id) {
      let chosen = false;
      panel.querySelectorAll(`[data-brand-logo][value="${id}"]`).forEach((radio) => {
        if (radio.checked) { chosen = true; one(`[data-brand-logo="${radio.dataset.brandLogo}"][value=""]`).checked = true; }
        radio.closest("label").remove();
      });
      if (!one('[data-brand-logo]:not([value=""])')) panel.querySelectorAll("[data-brand-no-logo]").forEach((note) => { note.hidden = false; });
      if (chosen) schedule(true); // the deck now reads it as the newest logo: say so in the brand kit too
    }
    document.addEventListener("pitchlab:picture-added", (event) => {
      if (event.detail && ["logo", "logo_dark"].includes(event.detail.role)) addLogo(event.detail);
    });
    document.addEventListener("pitchlab:picture-deleted", (event) => { if (event.detail) removeLogo(event.detail.id); });
    // A restored revision (editor/panels.js) brings its brand kit back: show it, based on the restored version.
    document.addEventListener("pitchlab:revision-restored", (event) => {
      if (!event.detail || !event.detail.content) return;
      base = event.detail.version;
      saved = pick((event.detail.content.deck || {}).brand || {});
      clearErrors();
      fill(saved);
      say(gettext("All changes saved"));
    });

    // ---------- wiring ----------
    for (const field of COLOURS) {
      const picker = one(`[data-brand-picker="${field}"]`);
      picker.addEventListener("input", () => { input(field).value = picker.value; preview(); });
      picker.addEventListener("change", () => { input(field).value = picker.value; preview(); schedule(true); });
      input(field).addEventListener("input", () => {
        const colour = normalised(input(field).value);
        if (colour) picker.value = colour;
        preview();
      });
      input(field).addEventListener("change", () => schedule(true));
      one(`[data-brand-clear="${field}"]`).addEventListener("click", () => { setColour(field, ""); preview(); schedule(true); });
      one(`[data-brand-suggest="${field}"]`).addEventListener("click", (event) => {
        setColour(field, event.currentTarget.dataset.colour);
        preview();
        schedule(true);
        input(field).focus();
      });
    }
    for (const field of ["heading_font", "body_font"]) input(field).addEventListener("change", () => { preview(); schedule(true); });
    input("footer").addEventListener("input", () => schedule(false));
    input("footer").addEventListener("change", () => schedule(true));
    panel.querySelectorAll("[data-brand-logo]").forEach((radio) => radio.addEventListener("change", () => schedule(true)));
    window.addEventListener("beforeunload", (event) => {
      if (sending || JSON.stringify(read()) !== JSON.stringify(saved)) { event.preventDefault(); event.returnValue = ""; }
    });
    saved = read(); // what the panel shows: a logo id whose picture was deleted reads as "newest uploaded"
    preview();
  }

  // Deferred scripts run in document order and this panel stands before the page's api.js: wait for it.
  if (window.PitchLab && window.PitchLab.api) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
