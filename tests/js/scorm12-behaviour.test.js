"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW, createScorm12Api, SCORM12_ERROR_STRINGS, NAMES, start, long, SCORE_VALID, SCORE_INVALID, TIMESPAN_VALID, TIMESPAN_INVALID, IDENTIFIER_INVALID, ELEMENTS } = require("./scorm12-fixtures.js");

describe("SCORM 1.2 suspend_data limit", () => {
  test("warn (default): stores and logs", () => {
    const logs = [];
    const p = start({ onLog: (m, level) => logs.push([level, m]) });
    p.expectSet("cmi.suspend_data", long(5000));
    assert.equal(p.get("cmi.suspend_data").value.length, 5000);
    assert.ok(logs.some(([level, m]) => level === "warn" && /5000 characters long, over the limit of 4096/.test(m)));
  });
  test("reject: 405 and the old value stays", () => {
    const p = start({ suspendDataPolicy: "reject" });
    p.expectSet("cmi.suspend_data", "kept");
    p.expectSet("cmi.suspend_data", long(4097), 405);
    assert.match(p.get("cmi.suspend_data").value, /^kept$/);
    p.expectSet("cmi.suspend_data", long(4096));
  });
  test("custom maximum", () => {
    const p = start({ suspendDataPolicy: "reject", suspendDataMaxLength: 10 });
    p.expectSet("cmi.suspend_data", long(10));
    p.expectSet("cmi.suspend_data", long(11), 405);
  });
});

describe("SCORM 1.2 LMS-provided values", () => {
  test("options fill the read-only elements", () => {
    const p = start({
      credit: "no-credit", mode: "browse", launchData: "level=2", masteryScore: 80, maxTimeAllowed: "00:30:00",
      timeLimitAction: "exit,message", commentsFromLms: "Welcome", studentPreference: { audio: "50", language: "fr" },
    });
    p.expectGet("cmi.core.credit", "no-credit");
    p.expectGet("cmi.core.lesson_mode", "browse");
    p.expectGet("cmi.launch_data", "level=2");
    p.expectGet("cmi.student_data.mastery_score", "80");
    p.expectGet("cmi.student_data.max_time_allowed", "00:30:00");
    p.expectGet("cmi.student_data.time_limit_action", "exit,message");
    p.expectGet("cmi.comments_from_lms", "Welcome");
    p.expectGet("cmi.student_preference.audio", "50");
    p.expectGet("cmi.student_preference.language", "fr");
  });
});

function finish(options, steps) {
  const commits = [];
  const finished = [];
  const p = start({ onCommit: (s, r) => commits.push([r, s]), onFinish: (s) => finished.push(s), ...options });
  for (const [element, value] of steps) p.expectSet(element, value);
  assert.equal(p.api.LMSFinish(""), "true");
  return { p, commits, finished, last: commits[commits.length - 1][1] };
}

describe("SCORM 1.2 lesson_status on LMSFinish", () => {
  const CASES = [
    // [description, options, steps, expected final status]
    ["not attempted becomes completed", {}, [], "completed"],
    ["not attempted becomes browsed in browse mode", { mode: "browse" }, [], "browsed"],
    ["review mode changes nothing", { mode: "review" }, [], "not attempted"],
    ["SCO status kept without mastery score", {}, [["cmi.core.lesson_status", "incomplete"]], "incomplete"],
    ["mastery: completed + raw >= mastery -> passed", { masteryScore: 80 },
      [["cmi.core.lesson_status", "completed"], ["cmi.core.score.raw", "80"]], "passed"],
    ["mastery: completed + raw < mastery -> failed", { masteryScore: 80 },
      [["cmi.core.lesson_status", "completed"], ["cmi.core.score.raw", "79.5"]], "failed"],
    ["mastery overrides passed", { masteryScore: 80 },
      [["cmi.core.lesson_status", "passed"], ["cmi.core.score.raw", "10"]], "failed"],
    ["mastery overrides failed", { masteryScore: 80 },
      [["cmi.core.lesson_status", "failed"], ["cmi.core.score.raw", "90"]], "passed"],
    ["mastery leaves incomplete", { masteryScore: 80 },
      [["cmi.core.lesson_status", "incomplete"], ["cmi.core.score.raw", "90"]], "incomplete"],
    ["mastery applies after not attempted -> completed", { masteryScore: 80 }, [["cmi.core.score.raw", "90"]], "passed"],
    ["mastery needs a raw score", { masteryScore: 80 }, [["cmi.core.lesson_status", "completed"]], "completed"],
    ["no mastery change without credit", { masteryScore: 80, credit: "no-credit" },
      [["cmi.core.lesson_status", "completed"], ["cmi.core.score.raw", "10"]], "completed"],
    ["no-credit still browses", { credit: "no-credit", mode: "browse" }, [], "browsed"],
  ];
  for (const [description, options, steps, expected] of CASES) {
    test(description, () => {
      const { last, finished } = finish(options, steps);
      assert.equal(last.cmi.core.lesson_status, expected);
      assert.equal(finished[0].cmi.core.lesson_status, expected);
    });
  }
  test("commit snapshots carry the mastery evaluation but GetValue does not", () => {
    const commits = [];
    const p = start({ masteryScore: 80, onCommit: (s) => commits.push(s) });
    p.expectSet("cmi.core.lesson_status", "completed");
    p.expectSet("cmi.core.score.raw", "95");
    assert.equal(p.api.LMSCommit(""), "true");
    assert.equal(commits[0].cmi.core.lesson_status, "passed");
    p.expectGet("cmi.core.lesson_status", "completed");
  });
  test("commit snapshots never turn not attempted into completed", () => {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s) });
    p.api.LMSCommit("");
    assert.equal(commits[0].cmi.core.lesson_status, "not attempted");
  });
});

describe("SCORM 1.2 total_time", () => {
  test("LMSFinish adds session_time", () => {
    const { last } = finish({}, [["cmi.core.session_time", "00:10:05.5"]]);
    assert.equal(last.cmi.core.total_time, "0000:10:05.50");
  });
  test("accumulates across sessions", () => {
    const first = finish({}, [["cmi.core.session_time", "01:00:00"], ["cmi.core.exit", "suspend"]]).last;
    const second = finish({ initialData: first }, [["cmi.core.session_time", "00:30:00.25"]]).last;
    assert.equal(second.cmi.core.total_time, "0001:30:00.25");
  });
  test("the last session_time set wins", () => {
    const { last } = finish({}, [["cmi.core.session_time", "01:00:00"], ["cmi.core.session_time", "00:01:00"]]);
    assert.equal(last.cmi.core.total_time, "0000:01:00");
  });
  test("no session_time, no change", () => {
    assert.equal(finish({}, []).last.cmi.core.total_time, "0000:00:00");
  });
  test("an unfinished snapshot counts its session_time on resume", () => {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s) });
    p.expectSet("cmi.core.session_time", "00:05:00");
    p.api.LMSCommit("");
    assert.equal(commits[0].terminated, false);
    const resumed = start({ initialData: commits[0] });
    resumed.expectGet("cmi.core.total_time", "0000:05:00");
  });
});

describe("SCORM 1.2 commits, snapshots and resume", () => {
  test("LMSCommit hands a JSON snapshot with a growing sequence", () => {
    const commits = [];
    const p = start({ sessionId: "s-1", onCommit: (s, r) => commits.push([r, s]) });
    p.expectSet("cmi.core.lesson_location", "p2");
    assert.equal(p.api.LMSCommit(""), "true");
    assert.equal(p.api.LMSCommit(""), "true");
    assert.equal(p.api.LMSFinish(""), "true");
    assert.deepEqual(commits.map(([r, s]) => [r, s.sequence, s.terminated]),
      [["commit", 1, false], ["commit", 2, false], ["finish", 3, true]]);
    const snapshot = commits[0][1];
    assert.equal(snapshot.standard, "scorm12");
    assert.equal(snapshot.sessionId, "s-1");
    assert.equal(snapshot.savedAt, "2024-05-01T10:30:00.000Z");
    assert.equal(snapshot.cmi.core.lesson_location, "p2");
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });
  test("snapshots are copies", () => {
    const commits = [];
    const p = start({ onCommit: (s) => commits.push(s) });
    p.api.LMSCommit("");
    commits[0].cmi.core.lesson_location = "tampered";
    p.expectGet("cmi.core.lesson_location", "");
  });
  test("onFinish comes once, after onCommit", () => {
    const order = [];
    const api = createScorm12Api({ onCommit: (s, r) => order.push("commit:" + r), onFinish: () => order.push("finish") });
    api.LMSInitialize("");
    api.LMSFinish("");
    api.LMSFinish("");
    assert.deepEqual(order, ["commit:finish", "finish"]);
  });
  test("a failing onCommit makes LMSCommit return false with 101", () => {
    const api = createScorm12Api({ onCommit: () => false });
    api.LMSInitialize("");
    assert.equal(api.LMSCommit(""), "false");
    assert.equal(api.LMSGetLastError(), "101");
    const throwing = createScorm12Api({ onCommit: () => { throw new Error("offline"); }, onLog: () => {} });
    throwing.LMSInitialize("");
    assert.equal(throwing.LMSCommit(""), "false");
    assert.equal(throwing.LMSFinish(""), "false");
    assert.equal(throwing.LMSGetLastError(), "101");
    assert.equal(throwing.coursehost.state(), "terminated");
  });

  function fullSession(exit) {
    const p = start({ masteryScore: 50, launchData: "ld", onCommit: (s) => (p.last = s) });
    p.expectSet("cmi.core.lesson_location", "page-7");
    p.expectSet("cmi.core.lesson_status", "incomplete");
    p.expectSet("cmi.core.score.raw", "40");
    p.expectSet("cmi.core.score.max", "100");
    p.expectSet("cmi.suspend_data", "state=42");
    p.expectSet("cmi.comments", "note");
    p.expectSet("cmi.objectives.0.id", "obj1");
    p.expectSet("cmi.objectives.0.status", "passed");
    p.expectSet("cmi.objectives.0.score.raw", "70");
    p.expectSet("cmi.student_preference.audio", "80");
    p.expectSet("cmi.interactions.0.id", "q1");
    p.expectSet("cmi.interactions.0.type", "choice");
    p.expectSet("cmi.interactions.0.objectives.0.id", "obj1");
    p.expectSet("cmi.interactions.0.correct_responses.0.pattern", "a");
    p.expectSet("cmi.interactions.0.student_response", "b");
    p.expectSet("cmi.core.session_time", "00:02:00");
    p.expectSet("cmi.core.exit", exit);
    assert.equal(p.api.LMSFinish(""), "true");
    return p.last;
  }

  test("resume after exit suspend restores everything", () => {
    const snapshot = fullSession("suspend");
    const p = start({ initialData: JSON.parse(JSON.stringify(snapshot)), masteryScore: 50, launchData: "ld" });
    p.expectGet("cmi.core.entry", "resume");
    p.expectGet("cmi.core.lesson_location", "page-7");
    p.expectGet("cmi.core.lesson_status", "incomplete");
    p.expectGet("cmi.core.score.raw", "40");
    p.expectGet("cmi.core.score.max", "100");
    p.expectGet("cmi.suspend_data", "state=42");
    p.expectGet("cmi.comments", "note");
    p.expectGet("cmi.objectives._count", "1");
    p.expectGet("cmi.objectives.0.id", "obj1");
    p.expectGet("cmi.objectives.0.status", "passed");
    p.expectGet("cmi.objectives.0.score.raw", "70");
    p.expectGet("cmi.student_preference.audio", "80");
    p.expectGet("cmi.interactions._count", "1");
    p.expectGet("cmi.interactions.0.objectives._count", "1");
    p.expectGet("cmi.core.total_time", "0000:02:00");
    p.expectGet("cmi.core.student_id", "learner-1");
    p.expectGet("cmi.launch_data", "ld");
    // the restored snapshot round-trips to the same learner data
    assert.equal(p.api.LMSFinish(""), "true");
  });
  test("relaunch after another exit: entry is empty, data kept", () => {
    const snapshot = fullSession("");
    const p = start({ initialData: snapshot });
    p.expectGet("cmi.core.entry", "");
    p.expectGet("cmi.core.lesson_location", "page-7");
  });
  test("entry can be forced", () => {
    start({ initialData: fullSession("suspend"), entry: "ab-initio" }).expectGet("cmi.core.entry", "ab-initio");
  });
  test("the sequence continues from initialData", () => {
    const snapshot = fullSession("suspend");
    const commits = [];
    const p = start({ initialData: snapshot, onCommit: (s) => commits.push(s) });
    p.api.LMSCommit("");
    assert.equal(commits[0].sequence, snapshot.sequence + 1);
  });
  test("options beat initialData for LMS-owned values", () => {
    const snapshot = fullSession("suspend");
    const p = start({ initialData: snapshot, learner: { id: "other", name: "Other" }, credit: "no-credit" });
    p.expectGet("cmi.core.student_id", "other");
    p.expectGet("cmi.core.credit", "no-credit");
    p.expectGet("cmi.student_data.mastery_score", "50", 0);
  });
  test("malformed initialData is ignored safely", () => {
    for (const initialData of [null, 42, "x", { cmi: "nope" }, { cmi: { core: null, objectives: "x" } }]) {
      const p = start({ initialData });
      p.expectGet("cmi.core.lesson_status", "not attempted");
      p.expectGet("cmi.objectives._count", "0");
    }
  });
});

describe("SCORM 1.2 host helpers and logging", () => {
  test("coursehost.state / snapshot / commit", () => {
    const commits = [];
    const api = createScorm12Api({ onCommit: (s, r) => commits.push(r) });
    assert.equal(api.coursehost.state(), "not-initialized");
    assert.equal(api.coursehost.commit("unload"), null);
    api.LMSInitialize("");
    assert.equal(api.coursehost.state(), "running");
    assert.equal(api.coursehost.snapshot().sequence, 0);
    assert.equal(api.coursehost.commit("unload").sequence, 1);
    assert.deepEqual(commits, ["unload"]);
    api.LMSFinish("");
    assert.equal(api.coursehost.state(), "terminated");
    assert.ok(!Object.keys(api).includes("coursehost"), "not enumerable");
  });
  test("debug logs every call", () => {
    const logs = [];
    const api = createScorm12Api({ debug: true, onLog: (m, level) => logs.push([level, m]) });
    api.LMSInitialize("");
    api.LMSGetValue("cmi.core.exit");
    assert.ok(logs.some(([level, m]) => level === "debug" && m === 'LMSGetValue("cmi.core.exit") -> "" [404]'));
  });
  test("the API has exactly the eight SCORM 1.2 functions", () => {
    assert.deepEqual(Object.keys(createScorm12Api({})).sort(), ["LMSCommit", "LMSFinish", "LMSGetDiagnostic",
      "LMSGetErrorString", "LMSGetLastError", "LMSGetValue", "LMSInitialize", "LMSSetValue"]);
  });
});
