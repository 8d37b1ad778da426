"use strict";
// Authentication through the JavaScript client: Basic credentials, bearer tokens from AuthenticationApi.getAppToken
// and ApplicationManagementApi.createToken with their scopes, and one application's isolation from another.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const {
  ScormCloud,
  apis,
  call,
  callEmpty,
  config,
  expectError,
  importCourse,
  startUpload,
  tagList,
  uniqueId,
} = require("./support/client");

const mine = apis();
const theirs = apis({ app: config.otherApp });

test("wrong credentials are 401 with the Authorization Required message", async () => {
  const courseId = uniqueId("auth");
  const { appId, secretKey } = config.app;
  for (const app of [
    { appId, secretKey: "wrong-secret" },
    { appId: "NO-SUCH-APP", secretKey },
  ]) {
    const { courses } = apis({ app });
    assert.equal(await expectError(401, call(courses, "getCourses")), "Authorization Required.");
    await expectError(401, call(courses, "getCourse", courseId));
    await expectError(401, startUpload(courses, courseId, "course"));
  }
  // No credentials at all: the client sends no Authorization header.
  const { courses } = apis({ app: null });
  await expectError(401, call(courses, "getCourses"));
});

test("a getAppToken bearer token works for its scope and is refused 403 beyond it", async () => {
  const courseId = uniqueId("token");
  await importCourse(mine.courses, courseId, "course");
  const token = await call(mine.auth, "getAppToken", "read:course", { expiration: 300 });
  assert.ok(token instanceof ScormCloud.ApplicationToken);
  assert.equal(typeof token.accessToken, "string");
  assert.equal(token.expiresIn, 300);
  assert.equal(token.tokenType, "Bearer");

  const reader = apis({ token: token.accessToken }).courses;
  assert.equal((await call(reader, "getCourse", courseId)).id, courseId);
  assert.ok((await call(reader, "getCourses", { filter: courseId })).courses.length === 1);
  assert.match(await expectError(403, call(reader, "deleteCourse", courseId)), /scope/);
  await expectError(403, startUpload(reader, uniqueId("token-upload"), "course"));
  await expectError(400, call(mine.auth, "getAppToken", "no such scope!"));
});

test("a createToken token (TokenRequestSchema with a Date expiry) can write", async () => {
  const permissions = new ScormCloud.PermissionsSchema();
  permissions.scopes = ["write:course", "read:course"];
  const request = new ScormCloud.TokenRequestSchema(permissions, new Date(Date.now() + 120_000));
  const created = await call(mine.apps, "createToken", request);
  assert.ok(created instanceof ScormCloud.StringResultSchema);
  const writer = apis({ token: created.result }).courses;
  const courseId = uniqueId("writer");
  const job = await importCourse(writer, courseId, "course");
  assert.equal(job.importResult.course.id, courseId);
  await callEmpty(
    writer,
    "setCourseTitle",
    courseId,
    Object.assign(new ScormCloud.TitleSchema(), { title: "By token" }),
  );
  assert.equal((await call(mine.courses, "getCourse", courseId)).title, "By token");
  const past = new ScormCloud.TokenRequestSchema(permissions, new Date(Date.now() - 60_000));
  await expectError(400, call(mine.apps, "createToken", past));
});

test("a second application sees and changes nothing of the first, and may use the same course id", async () => {
  const courseId = uniqueId("mine");
  const job = await importCourse(mine.courses, courseId, "course");
  await callEmpty(mine.courses, "putCourseTags", courseId, tagList(["private"]));
  const other = theirs.courses;

  await expectError(404, call(other, "getImportJobStatus", job.jobId));
  await expectError(404, call(other, "getCourse", courseId));
  assert.deepEqual((await call(other, "getCourses", { filter: courseId })).courses, []);
  assert.deepEqual((await call(other, "getCourses", { tags: ["private"] })).courses, []);
  await expectError(404, call(other, "getCourseVersions", courseId));
  await expectError(404, call(other, "getCourseTags", courseId));
  await expectError(404, call(other, "putCourseTags", courseId, tagList(["x"])));
  await expectError(404, call(other, "deleteCourseVersion", courseId, 0));
  await expectError(404, call(other, "deleteCourse", courseId));
  await expectError(404, call(other, "getCourseFileList", courseId));
  await expectError(404, call(other, "getCourseZip", courseId));

  const second = await importCourse(other, courseId, "v1");
  assert.equal(second.importResult.course.version, 0);
  await callEmpty(other, "deleteCourse", courseId);
  const kept = await call(mine.courses, "getCourse", courseId);
  assert.deepEqual([kept.title, kept.version, kept.tags], ["JS Course", 0, ["private"]]);
});
