/* The founder's demo-models page starts here: demo_admin/core.js holds its state, words and helpers, one file per
 * panel adds its part (demo_admin/cards.js, examples.js, preflight.js, audience.js, evaluation.js, add.js), all on
 * api.js and dom.js; the page loads them in that order, this file last. */
(function () {
  "use strict";
  const A = window.PitchLab && window.PitchLab.demoAdmin;
  if (!A) return;
  A.setupTabs();
  A.setupSample();
  A.setupExamplesForm();
  A.setupUpload();
  A.loadModels();
})();
