// Which version this is and what changed. After an update the popup shows one line for the new
// version, taken from CHANGELOG.md's one-liners (the build extracts them into
// release-notes.json), until it is dismissed; the worker keeps that state. An update is
// runtime.onInstalled with reason 'update' (the folder copied over and 重新加载 pressed, as the
// README says); a browser restarted after the copy instead starts the new version without that
// event, so every worker start also compares the version it last saw (a store from before this
// record existed, holding vault keys, is an update too; a fresh install has none). Also answers
// the version and the data format's date for the options page, and the records a newer RedShip
// wrote (after a downgrade), which the popup asks to update for.
import { core, ready } from './core.js';
import { register } from './router.js';
import * as engine from './vault/engine.js';
import { KEYS } from './vault/engine.js';
import { storageChanged } from './vault/startup.js';

/** chrome.storage.local key of the pending line: {version, previous, atMs}. Versions only, no data. */
const NOTICE = 'release.notice';
/** chrome.storage.local key of the last version a worker of this profile started as. */
const SEEN = 'release.seen';

/**
 * Notes the version this worker runs; an update gets the line. `previous`: the version the
 * install event names (it wins over the start's own guess, which may have run first).
 */
async function noteVersion(previous) {
  const version = chrome.runtime.getManifest().version;
  const got = await chrome.storage.local.get([SEEN, KEYS]);
  if (got[SEEN] === version && !previous) return;
  const items = { [SEEN]: version };
  if (previous || got[SEEN] || got[KEYS]) items[NOTICE] = { version, previous: previous || got[SEEN] || null, atMs: Date.now() };
  storageChanged();
  await chrome.storage.local.set(items);
}

// One at a time: the install event and the start's check may both run at a worker start.
let noting = Promise.resolve();
const note = (previous) => {
  noting = noting.then(() => noteVersion(previous)).catch((e) => console.warn('RedShip: could not keep the line on what changed', e));
};
chrome.runtime.onInstalled.addListener((details) => {
  if (details.reason === 'update' && details.previousVersion !== chrome.runtime.getManifest().version) note(details.previousVersion);
});
// Read before any message is handled, so a fresh install's store (no vault keys yet) is told
// from one a build before this record left.
note(null);

let notes = null;
/** The build's release-notes.json: {versions: {"0.2.0": {date, zh, en}}}. */
async function releaseNotes() {
  notes ??= fetch(chrome.runtime.getURL('release-notes.json')).then((r) => r.json()).catch(() => ({ versions: {} }));
  return notes;
}

register('release.get', async () => {
  await ready;
  const info = core.vaultInfo();
  const version = chrome.runtime.getManifest().version;
  const pending = (await chrome.storage.local.get(NOTICE))[NOTICE];
  const entry = pending?.version === version ? (await releaseNotes()).versions?.[version] : null;
  // The newer records are known once the store is open; a locked vault shows its own message.
  await engine.ensureOpen().catch(() => {});
  return {
    version,
    format: { version: info.schemaVersion, date: info.schemaDate },
    notice: entry ? { version, previous: pending.previous, zh: entry.zh, en: entry.en } : null,
    newer: engine.newerRecords(),
  };
});

register('release.dismiss', async () => {
  const pending = (await chrome.storage.local.get(NOTICE))[NOTICE];
  storageChanged();
  await chrome.storage.local.remove(NOTICE);
  return { dismissed: pending?.version ?? null };
});
