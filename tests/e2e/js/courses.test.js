"use strict";
// Reading and changing courses through the JavaScript client: getCourse, versions, deletion, tags, titles, and
// getCourses with its filters, ordering, time windows, total count and pagination.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const {
  ScormCloud,
  apis,
  call,
  callEmpty,
  callFull,
  config,
  expectError,
  importCourse,
  pkg,
  sleep,
  startUpload,
  tagList,
  uniqueId,
  versionNumbers,
  waitForJob,
} = require("./support/client");

const { courses } = apis();
const paging = apis({ baseUrl: config.pagingUrl }).courses;

const ids = (list) => list.courses.map((c) => c.id);
const token = () => crypto.randomBytes(5).toString("hex");

function title(text) {
  return Object.assign(new ScormCloud.TitleSchema(), { title: text });
}

/** Import several courses at once (all uploads first, then wait), then give each its title. */
async function importTitled(titles) {
  const jobs = [];
  for (const courseId of Object.keys(titles)) jobs.push(await startUpload(courses, courseId, "course"));
  for (const jobId of jobs) assert.equal((await waitForJob(courses, jobId)).status, "COMPLETE");
  for (const [courseId, text] of Object.entries(titles))
    await callEmpty(courses, "setCourseTitle", courseId, title(text));
}

async function listed(filter, opts = {}) {
  const page = await call(courses, "getCourses", { filter, ...opts });
  assert.ok(page instanceof ScormCloud.CourseListSchema);
  assert.equal(page.more, undefined);
  assert.ok(page.courses.every((c) => c instanceof ScormCloud.CourseSchema));
  return ids(page);
}

function midpoint(a, b) {
  return new Date(Math.floor((a.getTime() + b.getTime()) / 2));
}

// ------------------------------------------------------------------------------------------------------ getCourses

test("filter and filterBy: case-insensitive substrings of the id or the title", async () => {
  const prefix = uniqueId("flt");
  const tok = token();
  const [one, two, three] = ["one", "two", "three"].map((s) => `${prefix}-${s}`);
  await importTitled({ [one]: `${tok} Alpha`, [two]: `${tok} Beta`, [three]: `${tok} alphabet soup ÉCOLE Über` });

  assert.deepEqual((await listed(prefix.toUpperCase())).sort(), [one, two, three].sort());
  assert.deepEqual((await listed(`${prefix}-T`.toUpperCase(), { filterBy: "course_id" })).sort(), [two, three].sort());
  assert.deepEqual((await listed(`${tok} ALPHA`, { filterBy: "title" })).sort(), [one, three].sort());
  assert.deepEqual(await listed(`${tok} ALPHABET soup école über`, { filterBy: "title" }), [three]);
  assert.deepEqual(await listed(prefix, { filterBy: "title" }), []);
  assert.deepEqual(await listed(`${prefix}-%`), []);
  assert.deepEqual(await listed(`${prefix}_`), []);
});

test("tags filter matches any given tag, sent as the client's csv", async () => {
  const prefix = uniqueId("tagged");
  const tok = token();
  const [red, blue, green] = [`red ${tok}`, `blue/${tok}`, `green&${tok}`];
  const [c0, c1, c2] = [0, 1, 2].map((n) => `${prefix}-${n}`);
  await importTitled({ [c0]: "T0", [c1]: "T1", [c2]: "T2" });
  await callEmpty(courses, "putCourseTags", c0, tagList([red]));
  await callEmpty(courses, "putCourseTags", c1, tagList([blue]));
  await callEmpty(courses, "putCourseTags", c2, tagList([green, red]));

  assert.deepEqual(ids(await call(courses, "getCourses", { tags: [red] })).sort(), [c0, c2].sort());
  assert.deepEqual(ids(await call(courses, "getCourses", { tags: [red, blue] })).sort(), [c0, c1, c2].sort());
  assert.deepEqual(ids(await call(courses, "getCourses", { tags: [blue, `none-${tok}`] })), [c1]);
  assert.deepEqual(ids(await call(courses, "getCourses", { tags: [`none-${tok}`] })), []);
  assert.deepEqual(await listed(`${prefix}-2`, { tags: [red, blue] }), [c2]);
});

test("orderBy: every value, and the default", async () => {
  const prefix = uniqueId("order");
  const tok = token();
  const [c0, c1, c2] = [0, 1, 2].map((n) => `${prefix}-${n}`);
  for (const [courseId, text] of [
    [c0, `${tok} b`],
    [c1, `${tok} c`],
    [c2, `${tok} a`],
  ]) {
    await importTitled({ [courseId]: text });
  }
  // Touch c1 then c0, so "updated" runs c2 < c1 < c0 while "created" runs c0 < c1 < c2.
  for (const courseId of [c1, c0]) {
    await sleep(10);
    await callEmpty(courses, "putCourseTags", courseId, tagList(["touched"]));
  }
  const expected = {
    created_asc: [c0, c1, c2],
    created_desc: [c2, c1, c0],
    updated_asc: [c2, c1, c0],
    updated_desc: [c0, c1, c2],
    title_asc: [c2, c0, c1],
    title_desc: [c1, c0, c2],
  };
  for (const [orderBy, wanted] of Object.entries(expected)) {
    assert.deepEqual(await listed(prefix, { orderBy }), wanted, orderBy);
  }
  assert.deepEqual(await listed(prefix), expected.created_desc);
  await expectError(400, call(courses, "getCourses", { orderBy: "sideways" }));
});

test("since and until are sent as Dates and select by created or updated, inclusively", async () => {
  const prefix = uniqueId("window");
  const [c0, c1, c2] = [0, 1, 2].map((n) => `${prefix}-${n}`);
  for (const courseId of [c0, c1, c2]) {
    await importCourse(courses, courseId, "course");
    await sleep(5);
  }
  const got = {};
  for (const courseId of [c0, c1, c2]) got[courseId] = await call(courses, "getCourse", courseId);
  const mid01 = midpoint(got[c0].created, got[c1].created);
  const mid12 = midpoint(got[c1].created, got[c2].created);
  const order = { orderBy: "created_asc", datetimeFilter: "created" };

  assert.deepEqual(await listed(prefix, { since: mid01, ...order }), [c1, c2]);
  assert.deepEqual(await listed(prefix, { until: mid01, ...order }), [c0]);
  assert.deepEqual(await listed(prefix, { since: mid01, until: mid12, ...order }), [c1]);
  // Bounds are inclusive: the course's own reported (millisecond) timestamps select it.
  assert.deepEqual(await listed(prefix, { since: got[c1].created, until: got[c1].created, ...order }), [c1]);
  assert.deepEqual(await listed(c2, { until: got[c2].updated }), [c2]);

  await sleep(20);
  await callEmpty(courses, "setCourseTitle", c0, title("Touched later"));
  const touched = (await call(courses, "getCourse", c0)).updated;
  assert.ok(touched > got[c2].updated);
  const cut = midpoint(got[c2].updated, touched);
  assert.deepEqual(await listed(prefix, { since: cut, datetimeFilter: "updated" }), [c0]);
  assert.deepEqual(await listed(prefix, { since: cut }), [c0]);
  assert.deepEqual(await listed(prefix, { since: cut, datetimeFilter: "created" }), []);

  for (const bad of ["yesterday", "2024-13-01T00:00:00", "2024-01-01T25:00:00Z"]) {
    assert.match(await expectError(400, call(courses, "getCourses", { since: bad })), /since/);
    await expectError(400, call(courses, "getCourses", { until: bad }));
    await expectError(400, call(courses, "getCourseVersions", c0, { since: bad }));
  }
  await expectError(400, call(courses, "getCourses", { datetimeFilter: "deleted" }));
});

test("includeTotalCount and pagination with more (a server with a page size of 3)", async () => {
  assert.equal(config.pageSize, 3);
  const prefix = uniqueId("pages");
  const courseIds = [0, 1, 2, 3, 4, 5, 6].map((n) => `${prefix}-${n}`);
  await importTitled(Object.fromEntries(courseIds.map((id) => [id, "Same title"])));
  await callEmpty(
    courses,
    "putCourseTagsBatch",
    Object.assign(new ScormCloud.BatchTagsSchema(), { ids: courseIds.slice(0, 6), tags: [`six-${prefix}`] }),
  );

  let { data, response } = await callFull(paging, "getCourses", { filter: prefix, includeTotalCount: true });
  assert.equal(response.headers["x-total-count"], "7");
  const pages = [ids(data)];
  while (data.more !== undefined) {
    assert.equal(typeof data.more, "string");
    assert.notEqual(data.more, "");
    ({ data, response } = await callFull(paging, "getCourses", { more: data.more }));
    assert.equal(response.headers["x-total-count"], undefined);
    pages.push(ids(data));
  }
  assert.deepEqual(
    pages.map((p) => p.length),
    [3, 3, 1],
  );
  assert.deepEqual(pages.flat(), await listed(prefix));

  let byTitle = await call(paging, "getCourses", { filter: prefix, orderBy: "title_asc" });
  const walked = ids(byTitle);
  while (byTitle.more !== undefined) {
    byTitle = await call(paging, "getCourses", { more: byTitle.more });
    walked.push(...ids(byTitle));
  }
  assert.deepEqual(walked, await listed(prefix, { orderBy: "title_asc" }));

  // A result that fills its last page exactly ends with more absent.
  const first = await call(paging, "getCourses", { tags: [`six-${prefix}`] });
  assert.equal(first.courses.length, 3);
  const second = await call(paging, "getCourses", { more: first.more });
  assert.equal(second.courses.length, 3);
  assert.equal(second.more, undefined);

  for (const opts of [{}, { includeTotalCount: false }]) {
    const plain = await callFull(paging, "getCourses", { filter: prefix, ...opts });
    assert.equal(plain.response.headers["x-total-count"], undefined);
  }
  const more = (await call(paging, "getCourses", { filter: prefix })).more;
  const tampered = more.slice(0, 5) + (more[5] === "A" ? "B" : "A") + more.slice(6);
  assert.match(await expectError(400, call(paging, "getCourses", { more: tampered })), /more/);
  await expectError(400, call(paging, "getCourses", { more: "not-a-token" }));
  const stranger = apis({ baseUrl: config.pagingUrl, app: config.otherApp }).courses;
  await expectError(400, call(stranger, "getCourses", { more }));
});

// ------------------------------------------------------------------------------------- one course and its versions

test("getCourse with metadata and registration count, and the learning standards", async () => {
  const courseId = uniqueId("meta");
  await importCourse(courses, courseId, "metadata");
  const plain = await call(courses, "getCourse", courseId);
  assert.deepEqual([plain.metadata, plain.registrationCount], [undefined, undefined]);
  const full = await call(courses, "getCourse", courseId, {
    includeCourseMetadata: true,
    includeRegistrationCount: true,
  });
  assert.equal(full.registrationCount, 0);
  assert.ok(full.metadata instanceof ScormCloud.MetadataSchema);
  assert.deepEqual([full.metadata.title, full.metadata.titleLanguage], ["Metadata Title", "en-US"]);
  assert.equal(full.metadata.description, "What this course teaches");
  assert.deepEqual(full.metadata.keywords, ["safety", "basics"]);
  const off = await call(courses, "getCourse", courseId, {
    includeCourseMetadata: false,
    includeRegistrationCount: false,
  });
  assert.deepEqual([off.metadata, off.registrationCount], [undefined, undefined]);

  const info = await call(courses, "getCourseVersionInfo", courseId, 0, {
    includeCourseMetadata: true,
    includeRegistrationCount: true,
  });
  assert.deepEqual([info.metadata.title, info.registrationCount], ["Metadata Title", 0]);
  const versions = await call(courses, "getCourseVersions", courseId, {
    includeCourseMetadata: true,
    includeRegistrationCount: true,
  });
  assert.ok(versions instanceof ScormCloud.CourseListNonPagedSchema);
  assert.deepEqual(
    versions.courses.map((c) => [c.metadata.title, c.registrationCount]),
    [["Metadata Title", 0]],
  );
  const list = await call(courses, "getCourses", { filter: courseId, includeRegistrationCount: true });
  assert.deepEqual(
    list.courses.map((c) => [c.registrationCount, c.metadata]),
    [[0, undefined]],
  );

  const id2004 = uniqueId("std");
  await importCourse(courses, id2004, "scorm2004");
  const course = await call(courses, "getCourse", id2004);
  assert.equal(course.courseLearningStandard, ScormCloud.CourseSchema.CourseLearningStandardEnum.sCORM20044THEDITION);
  assert.equal(course.title, pkg("scorm2004").title);
});

test("versions: list, info, time windows and deleting them one by one", async () => {
  const courseId = uniqueId("versions");
  const web = [];
  for (const [n, name] of [
    [0, "course"],
    [1, "v1"],
    [2, "course"],
  ]) {
    const job = await importCourse(courses, courseId, name, { mayCreateNewVersion: n > 0 });
    assert.equal(job.importResult.course.version, n);
    web.push(`${job.importResult.webPathToCourse.replace(/\/?$/, "/")}index.html`);
  }
  const versions = await call(courses, "getCourseVersions", courseId);
  assert.deepEqual(
    versions.courses.map((c) => [c.id, c.version, c.title]),
    [
      [courseId, 0, pkg("course").title],
      [courseId, 1, pkg("v1").title],
      [courseId, 2, pkg("course").title],
    ],
  );
  assert.equal(versions.more, undefined);
  const info = await call(courses, "getCourseVersionInfo", courseId, 1);
  assert.ok(info instanceof ScormCloud.CourseSchema);
  assert.deepEqual(
    [info.id, info.version, info.title, info.courseLearningStandard],
    [courseId, 1, pkg("v1").title, "SCORM12"],
  );
  assert.equal((await call(courses, "getCourse", courseId)).version, 2);

  const v1 = versions.courses[1].updated;
  const since = await call(courses, "getCourseVersions", courseId, { since: v1 });
  assert.deepEqual(
    since.courses.map((c) => c.version),
    [1, 2],
  );
  const until = await call(courses, "getCourseVersions", courseId, { until: v1 });
  assert.deepEqual(
    until.courses.map((c) => c.version),
    [0, 1],
  );
  await expectError(404, call(courses, "getCourseVersionInfo", courseId, 7));
  await expectError(404, call(courses, "deleteCourseVersion", courseId, 7));

  await callEmpty(courses, "deleteCourseVersion", courseId, 2);
  assert.deepEqual([(await call(courses, "getCourse", courseId)).version], [1]);
  assert.equal((await fetch(web[2])).status, 404);
  assert.equal((await fetch(web[1])).status, 200);
  await callEmpty(courses, "deleteCourseVersion", courseId, 0);
  assert.deepEqual(await versionNumbers(courses, courseId), [1]);
  await callEmpty(courses, "deleteCourseVersion", courseId, 1); // the last version: the course goes with it
  await expectError(404, call(courses, "getCourse", courseId));
  await expectError(404, call(courses, "getCourseVersions", courseId));
  assert.equal((await importCourse(courses, courseId, "course")).importResult.course.version, 0);
});

test("deleteCourse removes every version and its content", async () => {
  const courseId = uniqueId("delete");
  const first = await importCourse(courses, courseId, "course");
  const second = await importCourse(courses, courseId, "v1", { mayCreateNewVersion: true });
  const urls = [first, second].map((j) => `${j.importResult.webPathToCourse.replace(/\/?$/, "/")}index.html`);
  assert.deepEqual(await Promise.all(urls.map(async (u) => (await fetch(u)).status)), [200, 200]);

  await callEmpty(courses, "deleteCourse", courseId);
  assert.ok((await expectError(404, call(courses, "getCourse", courseId))).includes(courseId));
  await expectError(404, call(courses, "getCourseVersions", courseId));
  await expectError(404, call(courses, "getCourseVersionInfo", courseId, 0));
  assert.deepEqual(await listed(courseId), []);
  assert.deepEqual(await Promise.all(urls.map(async (u) => (await fetch(u)).status)), [404, 404]);
  await expectError(404, call(courses, "deleteCourse", courseId));
});

// ----------------------------------------------------------------------------------------------- tags and titles

test("course tags: put adds, delete removes, batch adds to every course", async () => {
  const courseId = uniqueId("tags");
  const other = uniqueId("tags-other");
  await importTitled({ [courseId]: "Tags", [other]: "Other" });
  const tags = await call(courses, "getCourseTags", courseId);
  assert.ok(tags instanceof ScormCloud.TagListSchema);
  assert.deepEqual(tags.tags, []);

  await callEmpty(courses, "putCourseTags", courseId, tagList(["c", "b", "a"]));
  await callEmpty(courses, "putCourseTags", courseId, tagList(["d", "x/y", "50%"]));
  assert.deepEqual((await call(courses, "getCourseTags", courseId)).tags.sort(), ["50%", "a", "b", "c", "d", "x/y"]);
  await callEmpty(courses, "deleteCourseTags", courseId, tagList(["b", "x/y", "not-there"]));
  assert.deepEqual((await call(courses, "getCourseTags", courseId)).tags.sort(), ["50%", "a", "c", "d"]);
  assert.deepEqual((await call(courses, "getCourse", courseId)).tags.sort(), ["50%", "a", "c", "d"]);

  const batch = Object.assign(new ScormCloud.BatchTagsSchema(), { ids: [courseId, other], tags: ["t1", "t2"] });
  await callEmpty(courses, "putCourseTagsBatch", batch);
  assert.deepEqual((await call(courses, "getCourseTags", other)).tags.sort(), ["t1", "t2"]);
  assert.deepEqual((await call(courses, "getCourseTags", courseId)).tags.sort(), ["50%", "a", "c", "d", "t1", "t2"]);

  const missing = uniqueId("no-course");
  await expectError(404, call(courses, "getCourseTags", missing));
  await expectError(404, call(courses, "putCourseTags", missing, tagList(["x"])));
  await expectError(404, call(courses, "deleteCourseTags", missing, tagList(["x"])));
  const unknownBatch = Object.assign(new ScormCloud.BatchTagsSchema(), { ids: [other, missing], tags: ["t3"] });
  assert.ok((await expectError(404, call(courses, "putCourseTagsBatch", unknownBatch))).includes(missing));
  assert.deepEqual((await call(courses, "getCourseTags", other)).tags.sort(), ["t1", "t2"]);
});

test("setCourseTitle", async () => {
  const courseId = uniqueId("title");
  await importCourse(courses, courseId, "course");
  await callEmpty(courses, "setCourseTitle", courseId, title("Après — renamed 中文"));
  assert.equal((await call(courses, "getCourse", courseId)).title, "Après — renamed 中文");
  assert.deepEqual(
    (await call(courses, "getCourses", { filter: courseId })).courses.map((c) => [c.id, c.title]),
    [[courseId, "Après — renamed 中文"]],
  );
  await expectError(404, call(courses, "setCourseTitle", uniqueId("no-course"), title("x")));
});

test("course ids with characters the client leaves unescaped or escapes round-trip", async () => {
  const base = uniqueId("odd");
  // encodeURIComponent leaves !'()* as they are and escapes "/" as %2F: a literal slash and a written-out %2F
  // must stay two courses.
  const odd = [`${base}/dir name/100% é中文+x`, `${base}%2Fdir name%2F100%25 é中文+x`, `${base} it's (a)*!?#;`];
  for (const [n, courseId] of odd.entries()) {
    const job = await importCourse(courses, courseId, "course");
    assert.equal(job.importResult.course.id, courseId);
    const page = await fetch(`${job.importResult.webPathToCourse.replace(/\/?$/, "/")}index.html`);
    assert.equal(page.status, 200, `webPathToCourse of ${courseId}`);
    await callEmpty(courses, "setCourseTitle", courseId, title(`Odd ${n}`));
    await callEmpty(courses, "putCourseTags", courseId, tagList([`t${n}`]));
  }
  for (const [n, courseId] of odd.entries()) {
    const course = await call(courses, "getCourse", courseId);
    assert.deepEqual([course.id, course.title, course.tags], [courseId, `Odd ${n}`, [`t${n}`]]);
    assert.deepEqual(await listed(courseId), [courseId]);
    assert.equal((await call(courses, "getCourseVersionInfo", courseId, 0)).id, courseId);
    assert.deepEqual((await call(courses, "getCourseTags", courseId)).tags, [`t${n}`]);
  }
  await callEmpty(courses, "deleteCourseVersion", odd[0], 0);
  await expectError(404, call(courses, "getCourse", odd[0]));
  assert.equal((await call(courses, "getCourse", odd[1])).title, "Odd 1");
  await callEmpty(courses, "deleteCourse", odd[1]);
  await callEmpty(courses, "deleteCourse", odd[2]);
});
