// sw/vault.js — the vault's messages and timers: lock / unlock / passphrase, auto-lock, backup
// export and restore, retention purge, quarantine list, consented history pruning. The encrypted
// store itself is sw/vault/engine.js (behind sw/store.js).
//
// For other domains:
//   isLocked() → boolean
//   lockAware(kind, handler) → a router handler that, while the vault is locked, seals the
//     payload into the locked queue (nothing readable) and answers {queued: true}; after unlock
//     the queue is replayed through `handler(payload, {origin: 'replay', atMs})` oldest first.
//     Handlers must then use `ctx.atMs ?? Date.now()` as the event time, be idempotent (a worker
//     killed mid-replay may replay one event again) and must not call `exclusive()` (the replay
//     already runs inside the unlocking job).
// Records: `vault/settings` {v, retentionDays, autoLockMinutes, updatedAtMs}.
import { office } from './core.js';
import { register, broadcast } from './router.js';
import * as engine from './vault/engine.js';
import { codeOf, vaultError } from './vault/storage.js';
import { onReplay } from './vault/queue.js';
import * as store from './store.js';
import { purgeExpired, pruneHistory, touch, idleMinutes, settings, saveSettings } from './vault/upkeep.js';

export const isLocked = engine.isLocked;

/** Wraps a handler so that events keep being counted while the vault is locked. */
export function lockAware(kind, handler) {
  onReplay(kind, handler);
  return async (payload, ctx) => {
    if (await engine.isLocked()) {
      await engine.queueEvent(kind, payload);
      return { queued: true };
    }
    try {
      return await handler(payload, ctx);
    } catch (e) {
      // Locked in the middle of the handler: keep the event for the replay instead of losing it.
      if (codeOf(e) === 'Locked') {
        await engine.queueEvent(kind, payload);
        return { queued: true };
      }
      throw e;
    }
  };
}

engine.onVaultEvent((event) => {
  broadcast('vault.changed', { event });
});

async function status() {
  let locked = await engine.isLocked();
  let current = null;
  if (!locked) {
    // The vault may lock between the two awaits (auto-lock): then report it locked.
    try { current = await settings(); } catch (e) { if (codeOf(e) === 'Locked') locked = true; else throw e; }
  }
  return {
    mode: (await engine.hasPassphrase()) ? 'passphrase' : 'device',
    locked,
    queued: await engine.queuedCount(),
    quarantine: await quarantineList(),
    usage: { bytes: await chrome.storage.local.getBytesInUse(null), quotaBytes: store.quotaBytes() },
    settings: current,
    info: await engine.vaultInfo(),
  };
}

async function quarantineList() {
  const info = await engine.vaultInfo();
  const all = await chrome.storage.local.get(null);
  const entries = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(info.prefixes.quarantine)));
  // The list is the office module's (kept out of the main one): loaded only when something was
  // set aside, so an options page with nothing quarantined does not load it.
  if (!Object.keys(entries).length) return [];
  return (await office()).vaultQuarantineList(entries);
}

const activity = (fn) => async (payload, ctx) => { await touch(); return fn(payload, ctx); };

// Reading the status is not activity (an open options page must not keep the vault unlocked).
register('vault.status', () => status());
register('vault.lock', async () => { await engine.lock(); return status(); });
register('vault.unlock', async ({ passphrase }) => { await engine.unlock(passphrase); await touch(); return status(); });
register('vault.setPassphrase', activity(async ({ passphrase, lockNow }) => {
  await engine.setPassphrase(passphrase);
  if (lockNow) await engine.lock();
  return status();
}));
register('vault.changePassphrase', activity(async ({ oldPassphrase, passphrase }) => {
  await engine.changePassphrase(oldPassphrase, passphrase);
  return status();
}));
register('vault.removePassphrase', activity(async ({ passphrase }) => { await engine.removePassphrase(passphrase); return status(); }));
register('vault.settings', activity(async (payload) => { await saveSettings(payload); return status(); }));
register('vault.backupExport', activity(async ({ passphrase }) => {
  const { text, count } = await engine.backupText(passphrase);
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return { fileName: `redship-backup-${day}.json`, text, count };
}));
register('vault.backupImport', activity(async ({ text, passphrase }) => engine.restore(text, passphrase)));
register('vault.quarantineDelete', activity(async ({ quarantineKey }) => {
  const info = await engine.vaultInfo();
  if (!quarantineKey.startsWith(info.prefixes.quarantine)) throw vaultError('BadInput', 'not a quarantined record');
  await chrome.storage.local.remove(quarantineKey);
  return status();
}));
register('vault.pruneHistory', activity(async ({ olderThanDays }) => ({ removed: await pruneHistory(olderThanDays) })));

// Timers: auto-lock checks every minute, retention twice a day (and at every unlock).
// Created only when missing: re-creating at every worker start would push them back forever.
const ensureAlarm = (name, info) => chrome.alarms.get(name).then((a) => a || chrome.alarms.create(name, info));
void ensureAlarm('vault.autolock', { periodInMinutes: 1 });
void ensureAlarm('vault.retention', { periodInMinutes: 720, delayInMinutes: 1 });
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === 'vault.autolock') void autoLock();
  if (alarm.name === 'vault.retention') void purgeExpired().catch((e) => { if (codeOf(e) !== 'Locked') console.warn(e); });
});
engine.onVaultEvent((event) => {
  if (event === 'opened') void purgeExpired().catch((e) => console.warn('RedShip vault: retention', e));
});

async function autoLock() {
  try {
    if (!(await engine.hasPassphrase()) || (await engine.isLocked())) return;
    const limit = (await settings()).autoLockMinutes;
    if (limit > 0 && (await idleMinutes()) >= limit) await engine.lock();
  } catch (e) {
    if (codeOf(e) !== 'Locked') console.warn('RedShip vault: auto-lock', e);
  }
}
