"use strict";
// The official SCORM Cloud JavaScript client pointed at the server that tests/e2e/test_js_client.py started.
//
// That pytest test writes a JSON file (its path in COURSEHOST_E2E_JS_CONFIG) with the servers' URLs, two
// applications' credentials and the packages it built; these test files are not meant to run on their own.
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const ScormCloud = require("@rusticisoftware/scormcloud-api-v2-client-javascript");
const { checkWire } = require("./wire");

const JOB_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

function loadConfig() {
  const file = process.env.COURSEHOST_E2E_JS_CONFIG;
  if (!file) {
    throw new Error(
      "COURSEHOST_E2E_JS_CONFIG is not set: run these tests through pytest tests/e2e/test_js_client.py, " +
        "which starts the server and writes the configuration",
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const config = loadConfig();

/** An ApiClient for ``baseUrl`` with Basic credentials (``app``) or, with ``token``, only a bearer token. */
function apiClient({ baseUrl = config.baseUrl, app = config.app, token } = {}) {
  const client = new ScormCloud.ApiClient();
  client.basePath = `${baseUrl}/api/v2`;
  client.timeout = JOB_TIMEOUT_MS;
  if (token) {
    client.authentications.OAUTH.accessToken = token;
  } else if (app) {
    client.authentications.APP_NORMAL.username = app.appId;
    client.authentications.APP_NORMAL.password = app.secretKey;
  }
  return client;
}

function apis(options) {
  const client = apiClient(options);
  return {
    client,
    courses: new ScormCloud.CourseApi(client),
    apps: new ScormCloud.ApplicationManagementApi(client),
    auth: new ScormCloud.AuthenticationApi(client),
    xapi: new ScormCloud.XapiApi(client),
  };
}

/**
 * Call ``api[operation](...args)`` with the client's callback and resolve with ``{data, response}``.
 *
 * Optional trailing arguments (``opts``) may be left out: they are padded to the operation's arity, as the client
 * takes the callback positionally. A model in ``data`` is checked against the raw body (see wire.js), and an
 * operation without a return type must have answered 204 with nothing decoded.
 */
function callFull(api, operation, ...args) {
  const method = api[operation];
  assert.equal(typeof method, "function", `the client has no operation ${operation}`);
  while (args.length < method.length - 1) args.push(undefined);
  return new Promise((resolve, reject) => {
    method.call(api, ...args, (error, data, response) => {
      if (error) {
        error.operation = operation;
        reject(error);
        return;
      }
      try {
        if (data && typeof data.constructor?.constructFromObject === "function") {
          checkWire(response.body, data.constructor);
        }
        resolve({ data, response });
      } catch (failure) {
        reject(failure);
      }
    });
  });
}

async function call(api, operation, ...args) {
  return (await callFull(api, operation, ...args)).data;
}

/** Call an operation that answers 204: nothing is decoded. */
async function callEmpty(api, operation, ...args) {
  const { data, response } = await callFull(api, operation, ...args);
  assert.equal(response.status, 204, `${operation} answered ${response.status}`);
  assert.equal(data, null);
}

/** Await ``promise`` (a call), require it to fail with HTTP ``status``, and return the error message it carries. */
async function expectError(status, promise) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected HTTP ${status}, but the call succeeded`);
  if (error.status === undefined) {
    assert.fail(
      `expected HTTP ${status}, but ${error.operation ?? "the call"} failed without one: ${error.code ?? error}`,
    );
  }
  let body = error.response?.body;
  if (Buffer.isBuffer(body)) {
    // Download operations ask superagent for a 'blob', so their error bodies arrive as bytes too.
    assert.match(error.response.headers["content-type"], /^application\/json/);
    body = JSON.parse(body.toString("utf8"));
  }
  assert.equal(error.status, status, `expected HTTP ${status}, got ${error.status}: ${JSON.stringify(body)}`);
  // The client hands over the parsed error body: MessageSchema's required message, and the same text as error
  // (which live SCORM Cloud sends).
  assert.equal(typeof body?.message, "string", `error body ${JSON.stringify(body)} has no message`);
  assert.equal(body.error, body.message);
  return body.message;
}

function uniqueId(prefix = "c") {
  return `${prefix}-${crypto.randomBytes(6).toString("hex")}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForJob(courses, jobId, timeoutMs = JOB_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call(courses, "getImportJobStatus", jobId);
    assert.ok(job instanceof ScormCloud.ImportJobResultSchema);
    assert.equal(job.jobId, jobId);
    if (job.status !== "RUNNING") return job;
    assert.ok(Date.now() < deadline, `import job ${jobId} still RUNNING after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

/** A package the pytest side built: {path, title, ...}. */
function pkg(name) {
  const found = config.packages[name];
  assert.ok(found, `no package named ${name} in the configuration`);
  return found;
}

/** Upload package ``name`` (or a file path) as ``courseId``; resolve with the job id. */
async function startUpload(courses, courseId, name = "course", opts = {}) {
  const path = config.packages[name] ? pkg(name).path : name;
  // The client attaches an fs.ReadStream (or a Buffer) as the multipart file; a ReadStream names the file part.
  const result = await call(courses, "createUploadAndImportCourseJob", courseId, {
    ...opts,
    file: fs.createReadStream(path),
  });
  assert.ok(result instanceof ScormCloud.StringResultSchema);
  assert.match(result.result, /\S/);
  return result.result;
}

/** Upload and wait until the job is COMPLETE; resolve with the finished job. */
async function importCourse(courses, courseId, name = "course", opts = {}) {
  const job = await waitForJob(courses, await startUpload(courses, courseId, name, opts));
  assert.equal(job.status, "COMPLETE", job.message);
  return job;
}

async function versionNumbers(courses, courseId) {
  return (await call(courses, "getCourseVersions", courseId)).courses.map((c) => c.version);
}

function settingsPost(values) {
  const post = new ScormCloud.SettingsPostSchema();
  post.settings = Object.entries(values).map(([id, value]) => {
    const item = new ScormCloud.SettingsIndividualSchema();
    item.settingId = id;
    item.value = value;
    return item;
  });
  return post;
}

function tagList(tags) {
  const list = new ScormCloud.TagListSchema();
  list.tags = tags;
  return list;
}

module.exports = {
  ScormCloud,
  apis,
  apiClient,
  call,
  callEmpty,
  callFull,
  config,
  expectError,
  importCourse,
  pkg,
  settingsPost,
  sleep,
  startUpload,
  tagList,
  uniqueId,
  versionNumbers,
  waitForJob,
};
