/* The editor's Pictures panel (templates/pictures/_panel.html): upload a logo, cover, screenshots or headshots
 * by file, drop or paste, with progress; edit a picture's alt text; delete it; set its focal point by clicking
 * the thumbnail or with the arrow keys on its marker (5 %, Shift: 1 %), saved after a pause.
 * Talks to /api/pitches/{id}/pictures/ through window.PitchLab.api; a refusal is shown at the control that caused
 * it (role="alert") and changes nothing else. Loaded only for those who may edit.
 * The panel sits above editor.html's deferred core scripts, so it starts once they have run (DOMContentLoaded).
 */
(function () {
  "use strict";
  const SAVE_DELAY_MS = 400; // arrow keys held down: one PATCH once the marker rests
  const STEP = 5;
  const FINE_STEP = 1;
  const ACCEPTED = ["image/png", "image/jpeg", "image/webp"];

  function mount(panel, api, dom) {
    const { announce, showError, on } = dom;
    const fmt = (text, values) => interpolate(text, values, true);
    const listUrl = panel.dataset.url;
    const widths = (panel.dataset.widths || "320").split(" ");
    const template = panel.querySelector("template[data-picture-template]");
    const timers = new WeakMap();
    const saving = new WeakMap();

    const groupOf = (role) => panel.querySelector(`[data-picture-group="${role}"]`);
    const itemUrl = (item) => `${listUrl}${item.dataset.pictureId}/`;
    const part = (root, name) => root.querySelector(`[data-${name}]`);
    const roleLabel = (group) => (group ? group.querySelector("h4").textContent.trim() : "");

    // ----- the focal marker: shown in the thumbnail's frame (the crop box), stored in the master's -----
    function cropOf(item) {
      const box = (item.dataset.crop || "0 0 1 1").split(" ").map(Number);
      return box.length === 4 && box.every(Number.isFinite) ? box : [0, 0, 1, 1];
    }

    function placeMarker(item) {
      const marker = part(item, "picture-focal");
      if (!marker) return;
      const left = Number(marker.dataset.left);
      const top = Number(marker.dataset.top);
      const x = Number.isFinite(left) && marker.dataset.left !== "" ? left : 50;
      const y = Number.isFinite(top) && marker.dataset.top !== "" ? top : 50;
      marker.dataset.left = String(x);
      marker.dataset.top = String(y);
      marker.style.setProperty("left", `${x}%`);
      marker.style.setProperty("top", `${y}%`);
      const words = fmt(gettext("Focal point: %(x)s from the left, %(y)s from the top. The arrow keys move it (Shift: in small steps)."), {
        x: `${Math.round(x)}%`, y: `${Math.round(y)}%`,
      });
      marker.setAttribute("aria-label", words);
      marker.title = words;
      marker.hidden = false;
    }

    function moveMarker(item, left, top) {
      const marker = part(item, "picture-focal");
      const clamp = (v) => Math.min(100, Math.max(0, Math.round(v * 10) / 10));
      marker.dataset.left = String(clamp(left));
      marker.dataset.top = String(clamp(top));
      placeMarker(item);
      clearTimeout(timers.get(item));
      // saves of one picture go one after another, so an older point never lands after a newer one
      timers.set(item, setTimeout(() => {
        const next = (saving.get(item) || Promise.resolve()).then(() => saveFocal(item));
        saving.set(item, next);
      }, SAVE_DELAY_MS));
    }

    async function saveFocal(item) {
      const marker = part(item, "picture-focal");
      const [l, t, r, b] = cropOf(item);
      const x = l + (Number(marker.dataset.left) / 100) * (r - l);
      const y = t + (Number(marker.dataset.top) / 100) * (b - t);
      const round = (v) => Math.min(1, Math.max(0, Math.round(v * 10000) / 10000));
      const answer = await api.send("PATCH", itemUrl(item), { json: { focal: { x: round(x), y: round(y) } } });
      const error = part(item, "picture-item-error");
      if (!answer.ok) {
        if (!answer.error.aborted) showError(error, answer.message);
        return;
      }
      showError(error, "");
      announce(fmt(gettext("Focal point saved: %(x)s from the left, %(y)s from the top."), {
        x: `${Math.round(Number(marker.dataset.left))}%`, y: `${Math.round(Number(marker.dataset.top))}%`,
      }));
    }

    on(panel, "click", "[data-picture-img]", (event, img) => {
      const item = img.closest("[data-picture]");
      if (!part(item, "picture-focal")) return;
      const rect = img.getBoundingClientRect();
      if (!rect.width || !rect.height) return;
      moveMarker(item, ((event.clientX - rect.left) / rect.width) * 100, ((event.clientY - rect.top) / rect.height) * 100);
      part(item, "picture-focal").focus();
    });

    on(panel, "keydown", "[data-picture-focal]", (event, marker) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const step = event.shiftKey ? FINE_STEP : STEP;
      const item = marker.closest("[data-picture]");
      moveMarker(item, Number(marker.dataset.left) + move[0] * step, Number(marker.dataset.top) + move[1] * step);
    });

    // ----- a picture's row: alt text and delete -----
    on(panel, "change", "[data-picture-alt]", async (event, input) => {
      const item = input.closest("[data-picture]");
      const error = part(item, "picture-item-error");
      const answer = await api.send("PATCH", itemUrl(item), { json: { alt: input.value.trim() } });
      if (!answer.ok) {
        showError(error, answer.message);
        return;
      }
      showError(error, "");
      part(item, "picture-img").alt = answer.data.alt;
      announce(gettext("Alt text saved."));
    });

    on(panel, "click", "[data-picture-delete]", async (event, button) => {
      const item = button.closest("[data-picture]");
      const group = item.closest("[data-picture-group]");
      if (!window.confirm(gettext("Delete this picture? It will be removed from every slide that shows it."))) return;
      button.disabled = true;
      const answer = await api.send("DELETE", itemUrl(item));
      button.disabled = false;
      if (!answer.ok && answer.status !== 404) {
        showError(part(item, "picture-item-error"), answer.message);
        return;
      }
      item.remove();
      refreshZone(group);
      announce(gettext("Picture deleted."));
      // other panels that offer the pitch's pictures (the brand kit's logo picker) follow
      document.dispatchEvent(new CustomEvent("pitchlab:picture-deleted", { detail: { id: Number(item.dataset.pictureId) } }));
      const zone = part(group, "picture-drop");
      if (zone && !zone.hidden) zone.focus();
    });

    // ----- uploads: file, drop, paste -----
    function refreshZone(group) {
      const zone = part(group, "picture-drop");
      if (zone && group.dataset.several !== "1") zone.hidden = Boolean(group.querySelector("[data-picture]"));
    }

    function buildItem(picture) {
      const item = template.content.firstElementChild.cloneNode(true);
      item.dataset.pictureId = String(picture.id);
      const crop = picture.crop;
      item.dataset.crop = crop ? [crop.left, crop.top, crop.right, crop.bottom].join(" ") : "0 0 1 1";
      const img = part(item, "picture-img");
      img.src = `${picture.file_url}&w=320`;
      img.srcset = widths.map((w) => `${picture.file_url}&w=${w} ${w}w`).join(", ");
      img.alt = picture.alt;
      img.width = picture.width;
      img.height = picture.height;
      part(item, "picture-alt").value = picture.alt;
      part(item, "picture-size").textContent = `${picture.width}×${picture.height}`;
      const [l, t, r, b] = item.dataset.crop.split(" ").map(Number);
      const marker = part(item, "picture-focal");
      marker.dataset.left = String(Math.round(((picture.focal.x - l) / (r - l)) * 1000) / 10);
      marker.dataset.top = String(Math.round(((picture.focal.y - t) / (b - t)) * 1000) / 10);
      placeMarker(item);
      return item;
    }

    async function uploadOne(group, file) {
      const error = part(group, "picture-error");
      const bar = part(group, "picture-progress");
      showError(error, "");
      const form = new FormData();
      form.append("file", file, file.name || "pasted-image.png");
      form.append("role", group.dataset.pictureGroup);
      bar.value = 0;
      bar.hidden = false;
      group.setAttribute("aria-busy", "true");
      const answer = await api.upload(listUrl, form, { onProgress: (fraction) => { bar.value = fraction; } });
      bar.hidden = true;
      group.removeAttribute("aria-busy");
      if (!answer.ok) {
        if (!answer.error.aborted) showError(error, answer.message);
        return false;
      }
      const picture = answer.data;
      const present = panel.querySelector(`[data-picture-id="${picture.id}"]`);
      if (present) {
        // the same image was already a picture of this pitch: the API answers that one, stored once
        showError(error, fmt(gettext("This image is already in the pitch, as: %(role)s."), { role: roleLabel(present.closest("[data-picture-group]")) }));
        return true;
      }
      const target = groupOf(picture.role) || group;
      part(target, "picture-list").append(buildItem(picture));
      refreshZone(target);
      document.dispatchEvent(new CustomEvent("pitchlab:picture-added", { detail: picture }));
      announce(file.name ? fmt(gettext("%(name)s uploaded."), { name: file.name }) : gettext("Pasted image uploaded."));
      return true;
    }

    async function uploadFiles(group, files) {
      const chosen = group.dataset.several === "1" ? files : files.slice(0, 1);
      for (const file of chosen) {
        if (!(await uploadOne(group, file))) break; // the reason stays on screen for the file that was refused
      }
    }

    panel.querySelectorAll("[data-picture-drop]").forEach((zone) => {
      const group = zone.closest("[data-picture-group]");
      const input = part(zone, "picture-input");
      zone.addEventListener("click", (event) => { if (event.target !== input) input.click(); });
      zone.addEventListener("keydown", (event) => {
        if (event.target === zone && (event.key === "Enter" || event.key === " ")) {
          event.preventDefault();
          input.click();
        }
      });
      input.addEventListener("change", () => {
        const files = Array.from(input.files || []);
        input.value = "";
        if (files.length) uploadFiles(group, files);
      });
      zone.addEventListener("dragenter", (event) => { event.preventDefault(); zone.classList.add("is-over"); });
      zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("is-over"); });
      zone.addEventListener("dragleave", () => zone.classList.remove("is-over"));
      zone.addEventListener("drop", (event) => {
        event.preventDefault();
        zone.classList.remove("is-over");
        const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
        if (files.length) uploadFiles(group, files);
        else showError(part(group, "picture-error"), gettext("Nothing to upload was dropped: drop an image file."));
      });
    });
    // A file dropped beside a box must not make the browser leave the editor to show it.
    ["dragover", "drop"].forEach((type) => panel.addEventListener(type, (event) => event.preventDefault()));

    panel.addEventListener("paste", (event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target || target.matches("input[type=text], textarea")) return; // text pasted into alt text stays text
      const group = target.closest("[data-picture-group]");
      const zone = group && part(group, "picture-drop");
      if (!zone || zone.hidden) return;
      const files = Array.from((event.clipboardData && event.clipboardData.files) || []);
      event.preventDefault();
      const images = files.filter((file) => ACCEPTED.includes(file.type) || file.type.startsWith("image/"));
      if (images.length) uploadFiles(group, images);
      else showError(part(group, "picture-error"), gettext("The clipboard holds no image: copy a picture, then paste it here."));
    });

    // A restored revision brings back the pictures deleted since (editor/panels.js tells): show them here, and
    // to the panels that offer the pitch's pictures, as an upload would.
    document.addEventListener("pitchlab:revision-restored", async () => {
      const answer = await api.send("GET", listUrl);
      if (!answer.ok) return;
      for (const picture of answer.data) {
        const group = groupOf(picture.role);
        if (!group || panel.querySelector(`[data-picture-id="${picture.id}"]`)) continue;
        part(group, "picture-list").append(buildItem(picture));
        refreshZone(group);
        document.dispatchEvent(new CustomEvent("pitchlab:picture-added", { detail: picture }));
      }
    });

    panel.querySelectorAll("[data-picture]").forEach(placeMarker);
  }

  function start() {
    const P = window.PitchLab;
    if (!P || !P.api || !P.dom) return;
    document.querySelectorAll("[data-pictures-panel]").forEach((panel) => {
      if (panel.dataset.mounted) return;
      panel.dataset.mounted = "1";
      mount(panel, P.api, P.dom);
    });
  }

  if (window.PitchLab && window.PitchLab.api && window.PitchLab.dom) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
