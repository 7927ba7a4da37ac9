/* The web deck's Edit mode — typing on the slides. In Edit mode every text the server marked with data-edit-unit
 * (the {% editable %} tag) can be typed in; each keystroke changes the text's unit at its pointer, saved after
 * the autosave window (deck_edit/core.js). A generated text (a heading, a default title) is marked "generated";
 * typing stores an override, marked "edited", with "Back to generated" to clear it.
 * Part of the Edit mode's scripts (deck_edit/core.js first).
 */
(function () {
  "use strict";
  const E = window.PitchLab && window.PitchLab.deckEdit;
  if (!E) return;
  const { h } = window.PitchLab.dom;
  const deck = document.querySelector("main[data-deck]");
  const SINGLE_LINE = /^(title|heading|item\.\d+|label\.\d+|person\.\d+\.(name|role))$/;
  const LONG = () => gettext("Longer than this layout holds: the slide shrinks it, then cuts it with “…” (in the PDF too).");
  let session = 0;

  const texts = (scope) => Array.from((scope || deck).querySelectorAll("[data-edit-unit]"));
  const singleLine = (node) => SINGLE_LINE.test(node.dataset.editPart || "");

  /** A text whose shown words are generated unless the founder overrides them (an override slot, a kind's title). */
  function overridable(node) {
    if (node.dataset.editUnit !== E.SLIDES) return false;
    const pointer = node.dataset.editPointer || "";
    return pointer.includes("/overrides/") || (pointer.endsWith("/title") && !pointer.startsWith("custom-"));
  }

  function mark(node) {
    let label = "";
    if (E.enabled() && node.hasAttribute("data-edit-generated")) label = gettext("generated");
    else if (E.enabled() && overridable(node)) label = gettext("edited");
    for (const name of ["data-edit-mark", "aria-description"]) {
      if (label) node.setAttribute(name, label);
      else node.removeAttribute(name);
    }
  }

  function prepare(scope) {
    const on = E.enabled();
    for (const node of texts(scope)) {
      if (on) {
        node.setAttribute("contenteditable", "plaintext-only");
        node.setAttribute("spellcheck", "true");
      } else {
        node.removeAttribute("contenteditable");
      }
      mark(node);
    }
  }

  // ---------- typing ----------
  function valueOf(node) {
    const text = node.innerText.replace(/\u00a0/g, " ");
    return singleLine(node) ? text.replace(/\s*\n\s*/g, " ").trim() : text.replace(/\n$/, "");
  }

  deck.addEventListener("input", (event) => {
    const node = event.target.closest && event.target.closest("[data-edit-unit]");
    if (!node || !E.enabled()) return;
    node.dataset.typed = "1";
    const unit = node.dataset.editUnit;
    const pointer = node.dataset.editPointer || "";
    const value = valueOf(node);
    const isOverride = pointer.includes("/overrides/");
    if (node.hasAttribute("data-edit-generated")) node.removeAttribute("data-edit-generated");
    mark(node);
    E.change(unit, (draft) => E.set(draft, pointer, isOverride && !value.trim() ? undefined : value), {
      pointers: [pointer], debounce: true, group: `${unit} ${pointer} ${node.dataset.session}`, label: node.dataset.editPart,
    });
    overflow(node);
    if (document.activeElement === node) tools(node);
  });

  deck.addEventListener("focusin", (event) => {
    const node = event.target.closest && event.target.closest("[data-edit-unit]");
    if (!node || !E.enabled()) return;
    session += 1;
    node.dataset.session = String(session);
    tools(node);
  });

  deck.addEventListener("mouseover", (event) => {
    const node = event.target.closest && event.target.closest("[data-edit-unit]");
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-edit-unit]");
    if (node && E.enabled() && !focused) tools(node);
  });

  const focusedText = () => Boolean(document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-edit-unit]"));
  const leave = (event) => {
    const to = event.relatedTarget;
    if (focusedText() || (to && (toolbar.contains(to) || (to.closest && to.closest("[data-edit-unit]"))))) return;
    toolbar.hidden = true;
  };
  deck.addEventListener("mouseout", (event) => { if (event.target.closest && event.target.closest("[data-edit-unit]")) leave(event); });

  deck.addEventListener("focusout", (event) => {
    const node = event.target.closest && event.target.closest("[data-edit-unit]");
    if (!node) return;
    delete node.dataset.typed; // from now Ctrl+Z undoes this edit as a whole (the page's history)
    if (!toolbar.contains(event.relatedTarget)) toolbar.hidden = true;
  });

  deck.addEventListener("keydown", (event) => {
    const node = event.target.closest && event.target.closest("[data-edit-unit]");
    if (!node || !E.enabled()) return;
    if (event.key === "Enter" && singleLine(node) && !event.isComposing) {
      event.preventDefault();
      node.blur();
    }
  });

  // ---------- a text longer than its place ----------
  function overflow(node) {
    // The text itself, or a box it is in that clips (a column, the slide), holds more than it shows.
    let long = false;
    for (let box = node; box && !box.matches("section.slide"); box = box.parentElement) {
      const clips = box === node || getComputedStyle(box).overflowY !== "visible";
      if (clips && box.scrollHeight > box.clientHeight + 1) { long = true; break; }
    }
    const key = `${node.dataset.editUnit} ${node.dataset.editPointer}`;
    const open = Array.from(document.querySelectorAll(".deck-edit-note.is-long")).find((note) => note.dataset.for === key);
    if (long && !open) E.noteAt(node, "is-long", [h("p", { text: LONG() })]);
    if (!long && open) open.remove();
  }

  // ---------- "Back to generated" ----------
  const label = h("span", { class: "deck-edit-label" });
  const back = h("button", { type: "button", class: "deck-edit-back", "data-back-to-generated": true, text: gettext("Back to generated") });
  const toolbar = h("div", { class: "deck-edit-tools", hidden: true }, label, back);
  document.body.append(toolbar);
  toolbar.addEventListener("mouseleave", (event) => leave(event));
  toolbar.addEventListener("pointerdown", (event) => event.preventDefault()); // the text keeps the focus
  let toolsFor = null;

  /** The tools over ``node``: its mark, and "Back to generated" once it is edited. */
  function tools(node) {
    toolsFor = node;
    const mark = node.getAttribute("data-edit-mark");
    const edited = overridable(node) && !node.hasAttribute("data-edit-generated");
    toolbar.hidden = !mark;
    if (!mark) return;
    label.textContent = mark;
    label.classList.toggle("is-edited", edited);
    back.hidden = !edited;
    const rect = node.getBoundingClientRect();
    toolbar.style.setProperty("left", `${Math.max(8, Math.min(rect.left, window.innerWidth - toolbar.offsetWidth - 8))}px`);
    toolbar.style.setProperty("top", `${Math.max(8, rect.top - toolbar.offsetHeight - 6)}px`);
  }

  back.addEventListener("click", async () => {
    const node = toolsFor;
    if (!node) return;
    const pointer = node.dataset.editPointer;
    const row = pointer.split("/")[0];
    toolbar.hidden = true;
    node.blur();
    const cleared = pointer.includes("/overrides/") ? undefined : "";
    const ok = await E.change(E.SLIDES, (draft) => E.set(draft, pointer, cleared), { pointers: [pointer], label: node.dataset.editPart });
    if (ok) await E.redraw({ row });
  });

  // ---------- a co-founder's texts merged in, a choice taken: the other texts of the unit follow ----------
  E.on("rebased", ({ unit, value }) => {
    for (const node of texts()) {
      if (node.dataset.editUnit !== unit || node === document.activeElement) continue;
      const text = E.get(value, node.dataset.editPointer || "");
      if (typeof text === "string" && text && text !== valueOf(node)) node.textContent = text;
    }
  });

  E.on("mode", () => { prepare(); if (!E.enabled()) toolbar.hidden = true; });
  document.addEventListener("pitchlab:deck-redrawn", (event) => {
    (event.detail.sections || []).forEach((section) => prepare(section));
  });
  prepare();
})();
