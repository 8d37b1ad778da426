/*
 * What the run-time data says about the learner's progress: each activity's status (the outline's marks, the exit
 * action settings' "satisfied"), and the snapshots the player writes itself for media. Pure functions.
 */

/** The outline's mark for each status (docs/player.md, "The page"). */
export const STATUS_MARKS = Object.freeze({
  completed: "\u2713",
  passed: "\u2713",
  failed: "\u2717",
  incomplete: "\u25D0",
  browsed: "\u25CB",
  notAttempted: "",
});

/**
 * An activity's status from its last snapshot: notAttempted, incomplete, completed, passed, failed or browsed.
 * SCORM 2004: success_status, then completion_status; SCORM 1.2 and AICC: lesson_status; media: completion.
 */
export function statusOf(snapshot) {
  const cmi = snapshot && snapshot.cmi;
  if (!cmi) return "notAttempted";
  if (snapshot.standard === "scorm2004") {
    if (cmi.success_status === "passed" || cmi.success_status === "failed") return cmi.success_status;
    if (cmi.completion_status === "completed") return "completed";
    return cmi.completion_status === "not attempted" ? "notAttempted" : "incomplete";
  }
  if (snapshot.standard === "media") return cmi.completion_status === "completed" ? "completed" : "incomplete";
  const status = cmi.core && cmi.core.lesson_status;
  if (status === "not attempted" || !status) return "notAttempted";
  return status;
}

/** A course counts as satisfied when every launchable activity (`order`) is completed or passed. */
export function courseSatisfied(order, snapshots) {
  return order.every((index) => {
    const status = statusOf(snapshots[index]);
    return status === "completed" || status === "passed";
  });
}

/**
 * The snapshot a media activity reports: `fraction` played so far, `done` once past the completion threshold.
 * Completion and the progress measure never go back; the sequence follows the previous snapshot's.
 */
export function mediaSnapshot(previous, fraction, done, savedAt) {
  const wasDone = previous && previous.cmi.completion_status === "completed";
  return {
    standard: "media",
    sequence: ((previous && previous.sequence) || 0) + 1,
    reason: done ? "completed" : "progress",
    terminated: false,
    savedAt: savedAt,
    cmi: {
      completion_status: done || wasDone ? "completed" : "incomplete",
      progress_measure: Math.max(fraction, (previous && previous.cmi.progress_measure) || 0),
    },
  };
}
