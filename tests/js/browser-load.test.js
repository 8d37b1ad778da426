"use strict";
// The runtime files are loaded by the player page as classic <script>s, with no module system and no build step.
// Run them the same way in a fresh VM context (no `module`, no `require`) and use the globals they attach.
const { describe, test } = require("node:test");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { RUNTIME_DIR, assert } = require("./helpers.js");

// The order the player page loads them in (render.RUNTIME_SCRIPTS).
const COMMON = ["values.js", "engine.js", "common.js"];
const SCORM12 = [...COMMON, "scorm12-datamodel.js", "scorm12.js"];
const SCORM2004 = [...COMMON, "scorm2004-validators.js", "scorm2004-datamodel.js", "scorm2004.js"];
const FILES = [...COMMON, "scorm12-datamodel.js", "scorm12.js", "scorm2004-validators.js", "scorm2004-datamodel.js",
  "scorm2004.js"];

function browserContext(files) {
  const context = vm.createContext({ setTimeout, console });
  context.window = context;
  for (const file of files) {
    const source = fs.readFileSync(path.join(RUNTIME_DIR, file), "utf8");
    new vm.Script(source, { filename: file }).runInContext(context);
  }
  return context;
}

describe("classic-script loading", () => {
  test("every file is a plain script without import/export", () => {
    for (const file of FILES) {
      const source = fs.readFileSync(path.join(RUNTIME_DIR, file), "utf8");
      assert.doesNotThrow(() => new vm.Script(source, { filename: file }), file);
      assert.ok(!/^\s*(import|export)\s/m.test(source), `${file} uses module syntax`);
    }
  });

  test("the scripts attach window.CoursehostRuntime", () => {
    const w = browserContext(FILES);
    assert.equal(typeof w.CoursehostRuntime.common.parseDuration, "function");
    assert.equal(typeof w.CoursehostRuntime.createScorm12Api, "function");
    assert.equal(typeof w.CoursehostRuntime.createScorm2004Api, "function");
    assert.equal(typeof w.CoursehostRuntime.scorm2004Types.response, "function");
    assert.equal(typeof w.CoursehostRuntime.scorm2004Model.buildData, "function");
  });

  test("a SCORM 1.2 session through window.API", () => {
    const w = browserContext(SCORM12);
    const commits = [];
    w.API = w.CoursehostRuntime.createScorm12Api({ learner: { id: "u", name: "N" }, onCommit: (s) => commits.push(s) });
    assert.equal(w.API.LMSInitialize(""), "true");
    assert.equal(w.API.LMSSetValue("cmi.core.lesson_status", "completed"), "true");
    assert.equal(w.API.LMSFinish(""), "true");
    assert.equal(commits[0].cmi.core.lesson_status, "completed");
  });

  test("a SCORM 2004 session through window.API_1484_11", () => {
    const w = browserContext(SCORM2004);
    const commits = [];
    w.API_1484_11 = w.CoursehostRuntime.createScorm2004Api({ onCommit: (s) => commits.push(s), schedule: (f) => f() });
    assert.equal(w.API_1484_11.Initialize(""), "true");
    assert.equal(w.API_1484_11.SetValue("cmi.completion_status", "completed"), "true");
    assert.equal(w.API_1484_11.Terminate(""), "true");
    assert.equal(commits[0].cmi.completion_status, "completed");
  });

  test("loading out of order fails loudly", () => {
    assert.throws(() => browserContext(["scorm12.js"]), /load common\.js before scorm12\.js/);
    assert.throws(() => browserContext([...COMMON, "scorm2004.js"]), /scorm2004-validators\.js/);
    assert.throws(() => browserContext([...COMMON, "scorm2004-validators.js", "scorm2004.js"]),
      /scorm2004-datamodel\.js/);
    assert.throws(() => browserContext(["common.js"]), /load values\.js and engine\.js before common\.js/);
    assert.throws(() => browserContext([...COMMON, "scorm12.js"]), /load scorm12-datamodel\.js before scorm12\.js/);
  });
});
