"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW } = require("./helpers.js");

const { createScorm2004Api, SCORM2004_ERROR_STRINGS } = runtime("scorm2004.js");

const NAMES = ["GetValue", "SetValue", "GetLastError", "GetDiagnostic"];
const sync = (fn) => fn();

function make(options = {}) {
  return createScorm2004Api({
    learner: { id: "learner-1", name: "Jane Doe" }, now: FIXED_NOW, schedule: sync, ...options,
  });
}

function start(options = {}) {
  const api = make(options);
  assert.equal(api.Initialize(""), "true");
  return probe(api, NAMES);
}

const long = (n) => "x".repeat(n);
const short = (v) => JSON.stringify(v.length > 24 ? v.slice(0, 10) + "…" : v);

// ---------------------------------------------------------------------------------------------------------------
// Element table
// ---------------------------------------------------------------------------------------------------------------

const REAL_VALID = ["0", "-1.5", "100", "0.1234567", "12345"];
const REAL_INVALID = [["abc", 406], ["", 406], ["1e3", 406], ["1,5", 406]];
const SCALED_INVALID = [["1.01", 407], ["-1.01", 407], ["2", 407], ["x", 406]];
const UNIT_INVALID = [["1.01", 407], ["-0.1", 407], ["x", 406], ["", 406]];
const DURATION_VALID = ["PT0S", "PT1H30M5.25S", "P1DT2H", "PT0.5S"];
const DURATION_INVALID = [["P", 406], ["PT", 406], ["01:00:00", 406], ["", 406], ["PT1.5M", 406]];
const TIME_VALID = ["2024-05-01T10:30:00", "2024-05-01T10:30:00.5Z", "2024", "2024-05-01T10:30:00+02:00"];
const TIME_INVALID = [["2024-13-01", 406], ["1969-01-01", 406], ["10:30:00", 406], ["", 406]];
const ID_INVALID = [["", 406], ["has space", 406], ["urn:", 406], ["urn:bad nid:x", 406]];
const LOCALIZED_VALID = ["Hello", "{lang=en}Hello", "{lang=fr-CA}Bonjour", "", "{lang=en}", "{notlang}x"];
const LOCALIZED_INVALID = [["{lang=123}x", 406], ["{lang=}x", 406], ["{lang=english}x", 406]];
const COMPLETION = ["completed", "incomplete", "not attempted", "unknown"];
const SUCCESS = ["passed", "failed", "unknown"];

const OBJ = ["cmi.objectives.0.id", "obj-1"];
const INT = ["cmi.interactions.0.id", "q-1"];
const INT_TYPED = [INT, ["cmi.interactions.0.type", "choice"]];
const COMMENT = ["cmi.comments_from_learner.0.comment", "first"];

const ELEMENTS = [
  { element: "cmi._version", access: "r", initial: "1.0" },
  { element: "cmi.comments_from_learner.0.comment", access: "rw", setup: [COMMENT], initial: "first",
    valid: [...LOCALIZED_VALID, long(4000)], invalid: LOCALIZED_INVALID },
  { element: "cmi.comments_from_learner.0.location", access: "rw", setup: [COMMENT], notInit: true,
    valid: ["page 2", "", long(250)] },
  { element: "cmi.comments_from_learner.0.timestamp", access: "rw", setup: [COMMENT], notInit: true,
    valid: TIME_VALID, invalid: TIME_INVALID },
  { element: "cmi.completion_status", access: "rw", initial: "unknown", valid: COMPLETION,
    invalid: [["complete", 406], ["", 406], ["passed", 406]] },
  { element: "cmi.completion_threshold", access: "r", notInit: true },
  { element: "cmi.credit", access: "r", initial: "credit" },
  { element: "cmi.entry", access: "r", initial: "ab-initio" },
  { element: "cmi.exit", access: "w", valid: ["time-out", "suspend", "logout", "normal", ""],
    invalid: [["quit", 406], ["Suspend", 406]] },
  { element: "cmi.interactions.0.id", access: "rw", setup: [INT], initial: "q-1",
    valid: ["q2", "urn:adl:interaction:1", long(4000)], invalid: ID_INVALID },
  { element: "cmi.interactions.0.type", access: "rw", setup: [INT], notInit: true,
    valid: ["true-false", "choice", "fill-in", "long-fill-in", "likert", "matching", "performance", "sequencing",
      "numeric", "other"], invalid: [["essay", 406], ["", 406], ["True-false", 406]] },
  { element: "cmi.interactions.0.objectives.0.id", access: "rw", setup: [INT], valid: ["obj-1", "urn:x:o"],
    invalid: ID_INVALID },
  { element: "cmi.interactions.0.timestamp", access: "rw", setup: [INT], notInit: true, valid: TIME_VALID,
    invalid: TIME_INVALID },
  { element: "cmi.interactions.0.correct_responses.0.pattern", access: "rw", setup: INT_TYPED,
    valid: ["a", "a[,]b", ""], invalid: [["a b", 406], ["a[,]a", 351]] },
  { element: "cmi.interactions.0.weighting", access: "rw", setup: [INT], notInit: true, valid: REAL_VALID,
    invalid: REAL_INVALID },
  { element: "cmi.interactions.0.learner_response", access: "rw", setup: INT_TYPED, notInit: true,
    valid: ["a", "a[,]b", ""], invalid: [["a[,]", 406]] },
  { element: "cmi.interactions.0.result", access: "rw", setup: [INT], notInit: true,
    valid: ["correct", "incorrect", "unanticipated", "neutral", "0.5", "-3"],
    invalid: [["wrong", 406], ["", 406], ["Correct", 406]] },
  { element: "cmi.interactions.0.latency", access: "rw", setup: [INT], notInit: true, valid: DURATION_VALID,
    invalid: DURATION_INVALID },
  { element: "cmi.interactions.0.description", access: "rw", setup: [INT], notInit: true,
    valid: [...LOCALIZED_VALID, long(300)], invalid: LOCALIZED_INVALID },
  { element: "cmi.launch_data", access: "r", notInit: true },
  { element: "cmi.learner_id", access: "r", initial: "learner-1" },
  { element: "cmi.learner_name", access: "r", initial: "Jane Doe" },
  { element: "cmi.learner_preference.audio_level", access: "rw", initial: "1", valid: ["0", "1", "2.5", "100"],
    invalid: [["-0.5", 407], ["loud", 406], ["", 406]] },
  { element: "cmi.learner_preference.language", access: "rw", initial: "", valid: ["", "en", "en-US", "fr-CA", "zh-Hant-TW"],
    invalid: [["english", 406], ["en_US", 406], ["1", 406]] },
  { element: "cmi.learner_preference.delivery_speed", access: "rw", initial: "1", valid: ["0", "0.5", "2"],
    invalid: [["-1", 407], ["fast", 406]] },
  { element: "cmi.learner_preference.audio_captioning", access: "rw", initial: "0", valid: ["-1", "0", "1"],
    invalid: [["2", 406], ["on", 406], ["", 406]] },
  { element: "cmi.location", access: "rw", notInit: true, valid: ["page-3", "", long(1000), long(1500)] },
  { element: "cmi.max_time_allowed", access: "r", notInit: true },
  { element: "cmi.mode", access: "r", initial: "normal" },
  { element: "cmi.objectives.0.id", access: "rw", setup: [OBJ], initial: "obj-1", valid: ["obj-1"],
    invalid: ID_INVALID },
  { element: "cmi.objectives.0.score.scaled", access: "rw", setup: [OBJ], notInit: true, valid: ["-1", "0", "1", "0.75"],
    invalid: SCALED_INVALID },
  { element: "cmi.objectives.0.score.raw", access: "rw", setup: [OBJ], notInit: true, valid: REAL_VALID,
    invalid: REAL_INVALID },
  { element: "cmi.objectives.0.score.min", access: "rw", setup: [OBJ], notInit: true, valid: REAL_VALID,
    invalid: REAL_INVALID },
  { element: "cmi.objectives.0.score.max", access: "rw", setup: [OBJ], notInit: true, valid: REAL_VALID,
    invalid: REAL_INVALID },
  { element: "cmi.objectives.0.success_status", access: "rw", setup: [OBJ], initial: "unknown", valid: SUCCESS,
    invalid: [["completed", 406]] },
  { element: "cmi.objectives.0.completion_status", access: "rw", setup: [OBJ], initial: "unknown", valid: COMPLETION,
    invalid: [["passed", 406]] },
  { element: "cmi.objectives.0.progress_measure", access: "rw", setup: [OBJ], notInit: true, valid: ["0", "0.5", "1"],
    invalid: UNIT_INVALID },
  { element: "cmi.objectives.0.description", access: "rw", setup: [OBJ], notInit: true, valid: LOCALIZED_VALID,
    invalid: LOCALIZED_INVALID },
  { element: "cmi.progress_measure", access: "rw", notInit: true, valid: ["0", "0.5", "1"], invalid: UNIT_INVALID },
  { element: "cmi.scaled_passing_score", access: "r", notInit: true },
  { element: "cmi.score.scaled", access: "rw", notInit: true, valid: ["-1", "0", "1", "0.875"], invalid: SCALED_INVALID },
  { element: "cmi.score.raw", access: "rw", notInit: true, valid: REAL_VALID, invalid: REAL_INVALID },
  { element: "cmi.score.min", access: "rw", notInit: true, valid: REAL_VALID, invalid: REAL_INVALID },
  { element: "cmi.score.max", access: "rw", notInit: true, valid: REAL_VALID, invalid: REAL_INVALID },
  { element: "cmi.session_time", access: "w", valid: DURATION_VALID, invalid: DURATION_INVALID },
  { element: "cmi.success_status", access: "rw", initial: "unknown", valid: SUCCESS,
    invalid: [["complete", 406], ["", 406]] },
  { element: "cmi.suspend_data", access: "rw", notInit: true, valid: ["", "state", long(64000)] },
  { element: "cmi.time_limit_action", access: "r", initial: "continue,no message" },
  { element: "cmi.total_time", access: "r", initial: "PT0H0M0S" },
  { element: "adl.nav.request", access: "rw", initial: "_none_",
    valid: ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_",
      "{target=intro}choice", "{target=sco-2}jump", "{target=a.b}choice"],
    invalid: [["choice", 406], ["jump", 406], ["{target=}choice", 406], ["{target=x}start", 406], ["Continue", 406],
      ["", 406], ["{target=a b}choice", 406]] },
];

describe("SCORM 2004 data model elements", () => {
  for (const spec of ELEMENTS) {
    describe(spec.element, () => {
      const fresh = () => {
        const p = start();
        for (const [element, value] of spec.setup || []) p.expectSet(element, value);
        return p;
      };
      const readable = spec.access.includes("r");
      if (readable && spec.notInit) {
        test("is not initialized (403)", () => fresh().expectGet(spec.element, "", 403));
      } else if (readable && spec.initial !== undefined) {
        test("initial value", () => fresh().expectGet(spec.element, spec.initial));
      } else if (!readable) {
        test("is write-only (405)", () => {
          const p = fresh();
          p.expectSet(spec.element, spec.valid[0]);
          p.expectGet(spec.element, "", 405);
        });
      }
      if (!spec.access.includes("w")) {
        test("is read-only (404)", () => fresh().expectSet(spec.element, "anything", 404));
      }
      for (const value of spec.valid || []) {
        test(`accepts ${short(value)}`, () => {
          const p = fresh();
          p.expectSet(spec.element, value);
          if (readable) p.expectGet(spec.element, value);
        });
      }
      for (const [value, code] of spec.invalid || []) {
        test(`rejects ${short(value)} with ${code}`, () => fresh().expectSet(spec.element, value, code));
      }
    });
  }
});

describe("SCORM 2004 keywords", () => {
  const VALUES = [
    ["cmi.comments_from_learner._children", "comment,location,timestamp"],
    ["cmi.comments_from_lms._children", "comment,location,timestamp"],
    ["cmi.interactions._children",
      "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"],
    ["cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning"],
    ["cmi.objectives._children", "id,score,success_status,completion_status,progress_measure,description"],
    ["cmi.score._children", "scaled,raw,min,max"],
    ["adl.data._children", "id,store"],
    ["cmi.comments_from_learner._count", "0"],
    ["cmi.comments_from_lms._count", "0"],
    ["cmi.interactions._count", "0"],
    ["cmi.objectives._count", "0"],
    ["adl.data._count", "0"],
  ];
  for (const [element, value] of VALUES) test(`${element}`, () => start().expectGet(element, value));

  const GET_301 = ["cmi.learner_id._children", "cmi.score.raw._children", "cmi._children", "adl._children",
    "adl.nav._children", "cmi.score._count", "cmi.learner_preference._count", "cmi.location._count",
    "cmi.score._version", "cmi.objectives._version", "cmi.interactions.0.objectives._children"];
  for (const element of GET_301) {
    test(`get ${element} -> 301`, () => {
      const p = start();
      p.expectSet("cmi.interactions.0.id", "q");
      p.expectGet(element, "", 301);
    });
  }
  const SET_404 = ["cmi._version", "cmi.objectives._count", "cmi.objectives._children", "cmi.score._children",
    "cmi.learner_id._children", "adl.data._count", "cmi.interactions._count"];
  for (const element of SET_404) test(`set ${element} -> 404`, () => start().expectSet(element, "x", 404));

  test("nested counts", () => {
    const p = start();
    p.expectGet("cmi.interactions.0.objectives._count", "", 301);
    p.expectSet("cmi.interactions.0.id", "q");
    p.expectGet("cmi.interactions.0.objectives._count", "0");
    p.expectGet("cmi.interactions.0.correct_responses._count", "0");
    p.expectSet("cmi.interactions.0.objectives.0.id", "o");
    p.expectGet("cmi.interactions.0.objectives._count", "1");
    p.expectSet("cmi.objectives.0.id", "o");
    p.expectGet("cmi.objectives.0.score._children", "scaled,raw,min,max");
  });
});

describe("SCORM 2004 element names, arrays and dependencies", () => {
  const UNDEFINED = ["cmi.core.lesson_status", "cmi.foo", "cmi", "adl", "adl.nav", "cmi.score", "xyz.a",
    "cmi.objectives.x.id", "cmi.objectives.0", "cmi.interactions.0.student_response", "adl.nav.request_valid.foo",
    "adl.nav.request_valid.choice", "adl.nav.request_valid.choice.intro", "cmi.suspend_data.x", "adl.data.0.foo"];
  for (const element of UNDEFINED) {
    test(`get ${element} -> 401`, () => start().expectGet(element, "", 401));
    test(`set ${element} -> 401`, () => start().expectSet(element, "x", 401));
  }
  test("empty element: GetValue 301, SetValue 351", () => {
    const p = start();
    p.expectGet("", "", 301);
    p.expectSet("", "x", 351);
  });
  test("GetValue past _count is 301", () => {
    const p = start();
    p.expectGet("cmi.objectives.0.id", "", 301);
    p.expectGet("cmi.interactions.3.id", "", 301);
    p.expectGet("cmi.comments_from_lms.0.comment", "", 301);
    p.expectGet("adl.data.0.id", "", 301);
    p.expectSet("cmi.interactions.0.id", "q");
    p.expectGet("cmi.interactions.0.correct_responses.0.pattern", "", 301);
  });
  test("SetValue past the next index is 351", () => {
    const p = start();
    p.expectSet("cmi.objectives.1.id", "o", 351);
    p.expectSet("cmi.interactions.1.id", "q", 351);
    p.expectSet("cmi.comments_from_learner.1.comment", "c", 351);
    p.expectSet("cmi.interactions.0.id", "q");
    p.expectSet("cmi.interactions.0.objectives.1.id", "o", 351);
    p.expectSet("cmi.interactions.0.type", "sequencing");
    p.expectSet("cmi.interactions.0.correct_responses.1.pattern", "a", 351);
  });
  test("new objectives and interactions need their id first (408)", () => {
    const p = start();
    p.expectSet("cmi.objectives.0.success_status", "passed", 408);
    p.expectSet("cmi.objectives.0.score.scaled", "0.5", 408);
    p.expectSet("cmi.interactions.0.type", "choice", 408);
    p.expectSet("cmi.interactions.0.objectives.0.id", "o", 408);
    p.expectSet("cmi.interactions.0.correct_responses.0.pattern", "a", 408);
    p.expectGet("cmi.objectives._count", "0");
    p.expectGet("cmi.interactions._count", "0");
  });
  test("patterns and learner responses need the type (408)", () => {
    const p = start();
    p.expectSet("cmi.interactions.0.id", "q");
    p.expectSet("cmi.interactions.0.correct_responses.0.pattern", "a", 408);
    p.expectSet("cmi.interactions.0.learner_response", "a", 408);
    p.expectSet("cmi.interactions.0.type", "choice");
    p.expectSet("cmi.interactions.0.correct_responses.0.pattern", "a");
    p.expectSet("cmi.interactions.0.learner_response", "a");
  });
  test("comments need no key and can be appended from any field", () => {
    const p = start();
    p.expectSet("cmi.comments_from_learner.0.location", "p1");
    p.expectGet("cmi.comments_from_learner.0.comment", "", 403);
    p.expectSet("cmi.comments_from_learner.1.timestamp", "2024-05-01T10:00:00");
    p.expectGet("cmi.comments_from_learner._count", "2");
  });
  test("objective ids are unique and immutable (351)", () => {
    const p = start();
    p.expectSet("cmi.objectives.0.id", "a");
    p.expectSet("cmi.objectives.0.id", "a");
    p.expectSet("cmi.objectives.0.id", "b", 351);
    assert.match(p.get("cmi.objectives.0.id").diagnostic, /^$/);
    p.expectSet("cmi.objectives.1.id", "a", 351);
    p.expectGet("cmi.objectives._count", "1");
    p.expectSet("cmi.objectives.1.id", "b");
  });
  test("interaction objective ids are unique within the interaction (351)", () => {
    const p = start();
    p.expectSet("cmi.interactions.0.id", "q0");
    p.expectSet("cmi.interactions.0.objectives.0.id", "a");
    p.expectSet("cmi.interactions.0.objectives.1.id", "a", 351);
    p.expectSet("cmi.interactions.0.objectives.0.id", "a");
    p.expectSet("cmi.interactions.1.id", "q1");
    p.expectSet("cmi.interactions.1.objectives.0.id", "a");
  });
  test("interaction ids may change and repeat", () => {
    const p = start();
    p.expectSet("cmi.interactions.0.id", "q");
    p.expectSet("cmi.interactions.0.id", "q2");
    p.expectSet("cmi.interactions.1.id", "q2");
    p.expectGet("cmi.interactions.0.id", "q2");
  });
  test("identifiers can be relaxed", () => {
    const p = start({ strictIdentifiers: false });
    p.expectSet("cmi.interactions.0.id", "Question 1");
    p.expectSet("cmi.objectives.0.id", "Objective one");
    p.expectSet("cmi.objectives.1.id", "", 406);
  });
  test("manifest objectives are pre-populated", () => {
    const p = start({ objectives: ["primary", { id: "secondary" }, "", null] });
    p.expectGet("cmi.objectives._count", "2");
    p.expectGet("cmi.objectives.0.id", "primary");
    p.expectGet("cmi.objectives.1.id", "secondary");
    p.expectGet("cmi.objectives.1.success_status", "unknown");
    p.expectSet("cmi.objectives.2.id", "primary", 351);
  });
});

describe("SCORM 2004 state rules", () => {
  test("before Initialize", () => {
    const api = make();
    const calls = [
      [() => api.GetValue("cmi.learner_id"), "", "122"],
      [() => api.SetValue("cmi.location", "x"), "false", "132"],
      [() => api.Commit(""), "false", "142"],
      [() => api.Terminate(""), "false", "112"],
    ];
    for (const [call, result, code] of calls) {
      assert.equal(call(), result);
      assert.equal(api.GetLastError(), code);
    }
  });
  test("after Terminate", () => {
    const api = make();
    api.Initialize("");
    assert.equal(api.Terminate(""), "true");
    const calls = [
      [() => api.GetValue("cmi.learner_id"), "", "123"],
      [() => api.SetValue("cmi.location", "x"), "false", "133"],
      [() => api.Commit(""), "false", "143"],
      [() => api.Terminate(""), "false", "113"],
      [() => api.Initialize(""), "false", "104"],
    ];
    for (const [call, result, code] of calls) {
      assert.equal(call(), result);
      assert.equal(api.GetLastError(), code);
    }
  });
  test("Initialize twice is 103", () => {
    const api = make();
    assert.equal(api.Initialize(""), "true");
    assert.equal(api.Initialize(""), "false");
    assert.equal(api.GetLastError(), "103");
  });
  test("non-empty parameters are 201", () => {
    const api = make();
    assert.equal(api.Initialize("x"), "false");
    assert.equal(api.GetLastError(), "201");
    assert.equal(api.Initialize(), "true");
    assert.equal(api.Commit("x"), "false");
    assert.equal(api.GetLastError(), "201");
    assert.equal(api.Terminate("x"), "false");
    assert.equal(api.GetLastError(), "201");
    assert.equal(api.coursehost.state(), "running");
    assert.equal(api.Terminate(""), "true");
  });
  test("successful calls reset the error; error functions keep it", () => {
    const p = start();
    p.expectGet("cmi.exit", "", 405);
    p.api.GetErrorString("405");
    p.api.GetDiagnostic("405");
    assert.equal(p.api.GetLastError(), "405");
    p.expectGet("cmi.mode", "normal");
    assert.equal(p.api.GetLastError(), "0");
  });
});

describe("SCORM 2004 error strings and diagnostics", () => {
  const EXPECTED = {
    0: "No Error", 101: "General Exception", 102: "General Initialization Failure", 103: "Already Initialized",
    104: "Content Instance Terminated", 111: "General Termination Failure", 112: "Termination Before Initialization",
    113: "Termination After Termination", 122: "Retrieve Data Before Initialization",
    123: "Retrieve Data After Termination", 132: "Store Data Before Initialization",
    133: "Store Data After Termination", 142: "Commit Before Initialization", 143: "Commit After Termination",
    201: "General Argument Error", 301: "General Get Failure", 351: "General Set Failure",
    391: "General Commit Failure", 401: "Undefined Data Model Element", 402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized", 404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only", 406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range", 408: "Data Model Dependency Not Established",
  };
  const api = make();
  for (const [code, text] of Object.entries(EXPECTED)) {
    test(`${code}: ${text}`, () => assert.equal(api.GetErrorString(code), text));
  }
  test("the table is complete", () => assert.deepEqual(Object.keys(SCORM2004_ERROR_STRINGS), Object.keys(EXPECTED)));
  test("unknown codes give the empty string", () => {
    for (const code of ["999", "", "abc", "1000"]) assert.equal(api.GetErrorString(code), "");
  });
  test("diagnostics", () => {
    const p = start();
    p.expectSet("cmi.score.scaled", "2", 407);
    assert.match(p.api.GetDiagnostic(""), /outside -1\.\.1/);
    assert.match(p.api.GetDiagnostic("407"), /outside/);
    assert.equal(p.api.GetDiagnostic("406"), "Data Model Element Type Mismatch");
    assert.equal(p.api.GetDiagnostic("12345"), "");
  });
});

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
