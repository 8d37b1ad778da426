"use strict";
// Shared helpers for the run-time tests (not a test file: node --test only runs *.test.js).
const path = require("node:path");
const assert = require("node:assert/strict");

const RUNTIME_DIR = path.join(__dirname, "..", "..", "src", "coursehost", "player", "static", "runtime");

function runtime(file) {
  return require(path.join(RUNTIME_DIR, file));
}

/** A fixed clock so snapshots are deterministic. */
const FIXED_NOW = () => Date.UTC(2024, 4, 1, 10, 30, 0);

/** Wrap an API so each call can be asserted together with the error code it left. */
function probe(api, names) {
  const [get, set, lastError, diagnostic] = names;
  return {
    api,
    get(element) {
      const value = api[get](element);
      return { value, code: Number(api[lastError]()), diagnostic: api[diagnostic]("") };
    },
    set(element, value) {
      const result = api[set](element, value);
      return { result, code: Number(api[lastError]()), diagnostic: api[diagnostic]("") };
    },
    expectGet(element, expected, code = 0) {
      const got = this.get(element);
      assert.equal(got.code, code, `GetValue(${element}) error code (diagnostic: ${got.diagnostic})`);
      if (expected !== undefined) assert.equal(got.value, expected, `GetValue(${element})`);
      return got;
    },
    expectSet(element, value, code = 0) {
      const got = this.set(element, value);
      assert.equal(got.code, code, `SetValue(${element}, ${JSON.stringify(value)}) error code (diagnostic: ${got.diagnostic})`);
      assert.equal(got.result, code === 0 ? "true" : "false", `SetValue(${element}, ${JSON.stringify(value)}) result`);
      return got;
    },
  };
}

module.exports = { RUNTIME_DIR, runtime, FIXED_NOW, probe, assert };
