/*
 * Everything the player page says to the server, relative to the player's URL /player/s/<session>/:
 *   POST runtime/<node>   each run-time snapshot (the server keeps the one with the highest sequence, so repeated or
 *                         late deliveries are harmless)
 *   GET  runtime/<node>   an AU's snapshot, which HACP writes (AICC polling)
 *   POST ping             the heartbeat that keeps the session alive
 *   POST exit             ends the session and answers where the learner goes
 *
 * One delivery is in flight per activity; a newer snapshot replaces one still waiting, since the server keeps only
 * the newest anyway. That bounds what is in flight (keepalive requests share a 64 KiB budget) however often a SCO
 * commits. Once the page is being hidden, snapshots go by sendBeacon, which outlives the page.
 *
 * `stats` counts snapshots sent, acknowledged and failed; tests and customisation scripts read it through
 * window.CoursehostPlayer.stats.
 */

/** Browsers refuse keepalive and beacon bodies past 64 KiB in flight; stay under it with room for the headers. */
export const KEEPALIVE_LIMIT = 60000;

/**
 * `fetch(url, init)` and `sendBeacon(url, blob)` (null where the browser has none) are the browser's; they are
 * parameters so tests can fake them. `onSessionEnded()` is called when the server says the session is over (403, 410).
 */
export function createTransport({ fetch, sendBeacon, onSessionEnded }) {
  const stats = { sent: 0, acknowledged: 0, failed: 0 };
  const outbox = {};
  let unloading = false;

  function checkSession(response) {
    if (response.status === 403 || response.status === 410) onSessionEnded();
  }

  function beacon(index, snapshot) {
    const body = JSON.stringify(snapshot);
    return body.length < KEEPALIVE_LIMIT && !!sendBeacon &&
      sendBeacon("runtime/" + index, new Blob([body], { type: "application/json" }));
  }

  function post(index, snapshot, box) {
    const body = JSON.stringify(snapshot);
    box.inFlight = true;
    fetch("runtime/" + index, {
      method: "POST",
      body: body,
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      keepalive: body.length < KEEPALIVE_LIMIT,
    }).then((response) => {
      if (response.ok) {
        stats.acknowledged += 1;
        box.delivered = Math.max(box.delivered, snapshot.sequence || 0);
      } else {
        stats.failed += 1;
      }
      checkSession(response);
    }, () => { stats.failed += 1; }).then(() => {
      box.inFlight = false;
      const next = box.pending;
      box.pending = null;
      if (next) post(index, next, box);
    });
  }

  /** Deliver the snapshot of activity `index`. */
  function send(index, snapshot) {
    stats.sent += 1;
    const box = outbox[index] || (outbox[index] = { inFlight: false, pending: null, delivered: 0 });
    if (unloading && beacon(index, snapshot)) {
      box.pending = null;
      return;
    }
    if (box.inFlight) box.pending = snapshot;
    else post(index, snapshot, box);
  }

  /** The page is going away: the waiting snapshots go by beacon now, and every later one too. */
  function pageHidden() {
    unloading = true;
    for (const key of Object.keys(outbox)) {
      const box = outbox[key];
      if (box.pending && beacon(key, box.pending)) box.pending = null;
    }
  }

  /** The highest sequence of `index` the server acknowledged (0 before any). */
  function delivered(index) {
    return outbox[index] ? outbox[index].delivered : 0;
  }

  function ping() {
    return fetch("ping", { method: "POST", credentials: "same-origin", keepalive: true })
      .then(checkSession, () => { /* offline for a moment */ });
  }

  /** The stored snapshot of `index` ({} when there is none), or null when it could not be read. */
  function read(index) {
    return fetch("runtime/" + index, { credentials: "same-origin", cache: "no-store" }).then((response) => {
      checkSession(response);
      return response.ok ? response.json() : null;
    });
  }

  /** End the session: the server's {redirect, exitedPage}, or `fallback` when it cannot answer. */
  function exit(fallback) {
    return fetch("exit", { method: "POST", credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : fallback), () => fallback);
  }

  return { stats, send, pageHidden, delivered, ping, read, exit };
}
