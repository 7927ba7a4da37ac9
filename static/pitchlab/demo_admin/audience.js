/* Demo models page — The audience link of a ready model: open one (with an expiry), copy it, revoke it; its QR code.
 * Part of the demo admin scripts (demo_admin/core.js first, demo_admin.js last); shared helpers on
 * window.PitchLab.demoAdmin. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  const { MINUTE, fmt, part, slotFor, say, tell, busy, call } = A;
  // ----- the audience link -----
  function setupAudience(entry) {
    const root = entry.panel.root;
    const form = part(root, "link-form");
    const slot = slotFor(root, "link");
    if (form) form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const raw = form.querySelector('[name="expires_in_minutes"]').value.trim();
      const minutes = raw === "" ? null : Number(raw);
      if (minutes !== null && (!Number.isInteger(minutes) || minutes < 1)) {
        say(slot, gettext("Expiry: a whole number of minutes, or empty for no expiry.")); return;
      }
      if (entry.model.audience_link && !window.confirm(gettext("Open a new link? The current one stops working."))) return;
      say(slot, "");
      const button = part(root, "link-submit");
      busy(button, gettext("Opening…"));
      const answer = await call("POST", A.urls(entry.model).link, { json: { expires_in_minutes: minutes } });
      busy(button, "");
      if (!answer.ok) { tell(slot, answer); return; }
      entry.model.audience_link = answer.data;
      paintLink(entry, answer.data);
    });
    root.querySelector('[data-action="link-copy"]').addEventListener("click", async () => {
      const input = part(root, "link-url");
      const note = part(root, "link-copied");
      try {
        await navigator.clipboard.writeText(input.value);
        note.textContent = gettext("Copied.");
      } catch (e) {
        // the clipboard API needs a secure context; selecting the text still lets the founder copy it
        input.focus();
        input.select();
        note.textContent = document.execCommand && document.execCommand("copy") ? gettext("Copied.") : gettext("Selected: press Ctrl+C (⌘C) to copy.");
      }
      setTimeout(() => { note.textContent = ""; }, 4000);
    });
    const revoke = root.querySelector('[data-action="link-revoke"]');
    if (revoke) revoke.addEventListener("click", async (event) => {
      if (!window.confirm(gettext("Revoke the audience link? Anyone who opens it from now on is told it no longer exists."))) return;
      const button = event.currentTarget;
      busy(button, gettext("Revoking…"));
      const answer = await call("DELETE", A.urls(entry.model).link);
      busy(button, "");
      if (!answer.ok && answer.status !== 404) { tell(slot, answer); return; }
      say(slot, "");
      entry.model.audience_link = null;
      paintLink(entry, null);
    });
  }

  function paintLink(entry, link) {
    const root = entry.panel.root;
    const open = part(root, "link-open");
    open.hidden = !link;
    const none = part(root, "link-none"); // a role that cannot open one reads that none is open
    if (none) none.hidden = Boolean(link);
    if (part(root, "link-submit")) {
      part(root, "link-submit").textContent = link ? gettext("Open a new link") : gettext("Open an audience link");
      part(root, "link-submit").dataset.idleText = part(root, "link-submit").textContent;
    }
    if (part(root, "link-form-help")) part(root, "link-form-help").textContent = link
      ? gettext("A new link replaces this one: the old address stops working.")
      : gettext("Leave the expiry empty to keep the link until you revoke it.");
    if (!link) return;
    part(root, "link-url").value = link.url;
    // A loopback link is dead for every phone: the server says so (and what to do) in the page's language.
    part(root, "link-warning").textContent = link.warning || "";
    part(root, "link-warning").hidden = !link.warning;
    part(root, "link-visit").href = link.url;
    const qr = part(root, "qr");
    const src = `${link.qr_svg_url}${link.qr_svg_url.includes("?") ? "&" : "?"}v=${encodeURIComponent(link.token || "")}`;
    if (qr.getAttribute("src") !== src) qr.src = src;
    let expiry = gettext("No expiry: it works until you revoke it.");
    if (link.expires_at) {
      const at = new Date(link.expires_at);
      const minutes = Math.round((at.getTime() - Date.now()) / MINUTE);
      expiry = minutes > 0
        ? fmt(gettext("Expires in %(minutes)s min (%(time)s)."), { minutes, time: window.PitchLabFormat.time(at) })
        : gettext("Expired: open a new link.");
    }
    part(root, "link-expiry").textContent = expiry;
  }


  Object.assign(A, { setupAudience, paintLink });
})();
