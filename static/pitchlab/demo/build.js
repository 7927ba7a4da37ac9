/* The live demo try panel — its markup: examples, the text box or the picture drop zone and camera, Run, Explain,
 * and the output (status line, score bars, meta, explanation). The nodes go on the panel object ``p``.
 * Part of the panel's scripts (demo/core.js first, demo.js last). */
(function () {
  "use strict";
  const D = window.PitchLab && window.PitchLab.demo;
  if (!D) return;
  const { MAC, h, fmt } = D;

  D.parts.build = function (p) {
    const { root, opts, kind, stage, examples, explainUrl, uid } = p;
    root.replaceChildren();
    root.classList.add("pl-demo", `pl-demo--${kind}`);
    root.classList.toggle("pl-demo--stage", stage);

    const exampleButtons = examples.map((example, i) => {
      const number = i < 9 ? h("kbd", { className: "pl-demo-key", "aria-hidden": "true", text: String(i + 1) }) : null;
      const body = example.imageUrl
        ? h("img", { className: "pl-demo-thumb", src: example.imageUrl, alt: example.expected || fmt(gettext("Example %(n)s"), { n: i + 1 }) })
        : h("span", { className: "pl-demo-example-text", text: example.text });
      return h(
        "button",
        {
          type: "button",
          className: "pl-demo-example",
          "aria-pressed": "false",
          title: example.text || null,
          "aria-label": example.text ? fmt(gettext("Example %(n)s: %(text)s"), { n: i + 1, text: example.text }) : fmt(gettext("Example %(n)s"), { n: i + 1 }),
          onclick: () => p.pick(i, { run: true }),
        },
        number,
        body,
      );
    });
    const examplesBox = examples.length
      ? h("div", { className: "pl-demo-examples", role: "group", "aria-label": gettext("Examples") }, exampleButtons)
      : null;

    let textarea = null;
    let fileInput = null;
    let dropZone = null;
    let preview = null;
    let cameraButton = null;
    let cameraBox = null;
    let video = null;
    let inputBox;
    if (kind === "text") {
      textarea = h("textarea", {
        id: `${uid}-text`,
        className: "pl-demo-text",
        rows: stage ? 2 : 3,
        placeholder: stage ? gettext("Type a sentence from the room…") : gettext("Type or paste a sentence…"),
        spellcheck: "false",
      });
      inputBox = h(
        "div",
        { className: "pl-demo-field" },
        h("label", { className: "pl-demo-label", for: `${uid}-text`, text: gettext("Your text") }),
        textarea,
      );
    } else {
      fileInput = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", className: "pl-demo-file", id: `${uid}-file` });
      preview = h("img", { className: "pl-demo-preview", alt: gettext("The chosen picture"), hidden: true });
      const canCamera = Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
      cameraButton = canCamera
        ? h("button", { type: "button", className: "pl-demo-button ghost", text: gettext("Camera"), onclick: () => p.openCamera() })
        : null;
      video = canCamera ? h("video", { className: "pl-demo-video", autoplay: true, playsinline: true, muted: true }) : null;
      cameraBox = canCamera
        ? h(
            "div",
            { className: "pl-demo-camera", hidden: true },
            video,
            h(
              "div",
              { className: "pl-demo-row" },
              h("button", { type: "button", className: "pl-demo-button", text: gettext("Take the picture"), onclick: () => p.snap() }),
              h("button", { type: "button", className: "pl-demo-button ghost", text: gettext("Cancel"), onclick: () => p.closeCamera() }),
            ),
          )
        : null;
      dropZone = h(
        "div",
        { className: "pl-demo-drop" },
        preview,
        h("p", { className: "pl-demo-drop-hint", text: gettext("Drop a picture here, paste one, or") }),
        h(
          "div",
          { className: "pl-demo-row" },
          h("label", { className: "pl-demo-button ghost pl-demo-pick", for: `${uid}-file` }, gettext("Choose a picture")),
          cameraButton,
        ),
        fileInput,
      );
      inputBox = h("div", { className: "pl-demo-field" }, dropZone, cameraBox);
    }

    const runButton = h("button", { type: "button", className: "pl-demo-button pl-demo-run", text: gettext("Run"), onclick: () => p.run() });
    const explainSwitch = explainUrl ? h("input", { type: "checkbox", role: "switch", className: "pl-demo-switch-input" }) : null;
    const pickHint = examples.length === 1
      ? ` · ${gettext("1 picks the example")}`
      : examples.length ? ` · ${fmt(gettext("1–%(last)s pick"), { last: Math.min(9, examples.length) })}` : "";
    const hintText = stage
      ? `${gettext("Enter runs")}${kind === "text" ? ` · ${gettext("Shift+Enter new line")}` : ""}${pickHint}`
      : kind === "text"
        ? fmt(gettext("%(key)s+Enter runs"), { key: MAC ? "⌘" : "Ctrl" })
        : "";
    const actions = h(
      "div",
      { className: "pl-demo-actions" },
      runButton,
      explainSwitch ? h("label", { className: "pl-demo-switch" }, explainSwitch, h("span", { text: gettext("Explain") })) : null,
      hintText ? h("span", { className: "pl-demo-hint", text: hintText }) : null,
    );

    const status = h("p", { className: "pl-demo-status" });
    const bars = h("ol", { className: "pl-demo-bars", "aria-label": gettext("Scores") });
    const meta = h("p", { className: "pl-demo-meta" });
    const explanation = h("div", { className: "pl-demo-explain", hidden: true });
    const output = h("div", { className: "pl-demo-output", "aria-live": "polite" }, status, bars, meta, explanation);

    // Where the model can be trusted, said before anyone types: it answers anything, confidently.
    const trainedOn = opts.trainedOn && !stage ? h("p", { className: "pl-demo-domain", text: String(opts.trainedOn) }) : null;
    root.append(h("div", { className: "pl-demo-body" }, h("div", { className: "pl-demo-input" }, trainedOn, examplesBox, inputBox, actions), output));

    Object.assign(p, { exampleButtons, textarea, fileInput, dropZone, preview, cameraButton, cameraBox, video, runButton, explainSwitch, status, bars, meta, explanation, output });
  };
})();
