/* Edit mode's slide panel (window.PitchLab.deckSlides): the current slide's actions — add, duplicate, hide, delete,
 * the hidden slides' menu, a custom slide's bullets and picture — over the deck's ``deck.slides`` unit.
 *
 * Every action is one ``deckEdit.change("deck.slides", …)`` (so undo/redo and the version rule are the core's), then
 * a redraw from the server. strip.js (the numbered strip, reordering) and layouts.js (the layout picker) fill their
 * own places in this panel through ``deckSlides``: they hear "pitchlab:deck-slides-update" whenever the current
 * slide or the slides change.
 *
 *   const slides = window.PitchLab.deckSlides;
 *   slides.rowOf(section)          // the deck.slides row key a <section class="slide"> comes from
 *   slides.current()               // the section on show
 *   await slides.write(mutate, { pointers, label })   // change + redraw; false when the write was refused
 *   slides.goTo(key)               // show the slide with that data-key
 *   slides.settled()               // the slides on show match deck.slides now (no redraw after the next save)
 */
(function () {
  "use strict";
  const UNIT = "deck.slides";
  const ID_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

  const edit = () => window.PitchLab.deckEdit;
  const deck = () => document.querySelector("main[data-deck]");
  const sections = () => Array.from(deck().querySelectorAll("section.slide[data-key]"));
  const keyOf = (row) => (row.kind === "custom" ? `custom-${row.id}` : row.kind);
  const rowOf = (section) => section.dataset.row || (section.dataset.key.startsWith("demo-") ? "demo" : section.dataset.key);

  let panel = null;
  let currentKey = "";
  let shown = "";
  let writing = 0;
  const titles = {}; // each row's title as last seen on a slide: the hidden slides' menu names them so

  function current() {
    const all = sections();
    return all.find((section) => section.dataset.key === currentKey) || all.find((section) => !section.hidden) || all[0];
  }

  /** What a redraw depends on in deck.slides: the order, what is hidden, each layout, picture and bullet count. */
  function structure(rows) {
    return JSON.stringify(rows.map((row) => [keyOf(row), row.hidden, row.layout, row.picture, (row.bullets || []).length]));
  }

  function update() {
    document.dispatchEvent(new CustomEvent("pitchlab:deck-slides-update", { detail: { section: current() } }));
  }

  async function redraw(options) {
    await edit().redraw(options || {});
    shown = structure(edit().unit(UNIT));
    update();
  }

  /** The slides as drawn now match deck.slides (a layout swapped in place by layouts.js, no redraw needed). */
  function settled() {
    shown = structure(edit().unit(UNIT));
  }

  function goTo(key) {
    const section = sections().find((node) => node.dataset.key === key);
    if (!section) return;
    currentKey = key;
    location.hash = section.dataset.slide;
    update();
  }

  /** One change of deck.slides, then the slides redrawn from the server; false when the write was refused. */
  async function write(mutate, { pointers = [""], label = "", row = null } = {}) {
    writing += 1;
    try {
      const ok = await edit().change(UNIT, mutate, { pointers, label });
      if (ok === false) return false;
      await redraw(row ? { row } : {});
      return true;
    } finally {
      writing -= 1;
    }
  }

  function newId() {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (byte) => ID_LETTERS[byte % ID_LETTERS.length]).join("");
  }

  function customRow(fields) {
    return Object.assign({
      kind: "custom", id: newId(), title: gettext("New slide"), text: "", bullets: [], picture: null, layout: "",
      notes: "", seconds: null, hidden: false, overrides: {},
    }, fields);
  }

  /** ``row`` put into ``rows`` right after the row keyed ``after``. */
  function insertAfter(rows, after, row) {
    const index = rows.findIndex((item) => keyOf(item) === after);
    rows.splice(index < 0 ? rows.length : index + 1, 0, row);
    return rows;
  }

  function edited(rows, key, fn) {
    const row = rows.find((item) => keyOf(item) === key);
    if (row) fn(row);
    return rows;
  }

  async function add() {
    const row = customRow({});
    if (await write((rows) => insertAfter(rows, rowOf(current()), row), { label: gettext("Add slide") })) goTo(keyOf(row));
  }

  /** The first text on a slide as shown (a kind's slide copied into a custom one). */
  function firstText(section) {
    const node = section.querySelector('[data-edit-part="text"]') || section.querySelector(".slide-text p, .statement");
    return node ? node.textContent.trim() : "";
  }

  async function duplicate() {
    const section = current();
    const key = rowOf(section);
    const source = edit().row(key);
    const title = section.querySelector(".slide-title, h1");
    const row = source && source.kind === "custom"
      ? Object.assign(source, { id: newId() })
      : customRow({ title: (title ? title.textContent : section.getAttribute("aria-label") || "").trim(), text: firstText(section) });
    if (await write((rows) => insertAfter(rows, key, row), { label: gettext("Duplicate slide") })) goTo(keyOf(row));
  }

  async function setHidden(key, hidden) {
    await write((rows) => edited(rows, key, (row) => { row.hidden = hidden; }), {
      pointers: [`${key}/hidden`], label: hidden ? gettext("Hide slide") : gettext("Show slide"),
    });
  }

  async function remove() {
    const key = rowOf(current());
    if (!key.startsWith("custom-") || !window.confirm(gettext("Delete this slide? Undo (Ctrl+Z) brings it back."))) return;
    await write((rows) => rows.filter((row) => keyOf(row) !== key), { label: gettext("Delete slide") });
  }

  async function setPicture(key, picture) {
    await write((rows) => edited(rows, key, (row) => { row.picture = picture; }), {
      pointers: [`${key}/picture`], label: gettext("Slide picture"), row: key,
    });
  }

  async function bullets(key, fn, label) {
    await write((rows) => edited(rows, key, (row) => { row.bullets = fn(row.bullets || []); }), {
      pointers: [`${key}/bullets`], label, row: key,
    });
  }

  // ---------- the panel ----------
  function button(text, action, attrs) {
    const { h } = window.PitchLab.dom;
    return h("button", Object.assign({ type: "button", class: "slides-button", text, onclick: action }, attrs || {}));
  }

  function hiddenMenu() {
    const { h } = window.PitchLab.dom;
    const rows = edit().unit(UNIT).filter((row) => row.hidden);
    const items = rows.map((row) => h("li", {},
      h("span", { text: row.title || titles[keyOf(row)] || row.kind }),
      button(gettext("Show"), () => setHidden(keyOf(row), false), { "data-show": keyOf(row) })));
    const summary = h("summary", { text: interpolate(gettext("Hidden slides (%(count)s)"), { count: rows.length }, true) });
    return h("details", { class: "slides-hidden", "data-hidden-slides": true, hidden: !rows.length }, summary, h("ul", {}, items));
  }

  function customTools(key) {
    const { h } = window.PitchLab.dom;
    const row = edit().row(key);
    if (!row || row.kind !== "custom") return null;
    const list = (row.bullets || []).map((text, index) => h("li", {},
      h("span", { text: text || "…" }),
      button("×", () => bullets(key, (items) => items.filter((_, i) => i !== index), gettext("Remove bullet")), {
        "aria-label": interpolate(gettext("Remove bullet %(number)s"), { number: index + 1 }, true), "data-remove-bullet": index,
      })));
    const addBullet = button(gettext("Add bullet"), () => bullets(key, (items) => [...items, gettext("New point")], gettext("Add bullet")), { "data-add-bullet": true });
    const pictures = (edit().state.pictures || []).map((picture) => h("button", {
      type: "button", class: "slides-picture", "data-picture-choice": picture.id, "aria-pressed": String(row.picture === picture.id),
      title: picture.alt || picture.role, onclick: () => setPicture(key, picture.id),
    }, h("img", { src: picture.src, alt: picture.alt || "" })));
    const none = button(gettext("No picture"), () => setPicture(key, null), { "data-picture-choice": "", "aria-pressed": String(row.picture === null) });
    return h("div", { class: "slides-custom" },
      h("div", { class: "slides-bullets" }, h("span", { class: "slides-label", text: gettext("Bullets") }), h("ol", {}, list), addBullet),
      h("div", { class: "slides-pictures", role: "group", "aria-label": gettext("Picture") }, none, pictures));
  }

  function renderActions() {
    const { h } = window.PitchLab.dom;
    const place = panel.querySelector("[data-slides-actions]");
    const section = current();
    if (!section) return;
    sections().forEach((node) => { titles[rowOf(node)] = node.getAttribute("aria-label") || ""; });
    const key = rowOf(section);
    const custom = key.startsWith("custom-");
    const tools = customTools(key);
    place.replaceChildren(
      h("div", { class: "slides-actions-row" },
        button(gettext("Add slide"), add, { "data-add-slide": true }),
        button(gettext("Duplicate"), duplicate, { "data-duplicate-slide": true }),
        button(gettext("Hide"), () => setHidden(key, true), { "data-hide-slide": true }),
        custom ? button(gettext("Delete"), remove, { "data-delete-slide": true, class: "slides-button slides-danger" }) : null,
        hiddenMenu()),
      ...(tools ? [tools] : []));
  }

  function build() {
    const { h } = window.PitchLab.dom;
    panel = h("aside", { class: "deck-slides-panel", "data-slides-panel": true, "aria-label": gettext("Slides") },
      h("div", { class: "slides-strip", "data-slides-strip": true }),
      h("div", { class: "slides-tools" },
        h("div", { class: "slides-actions", "data-slides-actions": true }),
        h("div", { class: "slides-layouts", "data-slides-layouts": true })));
    deck().after(panel);
    shown = structure(edit().unit(UNIT));
    const measure = () => document.body.style.setProperty("--deck-slides-panel", `${panel.hidden ? 0 : panel.offsetHeight}px`);
    new ResizeObserver(measure).observe(panel);
    edit().on("mode", measure);
  }

  /** Show or hide the panel with Edit mode. */
  function sync() {
    const on = edit().enabled();
    if (!panel && !on) return;
    if (!panel) build();
    else if (panel.hidden === !on) return;
    panel.hidden = !on;
    if (on) update();
  }

  function start() {
    if (!deck() || !edit()) return;
    document.addEventListener("pitchlab:slide", (event) => { currentKey = event.detail.key; if (panel && !panel.hidden) update(); });
    // After the next paint: a layout switch swaps a slide in and must show it before the panel is redrawn.
    document.addEventListener("pitchlab:deck-redrawn", () => {
      requestAnimationFrame(() => setTimeout(() => { if (panel && !panel.hidden) update(); }, 0));
    });
    document.addEventListener("pitchlab:deck-slides-update", () => { if (panel) renderActions(); });
    // An undo or redo that changed the structure (a slide moved, hidden or shown again, one deleted or added back):
    // the whole deck is drawn again, as a row's redraw cannot put back a slide that is not on show.
    edit().on("saved", () => setTimeout(() => { // after the other listeners (layouts.js drops its thumbnails)
      if (!panel || writing) return;
      if (structure(edit().unit(UNIT)) !== shown) redraw();
      else if (!panel.hidden) update();
    }));
    edit().on("mode", sync);
    sync();
  }

  window.PitchLab = Object.assign(window.PitchLab || {}, {
    deckSlides: { UNIT, rowOf, keyOf, current, sections, write, goTo, redraw, settled },
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
