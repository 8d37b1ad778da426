"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe, FIXED_NOW, createScorm12Api, SCORM12_ERROR_STRINGS, NAMES, start, long, SCORE_VALID, SCORE_INVALID, TIMESPAN_VALID, TIMESPAN_INVALID, IDENTIFIER_INVALID, ELEMENTS } = require("./scorm12-fixtures.js");

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
