"use strict";
// Shared fixtures of the scorm12 run-time tests (not a test file: node --test only runs *.test.js).
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

module.exports = { runtime, assert, probe, FIXED_NOW, createScorm12Api, SCORM12_ERROR_STRINGS, NAMES, start, long, SCORE_VALID, SCORE_INVALID, TIMESPAN_VALID, TIMESPAN_INVALID, IDENTIFIER_INVALID, ELEMENTS };
