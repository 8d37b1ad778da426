"use strict";
// buildCoursePreviewLaunchLink and its version form. The JavaScript client (3.0.0) takes a LaunchLinkRequestSchema
// here, the registration launch model, whose constructor requires redirectOnExitUrl and which may carry
// registration-only keys (tracking, tags, launchAuth); a preview ignores those.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { ScormCloud, apis, call, expectError, importCourse, uniqueId } = require("./support/client");

const { courses } = apis();

function launchRequest(fields = {}) {
  return Object.assign(new ScormCloud.LaunchLinkRequestSchema("blank"), fields);
}

/** Follow a launch link as a browser would: it sets the player session's cookie and redirects to the player. */
async function opens(link) {
  const launched = await fetch(link, { redirect: "manual" });
  assert.equal(launched.status, 303, `${link} answered ${launched.status}`);
  const cookie = launched.headers.get("set-cookie").split(";")[0];
  const player = await fetch(new URL(launched.headers.get("location"), link), { headers: { cookie } });
  assert.equal(player.status, 200);
  assert.match(player.headers.get("content-type"), /^text\/html/);
  return player.text();
}

test("preview launch links for the latest and for a given version open the player", async () => {
  const courseId = uniqueId("preview");
  await importCourse(courses, courseId, "course");
  await importCourse(courses, courseId, "v1", { mayCreateNewVersion: true });

  const latest = await call(courses, "buildCoursePreviewLaunchLink", courseId, launchRequest({ expiry: 60 }));
  assert.ok(latest instanceof ScormCloud.LaunchLinkSchema);
  assert.match(latest.launchLink, /^https?:\/\//);
  assert.match(await opens(latest.launchLink), /JS Course v1/);

  const item = Object.assign(new ScormCloud.ItemValuePairSchema(), { item: "lang", value: "fr" });
  const full = launchRequest({
    expiry: 300,
    startSco: "item_2",
    culture: "fr",
    additionalvalues: [item],
    tracking: false,
    courseTags: ["ignored"],
  });
  const v0 = await call(courses, "buildCoursePreviewLaunchLinkWithVersion", courseId, 0, full);
  assert.ok(v0 instanceof ScormCloud.LaunchLinkSchema);
  assert.notEqual(v0.launchLink, latest.launchLink);
  const page = await opens(v0.launchLink);
  assert.match(page, /JS Course/);
  assert.doesNotMatch(page, /JS Course v1/);

  await expectError(404, call(courses, "buildCoursePreviewLaunchLink", uniqueId("missing"), launchRequest()));
  await expectError(404, call(courses, "buildCoursePreviewLaunchLinkWithVersion", courseId, 7, launchRequest()));
  await expectError(400, call(courses, "buildCoursePreviewLaunchLink", courseId, launchRequest({ expiry: 5 })));
});
