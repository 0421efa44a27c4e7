// Vault upkeep: settings (retention days, auto-lock minutes), the automatic retention purge of
// masked snapshots and fill journals, history pruning that only runs when the user asks, and the
// activity clock auto-lock reads. Decisions (what is old enough, which settings and day counts are
// allowed) are made by the wasm core.
import { core } from '../core.js';
import { index, read, write } from './engine.js';

const SETTINGS = 'vault/settings';
const ACTIVITY = 'vault.activityMs';
/** Record families purged automatically: masked order snapshots and fill journals (and their logs). */
export const RETENTION_PATTERNS = ['orders/*/snapshot', 'orders/*/delta/', 'ship/run/', 'ship/wal/', 'ship/*/seen'];
/** What "free space" may also delete, only when the user asks: old quota ledger days. */
const HISTORY_PATTERNS = [...RETENTION_PATTERNS, 'quota/*/20'];

/** The vault settings in effect (the core fills in defaults for missing or out-of-range fields). */
export async function settings() {
  return core.vaultSettings({ stored: (await read(SETTINGS)) || null });
}

/**
 * Saves `{retentionDays?, autoLockMinutes?}` (whole numbers: the message catalogue checks the
 * type) once the core has checked them against their ranges.
 */
export async function saveSettings({ retentionDays, autoLockMinutes }) {
  const change = { retentionDays: retentionDays ?? null, autoLockMinutes: autoLockMinutes ?? null };
  const next = core.vaultSettings({ stored: (await read(SETTINGS)) || null, change });
  await write({ [SETTINGS]: { v: 1, ...next, updatedAtMs: Date.now() } });
  if (change.retentionDays !== null) await purgeExpired(next.retentionDays);
  return next;
}

async function purge(patterns, days) {
  const idx = await index();
  const records = [...idx.entries()].map(([key, { writtenMs }]) => ({ key, writtenMs }));
  const doomed = core.vaultRetentionPlan({ records, policy: { days, patterns }, nowMs: Date.now() });
  if (doomed.length) await write(Object.fromEntries(doomed.map((k) => [k, null])));
  return doomed.length;
}

/** Deletes masked snapshots and journals older than `days` (default: the retention setting). */
export async function purgeExpired(days) {
  return purge(RETENTION_PATTERNS, days ?? (await settings()).retentionDays);
}

/** Frees space on the user's request: also quota history older than `olderThanDays`. */
export async function pruneHistory(olderThanDays) {
  return purge(HISTORY_PATTERNS, core.vaultPruneDays(olderThanDays));
}

let lastActivity = 0;
let savedActivity = 0;

/** Notes user activity (auto-lock counts idle time from the last one). */
export async function touch() {
  lastActivity = Date.now();
  if (lastActivity - savedActivity > 30_000) {
    savedActivity = lastActivity;
    await chrome.storage.session.set({ [ACTIVITY]: lastActivity });
  }
}

/** Minutes since the last activity (survives worker restarts through chrome.storage.session). */
export async function idleMinutes() {
  const saved = (await chrome.storage.session.get(ACTIVITY))[ACTIVITY] || 0;
  const last = Math.max(lastActivity, saved);
  if (!last) { await touch(); return 0; }
  return (Date.now() - last) / 60_000;
}
