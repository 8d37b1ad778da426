"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW } = require("./helpers.js");

const { createScorm12Api, SCORM12_ERROR_STRINGS } = runtime("scorm12.js");

const NAMES = ["LMSGetValue", "LMSSetValue", "LMSGetLastError", "LMSGetDiagnostic"];

function start(options = {}) {
  const api = createScorm12Api({ learner: { id: "learner-1", name: "Doe, Jane" }, now: FIXED_NOW, ...options });
  assert.equal(api.LMSInitialize(""), "true");
  return probe(api, NAMES);
}

const long = (n) => "x".repeat(n);

// ---------------------------------------------------------------------------------------------------------------
// Element table: access, initial value, valid and invalid values (with the expected error code).
// `setup` creates array items first; write-only elements are checked by setting only.
// ---------------------------------------------------------------------------------------------------------------

const SCORE_VALID = ["", "0", "100", "85.5", "0.25", "99.99"];
const SCORE_INVALID = [["101", 405], ["-1", 405], ["abc", 405], ["1e2", 405], ["50%", 405]];
const TIMESPAN_VALID = ["00:00:00", "0001:30:00.5", "9999:59:59.99", "12:00:00.25"];
const TIMESPAN_INVALID = [["1:00:00", 405], ["00:60:00", 405], ["PT1H", 405], ["00:00:00.123", 405], ["", 405]];
const IDENTIFIER_INVALID = [["", 405], ["has space", 405], [long(256), 405]];

const ELEMENTS = [
  { element: "cmi.core.student_id", access: "r", initial: "learner-1" },
  { element: "cmi.core.student_name", access: "r", initial: "Doe, Jane" },
  { element: "cmi.core.lesson_location", access: "rw", initial: "", valid: ["", "page 3", long(255)],
    invalid: [[long(256), 405]] },
  { element: "cmi.core.credit", access: "r", initial: "credit" },
  { element: "cmi.core.lesson_status", access: "rw", initial: "not attempted",
    valid: ["passed", "completed", "failed", "incomplete", "browsed"],
    invalid: [["not attempted", 405], ["Completed", 405], ["", 405], ["complete", 405]] },
  { element: "cmi.core.entry", access: "r", initial: "ab-initio" },
  { element: "cmi.core.score.raw", access: "rw", initial: "", valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.core.score.min", access: "rw", initial: "", valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.core.score.max", access: "rw", initial: "", valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.core.total_time", access: "r", initial: "0000:00:00" },
  { element: "cmi.core.lesson_mode", access: "r", initial: "normal" },
  { element: "cmi.core.exit", access: "w", valid: ["time-out", "suspend", "logout", ""],
    invalid: [["normal", 405], ["Suspend", 405]] },
  { element: "cmi.core.session_time", access: "w", valid: TIMESPAN_VALID, invalid: TIMESPAN_INVALID },
  { element: "cmi.suspend_data", access: "rw", initial: "", valid: ["", "a=1;b=2", long(4096)] },
  { element: "cmi.launch_data", access: "r", initial: "" },
  { element: "cmi.comments", access: "rw", initial: "", valid: ["Great course", long(4096)],
    invalid: [[long(4097), 405]] },
  { element: "cmi.comments_from_lms", access: "r", initial: "" },
  { element: "cmi.student_data.mastery_score", access: "r", initial: "" },
  { element: "cmi.student_data.max_time_allowed", access: "r", initial: "" },
  { element: "cmi.student_data.time_limit_action", access: "r", initial: "continue,no message" },
  { element: "cmi.student_preference.audio", access: "rw", initial: "0", valid: ["-1", "0", "100", "50"],
    invalid: [["101", 405], ["-2", 405], ["abc", 405], ["1.5", 405], ["", 405]] },
  { element: "cmi.student_preference.language", access: "rw", initial: "", valid: ["", "en-US", long(255)],
    invalid: [[long(256), 405]] },
  { element: "cmi.student_preference.speed", access: "rw", initial: "0", valid: ["-100", "0", "100"],
    invalid: [["101", 405], ["-101", 405], ["fast", 405]] },
  { element: "cmi.student_preference.text", access: "rw", initial: "0", valid: ["-1", "0", "1"],
    invalid: [["2", 405], ["-2", 405], ["on", 405]] },
  { element: "cmi.objectives.0.id", access: "rw", setup: ["cmi.objectives.0.id", "obj-setup"], initial: "obj-setup",
    valid: ["obj_1", "urn:x:1"], invalid: IDENTIFIER_INVALID },
  { element: "cmi.objectives.0.score.raw", access: "rw", setup: ["cmi.objectives.0.id", "o"], initial: "",
    valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.objectives.0.score.min", access: "rw", setup: ["cmi.objectives.0.id", "o"], initial: "",
    valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.objectives.0.score.max", access: "rw", setup: ["cmi.objectives.0.id", "o"], initial: "",
    valid: SCORE_VALID, invalid: SCORE_INVALID },
  { element: "cmi.objectives.0.status", access: "rw", setup: ["cmi.objectives.0.id", "o"], initial: "not attempted",
    valid: ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"], invalid: [["done", 405]] },
  { element: "cmi.interactions.0.id", access: "w", valid: ["q1", "Scene1_Slide2"], invalid: IDENTIFIER_INVALID },
  { element: "cmi.interactions.0.objectives.0.id", access: "w", valid: ["obj1"], invalid: IDENTIFIER_INVALID },
  { element: "cmi.interactions.0.time", access: "w", valid: ["00:00:00", "23:59:59", "12:00:00.5"],
    invalid: [["24:00:00", 405], ["12:00", 405], ["2024-05-01T12:00:00", 405]] },
  { element: "cmi.interactions.0.type", access: "w",
    valid: ["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"],
    invalid: [["long-fill-in", 405], ["other", 405], ["", 405]] },
  { element: "cmi.interactions.0.correct_responses.0.pattern", access: "w", valid: ["a,b", "", "t", long(255)],
    invalid: [[long(256), 405]] },
  { element: "cmi.interactions.0.weighting", access: "w", valid: ["1", "-2.5", "0"], invalid: [["x", 405], ["", 405]] },
  { element: "cmi.interactions.0.student_response", access: "w", valid: ["a", "", long(255)],
    invalid: [[long(256), 405]] },
  { element: "cmi.interactions.0.result", access: "w",
    valid: ["correct", "wrong", "unanticipated", "neutral", "0.5", "-1"], invalid: [["incorrect", 405], ["", 405]] },
  { element: "cmi.interactions.0.latency", access: "w", valid: TIMESPAN_VALID, invalid: TIMESPAN_INVALID },
];

describe("SCORM 1.2 data model elements", () => {
  for (const spec of ELEMENTS) {
    describe(spec.element, () => {
      const fresh = () => {
        const p = start();
        if (spec.setup) p.expectSet(spec.setup[0], spec.setup[1]);
        return p;
      };
      if (spec.access.includes("r")) {
        test("initial value", () => fresh().expectGet(spec.element, spec.initial));
      } else {
        test("is write-only (404)", () => {
          const p = fresh();
          p.expectSet(spec.element, spec.valid[0]);
          p.expectGet(spec.element, "", 404);
        });
      }
      if (!spec.access.includes("w")) {
        test("is read-only (403)", () => {
          const p = fresh();
          p.expectSet(spec.element, "anything", 403);
          p.expectGet(spec.element, spec.initial);
        });
      }
      for (const value of spec.valid || []) {
        test(`accepts ${JSON.stringify(value.length > 20 ? value.slice(0, 8) + "…" : value)}`, () => {
          const p = fresh();
          p.expectSet(spec.element, value);
          if (spec.access.includes("r")) p.expectGet(spec.element, value);
        });
      }
      for (const [value, code] of spec.invalid || []) {
        test(`rejects ${JSON.stringify(value.length > 20 ? value.slice(0, 8) + "…" : value)} with ${code}`, () => {
          const p = fresh();
          const before = spec.access.includes("r") ? p.get(spec.element).value : undefined;
          p.expectSet(spec.element, value, code);
          if (spec.access.includes("r")) p.expectGet(spec.element, before);
        });
      }
    });
  }

  test("numbers from the SCO are stringified", () => {
    const p = start();
    p.expectSet("cmi.core.score.raw", 85);
    p.expectGet("cmi.core.score.raw", "85");
  });
});

describe("SCORM 1.2 keywords", () => {
  const CHILDREN = [
    ["cmi._children", "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions"],
    ["cmi.core._children", "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time," +
      "lesson_mode,exit,session_time"],
    ["cmi.core.score._children", "raw,min,max"],
    ["cmi.objectives._children", "id,score,status"],
    ["cmi.student_data._children", "mastery_score,max_time_allowed,time_limit_action"],
    ["cmi.student_preference._children", "audio,language,speed,text"],
    ["cmi.interactions._children", "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"],
    ["cmi._version", "3.4"],
    ["cmi.objectives._count", "0"],
    ["cmi.interactions._count", "0"],
  ];
  for (const [element, value] of CHILDREN) {
    test(`${element} = ${value.slice(0, 30)}`, () => start().expectGet(element, value));
  }
  test("objective score _children needs the objective", () => {
    const p = start();
    p.expectGet("cmi.objectives.0.score._children", "", 201);
    p.expectSet("cmi.objectives.0.id", "o1");
    p.expectGet("cmi.objectives.0.score._children", "raw,min,max");
  });
  test("nested _count on interactions", () => {
    const p = start();
    p.expectGet("cmi.interactions.0.objectives._count", "", 201);
    p.expectSet("cmi.interactions.0.id", "q1");
    p.expectGet("cmi.interactions.0.objectives._count", "0");
    p.expectGet("cmi.interactions.0.correct_responses._count", "0");
    p.expectSet("cmi.interactions.0.correct_responses.0.pattern", "a");
    p.expectGet("cmi.interactions.0.correct_responses._count", "1");
  });
  const NO_CHILDREN = ["cmi.core.student_id._children", "cmi.suspend_data._children", "cmi.core.score.raw._children",
    "cmi.interactions.0.objectives._children"];
  for (const element of NO_CHILDREN) {
    test(`${element} -> 202`, () => {
      const p = start();
      p.expectSet("cmi.interactions.0.id", "q");
      p.expectGet(element, "", 202);
    });
  }
  const NO_COUNT = ["cmi.core._count", "cmi.core.score._count", "cmi.student_data._count", "cmi.suspend_data._count",
    "cmi.student_preference._count"];
  for (const element of NO_COUNT) test(`${element} -> 203`, () => start().expectGet(element, "", 203));
  const KEYWORD_SET = ["cmi.core._children", "cmi.objectives._count", "cmi.interactions._children", "cmi._version",
    "cmi.core.score._children", "cmi.core.student_id._children", "cmi.core._count"];
  for (const element of KEYWORD_SET) test(`set ${element} -> 402`, () => start().expectSet(element, "x", 402));
});

describe("SCORM 1.2 element names and arrays", () => {
  const UNDEFINED = ["cmi.core.foo", "xyz.score.result", "cmi", "cmi.core", "cmi.core.score", "cmi.objectives",
    "cmi.cmi.core.student_id", "cmi.completion_status", "cmi.core.student_id.x", "cmi.objectives.a.id",
    "cmi.objectives.-1.id", "adl.nav.request", "cmi.core.lesson_status "];
  for (const element of UNDEFINED) {
    test(`get ${JSON.stringify(element)} -> 401`, () => start().expectGet(element, "", 401));
    test(`set ${JSON.stringify(element)} -> 401`, () => start().expectSet(element, "x", 401));
  }
  test("empty element -> 201", () => {
    const p = start();
    p.expectGet("", "", 201);
    p.expectSet("", "x", 201);
    p.expectGet(undefined, "", 201);
  });
  test("indices must be sequential (201)", () => {
    const p = start();
    p.expectSet("cmi.objectives.1.id", "o2", 201);
    p.expectSet("cmi.objectives.0.id", "o1");
    p.expectSet("cmi.objectives.2.status", "passed", 201);
    p.expectSet("cmi.objectives.1.status", "passed");
    p.expectGet("cmi.objectives._count", "2");
    p.expectGet("cmi.objectives.1.id", "");
    p.expectGet("cmi.objectives.1.status", "passed");
    p.expectGet("cmi.objectives.2.id", "", 201);
    p.expectSet("cmi.interactions.0.objectives.0.id", "o1");
    p.expectSet("cmi.interactions.0.objectives.2.id", "o3", 201);
    p.expectSet("cmi.interactions.1.correct_responses.0.pattern", "a");
    p.expectSet("cmi.interactions.1.correct_responses.2.pattern", "a", 201);
    p.expectGet("cmi.interactions._count", "2");
    p.expectSet("cmi.interactions.3.id", "q", 201);
  });
  test("existing items can be overwritten", () => {
    const p = start();
    p.expectSet("cmi.objectives.0.id", "o1");
    p.expectSet("cmi.objectives.0.id", "o1b");
    p.expectGet("cmi.objectives.0.id", "o1b");
    p.expectGet("cmi.objectives._count", "1");
  });
});

describe("SCORM 1.2 state rules", () => {
  test("everything before LMSInitialize is 301", () => {
    const api = createScorm12Api({});
    assert.equal(api.LMSGetValue("cmi.core.student_id"), "");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSSetValue("cmi.core.lesson_location", "x"), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSCommit(""), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSFinish(""), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.match(api.LMSGetDiagnostic(""), /before LMSInitialize/);
  });
  test("everything after LMSFinish is 301, LMSInitialize again 101", () => {
    const api = createScorm12Api({});
    assert.equal(api.LMSInitialize(""), "true");
    assert.equal(api.LMSFinish(""), "true");
    assert.equal(api.LMSGetValue("cmi.core.student_id"), "");
    assert.equal(api.LMSGetLastError(), "301");
    assert.match(api.LMSGetDiagnostic(""), /after LMSFinish/);
    assert.equal(api.LMSSetValue("cmi.core.lesson_location", "x"), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSCommit(""), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSFinish(""), "false");
    assert.equal(api.LMSGetLastError(), "301");
    assert.equal(api.LMSInitialize(""), "false");
    assert.equal(api.LMSGetLastError(), "101");
  });
  test("LMSInitialize twice is 101", () => {
    const api = createScorm12Api({});
    assert.equal(api.LMSInitialize(""), "true");
    assert.equal(api.LMSInitialize(""), "false");
    assert.equal(api.LMSGetLastError(), "101");
  });
  test("non-empty parameters are 201", () => {
    const api = createScorm12Api({});
    assert.equal(api.LMSInitialize("x"), "false");
    assert.equal(api.LMSGetLastError(), "201");
    assert.equal(api.LMSInitialize(), "true", "a missing parameter counts as the empty string");
    assert.equal(api.LMSCommit("x"), "false");
    assert.equal(api.LMSGetLastError(), "201");
    assert.equal(api.LMSFinish("x"), "false");
    assert.equal(api.LMSGetLastError(), "201");
    assert.equal(api.LMSFinish(""), "true");
  });
  test("a successful call clears the error; error functions do not", () => {
    const api = createScorm12Api({});
    api.LMSInitialize("");
    api.LMSGetValue("cmi.core.exit");
    assert.equal(api.LMSGetLastError(), "404");
    api.LMSGetErrorString("404");
    api.LMSGetDiagnostic("");
    assert.equal(api.LMSGetLastError(), "404");
    api.LMSGetValue("cmi.core.student_id");
    assert.equal(api.LMSGetLastError(), "0");
  });
});

describe("SCORM 1.2 error strings and diagnostics", () => {
  const EXPECTED = {
    0: "No error", 101: "General exception", 201: "Invalid argument error", 202: "Element cannot have children",
    203: "Element not an array - cannot have count", 301: "Not initialized", 401: "Not implemented error",
    402: "Invalid set value, element is a keyword", 403: "Element is read only", 404: "Element is write only",
    405: "Incorrect data type",
  };
  const api = createScorm12Api({});
  for (const [code, text] of Object.entries(EXPECTED)) {
    test(`${code}: ${text}`, () => {
      assert.equal(api.LMSGetErrorString(code), text);
      assert.equal(api.LMSGetErrorString(Number(code)), text);
    });
  }
  test("the table is complete", () => assert.deepEqual(Object.keys(SCORM12_ERROR_STRINGS), Object.keys(EXPECTED)));
  test("unknown codes give the empty string", () => {
    assert.equal(api.LMSGetErrorString("999"), "");
    assert.equal(api.LMSGetErrorString(""), "");
    assert.equal(api.LMSGetErrorString("abc"), "");
  });
  test("diagnostics describe the last error", () => {
    const p = start();
    p.expectSet("cmi.core.student_id", "x", 403);
    assert.match(p.api.LMSGetDiagnostic(""), /cmi\.core\.student_id is read-only/);
    assert.match(p.api.LMSGetDiagnostic("403"), /read-only/);
    assert.equal(p.api.LMSGetDiagnostic("201"), "Invalid argument error");
    p.expectSet("cmi.core.score.raw", "120", 405);
    assert.match(p.api.LMSGetDiagnostic(""), /outside 0\.\.100/);
  });
  test("LMSGetLastError returns a string", () => assert.equal(typeof createScorm12Api({}).LMSGetLastError(), "string"));
});

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
