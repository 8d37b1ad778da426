"use strict";
// Uploads refused before their body is read. The server knows the answer (409 for an existing course without
// mayCreateNewVersion, 401, 403, a bad parameter) before a large body has arrived; the client must still get that
// answer every time, never a reset connection (ECONNRESET) because the server closed the socket while the body was
// still being sent. Each case is repeated: the reset is a race that a single try often misses.
const { test, before } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const {
  apis,
  call,
  config,
  expectError,
  importCourse,
  pkg,
  startUpload,
  uniqueId,
  versionNumbers,
} = require("./support/client");

const { courses, auth } = apis();
let existing;
let readOnly;

before(async () => {
  // Large enough that the body is still being sent when the refusal is written (about 2 MiB; under the limit).
  assert.ok(pkg("large").size > 1024 * 1024 && pkg("large").size < config.uploadLimit);
  existing = uniqueId("refused");
  await importCourse(courses, existing, "course");
  readOnly = apis({ token: (await call(auth, "getAppToken", "read:course")).accessToken }).courses;
});

/** Run ``attempt`` ``times`` times; every one must be answered with ``status``. */
async function always(status, times, attempt) {
  const outcomes = [];
  for (let i = 0; i < times; i += 1) {
    try {
      await expectError(status, attempt());
      outcomes.push(status);
    } catch (failure) {
      outcomes.push(failure.message.split("\n")[0]);
    }
  }
  assert.deepEqual(outcomes, Array(times).fill(status), `outcomes of ${times} tries`);
}

const largeFile = () => fs.createReadStream(pkg("large").path);

test("a large upload to an existing course without mayCreateNewVersion is 409, 20 times out of 20", async () => {
  await always(409, 20, () => startUpload(courses, existing, "large"));
  assert.deepEqual(await versionNumbers(courses, existing), [0]);
});

test("a large upload with a wrong secret is 401 every time", async () => {
  // Ten tries: failed authentications count toward the address's budget (30 a minute).
  const intruder = apis({ app: { appId: config.app.appId, secretKey: "wrong-secret" } }).courses;
  await always(401, 10, () => startUpload(intruder, uniqueId("refused-401"), "large"));
});

test("a large upload with a read-only token is 403 every time", async () => {
  await always(403, 10, () => startUpload(readOnly, uniqueId("refused-403"), "large"));
});

test("a large upload with a bad parameter is 400 every time", async () => {
  await always(400, 10, () => startUpload(courses, "", "large"));
  await always(400, 10, () => startUpload(courses, uniqueId("refused"), "large", { postbackUrl: "not a url" }));
  await always(400, 10, () => startUpload(courses, uniqueId("refused"), "large", { uploadedContentType: "text/nope" }));
});

test("a large asset upload refused for its parameters or version is 400 or 404 every time", async () => {
  const policy = () => ({ file: largeFile(), updateAssetPolicy: "bogus" });
  await always(400, 10, () => call(courses, "uploadCourseAssetFile", existing, "big.bin", policy()));
  await always(400, 10, () => call(courses, "uploadCourseAssetFile", existing, "../big.bin", { file: largeFile() }));
  await always(404, 10, () =>
    call(courses, "uploadCourseVersionAssetFile", existing, 7, "big.bin", { file: largeFile() }),
  );
});
