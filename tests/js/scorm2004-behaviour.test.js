"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW, createScorm2004Api, SCORM2004_ERROR_STRINGS, NAMES, sync, make, start, long, short, REAL_VALID, REAL_INVALID, SCALED_INVALID, UNIT_INVALID, DURATION_VALID, DURATION_INVALID, TIME_VALID, TIME_INVALID, ID_INVALID, LOCALIZED_VALID, LOCALIZED_INVALID, COMPLETION, SUCCESS, OBJ, INT, INT_TYPED, COMMENT, ELEMENTS } = require("./scorm2004-fixtures.js");

describe("SCORM 2004 completion and success evaluation", () => {
  const COMPLETION_CASES = [
    // [threshold, progress_measure, SCO completion_status, expected]
    [undefined, undefined, undefined, "unknown"],
    [undefined, undefined, "incomplete", "incomplete"],
    [undefined, "0.9", "incomplete", "incomplete"],
    ["0.8", "0.8", undefined, "completed"],
    ["0.8", "0.9", "incomplete", "completed"],
    ["0.8", "0.5", "completed", "incomplete"],
    ["0.8", undefined, "completed", "unknown"],
    ["0", "0", "not attempted", "completed"],
    ["1", "0.99", undefined, "incomplete"],
  ];
  for (const [threshold, progress, status, expected] of COMPLETION_CASES) {
    test(`threshold ${threshold}, progress ${progress}, status ${status} -> ${expected}`, () => {
      const commits = [];
      const p = start({ completionThreshold: threshold, onCommit: (s) => commits.push(s) });
      if (progress !== undefined) p.expectSet("cmi.progress_measure", progress);
      if (status !== undefined) p.expectSet("cmi.completion_status", status);
      p.expectGet("cmi.completion_status", expected);
      if (threshold !== undefined) p.expectGet("cmi.completion_threshold", threshold);
      p.api.Commit("");
      assert.equal(commits[0].cmi.completion_status, expected);
    });
  }
  const SUCCESS_CASES = [
    // [scaled_passing_score, score.scaled, SCO success_status, expected]
    [undefined, undefined, undefined, "unknown"],
    [undefined, "0.1", "passed", "passed"],
    ["0.7", "0.7", undefined, "passed"],
    ["0.7", "0.69", "passed", "failed"],
    ["0.7", "0.9", "failed", "passed"],
    ["0.7", undefined, "passed", "unknown"],
    ["-0.5", "-0.4", undefined, "passed"],
  ];
  for (const [passing, scaled, status, expected] of SUCCESS_CASES) {
    test(`passing ${passing}, scaled ${scaled}, status ${status} -> ${expected}`, () => {
      const commits = [];
      const p = start({ scaledPassingScore: passing, onCommit: (s) => commits.push(s) });
      if (scaled !== undefined) p.expectSet("cmi.score.scaled", scaled);
      if (status !== undefined) p.expectSet("cmi.success_status", status);
      p.expectGet("cmi.success_status", expected);
      if (passing !== undefined) p.expectGet("cmi.scaled_passing_score", passing);
      p.api.Commit("");
      assert.equal(commits[0].cmi.success_status, expected);
    });
  }
});

describe("SCORM 2004 navigation", () => {
  test("request_valid answers come from the host", () => {
    const asked = [];
    const p = start({
      navRequestValid: (request, target) => {
        asked.push([request, target]);
        if (request === "continue") return true;
        if (request === "previous") return "false";
        if (request === "choice") return target === "sco.2" ? "true" : "false";
        return "maybe";
      },
    });
    p.expectGet("adl.nav.request_valid.continue", "true");
    p.expectGet("adl.nav.request_valid.previous", "false");
    p.expectGet("adl.nav.request_valid.choice.{target=sco.2}", "true");
    p.expectGet("adl.nav.request_valid.choice.{target=other}", "false");
    p.expectGet("adl.nav.request_valid.jump.{target=x}", "unknown");
    assert.deepEqual(asked, [["continue", null], ["previous", null], ["choice", "sco.2"], ["choice", "other"],
      ["jump", "x"]]);
  });
  test("without a host callback everything is unknown", () => {
    const p = start();
    p.expectGet("adl.nav.request_valid.continue", "unknown");
    p.expectGet("adl.nav.request_valid.jump.{target=x}", "unknown");
  });
  test("a throwing callback answers unknown", () => {
    const p = start({ navRequestValid: () => { throw new Error("no tree"); }, onLog: () => {} });
    p.expectGet("adl.nav.request_valid.continue", "unknown");
  });
  test("request_valid is read-only", () => {
    const p = start();
    p.expectSet("adl.nav.request_valid.continue", "true", 404);
    p.expectSet("adl.nav.request_valid.choice.{target=a}", "true", 404);
  });

  const TERMINATE_CASES = [
    ["continue", { request: "continue", target: null }],
    ["{target=intro}choice", { request: "choice", target: "intro" }],
    ["{target=sco-9}jump", { request: "jump", target: "sco-9" }],
    ["exitAll", { request: "exitAll", target: null }],
    ["suspendAll", { request: "suspendAll", target: null }],
    ["_none_", null],
  ];
  for (const [request, expected] of TERMINATE_CASES) {
    test(`Terminate with ${request}`, () => {
      const navigations = [];
      const terminated = [];
      const p = start({
        onNavigationRequest: (nav, snapshot) => navigations.push([nav, snapshot.adl.nav.request]),
        onTerminate: (snapshot, nav) => terminated.push(nav),
      });
      p.expectSet("adl.nav.request", request);
      p.expectGet("adl.nav.request", request);
      assert.equal(p.api.Terminate(""), "true");
      assert.deepEqual(terminated, [expected]);
      assert.deepEqual(navigations, expected ? [[expected, request]] : []);
    });
  }
  test("host callbacks run after Terminate returns (default schedule)", async () => {
    const order = [];
    const api = createScorm2004Api({
      onCommit: () => order.push("commit"),
      onTerminate: () => order.push("terminate"),
      onNavigationRequest: () => order.push("navigate"),
    });
    api.Initialize("");
    api.SetValue("adl.nav.request", "continue");
    assert.equal(api.Terminate(""), "true");
    order.push("returned");
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(order, ["commit", "returned", "terminate", "navigate"]);
  });
});

describe("SCORM 2004 shared data (adl.data)", () => {
  const SHARED = [
    { id: "urn:shared:rw", store: "hello" },
    { id: "readonly-store", store: "fixed", writable: false },
    { id: "writeonly-store", readable: false },
    { id: "empty" },
  ];
  test("ids, stores and permissions", () => {
    const commits = [];
    const p = start({ sharedData: SHARED, onCommit: (s) => commits.push(s) });
    p.expectGet("adl.data._count", "4");
    p.expectGet("adl.data.0.id", "urn:shared:rw");
    p.expectGet("adl.data.0.store", "hello");
    p.expectSet("adl.data.0.store", "updated");
    p.expectGet("adl.data.0.store", "updated");
    p.expectSet("adl.data.0.id", "x", 404);
    p.expectGet("adl.data.1.store", "fixed");
    p.expectSet("adl.data.1.store", "x", 404);
    p.expectGet("adl.data.2.store", "", 405);
    p.expectSet("adl.data.2.store", "secret");
    p.expectGet("adl.data.3.store", "", 403);
    p.expectSet("adl.data.4.store", "x", 351);
    p.expectGet("adl.data.4.id", "", 301);
    p.api.Commit("");
    assert.deepEqual(commits[0].adl.data, [
      { id: "urn:shared:rw", store: "updated" }, { id: "readonly-store", store: "fixed" },
      { id: "writeonly-store", store: "secret" }, { id: "empty", store: null },
    ]);
  });
});

describe("SCORM 2004 suspend_data limit", () => {
  test("warn (default): stores and logs", () => {
    const logs = [];
    const p = start({ onLog: (m, level) => logs.push([level, m]) });
    p.expectSet("cmi.suspend_data", long(64001));
    assert.equal(p.get("cmi.suspend_data").value.length, 64001);
    assert.ok(logs.some(([level, m]) => level === "warn" && /over the limit of 64000/.test(m)));
  });
  test("reject: 351, old value kept", () => {
    const p = start({ suspendDataPolicy: "reject", suspendDataMaxLength: 100 });
    p.expectSet("cmi.suspend_data", "kept");
    const rejected = p.expectSet("cmi.suspend_data", long(101), 351);
    assert.match(rejected.diagnostic, /101 characters long, over the limit of 100/);
    p.expectGet("cmi.suspend_data", "kept");
  });
  test("other SPMs are only logged", () => {
    const logs = [];
    const p = start({ onLog: (m, level) => logs.push([level, m]) });
    p.expectSet("cmi.location", long(1001));
    assert.ok(logs.some(([level, m]) => level === "warn" && /cmi\.location is 1001 characters long, over its SPM of 1000/.test(m)));
  });
});

describe("SCORM 2004 total_time", () => {
  function session(options, steps) {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s), ...options });
    for (const [element, value] of steps) p.expectSet(element, value);
    assert.equal(p.api.Terminate(""), "true");
    return commits[commits.length - 1];
  }
  test("Terminate adds session_time", () => {
    assert.equal(session({}, [["cmi.session_time", "PT1M30.5S"]]).cmi.total_time, "PT0H1M30.5S");
  });
  test("no session_time, no change", () => {
    assert.equal(session({}, []).cmi.total_time, "PT0H0M0S");
  });
  test("accumulates across suspended sessions", () => {
    const first = session({}, [["cmi.session_time", "PT1H"], ["cmi.exit", "suspend"]]);
    const second = session({ initialData: first }, [["cmi.session_time", "PT30M0.25S"], ["cmi.exit", "suspend"]]);
    assert.equal(second.cmi.total_time, "PT1H30M0.25S");
  });
  test("a new attempt starts from zero", () => {
    const first = session({}, [["cmi.session_time", "PT1H"], ["cmi.exit", "normal"]]);
    assert.equal(session({ initialData: first }, []).cmi.total_time, "PT0H0M0S");
  });
  test("an unfinished snapshot counts its session_time on resume", () => {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s) });
    p.expectSet("cmi.session_time", "PT5M");
    p.expectSet("cmi.exit", "suspend");
    p.api.Commit("");
    start({ initialData: commits[0] }).expectGet("cmi.total_time", "PT0H5M0S");
  });
});

describe("SCORM 2004 commits, snapshots and resume", () => {
  test("Commit hands a JSON snapshot with a growing sequence", () => {
    const commits = [];
    const p = start({ sessionId: "sess", onCommit: (s, r) => commits.push([r, s]) });
    p.expectSet("cmi.location", "p2");
    assert.equal(p.api.Commit(""), "true");
    assert.equal(p.api.Commit(""), "true");
    assert.equal(p.api.Terminate(""), "true");
    assert.deepEqual(commits.map(([r, s]) => [r, s.sequence, s.terminated]),
      [["commit", 1, false], ["commit", 2, false], ["terminate", 3, true]]);
    const snapshot = commits[0][1];
    assert.equal(snapshot.standard, "scorm2004");
    assert.equal(snapshot.sessionId, "sess");
    assert.equal(snapshot.savedAt, "2024-05-01T10:30:00.000Z");
    assert.equal(snapshot.cmi.location, "p2");
    assert.equal(snapshot.cmi.score.raw, null);
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });
  test("a failing onCommit gives 391", () => {
    const api = make({ onCommit: () => false });
    api.Initialize("");
    assert.equal(api.Commit(""), "false");
    assert.equal(api.GetLastError(), "391");
    assert.equal(api.Terminate(""), "false");
    assert.equal(api.GetLastError(), "391");
    assert.equal(api.coursehost.state(), "terminated");
  });
  test("an async onCommit is not awaited", () => {
    const api = make({ onCommit: () => Promise.resolve() });
    api.Initialize("");
    assert.equal(api.Commit(""), "true");
  });

  function fullSession(exit, extra = {}) {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s), launchData: "ld", completionThreshold: "0.5", ...extra });
    const steps = [
      ["cmi.location", "page-7"], ["cmi.suspend_data", "state=42"], ["cmi.progress_measure", "0.25"],
      ["cmi.completion_status", "incomplete"], ["cmi.success_status", "failed"], ["cmi.score.scaled", "0.4"],
      ["cmi.score.raw", "40"], ["cmi.comments_from_learner.0.comment", "{lang=en}Nice"],
      ["cmi.comments_from_learner.0.timestamp", "2024-05-01T10:00:00Z"], ["cmi.objectives.0.id", "obj1"],
      ["cmi.objectives.0.success_status", "passed"], ["cmi.objectives.0.score.scaled", "0.9"],
      ["cmi.learner_preference.language", "fr"], ["cmi.interactions.0.id", "q1"],
      ["cmi.interactions.0.type", "choice"], ["cmi.interactions.0.objectives.0.id", "obj1"],
      ["cmi.interactions.0.correct_responses.0.pattern", "a[,]b"], ["cmi.interactions.0.learner_response", "a"],
      ["cmi.interactions.0.result", "incorrect"], ["cmi.session_time", "PT2M"], ["cmi.exit", exit],
    ];
    for (const [element, value] of steps) p.expectSet(element, value);
    assert.equal(p.api.Terminate(""), "true");
    return JSON.parse(JSON.stringify(commits[commits.length - 1]));
  }

  test("resume after exit suspend restores the learner data", () => {
    const p = start({ initialData: fullSession("suspend"), launchData: "ld", completionThreshold: "0.5" });
    const expected = [
      ["cmi.entry", "resume"], ["cmi.location", "page-7"], ["cmi.suspend_data", "state=42"],
      ["cmi.progress_measure", "0.25"], ["cmi.completion_status", "incomplete"], ["cmi.success_status", "failed"],
      ["cmi.score.scaled", "0.4"], ["cmi.score.raw", "40"], ["cmi.comments_from_learner._count", "1"],
      ["cmi.comments_from_learner.0.comment", "{lang=en}Nice"], ["cmi.objectives.0.id", "obj1"],
      ["cmi.objectives.0.success_status", "passed"], ["cmi.objectives.0.score.scaled", "0.9"],
      ["cmi.learner_preference.language", "fr"], ["cmi.interactions._count", "1"], ["cmi.interactions.0.id", "q1"],
      ["cmi.interactions.0.type", "choice"], ["cmi.interactions.0.objectives.0.id", "obj1"],
      ["cmi.interactions.0.correct_responses.0.pattern", "a[,]b"], ["cmi.interactions.0.learner_response", "a"],
      ["cmi.interactions.0.result", "incorrect"], ["cmi.interactions.0.timestamp", ""], ["cmi.total_time", "PT0H2M0S"],
      ["cmi.launch_data", "ld"], ["cmi.learner_id", "learner-1"],
    ];
    for (const [element, value] of expected) {
      p.expectGet(element, value, element === "cmi.interactions.0.timestamp" ? 403 : 0);
    }
  });
  test("suspendAll resumes too", () => {
    const snapshot = fullSession("");
    snapshot.adl.nav.request = "suspendAll";
    start({ initialData: snapshot }).expectGet("cmi.entry", "resume");
  });
  test("relaunch after a normal exit is a new attempt", () => {
    const p = start({ initialData: fullSession("normal") });
    p.expectGet("cmi.entry", "ab-initio");
    p.expectGet("cmi.location", "", 403);
    p.expectGet("cmi.suspend_data", "", 403);
    p.expectGet("cmi.interactions._count", "0");
    p.expectGet("cmi.objectives._count", "0");
    p.expectGet("cmi.completion_status", "unknown");
    p.expectGet("cmi.learner_preference.language", "fr");
  });
  test("newAttemptAfterNormalExit false keeps the data with entry ''", () => {
    const p = start({ initialData: fullSession(""), newAttemptAfterNormalExit: false });
    p.expectGet("cmi.entry", "");
    p.expectGet("cmi.location", "page-7");
  });
  test("manifest objectives merge with restored ones", () => {
    const p = start({ initialData: fullSession("suspend"), objectives: ["obj1", "obj2"] });
    p.expectGet("cmi.objectives._count", "2");
    p.expectGet("cmi.objectives.0.success_status", "passed");
    p.expectGet("cmi.objectives.1.id", "obj2");
  });
  test("sequence continues from initialData", () => {
    const snapshot = fullSession("suspend");
    const commits = [];
    const p = start({ initialData: snapshot, onCommit: (s) => commits.push(s) });
    p.api.Commit("");
    assert.equal(commits[0].sequence, snapshot.sequence + 1);
  });
  test("entry can be forced", () => {
    start({ entry: "resume" }).expectGet("cmi.entry", "resume");
  });
  test("LMS-provided values", () => {
    const p = start({
      credit: "no-credit", mode: "review", launchData: "x=1", maxTimeAllowed: "PT1H", timeLimitAction: "exit,message",
      completionThreshold: 0.75, scaledPassingScore: 0.6, learnerPreference: { audio_level: "2", language: "de" },
      commentsFromLms: [{ comment: "{lang=en}Welcome", location: "intro", timestamp: "2024-01-01T00:00:00" }],
    });
    p.expectGet("cmi.credit", "no-credit");
    p.expectGet("cmi.mode", "review");
    p.expectGet("cmi.launch_data", "x=1");
    p.expectGet("cmi.max_time_allowed", "PT1H");
    p.expectGet("cmi.time_limit_action", "exit,message");
    p.expectGet("cmi.completion_threshold", "0.75");
    p.expectGet("cmi.scaled_passing_score", "0.6");
    p.expectGet("cmi.learner_preference.audio_level", "2");
    p.expectGet("cmi.learner_preference.language", "de");
    p.expectGet("cmi.comments_from_lms._count", "1");
    p.expectGet("cmi.comments_from_lms.0.comment", "{lang=en}Welcome");
    p.expectGet("cmi.comments_from_lms.0.location", "intro");
    p.expectSet("cmi.comments_from_lms.0.comment", "x", 404);
    p.expectSet("cmi.comments_from_lms.1.comment", "x", 404);
  });
  test("malformed initialData is ignored safely", () => {
    for (const initialData of [null, 1, "x", { cmi: [] }, { cmi: { exit: "suspend", objectives: "x", score: 3 } }]) {
      const p = start({ initialData });
      p.expectGet("cmi.objectives._count", "0");
      p.expectGet("cmi.score.raw", "", 403);
    }
  });
});

describe("SCORM 2004 host helpers", () => {
  test("coursehost.state / snapshot / commit", () => {
    const reasons = [];
    const api = make({ onCommit: (s, r) => reasons.push(r) });
    assert.equal(api.coursehost.state(), "not-initialized");
    assert.equal(api.coursehost.commit(), null);
    api.Initialize("");
    assert.equal(api.coursehost.snapshot().reason, "snapshot");
    assert.equal(api.coursehost.commit("unload").sequence, 1);
    assert.deepEqual(reasons, ["unload"]);
  });
  test("the API has exactly the eight SCORM 2004 functions", () => {
    assert.deepEqual(Object.keys(make()).sort(), ["Commit", "GetDiagnostic", "GetErrorString", "GetLastError",
      "GetValue", "Initialize", "SetValue", "Terminate"]);
  });
  test("debug logging", () => {
    const logs = [];
    const api = make({ debug: true, onLog: (m, level) => logs.push([level, m]) });
    api.Initialize("");
    api.SetValue("cmi.score.scaled", 2);
    assert.ok(logs.some(([level, m]) => level === "debug" && m === 'SetValue("cmi.score.scaled", 2) -> "false" [407]'));
  });
});
