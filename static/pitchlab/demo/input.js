/* The live demo try panel — input: examples picked, text typed, pictures chosen, dropped, pasted or taken with the camera; and
 * the hooks that tell the page what the input is.
 * Part of the panel's scripts (demo/core.js first, demo.js last): each part adds its functions to the panel object
 * ``p`` that demo.js's mount() makes; what changes while the panel lives (the run number, running, …) is read and
 * written on ``p``, and a function of another part is called as p.name(). */
(function () {
  "use strict";
  const D = window.PitchLab && window.PitchLab.demo;
  if (!D) return;
  const { visible } = D;

  D.parts.input = function (p) {
    const { root, opts, kind, stage, examples, current, listen } = p;
    const { exampleButtons, textarea, fileInput, dropZone, preview, cameraBox, video } = p;
    function markExample(example) {
      current.example = example;
      exampleButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(Boolean(example) && example.index === i)));
    }

    function setImage(blob, example) {
      if (current.previewUrl) URL.revokeObjectURL(current.previewUrl);
      current.blob = blob;
      current.previewUrl = URL.createObjectURL(blob);
      preview.src = current.previewUrl;
      preview.hidden = false;
      dropZone.classList.add("has-image");
      markExample(example || null);
      notifyInput();
    }

    function takeFile(file) {
      if (!file) return false;
      if (file.type && !file.type.startsWith("image/")) {
        p.showEmpty(gettext("That file is not a picture."), true);
        return false;
      }
      setImage(file, null);
      return true;
    }

    async function pick(index, how) {
      const example = examples[index];
      if (!example) return;
      const wantRun = Boolean(how && how.run);
      // the room must not read the last answer next to the new input
      if (!wantRun && p.hasResult) p.showEmpty(stage ? gettext("Press Enter to run it.") : gettext("Run it to see the answer."));
      if (kind === "text") {
        textarea.value = example.text;
        markExample(example);
        notifyInput();
        if (wantRun) await p.run();
        return;
      }
      markExample(example);
      const loading = (async () => {
        const answer = await window.PitchLab.api.send("GET", example.imageUrl, { as: "blob", accept: "image/*" });
        if (!answer.ok) return false;
        setImage(answer.data, example);
        return true;
      })();
      p.picking = loading;
      const loaded = await loading;
      if (p.picking === loading) p.picking = null;
      if (!loaded) {
        current.blob = null; // never send the previous picture under this example's name
        preview.hidden = true;
        dropZone.classList.remove("has-image");
        if (wantRun && example.cached) p.showResult(example.cached, { cached: true });
        else p.showEmpty(gettext("The example picture did not load."), true);
        return;
      }
      if (wantRun) await p.run();
    }

    if (textarea) {
      listen(textarea, "input", () => {
        // the cached answer belongs to the example's exact text; an edit makes it free input
        markExample(examples.find((example) => example.text && example.text === textarea.value) || null);
        notifyInput();
      });
      listen(textarea, "keydown", (event) => {
        if (event.key !== "Enter" || event.isComposing) return;
        if (event.ctrlKey || event.metaKey || (stage && !event.shiftKey && !event.altKey)) {
          event.preventDefault();
          event.stopPropagation();
          if (!p.running) p.run();
        }
      });
    }

    if (fileInput) {
      listen(fileInput, "change", () => {
        takeFile(fileInput.files && fileInput.files[0]);
        fileInput.value = ""; // choosing the same file again still fires change
      });
      listen(root, "dragover", (event) => {
        if (!event.dataTransfer || !Array.from(event.dataTransfer.types || []).includes("Files")) return;
        event.preventDefault();
        root.classList.add("is-dragging");
      });
      listen(root, "dragleave", (event) => {
        if (!root.contains(event.relatedTarget)) root.classList.remove("is-dragging");
      });
      listen(root, "drop", (event) => {
        event.preventDefault();
        root.classList.remove("is-dragging");
        takeFile(event.dataTransfer && event.dataTransfer.files[0]);
      });
      listen(document, "paste", (event) => {
        const here = root.contains(event.target) || (D.lastActive === p.api && !event.target.closest?.("input, textarea"));
        if (!here || !visible(root)) return;
        const item = Array.from((event.clipboardData && event.clipboardData.items) || []).find(
          (entry) => entry.kind === "file" && entry.type.startsWith("image/"),
        );
        if (!item) return;
        event.preventDefault();
        takeFile(item.getAsFile());
      });
    }
    listen(root, "pointerdown", () => { D.lastActive = p.api; });
    listen(root, "focusin", () => { D.lastActive = p.api; });

    // ---------- camera ----------
    async function openCamera() {
      try {
        p.camera = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        p.showEmpty(gettext("The camera is not available here."), true);
        return;
      }
      video.srcObject = p.camera;
      cameraBox.hidden = false;
      dropZone.hidden = true;
    }

    function closeCamera() {
      if (p.camera) p.camera.getTracks().forEach((track) => track.stop());
      p.camera = null;
      if (video) video.srcObject = null;
      if (cameraBox) cameraBox.hidden = true;
      if (dropZone) dropZone.hidden = false;
    }

    function snap() {
      if (!p.camera || !video.videoWidth) return;
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob((blob) => {
        closeCamera();
        if (blob) setImage(blob, null);
      }, "image/png");
    }

    // ---------- hooks (mirroring) ----------
    function hookInput() {
      return kind === "text" ? { text: textarea.value } : { image: current.blob };
    }

    function exampleIndex() {
      return current.example ? current.example.index : null;
    }

    function notifyInput(running) {
      if (p.mirroring || typeof opts.onInput !== "function") return;
      opts.onInput(hookInput(), exampleIndex(), { running: Boolean(running) });
    }

    Object.assign(p, { markExample, setImage, takeFile, pick, openCamera, closeCamera, snap, hookInput, exampleIndex, notifyInput });
  };
})();
