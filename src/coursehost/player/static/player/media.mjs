/*
 * The media page (PDF, audio, video) shown in the content frame, or in a window of its own. It reports how much has
 * been played to the player (window.CoursehostPlayer.mediaProgress in its parent or opener), which records it as the
 * activity's snapshot: a PDF is completed once shown, audio and video once MediaContentCompletionThreshold percent
 * has been played.
 */

import { readJson } from "./page.mjs";

/** The fraction of the media played: the sum of the played ranges (a TimeRanges) over the duration, at most 1. */
export function playedFraction(played, duration) {
  let total = 0;
  for (let i = 0; i < played.length; i += 1) total += played.end(i) - played.start(i);
  return duration > 0 ? Math.min(1, total / duration) : 0;
}

/**
 * A function of the fraction played that calls `report(fraction, done)` at once on completion and otherwise once
 * per tenth, so playback does not flood the server. `threshold` is the completion percentage.
 */
export function progressReporter(threshold, report) {
  let reported = -1;
  return (fraction) => {
    const done = fraction * 100 >= threshold;
    if (done || Math.floor(fraction * 10) > reported) {
      reported = Math.floor(fraction * 10);
      report(fraction, done);
    }
  };
}

/** `cfg` is the page's #ch-media-config: {activity, kind, threshold}. */
export function startMedia(win, cfg) {
  const host = win.parent !== win ? win.parent : win.opener;
  function report(fraction, done) {
    try {
      host.CoursehostPlayer.mediaProgress(cfg.activity, fraction, done);
    } catch (e) {
      /* opened on its own: nothing to report to */
    }
  }
  const media = win.document.getElementById("ch-media");
  if (cfg.kind === "pdf") {
    report(1, true);
    return;
  }
  const progress = progressReporter(cfg.threshold, report);
  const played = () => playedFraction(media.played, media.duration);
  media.addEventListener("timeupdate", () => { progress(played()); });
  media.addEventListener("ended", () => { report(Math.max(played(), cfg.threshold / 100), true); });
}

if (typeof document !== "undefined") {
  const cfg = readJson(document, "ch-media-config");
  if (cfg) startMedia(window, cfg);
}
