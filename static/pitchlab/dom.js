/* Small DOM helpers the page scripts share (window.PitchLab.dom). Text is always set as text, never as HTML.
 *
 *   const { h, setText, show, on, announce } = window.PitchLab.dom;
 *   list.append(h("li", { class: "chip", text: label }));
 *   on(table, "click", "[data-action=remove]", (event, button) => …);   // one listener for every row, now and later
 *   announce(gettext("Saved."));                                         // read out by screen readers
 */
(function () {
  "use strict";

  /** An element: ``attrs`` class, text, style (an object, set through the CSSOM), on<event> listeners, the rest as
   * attributes (true: present, false/null: left out); ``children`` nodes or text, nested arrays flattened. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class" || key === "className") node.className = value;
      else if (key === "text") node.textContent = value;
      // through the CSSOM, never a style attribute: a CSP without 'unsafe-inline' is coming
      else if (key === "style") Object.entries(value).forEach(([name, v]) => node.style.setProperty(name, v));
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Set a node's text (never parsed as HTML); returns the node. */
  function setText(node, text) {
    if (node) node.textContent = text === null || text === undefined ? "" : String(text);
    return node;
  }

  /** Show or hide with the ``hidden`` attribute (the stylesheets honour it). */
  function show(node, visible = true) {
    if (node) node.hidden = !visible;
    return node;
  }
  const hide = (node) => show(node, false);

  /** One listener on ``root`` for every ``selector`` match inside it, present or added later; the handler gets the
   * event and the matched element. Returns a function that removes the listener. */
  function on(root, type, selector, handler) {
    const listener = (event) => {
      const target = event.target instanceof Element ? event.target.closest(selector) : null;
      if (target && root.contains(target)) handler(event, target);
    };
    root.addEventListener(type, listener);
    return () => root.removeEventListener(type, listener);
  }

  let region = null;
  /** Say ``message`` to screen readers through one polite live region (created on first use). */
  function announce(message, { assertive = false } = {}) {
    if (!region || !region.isConnected) {
      region = h("div", { class: "visually-hidden", "aria-live": "polite", "data-role": "announcer" });
      document.body.append(region);
    }
    region.setAttribute("aria-live", assertive ? "assertive" : "polite");
    // emptied first, so the same sentence twice is read twice
    region.textContent = "";
    setTimeout(() => { region.textContent = message || ""; }, 50);
  }

  /** ``message`` in an error slot next to its control (or cleared), its .field marked. */
  function showError(slot, message) {
    if (!slot) return;
    slot.textContent = message || "";
    slot.hidden = !message;
    const field = slot.closest(".field");
    if (field) field.classList.toggle("has-error", Boolean(message));
  }

  /** A translated sentence with nodes in it: "%(name)s" placeholders are replaced by ``values[name]`` (text or a node). */
  function rich(text, values) {
    return text.split(/%\((\w+)\)s/).map((piece, i) => (i % 2 ? values[piece] : piece)).filter((piece) => piece !== "");
  }

  const dom = { h, setText, show, hide, on, announce, showError, rich };
  window.PitchLab = Object.assign(window.PitchLab || {}, { dom });
})();
