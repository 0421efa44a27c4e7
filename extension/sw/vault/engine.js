// The vault engine: the service worker's side of the encrypted store. It owns the key records
// (device key or passphrase) and holds the unlocked vault as the core's `VaultSession` handle:
// key and nonce counter stay in wasm, sealing and opening happen there, `lock()` wipes them. A
// passphrase vault stays unlocked across worker restarts by the restart token in
// chrome.storage.session (memory only): the unlock hands it out once, a worker start hands it
// straight back to `VaultSession.unlock`, no JS object keeps it. It opens the whole store once
// per worker start (migrating the interim plaintext store, quarantining bad records, replaying
// the locked queue; after a worker start it deciphers what the first messages read at once and
// the rest shortly after, see vault/startup.js), and turns every `put` into ONE
// chrome.storage.local.set of sealed envelopes under opaque keys (deletions as sealed tombstones
// in the same call, removed after).
// All cryptography and every decision is in the wasm core (`vault…` bindings); this file only
// does the I/O around it. sw/store.js is the interface other domains use.
import { core, ready, office } from '../core.js';
import { LazyRecords, readAll } from './startup.js';
import { toBase64Url as b64url } from '../../common/base64.js';
import { moveToQuarantine, pick, precompute, random, removeQuietly, setAll, vaultError } from './storage.js';
import { replayQueue } from './queue.js';

const KEYS = 'vault.keys';
const DEVICE = 'vault.device';
/** chrome.storage.session key of the restart token `{dataKey, keyId}` (the layout earlier builds kept). */
const UNLOCKED = 'vault.unlocked';

/** Random bytes whose first 16 are a new salt, and its PBKDF2 precomputed for `passphrase`. */
async function saltedRandom(passphrase, len) {
  const bytes = random(len);
  return { bytes, precomputed: await precompute(passphrase, b64url(bytes.subarray(0, 16)), info.defaultIterations) };
}

const kdfOf = (keys) => keys.lock.kdf || {};

let info = null;
/** Constants from the core (random lengths, prefixes, defaults). */
export async function vaultInfo() {
  await ready;
  info ??= core.vaultInfo();
  return info;
}

// The open store: only while unlocked. `index` maps logical key → {storageKey, writtenMs};
// `cache` holds every decrypted value but the big ones (`apart`: a snapshot of 50,000 orders
// kept as JS objects was 28 MB of heap that every collection walked, on every list page, while
// its owner holds it in wasm anyway): those are opened from storage again when read, which
// their owners do once per worker start. Right after a worker start the store is open but
// `lazy` (LazyRecords, until openAll): index and cache then hold only the records read or
// written so far.
// `vault` is the core's VaultSession (seals), `opener` its read-only VaultOpener.
const st = { open: false, keys: null, vault: null, opener: null, index: new Map(), cache: new Map(), apart: new Set(), lazy: null, newer: new Map() };
/** Sealed records longer than this (ciphertext characters) are not kept decrypted (`apart`). */
const APART_CHARS = 256 * 1024;
const big = (envelope) => typeof envelope?.c === 'string' && envelope.c.length > APART_CHARS;

/** Keeps `value` of `key` in the cache, or only notes it is stored when its record is big. */
function keep(key, value, envelope, clone) {
  if (big(envelope)) {
    st.cache.delete(key);
    st.apart.add(key);
  } else {
    st.apart.delete(key);
    st.cache.set(key, clone ? structuredClone(value) : value);
  }
}

/** The values of `keys` (held apart), opened from storage again: {key: value}. */
async function readApart(keys) {
  const storageKeys = keys.map((k) => st.index.get(k)?.storageKey).filter(Boolean);
  if (!storageKeys.length) return {};
  const entries = await chrome.storage.local.get(storageKeys);
  const opened = st.opener.open({ entries, nowMs: Date.now() });
  if (opened.quarantine?.length) await moveToQuarantine(opened.quarantine);
  const out = {};
  for (const r of opened.records) if (keys.includes(r.key)) out[r.key] = r.value;
  return out;
}
let opening = null;
let generation = 0;
const listeners = new Set();

/** Calls `fn(event)` on `opened`, `locked` and `restored`. */
export function onVaultEvent(fn) { listeners.add(fn); }
function emit(event) { for (const fn of listeners) { try { fn(event); } catch (e) { console.warn('RedShip vault listener', e); } } }

/**
 * The keys record, creating the vault on first use. Returns {keys, device}. `all` is
 * a read of everything the caller already holds (the open reads once).
 */
async function loadKeys(all = null) {
  const reading = all ?? chrome.storage.local.get([KEYS, DEVICE]);
  await vaultInfo();
  const got = await reading;
  if (got[KEYS]) return { keys: got[KEYS], device: got[DEVICE] || null };
  const made = core.vaultCreate(random(info.random.create));
  await setAll({ [KEYS]: made.keys, [DEVICE]: made.device });
  return { keys: made.keys, device: made.device };
}

/** The restart token of this vault's key in chrome.storage.session, or null (only its public keyId is read). */
async function restartToken(keys) {
  const got = (await chrome.storage.session.get(UNLOCKED))[UNLOCKED];
  return got && got.keyId === keys.keyId ? got : null;
}

/** Whether a passphrase protects the vault. */
export async function hasPassphrase() {
  const { keys } = await loadKeys();
  return keys.lock.mode === 'passphrase';
}

/** Whether the vault is locked (passphrase set and not unlocked in this browser session). */
export async function isLocked() {
  if (st.open) return false;
  const { keys } = await loadKeys();
  return keys.lock.mode === 'passphrase' && !(await restartToken(keys));
}

async function doOpen() {
  const gen = generation;
  const all = await readAll();
  const { keys, device } = await loadKeys(all);
  const token = keys.lock.mode === 'device' ? null : await restartToken(keys);
  if (keys.lock.mode !== 'device' && !token) throw vaultError('Locked', 'the vault is locked; unlock it with your passphrase in Options');
  const vault = core.VaultSession.unlock(token ? { keys, token } : { keys, device }, random(info.random.session));
  try {
    const v1 = pick(all, (k) => k.startsWith(info.prefixes.v1));
    const migrating = Object.keys(v1).length > 0;
    if (migrating) {
      // Schema v1 (the interim plaintext store): seal everything in one set, then drop the clear.
      const m = vault.migrateV1({ entries: v1, nowMs: Date.now() });
      await setAll(m.items);
      await removeQuietly(m.remove);
      for (const k of m.remove) delete all[k];
      Object.assign(all, m.items);
      for (const s of m.skipped) console.warn('RedShip vault: not migrated', s.storageKey, s.reason);
    }
    if (gen !== generation) throw vaultError('Locked', 'the vault was locked while opening');
    return await openStore(vault, keys, all, migrating);
  } catch (e) {
    if (st.vault !== vault) vault.lock();
    throw e;
  }
}

/** Makes the open store from the start-up read `all`, unlocked by `vault`. */
async function openStore(vault, keys, all, migrating) {
  const pending = pick(all, (k) => k.startsWith(info.prefixes.pending));
  const records = pick(all, (k) => k.startsWith(info.prefixes.record));
  Object.assign(st, { open: true, keys, vault, opener: vault.opener(), index: new Map(), cache: new Map(), apart: new Set() });
  st.newer = new Map();
  // Records not in this build's format get the core's look before anything is written: one a
  // newer RedShip wrote (after a downgrade) is held, kept untouched and never written over.
  const odd = pick(records, (k) => records[k]?.v !== info.schemaVersion);
  if (Object.keys(odd).length) noteNewer(st.opener.open({ entries: odd, nowMs: Date.now() }));
  st.lazy = new LazyRecords(st.opener, records);
  if (migrating || Object.keys(pending).length) {
    // A migration or a queue to replay: everything is opened first, as the replay expects.
    await openAll({ announce: false });
    await replayQueue(st.vault, st.keys, pending);
    emit('opened');
  } else {
    setTimeout(() => { void openAll().catch((e) => console.warn('RedShip vault: opening the store', e)); }, OPEN_REST_AFTER_MS);
  }
}

/** Remembers the records a newer RedShip wrote, from an opener's `open` answer. */
function noteNewer(opened) {
  for (const n of opened.newer ?? []) st.newer.set(n.storageKey, n.found);
}

/** The records a newer RedShip wrote, kept untouched: [{storageKey, found}] (empty while locked). */
export function newerRecords() {
  return [...st.newer].map(([storageKey, found]) => ({ storageKey, found }));
}

/** How long after a start the records nobody asked for yet are opened (after the first answers). */
const OPEN_REST_AFTER_MS = 500;

let openingAll = null; // {lazy, done}: the pass under way, over that start-up read
/** Opens the records of the start-up read not read or written yet; emits `opened`. */
function openAll({ announce = true } = {}) {
  const lazy = st.lazy;
  if (!lazy) return Promise.resolve();
  if (openingAll?.lazy !== lazy) {
    const done = openRest(lazy, announce).finally(() => { if (openingAll?.lazy === lazy) openingAll = null; });
    openingAll = { lazy, done };
  }
  return openingAll.done;
}

/**
 * `openAll`'s work: the small records in one core call, then each big one (a shard of a shop's
 * orders) in a task of its own, so the worker's messages are taken in between and wasm memory
 * holds one at a time. The start-up read stays the readers' (`lazy`) until every part is in the
 * index, so a read or write meanwhile finds what it would have found before.
 */
async function openRest(lazy, announce) {
  const gen = generation;
  const parts = lazy.restInParts(big);
  for (;;) {
    if (gen !== generation) return; // locked meanwhile: the session is gone
    const { value: opened, done } = parts.next();
    if (done) break;
    noteNewer(opened);
    for (const r of opened.records) {
      if (st.index.has(r.key)) continue; // read or written already
      st.index.set(r.key, { storageKey: r.storageKey, writtenMs: r.writtenMs });
      keep(r.key, r.value, lazy.raw[r.storageKey], false);
    }
    await moveToQuarantine(opened.quarantine);
    await removeQuietly(opened.tombstones);
    await new Promise((r) => setTimeout(r, 0));
  }
  if (gen !== generation) return;
  if (st.lazy === lazy) st.lazy = null;
  if (announce) emit('opened');
}

/** Opens the store if it is not open yet (throws `VaultError` Locked while locked). */
export async function ensureOpen() {
  if (st.open) return;
  if (!opening) opening = doOpen().finally(() => { opening = null; });
  await opening;
}

/** Opens the store with every record in the index and the cache. */
async function ensureAll() {
  await ensureOpen();
  await openAll();
}

/** The open store's index (logical key → {storageKey, writtenMs}). */
export async function index() {
  await ensureAll();
  return st.index;
}

/** A record's value (a copy), or undefined. */
export async function read(key) {
  return (await readMany([key]))[key];
}

/** Several records: {key: value (a copy)}, missing keys absent. */
export async function readMany(keys) {
  await ensureOpen();
  const lazy = st.lazy?.open(keys.filter((k) => !st.cache.has(k) && !st.apart.has(k)));
  const out = {};
  for (const r of lazy?.records ?? []) {
    st.index.set(r.key, { storageKey: r.storageKey, writtenMs: r.writtenMs });
    keep(r.key, r.value, st.lazy?.raw[r.storageKey], false);
    // Opened just now for this read: a big one is handed out as is, not opened twice.
    if (st.apart.has(r.key)) out[r.key] = r.value;
  }
  if (lazy?.quarantine.length) await moveToQuarantine(lazy.quarantine);
  Object.assign(out, await readApart(keys.filter((k) => st.apart.has(k) && !Object.hasOwn(out, k))));
  for (const k of keys) if (st.cache.has(k)) out[k] = structuredClone(st.cache.get(k));
  return out;
}

/** Writes `changes` ({key: value | null}) in one chrome.storage.local.set; null deletes. */
export async function write(changes) {
  await ensureOpen();
  const writes = Object.entries(changes).map(([key, value]) => ({ key, value: value ?? null }));
  if (!writes.length) return;
  const nowMs = Date.now();
  if (!st.open) throw vaultError('Locked', 'the vault was locked before this write');
  // The nonces are the session's own, spent even if the write fails.
  const sealed = st.vault.seal({ writes, nowMs, held: Object.fromEntries(st.newer) });
  // The start-up read is stale for these from now on (see openAll).
  for (const sk of sealed.storageKeys) st.lazy?.touched.add(sk);
  await setAll(sealed.items);
  const tombstones = [];
  writes.forEach(({ key, value }, i) => {
    const storageKey = sealed.storageKeys[i];
    if (value === null) {
      st.index.delete(key); st.cache.delete(key); st.apart.delete(key); tombstones.push(storageKey);
    } else {
      st.index.set(key, { storageKey, writtenMs: nowMs });
      keep(key, value, sealed.items[storageKey], true);
    }
  });
  await removeQuietly(tombstones);
}

function closeStore() {
  generation += 1;
  // Wipes the key in wasm at once; the handles themselves are freed by the glue's finalizer, so
  // a call still holding one gets a `Locked` VaultError, not a dangling pointer.
  st.vault?.lock();
  Object.assign(st, { open: false, keys: null, vault: null, opener: null, index: new Map(), cache: new Map(), apart: new Set(), lazy: null, newer: new Map() });
}

/** Locks now: wipes the unlocked key and its restart token. Needs a passphrase to be set. */
export async function lock() {
  const { keys } = await loadKeys();
  if (keys.lock.mode !== 'passphrase') throw vaultError('NoPassphrase', 'set a passphrase before locking');
  await chrome.storage.session.remove(UNLOCKED);
  closeStore();
  emit('locked');
}

/** Unlocks with the passphrase (wrong → VaultError WrongPassphrase, nothing changes). */
export async function unlock(passphrase) {
  const { keys } = await loadKeys();
  if (keys.lock.mode !== 'passphrase') { await ensureOpen(); return; }
  const kdf = kdfOf(keys);
  const checked = core.VaultSession.unlock({ keys, passphrase, precomputed: await precompute(passphrase, kdf.salt, kdf.iterations) }, random(info.random.session));
  // Straight from the unlock to chrome.storage.session; the store opens from it as after a restart.
  const token = checked.takeRestartToken();
  checked.lock();
  await chrome.storage.session.set({ [UNLOCKED]: token });
  await ensureOpen();
}

/** Sets the first passphrase (vault open, device mode) and keeps the vault unlocked. */
export async function setPassphrase(passphrase) {
  await ensureOpen();
  if (st.keys.lock.mode === 'passphrase') throw vaultError('BadInput', 'a passphrase is already set; change it instead');
  const { bytes, precomputed } = await saltedRandom(passphrase, info.random.passphrase);
  const keys = st.vault.setPassphrase({ keys: st.keys, passphrase, precomputed }, bytes);
  await chrome.storage.session.set({ [UNLOCKED]: st.vault.takeRestartToken() });
  await setAll({ [KEYS]: keys });
  // The old device key now wraps nothing; removing it is tidiness, not safety.
  await removeQuietly([DEVICE]);
  st.keys = keys;
}

/** Re-wraps the data key under a new passphrase (nothing is re-encrypted). */
export async function changePassphrase(oldPassphrase, passphrase) {
  const { keys } = await loadKeys();
  const kdf = kdfOf(keys);
  const oldPrecomputed = await precompute(oldPassphrase, kdf.salt, kdf.iterations);
  const { bytes, precomputed } = await saltedRandom(passphrase, info.random.passphrase);
  const next = core.vaultChangePassphrase({ keys, oldPassphrase, passphrase, oldPrecomputed, precomputed }, bytes);
  await setAll({ [KEYS]: next });
  if (st.open) st.keys = next;
}

/** Drops the passphrase: back to the device key (needs the passphrase). */
export async function removePassphrase(passphrase) {
  const { keys } = await loadKeys();
  const kdf = kdfOf(keys);
  const precomputed = await precompute(passphrase, kdf.salt, kdf.iterations);
  const out = core.vaultRemovePassphrase({ keys, passphrase, precomputed }, random(info.random.device));
  await setAll({ [KEYS]: out.keys, [DEVICE]: out.device });
  await chrome.storage.session.remove(UNLOCKED);
  if (st.open) st.keys = out.keys;
  await ensureOpen();
}

/** Seals an event for `kind` into the locked queue (works while locked; reveals nothing). */
export async function queueEvent(kind, payload) {
  const { keys } = await loadKeys();
  const q = core.vaultQueueSeal({ keys, event: { kind, payload }, nowMs: Date.now() }, random(info.random.queue));
  await setAll({ [q.storageKey]: q.envelope });
}

/** How many events wait in the locked queue (visible while locked: only a count). */
export async function queuedCount() {
  await vaultInfo();
  // The vault status lists the quarantine next: records found bad must be moved there first.
  if (st.open) await openAll();
  const all = await chrome.storage.local.get(null);
  return Object.keys(all).filter((k) => k.startsWith(info.prefixes.pending)).length;
}

/** Restores a backup file: all or nothing, in one set; the store is then reopened. */
export async function restore(text, passphrase) {
  await ensureAll();
  let kdf = {};
  try { kdf = JSON.parse(text)?.kdf || {}; } catch { /* not JSON: the core says so */ }
  const precomputed = await precompute(passphrase, kdf.salt, kdf.iterations);
  // The office module opens the file (its passphrase, not the session's key); the session seals
  // what it holds.
  const contents = (await office()).vaultBackupOpen({ text, passphrase, precomputed });
  const out = st.vault.restore({ contents, currentKeys: [...st.index.keys()] });
  await setAll(out.items);
  closeStore();
  await ensureOpen();
  emit('restored');
  return { count: out.count, createdMs: out.createdMs };
}

/** The backup file text of every record, encrypted with `passphrase` (the office module writes it). */
export async function backupText(passphrase) {
  const records = await allRecords();
  const { bytes, precomputed } = await saltedRandom(passphrase, info.random.backup);
  const text = (await office()).vaultBackupExport({ records, passphrase, precomputed, nowMs: Date.now() }, bytes);
  return { text, count: records.length };
}

/** Every record as {key, writtenMs, value} (for backups). */
export async function allRecords() {
  await ensureAll();
  const apart = await readApart([...st.apart]);
  return [...st.index.entries()].map(([key, { writtenMs }]) => ({ key, writtenMs, value: st.apart.has(key) ? apart[key] : st.cache.get(key) }));
}

export { KEYS, DEVICE };
