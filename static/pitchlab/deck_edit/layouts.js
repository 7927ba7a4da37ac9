/* Edit mode's layout picker: the slide on show drawn in each layout it may take, as thumbnails (the server's own
 * slide HTML from /pitches/<id>/deck/layouts/<row>/, scaled down), the current one marked, and "Automatic" (the
 * layout the slide's content chooses). A click swaps the slide for the thumbnail's HTML at once — nothing is asked
 * of the server on the click — then writes the row's layout through the core (one undo step). The thumbnails are
 * kept per row until any change is saved.
 */
(function () {
  "use strict";
  const slides = () => window.PitchLab.deckSlides;
  const edit = () => window.PitchLab.deckEdit;
  const cache = new Map(); // row -> Promise of the layouts' answer (null: the slide has one layout)
  const answers = new Map(); // row -> that answer once it came: a switch marks its choice there
  let shownRow = "";
  let drawn = null; // the answer the picker shows now: drawn again only when another one is to be shown
  let refusal = ""; // the core's last words on a refused write
  let said = { row: "", text: "" };

  function layoutsOf(row) {
    if (!cache.has(row)) {
      const url = `/pitches/${edit().state.pitchId}/deck/layouts/${encodeURIComponent(row)}/`;
      cache.set(row, window.PitchLab.api.send("GET", url).then((answer) => {
        if (answer.ok) answers.set(row, answer.data);
        return answer.ok ? answer.data : null;
      }));
    }
    return cache.get(row);
  }

  /** The first <section> of server-rendered slide HTML (from our own endpoint), parsed through a <template>. */
  function parsed(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("section.slide");
  }

  /** A picture of a slide, not one: a <div> with the slide's classes (drawn as the slide), where nothing is found
   * as a slide of the deck (section.slide, data-key) or as an editable text. */
  function thumbnail(html) {
    const { h } = window.PitchLab.dom;
    const section = parsed(html);
    section.querySelectorAll("[data-edit-unit]").forEach((node) => {
      Array.from(node.attributes).filter((attr) => attr.name.startsWith("data-edit")).forEach((attr) => node.removeAttribute(attr.name));
    });
    const picture = h("div", { class: section.className, "aria-hidden": "true" }, Array.from(section.childNodes));
    picture.inert = true;
    return h("div", { class: "layout-frame" }, picture);
  }

  /** ``text`` under the picker, kept there while the picker shows the same row (it is drawn again after a save). */
  function message(text) {
    said = { row: shownRow, text };
    const slot = document.querySelector("[data-layout-message]");
    if (slot) window.PitchLab.dom.showError(slot, text);
  }

  /** The slide on show replaced by ``html`` now; the row's layout written after. */
  async function choose(row, name, html) {
    const known = answers.get(row);
    const was = known ? { layout: known.layout, chosen: known.chosen } : null;
    if (known) Object.assign(known, name ? { layout: name, chosen: true } : { chosen: false });
    if (html) {
      const section = parsed(html);
      section.hidden = false;
      slides().current().replaceWith(section);
      const detail = { key: section.dataset.key, row, sections: [section] };
      document.dispatchEvent(new CustomEvent("pitchlab:deck-redrawn", { detail }));
    }
    mark(name);
    message("");
    const before = (edit().row(row) || {}).layout || "";
    const ok = await edit().change(slides().UNIT, layoutOf(row, name), { pointers: [`${row}/layout`], label: gettext("Slide layout") });
    slides().settled();
    if (ok === false) {
      // Refused (a layout the slide does not have): the server's words here, the row and the slide as they were.
      message(refusal || gettext("This layout could not be saved."));
      if (known) Object.assign(known, was);
      mark(was && was.chosen ? was.layout : "");
      await edit().change(slides().UNIT, layoutOf(row, before), { pointers: [`${row}/layout`], record: false });
      slides().settled();
      await slides().redraw({ row });
    } else if (!html) {
      await slides().redraw({ row });
    }
  }

  function layoutOf(row, name) {
    return (rows) => {
      const found = rows.find((item) => slides().keyOf(item) === row);
      if (found) found.layout = name;
      return rows;
    };
  }

  function mark(name) {
    document.querySelectorAll("[data-layout-choice]").forEach((node) => {
      node.setAttribute("aria-pressed", String(node.dataset.layoutChoice === name));
    });
  }

  function choice(row, name, label, html, pressed) {
    const { h } = window.PitchLab.dom;
    return h("button", {
      type: "button", class: "layout-choice", "data-layout-choice": name, "aria-pressed": String(pressed),
      onclick: () => choose(row, name, html),
    }, html ? thumbnail(html) : h("div", { class: "layout-frame layout-auto", text: "A" }), h("span", { text: label }));
  }

  async function render(section) {
    const place = document.querySelector("[data-slides-layouts]");
    if (!place || !section) return;
    const row = slides().rowOf(section);
    if (section.dataset.key.startsWith("demo-")) {
      drawn = null;
      place.replaceChildren();
      return;
    }
    shownRow = row;
    const data = await layoutsOf(row);
    if (shownRow !== row) return;
    if (data && data === drawn && place.firstChild) {
      mark(data.chosen ? data.layout : "");
      return;
    }
    drawn = data;
    const { h } = window.PitchLab.dom;
    if (!data || !data.layouts || !data.layouts.length) {
      place.replaceChildren();
      return;
    }
    const automatic = data.chosen ? null : data.layouts.find((item) => item.name === data.layout);
    const choices = [
      choice(row, "", gettext("Automatic"), automatic ? automatic.html : "", !data.chosen),
      ...data.layouts.map((item) => choice(row, item.name, item.label, item.html, data.chosen && item.name === data.layout)),
    ];
    place.replaceChildren(
      h("span", { class: "slides-label", text: gettext("Layout") }),
      h("div", { class: "layout-choices", role: "group", "aria-label": gettext("Layout") }, choices),
      h("p", { class: "layout-message", "data-layout-message": true, role: "alert", hidden: said.row !== row || !said.text,
        text: said.row === row ? said.text : "" }));
  }

  document.addEventListener("pitchlab:deck-slides-update", (event) => render(event.detail.section));
  function start() {
    if (!edit()) return;
    edit().on("saved", () => cache.clear());
    edit().on("status", (status) => { refusal = status.state === "invalid" ? status.text : ""; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
