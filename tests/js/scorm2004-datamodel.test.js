"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW, createScorm2004Api, SCORM2004_ERROR_STRINGS, NAMES, sync, make, start, long, short, REAL_VALID, REAL_INVALID, SCALED_INVALID, UNIT_INVALID, DURATION_VALID, DURATION_INVALID, TIME_VALID, TIME_INVALID, ID_INVALID, LOCALIZED_VALID, LOCALIZED_INVALID, COMPLETION, SUCCESS, OBJ, INT, INT_TYPED, COMMENT, ELEMENTS } = require("./scorm2004-fixtures.js");

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
