"use strict";
// Shared fixtures of the scorm2004 run-time tests (not a test file: node --test only runs *.test.js).
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

module.exports = { runtime, assert, probe, FIXED_NOW, createScorm2004Api, SCORM2004_ERROR_STRINGS, NAMES, sync, make, start, long, short, REAL_VALID, REAL_INVALID, SCALED_INVALID, UNIT_INVALID, DURATION_VALID, DURATION_INVALID, TIME_VALID, TIME_INVALID, ID_INVALID, LOCALIZED_VALID, LOCALIZED_INVALID, COMPLETION, SUCCESS, OBJ, INT, INT_TYPED, COMMENT, ELEMENTS };
