"use strict";
// The configuration operations through the JavaScript client: CourseApi and ApplicationManagementApi. The file
// uses an application of its own, so application-level values set here cannot reach other tests' courses.
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
  settingsPost,
  uniqueId,
} = require("./support/client");

const { courses, apps } = apis({ app: config.settingsApp });

function find(list, settingId) {
  assert.ok(list instanceof ScormCloud.SettingListSchema);
  const item = list.settingItems.find((i) => i.id === settingId);
  assert.ok(item instanceof ScormCloud.SettingItem, `no setting ${settingId}`);
  return item;
}

test("course configuration: set, read with and without metadata, delete", async () => {
  const courseId = uniqueId("config");
  await importCourse(courses, courseId, "course");
  // The client sends explicit:false with each item only if set: plain {settingId, value} items here.
  await callEmpty(
    courses,
    "setCourseConfiguration",
    courseId,
    settingsPost({ PlayerShowNavBar: "Yes", PlayerTimeLimit: "30" }),
  );

  const read = await call(courses, "getCourseConfiguration", courseId, { includeMetadata: true });
  const nav = find(read, "PlayerShowNavBar");
  assert.deepEqual([nav.effectiveValue, nav.effectiveValueSource, nav.explicitValue], ["true", "course", "true"]);
  assert.ok(nav.metadata instanceof ScormCloud.SettingMetadata);
  assert.deepEqual([nav.metadata.dataType, nav.metadata.level], ["bool", "Registration"]);
  assert.equal(nav.metadata.default, undefined); // empty keys are left out
  const launch = find(read, "PlayerLaunchType").metadata;
  assert.ok(launch.validValues.every((v) => v instanceof ScormCloud.SettingValidValue));
  assert.equal(launch.validValues[0].value, "FRAMESET");
  assert.equal(find(read, "PlayerTimeLimit").effectiveValue, "30");

  const plain = await call(courses, "getCourseConfiguration", courseId);
  assert.equal(find(plain, "PlayerShowNavBar").metadata, undefined);
  assert.equal(find(plain, "PlayerShowHelp").explicitValue, undefined);

  await callEmpty(courses, "deleteCourseConfigurationSetting", courseId, "PlayerShowNavBar");
  const gone = find(await call(courses, "getCourseConfiguration", courseId), "PlayerShowNavBar");
  assert.deepEqual([gone.effectiveValue, gone.effectiveValueSource, gone.explicitValue], ["", "default", undefined]);
});

test("version configuration overrides the course's and falls back to it", async () => {
  const courseId = uniqueId("vconfig");
  await importCourse(courses, courseId, "course");
  await importCourse(courses, courseId, "v1", { mayCreateNewVersion: true });
  await callEmpty(courses, "setCourseConfiguration", courseId, settingsPost({ PlayerSuspendDataMaxLength: "4096" }));
  await callEmpty(
    courses,
    "setCourseVersionConfiguration",
    courseId,
    1,
    settingsPost({ PlayerSuspendDataMaxLength: "64000" }),
  );

  const own = find(await call(courses, "getCourseVersionConfiguration", courseId, 1), "PlayerSuspendDataMaxLength");
  assert.deepEqual([own.effectiveValue, own.effectiveValueSource, own.explicitValue], ["64000", "course", "64000"]);
  const inherited = find(
    await call(courses, "getCourseVersionConfiguration", courseId, 0),
    "PlayerSuspendDataMaxLength",
  );
  assert.deepEqual([inherited.effectiveValue, inherited.explicitValue], ["4096", undefined]);
  const withMetadata = await call(courses, "getCourseVersionConfiguration", courseId, 1, { includeMetadata: true });
  assert.ok(find(withMetadata, "PlayerSuspendDataMaxLength").metadata instanceof ScormCloud.SettingMetadata);

  await callEmpty(courses, "deleteCourseVersionConfigurationSetting", courseId, 1, "PlayerSuspendDataMaxLength");
  const back = find(await call(courses, "getCourseVersionConfiguration", courseId, 1), "PlayerSuspendDataMaxLength");
  assert.deepEqual([back.effectiveValue, back.effectiveValueSource, back.explicitValue], ["4096", "course", undefined]);
});

test("application levels (ApplicationManagementApi) are inherited by courses", async () => {
  const courseId = uniqueId("inherit");
  await importCourse(courses, courseId, "v1"); // SCORM 1.2 with a single SCO
  await callEmpty(apps, "setApplicationConfiguration", settingsPost({ PlayerShowTitleBar: "false" }));
  const scorm12 = { learningStandard: "SCORM12", singleSco: true };
  await callEmpty(apps, "setApplicationConfiguration", settingsPost({ PlayerShowTitleBar: "true" }), scorm12);
  try {
    const app = find(await call(apps, "getApplicationConfiguration"), "PlayerShowTitleBar");
    assert.deepEqual([app.effectiveValue, app.effectiveValueSource], ["false", "application"]);
    const standard = await call(apps, "getApplicationConfiguration", { ...scorm12, includeMetadata: true });
    assert.equal(find(standard, "PlayerShowTitleBar").explicitValue, "true");
    assert.ok(find(standard, "PlayerShowTitleBar").metadata instanceof ScormCloud.SettingMetadata);
    const course = find(await call(courses, "getCourseConfiguration", courseId), "PlayerShowTitleBar");
    assert.deepEqual([course.effectiveValue, course.effectiveValueSource], ["true", "learningStandardForApplication"]);
  } finally {
    await callEmpty(apps, "deleteApplicationConfigurationSetting", "PlayerShowTitleBar", scorm12);
  }
  const course = find(await call(courses, "getCourseConfiguration", courseId), "PlayerShowTitleBar");
  assert.deepEqual([course.effectiveValue, course.effectiveValueSource], ["false", "application"]);
  await callEmpty(apps, "deleteApplicationConfigurationSetting", "PlayerShowTitleBar");
  const reset = find(await call(courses, "getCourseConfiguration", courseId), "PlayerShowTitleBar");
  assert.equal(reset.effectiveValueSource, "default");
});

test("configuration errors reach the client as 400 and 404", async () => {
  const courseId = uniqueId("bad");
  await importCourse(courses, courseId, "course");
  const unknown = await expectError(
    400,
    call(courses, "setCourseConfiguration", courseId, settingsPost({ Nope: "1" })),
  );
  assert.equal(unknown, "No configuration setting found with id 'Nope'");
  const refused = await expectError(
    400,
    call(courses, "setCourseConfiguration", courseId, settingsPost({ PlayerShowHelp: "true", PlayerTimeLimit: "x" })),
  );
  assert.ok(refused.includes("'PlayerTimeLimit'"), refused);
  assert.equal(
    find(await call(courses, "getCourseConfiguration", courseId), "PlayerShowHelp").explicitValue,
    undefined,
  );
  await expectError(404, call(courses, "getCourseConfiguration", uniqueId("missing")));
  await expectError(404, call(courses, "getCourseVersionConfiguration", courseId, 5));
  await expectError(
    404,
    call(courses, "setCourseVersionConfiguration", courseId, 5, settingsPost({ PlayerShowHelp: "true" })),
  );
  await expectError(404, call(courses, "deleteCourseVersionConfigurationSetting", courseId, 5, "PlayerShowHelp"));
  await expectError(400, call(apps, "getApplicationConfiguration", { learningStandard: "SCORM12" }));
});
