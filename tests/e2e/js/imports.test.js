"use strict";
// The three import operations and getImportJobStatus through the JavaScript client's CourseApi.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const {
  ScormCloud,
  apis,
  call,
  config,
  expectError,
  importCourse,
  pkg,
  startUpload,
  uniqueId,
  versionNumbers,
  waitForJob,
} = require("./support/client");
const { startPeer } = require("./support/peer");

const { courses } = apis();
let peer;

before(async () => {
  peer = await startPeer();
});
after(async () => {
  await peer.close();
});

function fetchRequest(url, fields = {}) {
  return Object.assign(new ScormCloud.ImportFetchRequestSchema(url), fields);
}

function noUploadRequest(fetch) {
  const request = new ScormCloud.ImportRequestSchema();
  request.fetchRequest = fetch;
  return request;
}

async function contentAt(webPath, file) {
  return fetch(webPath.replace(/\/?$/, "/") + file);
}

test("upload import builds the course, decodes into the client's models and serves its files", async () => {
  const courseId = uniqueId("upload");
  const job = await importCourse(courses, courseId, "course");

  assert.ok(job instanceof ScormCloud.ImportJobResultSchema);
  assert.equal(job.status, ScormCloud.ImportJobResultSchema.StatusEnum.COMPLETE);
  const result = job.importResult;
  assert.ok(result instanceof ScormCloud.ImportResultSchema);
  assert.deepEqual(result.parserWarnings, []);
  const course = result.course;
  assert.ok(course instanceof ScormCloud.CourseSchema);
  assert.deepEqual([course.id, course.title, course.version], [courseId, pkg("course").title, 0]);
  assert.equal(course.courseLearningStandard, ScormCloud.CourseSchema.CourseLearningStandardEnum.sCORM12);
  assert.deepEqual(course.tags, []);
  assert.ok(course.created instanceof Date && course.updated instanceof Date);
  assert.ok(Math.abs(Date.now() - course.created.getTime()) < 600_000, `created ${course.created.toISOString()}`);
  const root = course.rootActivity;
  assert.ok(root instanceof ScormCloud.CourseActivitySchema);
  assert.deepEqual([root.activityType, root.title, root.itemIdentifier], ["AGGREGATION", pkg("course").title, "org"]);
  assert.deepEqual(
    root.children.map((c) => [c.itemIdentifier, c.activityType, c.title, c.href]),
    [
      ["item_1", "SCO", "Lesson 1", "index.html"],
      ["item_2", "SCO", "Lesson 2", "lessons/two/page.html"],
    ],
  );
  // Nested activities stay plain objects: CourseActivitySchema requires itself, and the circular require hands the
  // client an empty module for the children's type. wire.js still checks them against CourseActivitySchema.

  const web = result.webPathToCourse;
  assert.match(web, /^https?:\/\//);
  const first = await contentAt(web, "index.html");
  assert.equal(first.status, 200);
  assert.match(first.headers.get("content-type"), /^text\/html/);
  assert.equal(await first.text(), "<html><body>first lesson</body></html>");
  assert.equal(await (await contentAt(web, "lessons/two/page.html")).text(), "<html><body>second lesson</body></html>");
  assert.equal(await (await contentAt(web, "shared/style.css")).text(), "body { color: red }");
  assert.equal((await contentAt(web, "no/such/file.html")).status, 404);

  const fetched = await call(courses, "getCourse", courseId);
  assert.ok(fetched instanceof ScormCloud.CourseSchema);
  assert.deepEqual([fetched.id, fetched.title, fetched.version], [courseId, pkg("course").title, 0]);
  assert.equal(fetched.created.getTime(), course.created.getTime());
  assert.equal(fetched.rootActivity.children[1].href, "lessons/two/page.html");
});

test("a fetch job is RUNNING until its package arrives, and holds its course id meanwhile", async () => {
  const courseId = uniqueId("fetch");
  const served = peer.addFile(fs.readFileSync(pkg("v1").path), { gated: true });
  const { result: jobId } = await call(courses, "createFetchAndImportCourseJob", courseId, fetchRequest(served.url));
  try {
    const running = await call(courses, "getImportJobStatus", jobId);
    assert.deepEqual([running.jobId, running.status, running.importResult], [jobId, "RUNNING", undefined]);
    await expectError(404, call(courses, "getCourse", courseId));
    const message = await expectError(409, startUpload(courses, courseId, "course"));
    assert.ok(message.includes(courseId), message);
  } finally {
    served.open();
  }
  const job = await waitForJob(courses, jobId);
  assert.equal(job.status, "COMPLETE", job.message);
  assert.deepEqual([job.importResult.course.title, job.importResult.course.version], [pkg("v1").title, 0]);
  const page = await contentAt(job.importResult.webPathToCourse, "index.html");
  assert.equal(await page.text(), `<html><body>${pkg("v1").launch}</body></html>`);
});

test("noUpload imports with a fetchRequest, and new versions need mayCreateNewVersion", async () => {
  const courseId = uniqueId("noupload");
  const first = noUploadRequest(fetchRequest(peer.addFile(fs.readFileSync(pkg("course").path)).url));
  const job = await waitForJob(
    courses,
    (await call(courses, "createNoUploadAndImportCourseJob", courseId, first)).result,
  );
  assert.equal(job.status, "COMPLETE", job.message);
  assert.deepEqual([job.importResult.course.id, job.importResult.course.version], [courseId, 0]);

  const second = noUploadRequest(fetchRequest(peer.addFile(fs.readFileSync(pkg("v1").path)).url));
  await expectError(409, call(courses, "createNoUploadAndImportCourseJob", courseId, second));
  await expectError(
    409,
    call(courses, "createNoUploadAndImportCourseJob", courseId, second, { mayCreateNewVersion: false }),
  );
  const { result } = await call(courses, "createNoUploadAndImportCourseJob", courseId, second, {
    mayCreateNewVersion: true,
  });
  assert.equal((await waitForJob(courses, result)).status, "COMPLETE");
  const course = await call(courses, "getCourse", courseId);
  assert.deepEqual([course.version, course.title], [1, pkg("v1").title]);
});

test("media: a PDF upload with uploadedContentType and contentMetadata, and a mediaFileReferenceRequest", async () => {
  const courseId = uniqueId("pdf");
  const metadata = {
    title: "Wine Guide",
    description: "All about Shiraz",
    contentLanguage: "en",
    estimatedDuration: 90,
  };
  const job = await importCourse(courses, courseId, "pdf", {
    uploadedContentType: "application/pdf",
    contentMetadata: JSON.stringify(metadata),
  });
  assert.equal(job.importResult.course.title, "Wine Guide");
  assert.deepEqual(job.importResult.courseLanguages, ["en"]);
  assert.equal(job.importResult.course.rootActivity.children[0].href, "guide.pdf");
  const served = await contentAt(job.importResult.webPathToCourse, "guide.pdf");
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), fs.readFileSync(pkg("pdf").path));
  const course = await call(courses, "getCourse", courseId, { includeCourseMetadata: true });
  assert.ok(course.metadata instanceof ScormCloud.MetadataSchema);
  assert.deepEqual([course.metadata.description, course.metadata.duration], ["All about Shiraz", "PT90S"]);

  const reference = new ScormCloud.ImportMediaFileReferenceRequestSchema("https://media.example.com/talks/keynote.mp4");
  reference.contentType = "video/mp4";
  reference.mediaFileMetadata = Object.assign(new ScormCloud.MediaFileMetadataSchema(), { title: "Keynote" });
  const request = new ScormCloud.ImportRequestSchema();
  request.mediaFileReferenceRequest = reference;
  const refId = uniqueId("media-ref");
  const refJob = await waitForJob(
    courses,
    (await call(courses, "createNoUploadAndImportCourseJob", refId, request)).result,
  );
  assert.equal(refJob.status, "COMPLETE", refJob.message);
  assert.equal(refJob.importResult.course.title, "Keynote");
  assert.equal(refJob.importResult.course.rootActivity.children[0].href, reference.url);

  const bad = await expectError(
    400,
    startUpload(courses, uniqueId("pdf-bad"), "pdf", {
      uploadedContentType: "application/pdf",
      contentMetadata: "{not json",
    }),
  );
  assert.match(bad, /contentMetadata/);
});

test("a duplicate import without mayCreateNewVersion is 409 for all three imports", async () => {
  const courseId = uniqueId("dup");
  await importCourse(courses, courseId, "course");
  const url = peer.addFile(fs.readFileSync(pkg("v1").path)).url;

  const message = await expectError(409, startUpload(courses, courseId, "v1"));
  assert.ok(message.includes(`Course [${courseId}] already exists`), message);
  await expectError(409, startUpload(courses, courseId, "v1", { mayCreateNewVersion: false }));
  await expectError(409, call(courses, "createFetchAndImportCourseJob", courseId, fetchRequest(url)));
  await expectError(
    409,
    call(courses, "createNoUploadAndImportCourseJob", courseId, noUploadRequest(fetchRequest(url))),
  );
  assert.deepEqual(await versionNumbers(courses, courseId), [0]);
  assert.equal((await call(courses, "getCourse", courseId)).title, pkg("course").title);

  const job = await importCourse(courses, courseId, "v1", { mayCreateNewVersion: true });
  assert.equal(job.importResult.course.version, 1);
  assert.deepEqual(await versionNumbers(courses, courseId), [0, 1]);
});

test("bad import requests are 400 and reserve nothing", async () => {
  const ftp = fetchRequest("ftp://example.invalid/course.zip");
  await expectError(400, call(courses, "createFetchAndImportCourseJob", uniqueId("ftp"), ftp));
  await expectError(400, startUpload(courses, "", "course"));
  await expectError(400, startUpload(courses, "x".repeat(256), "course"));
  const courseId = uniqueId("bad-postback");
  await expectError(400, startUpload(courses, courseId, "course", { postbackUrl: "not a url" }));
  const noFile = await expectError(400, call(courses, "createUploadAndImportCourseJob", courseId, {}));
  assert.match(noFile, /file/);
  await expectError(
    400,
    call(courses, "createNoUploadAndImportCourseJob", courseId, new ScormCloud.ImportRequestSchema()),
  );
  await expectError(404, call(courses, "getCourse", courseId));
  assert.equal((await importCourse(courses, courseId, "course")).importResult.course.version, 0);
});

test("a package over the upload limit is 413 on upload and ERROR on fetch", async () => {
  const courseId = uniqueId("too-big");
  const message = await expectError(413, startUpload(courses, courseId, "too-large"));
  assert.ok(message.includes(String(config.uploadLimit)), message);
  const url = peer.addFile(fs.readFileSync(pkg("too-large").path)).url;
  const job = await waitForJob(
    courses,
    (await call(courses, "createFetchAndImportCourseJob", courseId, fetchRequest(url))).result,
  );
  assert.equal(job.status, "ERROR");
  assert.ok(job.message.includes(String(config.uploadLimit)), job.message);
  await expectError(404, call(courses, "getCourse", courseId));
});

test("unknown import jobs are 404", async () => {
  const jobId = "00000000-0000-4000-8000-000000000000";
  const message = await expectError(404, call(courses, "getImportJobStatus", jobId));
  assert.ok(message.includes(jobId), message);
  await expectError(404, call(courses, "getImportJobStatus", "not-a-job"));
});

test("broken packages end in ERROR naming the problem, and leave the id free", async () => {
  for (const [name, named] of [
    ["not-a-zip", "zip"],
    ["missing-launch", pkg("missing-launch").missing],
  ]) {
    const courseId = uniqueId(name);
    const job = await waitForJob(courses, await startUpload(courses, courseId, name));
    assert.equal(job.status, "ERROR");
    assert.ok(job.message.includes(named), job.message);
    assert.equal(job.importResult?.course, undefined);
    await expectError(404, call(courses, "getCourse", courseId));
    assert.equal((await importCourse(courses, courseId, "course")).importResult.course.version, 0);
  }
  const fetchId = uniqueId("fetch-404");
  const missing = fetchRequest(`${peer.base}/files/not-there.zip`);
  const job = await waitForJob(
    courses,
    (await call(courses, "createFetchAndImportCourseJob", fetchId, missing)).result,
  );
  assert.equal(job.status, "ERROR");
  assert.match(job.message, /404/);
});

test("parser warnings are a list of strings", async () => {
  const job = await importCourse(courses, uniqueId("warn"), "nested");
  const warnings = job.importResult.parserWarnings;
  assert.ok(Array.isArray(warnings) && warnings.length > 0, JSON.stringify(warnings));
  assert.ok(
    warnings.some((w) => w.includes("course_root/")),
    JSON.stringify(warnings),
  );
  const page = await contentAt(job.importResult.webPathToCourse, "index.html");
  assert.equal(await page.text(), `<html><body>${pkg("nested").launch}</body></html>`);
});

test("the postbackUrl receives the job's result", async () => {
  const courseId = uniqueId("postback");
  const url = peer.postbackUrl();
  const job = await importCourse(courses, courseId, "course", { postbackUrl: url });
  const post = await peer.waitForPost(url);
  assert.match(post.headers["content-type"], /^application\/json/);
  // The postback body is an ImportJobResultSchema too: the client's model decodes it.
  const body = JSON.parse(post.body.toString("utf8"));
  const decoded = ScormCloud.ImportJobResultSchema.constructFromObject(body);
  require("./support/wire").checkWire(body, ScormCloud.ImportJobResultSchema);
  assert.deepEqual([decoded.jobId, decoded.status, decoded.importResult.course.id], [job.jobId, "COMPLETE", courseId]);
});
