/*
 * SCORM 2004 shared data (adl.data, adlcp:data / adlcp:map). A store belongs to the learner's attempt on the course,
 * not to one SCO: every SCO whose item maps a store is handed its current contents when it launches, and what it
 * writes is shared when it commits (docs/player.md, "What the manifest adds").
 */

function storesIn(snapshot) {
  return snapshot && snapshot.adl && Array.isArray(snapshot.adl.data) ? snapshot.adl.data : [];
}

/** The stores the item of `node` maps: [{id, readable, writable}]. */
function mapsOf(node) {
  const data = (node || {}).data || {};
  return Array.isArray(data.sharedData) ? data.sharedData : [];
}

/** After a page reload: each store as the SCO allowed to write it saved it last. */
export function initialStores(nodes, snapshots) {
  // Null prototypes: a store id is the content's to choose, and "constructor" must not find Object's.
  const stores = Object.create(null);
  const savedAt = Object.create(null);
  for (const key of Object.keys(snapshots)) {
    const snapshot = snapshots[key];
    const writable = mapsOf(nodes[Number(key)]).filter((map) => map.writable !== false);
    for (const item of storesIn(snapshot)) {
      if (item.store === null || item.store === undefined) continue;
      if (!writable.some((map) => map.id === item.id)) continue;
      const at = String(snapshot.savedAt || "");
      if (!(item.id in savedAt) || savedAt[item.id] <= at) {
        stores[item.id] = item.store;
        savedAt[item.id] = at;
      }
    }
  }
  return stores;
}

/**
 * The shared stores of one preview. `forLaunch(index, launch)` gives the run-time's sharedData option for a launch
 * of `index` and remembers, on `launch`, what it was handed; `shareWrites(launch, snapshot)` shares what that SCO
 * changed since.
 */
export function createSharedData(nodes, snapshots) {
  const stores = initialStores(nodes, snapshots);

  function forLaunch(index, launch) {
    launch.sharedGiven = Object.create(null);
    return mapsOf(nodes[index]).map((map) => {
      const store = map.id in stores ? stores[map.id] : null;
      launch.sharedGiven[map.id] = store;
      return { id: map.id, store: store, readable: map.readable, writable: map.writable };
    });
  }

  function shareWrites(launch, snapshot) {
    for (const item of storesIn(snapshot)) {
      if (!launch.sharedGiven || !(item.id in launch.sharedGiven)) continue;
      if (item.store !== launch.sharedGiven[item.id]) {
        stores[item.id] = item.store;
        launch.sharedGiven[item.id] = item.store;
      }
    }
  }

  return { stores, forLaunch, shareWrites };
}
