"use strict";
const { describe, test } = require("node:test");
const { runtime, assert, probe } = require("./helpers.js");

const { createScorm2004Api } = runtime("scorm2004.js");
const types = runtime("scorm2004-validators.js");

function interaction(type, options = {}) {
  const api = createScorm2004Api({ schedule: (fn) => fn(), ...options });
  api.Initialize("");
  const p = probe(api, ["GetValue", "SetValue", "GetLastError", "GetDiagnostic"]);
  p.expectSet("cmi.interactions.0.id", "q1");
  p.expectSet("cmi.interactions.0.type", type);
  return p;
}

// [type, pattern valid, pattern invalid [value, code], learner valid, learner invalid [value, code]]
const TABLE = [
  ["true-false",
    ["true", "false"], [["True", 406], ["1", 406], ["t", 406], ["", 406]],
    ["true", "false"], [["yes", 406], ["", 406]]],
  ["choice",
    ["a", "a[,]b[,]c", "", "urn:x:y[,]b", "choice_1"],
    [["a[,]", 406], ["[,]a", 406], ["a b", 406], ["a[,]a", 351], ["a[,]b[,]a", 351]],
    ["a", "b[,]c", ""],
    [["a[,]a", 351], ["a[,]", 406], ["x y", 406]]],
  ["fill-in",
    ["Paris", "{case_matters=true}Paris", "{order_matters=false}{case_matters=true}a[,]b",
      "{lang=fr}Paris[,]{lang=en}Paris", "", "{case_matters=true}{order_matters=true}{lang=de}Berlin", "two words"],
    [["{case_matters=yes}x", 406], ["{lang=123}x", 406], ["a[,]{lang=@@}b", 406], ["{order_matters=1}x", 406]],
    ["Paris", "{lang=fr}Paris[,]Lyon", "", "{case_matters=true}x"],
    [["{lang=1}x", 406], ["a[,]{lang=}b", 406]]],
  ["long-fill-in",
    ["A long answer, with punctuation.", "{case_matters=false}{lang=en}Text", "", "x".repeat(5000)],
    [["{case_matters=maybe}x", 406], ["{lang=}x", 406], ["{case_matters=true}{lang=e}x", 406]],
    ["anything at all", "{lang=en-GB}colour"],
    [["{lang=en_GB}x", 406]]],
  ["likert",
    ["strongly_agree", "urn:scale:5"],
    [["", 406], ["a b", 406], ["a[,]b", 406]],
    ["agree"],
    [["", 406], ["not sure", 406]]],
  ["matching",
    ["a[.]1", "a[.]1[,]b[.]2", "urn:x:a[.]urn:x:b"],
    [["a", 406], ["a[.]", 406], ["[.]1", 406], ["a[.]1[.]2", 406], ["a[.]1[,]", 406], ["", 406], ["a b[.]c", 406]],
    ["a[.]2[,]b[.]1"],
    [["a[,]b", 406], ["", 406]]],
  ["performance",
    ["step1[.]answer", "{order_matters=false}s1[.]a[,]s2[.]b", "[.]answer only", "s1[.]", "s1[.]1[:]5",
      "s1[.][:]5", "s1[.]any text here"],
    [["{order_matters=x}s[.]a", 406], ["s1", 406], ["[.]", 406], ["bad name[.]x", 406], ["s1[.]5[:]1", 406],
      ["s1[.]a[:]b", 406], ["", 406]],
    ["s1[.]answer", "[.]x", "s1[.]", "s1[.]1[:]5[,]s2[.]2"],
    [["s1", 406], ["[.]", 406], ["", 406]]],
  ["sequencing",
    ["a[,]b[,]c", "a", "a[,]a"],
    [["", 406], ["a[,]", 406], ["a b", 406]],
    ["c[,]b[,]a"],
    [["", 406], ["[,]", 406]]],
  ["numeric",
    ["1[:]5", "[:]5", "1[:]", "[:]", "2.5", "-1[:]1", "0.5[:]0.5"],
    [["5[:]1", 406], ["a[:]b", 406], ["1[:]2[:]3", 406], ["abc", 406], ["", 406], ["1-5", 406]],
    ["3", "-2.5", "0"],
    [["1[:]5", 406], ["abc", 406], ["", 406]]],
  ["other",
    ["anything at all", "", "x".repeat(5000)], [],
    ["free text [,] with delimiters", ""], []],
];

for (const [type, patternValid, patternInvalid, learnerValid, learnerInvalid] of TABLE) {
  describe(`${type} interaction`, () => {
    for (const value of patternValid) {
      test(`pattern ${JSON.stringify(value.slice(0, 40))} is valid`, () => {
        const p = interaction(type);
        p.expectSet("cmi.interactions.0.correct_responses.0.pattern", value);
        p.expectGet("cmi.interactions.0.correct_responses.0.pattern", value);
      });
    }
    for (const [value, code] of patternInvalid) {
      test(`pattern ${JSON.stringify(value)} -> ${code}`, () => {
        const p = interaction(type);
        p.expectSet("cmi.interactions.0.correct_responses.0.pattern", value, code);
        p.expectGet("cmi.interactions.0.correct_responses._count", "0");
      });
    }
    for (const value of learnerValid) {
      test(`learner_response ${JSON.stringify(value)} is valid`, () => {
        const p = interaction(type);
        p.expectSet("cmi.interactions.0.learner_response", value);
        p.expectGet("cmi.interactions.0.learner_response", value);
      });
    }
    for (const [value, code] of learnerInvalid) {
      test(`learner_response ${JSON.stringify(value)} -> ${code}`, () => {
        interaction(type).expectSet("cmi.interactions.0.learner_response", value, code);
      });
    }
  });
}

describe("number of correct response patterns", () => {
  for (const [type, value] of [["true-false", "true"], ["likert", "a"], ["numeric", "1[:]2"], ["other", "x"]]) {
    test(`${type} holds a single pattern (351 for a second one)`, () => {
      const p = interaction(type);
      p.expectSet("cmi.interactions.0.correct_responses.0.pattern", value);
      p.expectSet("cmi.interactions.0.correct_responses.0.pattern", value);
      p.expectSet("cmi.interactions.0.correct_responses.1.pattern", value, 351);
      p.expectGet("cmi.interactions.0.correct_responses._count", "1");
    });
  }
  for (const [type, value, count] of [["choice", "a", 12], ["fill-in", "x", 6], ["matching", "a[.]b", 6],
    ["performance", "s[.]a", 6], ["sequencing", "a[,]b", 6], ["long-fill-in", "x", 6]]) {
    test(`${type} holds ${count} patterns (beyond its SPM)`, () => {
      const p = interaction(type);
      for (let i = 0; i < count; i++) p.expectSet(`cmi.interactions.0.correct_responses.${i}.pattern`, value);
      p.expectGet("cmi.interactions.0.correct_responses._count", String(count));
    });
  }
});

describe("interaction type changes", () => {
  test("later responses are validated against the new type", () => {
    const p = interaction("true-false");
    p.expectSet("cmi.interactions.0.learner_response", "true");
    p.expectSet("cmi.interactions.0.type", "numeric");
    p.expectSet("cmi.interactions.0.learner_response", "true", 406);
    p.expectSet("cmi.interactions.0.learner_response", "42");
  });
  test("relaxed identifiers allow spaces in choice ids", () => {
    const p = interaction("choice", { strictIdentifiers: false });
    p.expectSet("cmi.interactions.0.learner_response", "choice one[,]choice two");
  });
});

describe("localized strings and languages", () => {
  const CASES = [
    ["Hello", { lang: null, text: "Hello" }],
    ["{lang=en}Hello", { lang: "en", text: "Hello" }],
    ["{lang=pt-BR}Olá", { lang: "pt-BR", text: "Olá" }],
    ["{lang=en}", { lang: "en", text: "" }],
    ["{other=1}x", { lang: null, text: "{other=1}x" }],
    [" {lang=en}x", { lang: null, text: " {lang=en}x" }],
    ["{lang=en}{lang=fr}x", { lang: "en", text: "{lang=fr}x" }],
    ["{lang=123}x", null],
    ["{lang=}x", null],
    ["{lang=en-}x", null],
  ];
  for (const [value, expected] of CASES) {
    test(`parseLocalized(${JSON.stringify(value)})`, () => assert.deepEqual(types.parseLocalized(value), expected));
  }
  test("navigation request parsing", () => {
    assert.deepEqual(types.parseNavRequest("continue"), { request: "continue", target: null });
    assert.deepEqual(types.parseNavRequest("{target=a.b-c}jump"), { request: "jump", target: "a.b-c" });
    assert.equal(types.parseNavRequest("{target=a}choice "), null);
    assert.equal(types.parseNavRequest("start"), null);
  });
});
