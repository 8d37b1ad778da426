"use strict";
const { describe, test } = require("node:test");
const { runtime, assert } = require("./helpers.js");

const common = runtime("common.js");

describe("SCORM 1.2 CMITimespan", () => {
  const cases = [
    ["00:00:00", 0],
    ["01:02:03", (3600 + 120 + 3) * 100],
    ["0001:02:03.5", (3600 + 120 + 3) * 100 + 50],
    ["9999:59:59.99", ((9999 * 60 + 59) * 60 + 59) * 100 + 99],
    ["100:00:00.05", 100 * 3600 * 100 + 5],
  ];
  for (const [text, cs] of cases) {
    test(`parses ${text}`, () => assert.equal(common.parseTimespan12(text), cs));
  }
  for (const bad of ["", "1:00:00", "00000:00:00", "00:60:00", "00:00:60", "00:00", "00:00:00.123", "PT1H", "a:b:c",
    " 00:00:00", "00:00:00."]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(common.parseTimespan12(bad), null));
  }
  test("formats with four hour digits and optional centiseconds", () => {
    assert.equal(common.formatTimespan12(0), "0000:00:00");
    assert.equal(common.formatTimespan12(((1 * 60 + 2) * 60 + 3) * 100 + 40), "0001:02:03.40");
    assert.equal(common.formatTimespan12(5), "0000:00:00.05");
    assert.equal(common.formatTimespan12(1e15), "9999:59:59.99");
  });
});

describe("SCORM 1.2 CMITime", () => {
  for (const good of ["00:00:00", "23:59:59", "12:30:00.5", "12:30:00.25"]) {
    test(`accepts ${good}`, () => assert.ok(common.isTime12(good)));
  }
  for (const bad of ["24:00:00", "12:60:00", "12:00:60", "1:00:00", "12:00", "12:00:00.123", ""]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.ok(!common.isTime12(bad)));
  }
});

describe("SCORM 2004 timeinterval (ISO 8601 duration)", () => {
  const cases = [
    ["PT0S", 0],
    ["PT1H30M5.25S", (5400 + 5) * 100 + 25],
    ["P1D", 24 * 3600 * 100],
    ["P1DT1S", (24 * 3600 + 1) * 100],
    ["PT0.5S", 50],
    ["PT90M", 5400 * 100],
    ["P1Y", 365 * 24 * 3600 * 100],
    ["P1M", 30 * 24 * 3600 * 100],
    ["PT1M", 6000],
    ["PT0.125S", 13],
  ];
  for (const [text, cs] of cases) {
    test(`parses ${text}`, () => assert.equal(common.parseDuration(text), cs));
  }
  for (const bad of ["", "P", "PT", "P1DT", "1H", "PT1.5M", "PT-1S", "P1H", "pt1s", "PT1S ", "00:00:01", "P1W"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.equal(common.parseDuration(bad), null));
  }
  test("formats as PT{h}H{m}M{s}S", () => {
    assert.equal(common.formatDuration(0), "PT0H0M0S");
    assert.equal(common.formatDuration((3600 * 26 + 61) * 100 + 50), "PT26H1M1.5S");
    assert.equal(common.formatDuration(7), "PT0H0M0.07S");
    assert.equal(common.formatDuration(common.parseDuration("PT1H30M5.25S")), "PT1H30M5.25S");
  });
});

describe("SCORM 2004 time(second,10,0) timestamps", () => {
  const good = ["2024", "2024-05", "2024-05-01", "2024-05-01T10", "2024-05-01T10:30", "2024-05-01T10:30:15",
    "2024-05-01T10:30:15.5", "2024-05-01T10:30:15.25Z", "2024-05-01T10:30:15+02:00", "2024-05-01T10:30:15-05",
    "1970-01-01T00:00:00", "2038-12-31T23:59:59", "2024-02-29", "2000-02-29"];
  for (const value of good) test(`accepts ${value}`, () => assert.ok(common.isTimestamp(value)));
  const bad = ["", "1969-12-31", "2039-01-01", "2024-13-01", "2024-00-10", "2023-02-29", "1900-02-29",
    "2024-04-31", "2024-05-01T24:00", "2024-05-01T10:60", "2024-05-01T10:30:60", "2024-05-01T10:30:15.123",
    "2024-05-01 10:30", "2024-05-01T10:30:15+25:00", "24-05-01", "2024-5-1", "2024-05-01T", "2024-05-01Z"];
  for (const value of bad) test(`rejects ${JSON.stringify(value)}`, () => assert.ok(!common.isTimestamp(value)));
});

describe("scalar validators", () => {
  test("decimals", () => {
    for (const v of ["0", "-1", "1.5", "-0.25", ".5", "100.", "0012"]) assert.ok(common.isDecimal(v), v);
    for (const v of ["", "-", ".", "1e3", "+1", "1,5", " 1", "NaN", "Infinity", "0x10"]) assert.ok(!common.isDecimal(v), v);
  });
  test("integers", () => {
    assert.ok(common.isInteger("12"));
    assert.ok(!common.isInteger("-1"));
    assert.ok(common.isSignedInteger("-1"));
    assert.ok(common.isSignedInteger("+1"));
    assert.ok(!common.isSignedInteger("1.0"));
  });
  test("identifiers", () => {
    assert.ok(common.isIdentifier("q_1.a-b:c", 255));
    assert.ok(!common.isIdentifier("", 255));
    assert.ok(!common.isIdentifier("a b", 255));
    assert.ok(!common.isIdentifier("a\tb", 255));
    assert.ok(!common.isIdentifier("x".repeat(256), 255));
  });
  test("language tags", () => {
    for (const v of ["en", "en-US", "fr-CA", "deu", "zh-Hant-TW", "i-klingon", "x-private"]) assert.ok(common.isLanguage(v), v);
    for (const v of ["", "e", "english", "en_US", "en-", "-en", "en-toolongsubtag", "i", "12"]) assert.ok(!common.isLanguage(v), v);
  });
  test("toScormString", () => {
    assert.equal(common.toScormString(85), "85");
    assert.equal(common.toScormString(true), "true");
    assert.equal(common.toScormString(undefined), "");
    assert.equal(common.toScormString(null), "");
  });
});

describe("data-model engine", () => {
  const { group, array, leaf, fail } = common;
  function model() {
    const root = group({
      a: leaf({ access: "rw" }),
      r: leaf({ access: "r" }),
      w: leaf({ access: "w" }),
      g: group({ x: leaf({ access: "rw" }) }, { children: "x" }),
      list: array(group({
        id: leaf({ access: "rw", validate: (v) => (v === "bad" ? fail("type", "bad") : null) }),
        sub: array(group({ v: leaf({ access: "rw" }) })),
      }), { children: "id,sub", requires: "id" }),
      fixed: array(group({ v: leaf({ access: "rw" }) }), { fixed: true }),
    }, { version: "9.9" });
    const data = { a: "1", r: "ro", g: {}, list: [], fixed: [{ v: "0" }] };
    return { m: common.createModel("m", root, data), data };
  }

  const getCases = [
    ["m.a", { value: "1" }],
    ["m._version", { value: "9.9" }],
    ["m.g._children", { value: "x" }],
    ["m.list._children", { value: "id,sub" }],
    ["m.list._count", { value: "0" }],
    ["m.g.x", { kind: "notinit" }],
    ["m.w", { kind: "writeonly" }],
    ["m.nope", { kind: "undefined" }],
    ["x.a", { kind: "undefined" }],
    ["m", { kind: "undefined" }],
    ["m.g", { kind: "undefined" }],
    ["m.a._children", { kind: "nochildren" }],
    ["m.a._count", { kind: "nocount" }],
    ["m.g._count", { kind: "nocount" }],
    ["m.g._version", { kind: "noversion" }],
    ["m._children", { kind: "nochildren" }],
    ["m.list.0.id", { kind: "index" }],
    ["m.list.x.id", { kind: "undefined" }],
    ["m.list.01.id", { kind: "undefined" }],
    ["m.list.0", { kind: "undefined" }],
    ["m.list.0.sub._count", { kind: "index" }],
    ["m.list.0.sub._children", { kind: "nochildren" }],
    ["m.list.0.sub.0.v", { kind: "index" }],
    ["m.a.b", { kind: "undefined" }],
    ["m.toString", { kind: "undefined" }],
    ["m.__proto__", { kind: "undefined" }],
  ];
  for (const [element, expected] of getCases) {
    test(`get ${element}`, () => {
      const got = model().m.get(element);
      if (expected.kind) assert.equal(got.error && got.error.kind, expected.kind);
      else assert.deepEqual(got, { value: expected.value });
    });
  }

  const setCases = [
    ["m.a", "2", null],
    ["m.r", "x", "readonly"],
    ["m.w", "x", null],
    ["m.list._count", "1", "keyword"],
    ["m.list._children", "1", "keyword"],
    ["m.a._children", "1", "keyword"],
    ["m._version", "1", "keyword"],
    ["m.list.1.id", "x", "index"],
    ["m.list.0.sub.0.v", "x", "dependency"],
    ["m.list.0.id", "bad", "type"],
    ["m.fixed.1.v", "x", "index"],
    ["m.fixed.0.v", "x", null],
    ["m.zzz", "x", "undefined"],
  ];
  for (const [element, value, kind] of setCases) {
    test(`set ${element}`, () => {
      const got = model().m.set(element, value);
      if (kind) assert.equal(got.error && got.error.kind, kind);
      else assert.deepEqual(got, { ok: true });
    });
  }

  test("packed arrays grow one item at a time and nested arrays follow", () => {
    const { m, data } = model();
    assert.deepEqual(m.set("m.list.0.id", "a"), { ok: true });
    assert.equal(m.get("m.list._count").value, "1");
    assert.equal(m.set("m.list.0.sub.1.v", "x").error.kind, "index");
    assert.deepEqual(m.set("m.list.0.sub.0.v", "x"), { ok: true });
    assert.equal(m.get("m.list.0.sub._count").value, "1");
    assert.equal(m.set("m.list.2.id", "c").error.kind, "index");
    assert.equal(m.get("m.list.1.id").error.kind, "index");
    assert.deepEqual(data.list, [{ id: "a", sub: [{ v: "x" }] }]);
  });

  test("a failed validation creates nothing", () => {
    const { m, data } = model();
    assert.equal(m.set("m.list.0.id", "bad").error.kind, "type");
    assert.deepEqual(data.list, []);
  });
});

describe("error register", () => {
  const errors = common.createErrorRegister({ 0: "No error", 101: "General", 201: "Argument" });
  test("strings and diagnostics", () => {
    errors.set(201, "the detail");
    assert.equal(errors.code(), 201);
    assert.equal(errors.string(201), "Argument");
    assert.equal(errors.string("201"), "Argument");
    assert.equal(errors.string(999), "");
    assert.equal(errors.string(""), "");
    assert.equal(errors.string("abc"), "");
    assert.equal(errors.diagnostic(""), "the detail");
    assert.equal(errors.diagnostic("201"), "the detail");
    assert.equal(errors.diagnostic("101"), "General");
    assert.equal(errors.diagnostic("999"), "");
    errors.clear();
    assert.equal(errors.code(), 0);
    assert.equal(errors.diagnostic(""), "");
  });
});

describe("host callback delivery", () => {
  const logs = [];
  const log = (level, message) => logs.push([level, message]);
  test("true unless the callback returns false or throws", async () => {
    assert.equal(common.deliver(undefined, [], log, "cb"), true);
    assert.equal(common.deliver(() => undefined, [], log, "cb"), true);
    assert.equal(common.deliver(() => false, [], log, "cb"), false);
    assert.equal(common.deliver(() => { throw new Error("boom"); }, [], log, "cb"), false);
    assert.ok(logs.some(([level, m]) => level === "error" && m.includes("boom")));
    assert.equal(common.deliver(() => Promise.reject(new Error("later")), [], log, "cb"), true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(logs.some(([, m]) => m.includes("later")));
  });
  test("a throwing onLog never breaks the caller", () => {
    const logger = common.createLogger({ onLog: () => { throw new Error("x"); } });
    assert.doesNotThrow(() => logger("warn", "hello"));
  });
  test("debug messages only with debug: true", () => {
    const seen = [];
    common.createLogger({ onLog: (m) => seen.push(m) })("debug", "hidden");
    common.createLogger({ onLog: (m) => seen.push(m), debug: true })("debug", "shown");
    assert.deepEqual(seen, ["shown"]);
  });
});
