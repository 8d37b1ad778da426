"use strict";
// A course's xAPI statements through the JavaScript client: statements posted to the application's LRS over HTTP
// come back through getCourseStatements and getCourseVersionStatements, in SCORM Cloud's XapiStatement form (checked
// against the client's models by call()), by learner, and page by page with `more` on the small-page server.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { ScormCloud, apis, call, config, expectError, importCourse, uniqueId } = require("./support/client");

const { courses } = apis();
const paging = apis({ baseUrl: config.pagingUrl }).courses;

async function postStatements(statements) {
  const auth = Buffer.from(`${config.app.appId}:${config.app.secretKey}`).toString("base64");
  const answer = await fetch(`${config.baseUrl}/lrs/${config.app.appId}/statements`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${auth}`,
      "Content-Type": "application/json",
      "X-Experience-API-Version": "2.0.0",
    },
    body: JSON.stringify(statements),
  });
  assert.equal(answer.status, 200, await answer.clone().text());
  return answer.json();
}

function statement(iri, learner) {
  return {
    id: crypto.randomUUID(),
    actor: { objectType: "Agent", name: learner, account: { homePage: "https://example.com", name: learner } },
    verb: { id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } },
    object: { objectType: "Activity", id: iri, definition: { name: { "en-US": "JS Course" } } },
    result: { completion: true, score: { scaled: 0.75 }, duration: "PT2M" },
  };
}

test("statements posted to the LRS come back through both course operations, by learner and by page", async () => {
  const courseId = uniqueId("js-statements");
  await importCourse(courses, courseId, "course");
  const iri = (await call(courses, "getCourse", courseId)).xapiActivityId;
  const posted = ["ann", "bob", "cat", "dan"].map((learner) => statement(iri, learner));
  assert.deepEqual(await postStatements(posted), posted.map((s) => s.id));

  const all = await call(courses, "getCourseStatements", courseId);
  assert.ok(all instanceof ScormCloud.XapiStatementResult);
  assert.deepEqual(all.statements.map((s) => s.id), posted.map((s) => s.id));
  const first = all.statements[0];
  assert.equal(first.objectActivity.id, iri);
  assert.equal(first.actor.account.name, "ann");
  assert.deepEqual([first.result.completion, first.result.score.scaled], [true, 0.75]);
  assert.ok(first.stored instanceof Date);

  const version = await call(courses, "getCourseVersionStatements", courseId, 0);
  assert.deepEqual(version.statements.map((s) => s.id), posted.map((s) => s.id));
  const bob = await call(courses, "getCourseStatements", courseId, { learnerId: "bob" });
  assert.deepEqual(bob.statements.map((s) => s.actor.name), ["bob"]);

  const seen = [];
  let page = await call(paging, "getCourseStatements", courseId);
  for (;;) {
    seen.push(...page.statements.map((s) => s.id));
    if (!page.more) break;
    assert.equal(page.statements.length, config.pageSize);
    page = await call(paging, "getCourseStatements", courseId, { more: page.more });
  }
  assert.deepEqual(seen, posted.map((s) => s.id));
});

test("unknown courses and versions are 404", async () => {
  await expectError(404, call(courses, "getCourseStatements", uniqueId("missing")));
  const courseId = uniqueId("js-statements-v");
  await importCourse(courses, courseId, "course");
  await expectError(404, call(courses, "getCourseVersionStatements", courseId, 7));
});
