// transport.mjs: run-time data delivery, heartbeat, AICC reads and exit, against a fake fetch and sendBeacon.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { KEEPALIVE_LIMIT, createTransport } from "../../src/coursehost/player/static/player/transport.mjs";

const response = (status, body = {}) => ({ ok: status >= 200 && status < 300, status, json: async () => body });
const settle = () => new Promise((resolve) => setImmediate(resolve));
const snapshot = (sequence, extra = {}) => ({ standard: "scorm12", sequence, cmi: {}, ...extra });

/** A transport whose fetch calls wait until the test answers them. */
function harness({ beacon = null } = {}) {
  const calls = [];
  const beacons = [];
  let ended = 0;
  const transport = createTransport({
    fetch: (url, init) => new Promise((resolve, reject) => calls.push({ url, init, resolve, reject })),
    sendBeacon: beacon && ((url, blob) => {
      beacons.push({ url, blob });
      return beacon(url, blob);
    }),
    onSessionEnded: () => { ended += 1; },
  });
  return { transport, calls, beacons, ended: () => ended };
}

describe("delivering snapshots", () => {
  test("a snapshot is posted as JSON to runtime/<node> and acknowledged", async () => {
    const { transport, calls } = harness();
    transport.send(1, snapshot(3));
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, "runtime/1");
    assert.deepEqual({ ...calls[0].init, body: JSON.parse(calls[0].init.body) }, {
      method: "POST",
      body: snapshot(3),
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      keepalive: true,
    });
    assert.equal(transport.delivered(1), 0);
    calls[0].resolve(response(200, { stored: true }));
    await settle();
    assert.deepEqual(transport.stats, { sent: 1, acknowledged: 1, failed: 0 });
    assert.equal(transport.delivered(1), 3);
  });

  test("a body past the keepalive budget is sent without keepalive", () => {
    const { transport, calls } = harness();
    transport.send(1, snapshot(1, { cmi: { suspend_data: "x".repeat(KEEPALIVE_LIMIT) } }));
    assert.equal(calls[0].init.keepalive, false);
  });

  test("one delivery in flight per activity; a newer snapshot replaces one still waiting", async () => {
    const { transport, calls } = harness();
    transport.send(1, snapshot(1));
    transport.send(1, snapshot(2));
    transport.send(1, snapshot(3));
    transport.send(2, snapshot(1));
    assert.deepEqual(calls.map((c) => c.url), ["runtime/1", "runtime/2"]);
    calls[0].resolve(response(200));
    await settle();
    assert.equal(calls.length, 3);
    assert.equal(JSON.parse(calls[2].init.body).sequence, 3);
    calls[2].resolve(response(200));
    await settle();
    assert.equal(calls.length, 3);
    assert.equal(transport.delivered(1), 3);
    assert.deepEqual(transport.stats, { sent: 4, acknowledged: 2, failed: 0 });
  });

  test("failures are counted, and what waits is still sent", async () => {
    const { transport, calls } = harness();
    transport.send(1, snapshot(1));
    transport.send(1, snapshot(2));
    calls[0].resolve(response(500));
    await settle();
    transport.send(1, snapshot(3));
    calls[1].reject(new TypeError("network down"));
    await settle();
    calls[2].resolve(response(200));
    await settle();
    assert.deepEqual(transport.stats, { sent: 3, acknowledged: 1, failed: 2 });
    assert.equal(transport.delivered(1), 3);
  });

  test("an older acknowledgement never lowers what was delivered", async () => {
    const { transport, calls } = harness();
    transport.send(1, snapshot(5));
    calls[0].resolve(response(200));
    await settle();
    transport.send(1, snapshot(4));
    calls[1].resolve(response(200));
    await settle();
    assert.equal(transport.delivered(1), 5);
  });

  for (const [status, ends] of [[403, true], [410, true], [400, false], [500, false], [200, false]]) {
    test(`an answer ${status} ${ends ? "means" : "does not mean"} the session is over`, async () => {
      const { transport, calls, ended } = harness();
      transport.send(1, snapshot(1));
      calls[0].resolve(response(status));
      await settle();
      assert.equal(ended(), ends ? 1 : 0);
    });
  }
});

describe("when the page is hidden", () => {
  test("waiting snapshots and every later one go by beacon", async () => {
    const { transport, calls, beacons } = harness({ beacon: () => true });
    transport.send(1, snapshot(1));
    transport.send(1, snapshot(2));
    transport.pageHidden();
    assert.equal(beacons.length, 1);
    assert.equal(beacons[0].url, "runtime/1");
    assert.equal(beacons[0].blob.type, "application/json");
    assert.equal(JSON.parse(await beacons[0].blob.text()).sequence, 2);
    transport.send(2, snapshot(7));
    assert.equal(beacons.length, 2);
    assert.equal(calls.length, 1); // only the first, sent before the page was hidden
    calls[0].resolve(response(200));
    await settle();
    assert.equal(calls.length, 1); // nothing was left waiting
    assert.equal(transport.stats.sent, 3);
  });

  test("a refused or too large beacon falls back to fetch", () => {
    const refused = harness({ beacon: () => false });
    refused.transport.pageHidden();
    refused.transport.send(1, snapshot(1));
    assert.equal(refused.calls.length, 1);

    const large = harness({ beacon: () => true });
    large.transport.pageHidden();
    large.transport.send(1, snapshot(1, { cmi: { suspend_data: "x".repeat(KEEPALIVE_LIMIT) } }));
    assert.equal(large.beacons.length, 0);
    assert.equal(large.calls.length, 1);
  });

  test("without sendBeacon, fetch it is", () => {
    const { transport, calls } = harness();
    transport.pageHidden();
    transport.send(1, snapshot(1));
    assert.equal(calls.length, 1);
  });
});

describe("the other calls", () => {
  test("the heartbeat", async () => {
    const { transport, calls, ended } = harness();
    const first = transport.ping();
    assert.deepEqual(calls[0].url, "ping");
    assert.deepEqual(calls[0].init, { method: "POST", credentials: "same-origin", keepalive: true });
    calls[0].resolve(response(204));
    await first;
    const second = transport.ping();
    calls[1].resolve(response(410));
    await second;
    const third = transport.ping();
    calls[2].reject(new TypeError("offline"));
    await third; // swallowed
    assert.equal(ended(), 1);
  });

  test("reading an AU's snapshot", async () => {
    const { transport, calls, ended } = harness();
    const read = transport.read(2);
    assert.equal(calls[0].url, "runtime/2");
    assert.deepEqual(calls[0].init, { credentials: "same-origin", cache: "no-store" });
    calls[0].resolve(response(200, { sequence: 4 }));
    assert.deepEqual(await read, { sequence: 4 });
    const gone = transport.read(2);
    calls[1].resolve(response(403));
    assert.equal(await gone, null);
    assert.equal(ended(), 1);
  });

  test("exit: the server's answer, or the fallback", async () => {
    const fallback = { redirect: "message", exitedPage: "../../exited?lang=en" };
    const { transport, calls } = harness();
    const answered = transport.exit(fallback);
    assert.equal(calls[0].url, "exit");
    assert.deepEqual(calls[0].init, { method: "POST", credentials: "same-origin" });
    calls[0].resolve(response(200, { redirect: "blank", exitedPage: "x" }));
    assert.deepEqual(await answered, { redirect: "blank", exitedPage: "x" });
    const refused = transport.exit(fallback);
    calls[1].resolve(response(410));
    assert.equal(await refused, fallback);
    const offline = transport.exit(fallback);
    calls[2].reject(new TypeError("offline"));
    assert.equal(await offline, fallback);
  });
});
