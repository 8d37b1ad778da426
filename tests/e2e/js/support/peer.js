"use strict";
// A tiny HTTP server on 127.0.0.1 for the server under test to talk to: it serves registered files (optionally
// held until a gate opens) for fetch imports and asset imports, and records POSTs (postbacks).
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const http = require("node:http");

async function startPeer() {
  const files = new Map();
  const posts = [];
  const waiters = [];
  const server = http.createServer((request, response) => {
    if (request.method === "POST") {
      const chunks = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        posts.push({ path: request.url, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(204).end();
        for (const wake of waiters.splice(0)) wake();
      });
      return;
    }
    const served = files.get(request.url);
    if (!served) {
      response.writeHead(404).end();
      return;
    }
    served.gate.then(() => {
      response.writeHead(200, { "Content-Type": served.contentType, "Content-Length": served.body.length });
      response.end(served.body);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const openGates = [];

  return {
    base,
    /** Serve ``body``; with ``gated`` the response waits until the returned ``open()`` is called. */
    addFile(body, { suffix = ".zip", contentType = "application/zip", gated = false } = {}) {
      const path = `/files/${crypto.randomUUID()}${suffix}`;
      let open = () => {};
      const gate = gated ? new Promise((resolve) => (open = resolve)) : Promise.resolve();
      openGates.push(() => open());
      files.set(path, { body, contentType, gate });
      return { url: base + path, open: () => open() };
    },
    postbackUrl() {
      return `${base}/postback/${crypto.randomUUID()}`;
    },
    async waitForPost(url, timeoutMs = 30_000) {
      const path = url.slice(base.length);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = posts.find((p) => p.path === path);
        if (found) return found;
        assert.ok(Date.now() < deadline, `no POST to ${path} within ${timeoutMs} ms`);
        await new Promise((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async close() {
      for (const open of openGates) open();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

module.exports = { startPeer };
