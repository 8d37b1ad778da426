"use strict";
// Every operation of the client's CourseApi is driven by some test here, except those the server does not serve
// yet: this fails as soon as the server publishes one of those, or the pinned client gains an operation.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ScormCloud, apiClient, config } = require("./support/client");
const { NAMES, checkWire, schemaOf } = require("./support/wire");

// xAPI statements about courses are on the roadmap (README, "What is served today").
const NOT_SERVED = new Set();
const OTHER_OPERATIONS = {
  ApplicationManagementApi: [
    "getApplicationConfiguration",
    "setApplicationConfiguration",
    "deleteApplicationConfigurationSetting",
    "createToken",
  ],
  AuthenticationApi: ["getAppToken"],
  XapiApi: [
    "createXapiCredential",
    "getXapiCredentials",
    "getXapiCredential",
    "setXapiCredential",
    "deleteXapiCredential",
  ],
};

function operations(Api) {
  const api = new Api(apiClient());
  return Object.keys(api).filter((name) => typeof api[name] === "function");
}

/** Operation names passed to call/callFull/callEmpty in the test files and their support modules. */
function driven() {
  const files = [
    ...fs.readdirSync(__dirname).filter((f) => f.endsWith(".test.js")),
    ...fs.readdirSync(path.join(__dirname, "support")).map((f) => path.join("support", f)),
  ];
  const names = new Set();
  for (const file of files) {
    const source = fs.readFileSync(path.join(__dirname, file), "utf8");
    for (const match of source.matchAll(/\b(?:call|callFull|callEmpty)\(\s*[\w.]+,\s*"(\w+)"/g)) names.add(match[1]);
  }
  return names;
}

async function published() {
  const response = await fetch(`${config.baseUrl}/api/v2/openapi.json`);
  assert.equal(response.status, 200);
  const spec = await response.json();
  return new Set(Object.values(spec.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId)));
}

test("every CourseApi operation of the client is driven, and every one the server publishes", async () => {
  const course = operations(ScormCloud.CourseApi);
  assert.equal(course.length, 37, "the pinned client's CourseApi changed: review this list");
  const used = driven();
  const served = await published();
  for (const name of course) {
    if (NOT_SERVED.has(name)) {
      assert.ok(!served.has(name), `the server now publishes ${name}: drive it in a test and drop it from NOT_SERVED`);
      assert.ok(!used.has(name), `${name} is driven: drop it from NOT_SERVED`);
    } else {
      assert.ok(served.has(name), `the server does not publish ${name}`);
      assert.ok(used.has(name), `no test drives CourseApi.${name}`);
    }
  }
  for (const [api, names] of Object.entries(OTHER_OPERATIONS)) {
    const all = operations(ScormCloud[api]);
    for (const name of names) {
      assert.ok(all.includes(name), `the client's ${api} has no ${name}`);
      assert.ok(served.has(name) && used.has(name), `${api}.${name} must be published and driven`);
    }
  }
});

test("the wire check reads every field of every model of the client, and refuses what the client would coerce", () => {
  assert.ok(NAMES.size > 100);
  for (const [Model, name] of NAMES) {
    const declared = Model.constructFromObject.toString().match(/hasOwnProperty\(/g) ?? [];
    assert.equal(schemaOf(Model).fields.size, declared.length, `fields of ${name}`);
  }
  const course = ScormCloud.CourseSchema;
  checkWire({ id: "a", version: 0, created: "2024-01-01T00:00:00.000Z", tags: ["t"], dispatched: false }, course);
  for (const wrong of [
    { version: "0" },
    { dispatched: "false" },
    { created: "2024-01-01T00:00:00" },
    { courseLearningStandard: "SCORM_12" },
    { rootActivity: { children: [{ activityType: "PAGE" }] } },
    { metadata: null },
    { unknownKey: 1 },
  ]) {
    assert.throws(() => checkWire(wrong, course), assert.AssertionError, JSON.stringify(wrong));
  }
  assert.throws(() => checkWire({}, ScormCloud.StringResultSchema), /required key result/);
});
