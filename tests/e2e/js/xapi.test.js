"use strict";
// The xAPI credential operations through the JavaScript client's XapiApi. Every answer is checked against the
// client's models by call() (support/wire.js), so `auth` and `permissionsLevel` must arrive in the objects the
// client's XapiCredentialAuthTypeSchema and XapiCredentialPermissionsLevelSchema read.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { ScormCloud, apis, call, callEmpty, callFull, config, expectError } = require("./support/client");

const { xapi } = apis();
const other = apis({ app: config.otherApp }).xapi;

function post({ name, secret = "", level = "DEFAULT", enabled = true, auth = "BASICAUTH" }) {
  const body = new ScormCloud.XapiCredentialPostSchema();
  body.name = name;
  body.secret = secret;
  body.isEnabled = enabled;
  body.auth = ScormCloud.XapiCredentialAuthTypeSchema.constructFromObject({ xapiCredentialAuthType: auth });
  body.permissionsLevel = ScormCloud.XapiCredentialPermissionsLevelSchema.constructFromObject({
    xapiCredentialPermissionsLevel: level,
  });
  return body;
}

test("create, read, update through set, delete", async () => {
  const created = await call(xapi, "createXapiCredential", post({ name: "JS reporting", secret: "js-secret" }));
  assert.ok(created instanceof ScormCloud.StringResultSchema);
  const id = created.result;
  assert.notEqual(id, config.app.appId);

  const got = await call(xapi, "getXapiCredential", id);
  assert.ok(got instanceof ScormCloud.XapiCredentialSchema);
  assert.deepEqual(
    [got.id, got.name, got.secret, got.isEnabled, got.auth.xapiCredentialAuthType],
    [id, "JS reporting", "js-secret", true, "BASICAUTH"],
  );
  assert.equal(got.permissionsLevel.xapiCredentialPermissionsLevel, "DEFAULT");

  await callEmpty(xapi, "setXapiCredential", id, post({ name: "renamed", level: "READONLY", enabled: false }));
  const updated = await call(xapi, "getXapiCredential", id);
  // An empty secret keeps the one the credential has.
  assert.deepEqual([updated.name, updated.secret, updated.isEnabled], ["renamed", "js-secret", false]);
  assert.equal(updated.permissionsLevel.xapiCredentialPermissionsLevel, "READONLY");

  await callEmpty(xapi, "deleteXapiCredential", id);
  assert.match(await expectError(404, call(xapi, "getXapiCredential", id)), new RegExp(id));
});

test("set creates a credential under the id it names, and another application cannot see it", async () => {
  const id = `js-${Date.now()}`;
  await callEmpty(xapi, "setXapiCredential", id, post({ name: "chosen id", level: "WRITEONLY" }));
  const got = await call(xapi, "getXapiCredential", id);
  assert.ok(got.secret.length >= 24);
  await expectError(404, call(other, "getXapiCredential", id));
  const { data, response } = await callFull(other, "getXapiCredentials", { includeTotalCount: true });
  assert.ok(data instanceof ScormCloud.XapiCredentialsListSchema);
  assert.ok(!data.xapiCredentials.some((c) => c.id === id));
  assert.equal(response.headers["x-total-count"], String(data.xapiCredentials.length));
});

test("the list pages with more (on the server with a small page size) and filters by name", async () => {
  const paging = apis({ baseUrl: config.pagingUrl }).xapi;
  const stamp = Date.now();
  const names = ["a", "b", "c", "d", "e"].map((n) => `page-${n}-${stamp}`);
  for (const name of names) await call(paging, "createXapiCredential", post({ name }));
  const seen = [];
  let page = await call(paging, "getXapiCredentials", { orderBy: "created_asc" });
  let pages = 1;
  for (;;) {
    assert.ok(page.xapiCredentials.length <= config.pageSize);
    seen.push(...page.xapiCredentials.map((c) => c.name));
    if (!page.more) break;
    page = await call(paging, "getXapiCredentials", { more: page.more });
    pages += 1;
  }
  assert.ok(pages >= 2, "more than one page");
  assert.deepEqual(
    seen.filter((n) => names.includes(n)),
    names,
  );
  const found = await call(xapi, "getXapiCredentials", { filter: names[1], filterBy: "credential_name" });
  assert.deepEqual(
    found.xapiCredentials.map((c) => c.name),
    [names[1]],
  );
});

test("OAUTH credentials are refused with a message", async () => {
  const message = await expectError(400, call(xapi, "createXapiCredential", post({ name: "o", auth: "OAUTH" })));
  assert.match(message, /OAUTH/);
});
