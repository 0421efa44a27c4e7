// sw/transit/live.js — the shop's transit snapshot, live: the core's `TransitLive` handle, kept
// per shop between messages (opened from storage once), and the storage of what it hands out.
// The order domain (sw/order.js) changes it with the page's answers; the transit page
// (sw/transit.js) reads and edits it. Neither crosses the whole snapshot into or out of wasm.
//
// Records (sw/store.js), as the core splits them (crate/core/src/transit/live.rs, shards.rs):
// `orders/<shop>/snapshot` the base's head (or the base whole, as 0.2.0 and 0.3 wrote it: it
// opens as a base, and the next change moves it into shards); `orders/<shop>/snapshot/<n>` the
// shards the head names, read one at a time and rewritten in place, one store write each (no
// whole base, plain or sealed, exists at once, and none is ever stored twice);
// `orders/<shop>/delta/<seq>` a change record (the entries one change touched);
// `orders/<shop>/routes` the routes record; `orders/<shop>/snapshot.tally` the shop's tally (the
// figures the quota domain reads without opening the shop: crate/core/src/transit/tally.rs),
// stored in the write that stores each change. This file writes what the handle hands it, before
// the change is acknowledged, one save of a shop at a time, and drops the handle when that fails
// or the vault's records may have changed behind it (locked, restored), so the next message opens
// what is stored (after the shop's saves in flight).
import { core } from '../core.js';
import * as store from '../store.js';
import { onVaultEvent } from '../vault/engine.js';

const enc = (shop) => encodeURIComponent(shop);
const snapKey = (shop) => `orders/${enc(shop)}/snapshot`;
const routesKey = (shop) => `orders/${enc(shop)}/routes`;
const deltaPrefix = (shop) => `orders/${enc(shop)}/delta/`;
const deltaKey = (shop, seq) => `${deltaPrefix(shop)}${seq}`;
const shardPrefix = (shop) => `${snapKey(shop)}/`;
const shardKey = (shop, n) => `${shardPrefix(shop)}${n}`;
const tallyKey = (shop) => `${snapKey(shop)}.tally`;

const handles = new Map(); // shop → TransitLive
const opening = new Map(); // shop → Promise<TransitLive>
const saving = new Map(); // shop → Promise: the end of its last save
// Handles whose save failed: the change numbers they took were not all stored, so no later save
// may write from them (the next would leave a gap that hides it from every later opening).
const failed = new WeakSet();

// A handle is only forgotten here, never freed: a job may still be using it (the glue's
// finalizer frees it once nothing holds it). `opened` (the rest of the store read after a worker
// start) changes no record: a handle dropped then was opened again from storage while a save of
// the old one was in flight, and both wrote the same change number.
onVaultEvent((event) => {
  if (event !== 'opened') handles.clear();
});

/** Runs `fn` after `shop`'s saves in flight (each save of a shop, and its opening, in turn). */
function inTurn(shop, fn) {
  const run = (saving.get(shop) ?? Promise.resolve()).then(fn);
  const end = run.then(() => {}, () => {});
  saving.set(shop, end);
  void end.then(() => { if (saving.get(shop) === end) saving.delete(shop); });
  return run;
}

/** Forgets `shop`'s handle (the next use opens the stored records again). */
export function drop(shop) {
  handles.delete(shop);
}

/** `shop`'s live snapshot, opened from its stored records once (rejects while the vault is locked). */
export async function live(shop) {
  const held = handles.get(shop);
  if (held) return held;
  let p = opening.get(shop);
  if (!p) {
    // In turn with the shop's saves: after those in flight, before those asked for later.
    p = inTurn(shop, () => open(shop)).finally(() => opening.delete(shop));
    opening.set(shop, p);
  }
  return p;
}

/** Change records read per look-up while finding those after the base (doubling each time). */
const FIRST_PROBE = 4;

/**
 * The change records numbered after `after` (the least change every shard holds), in order.
 * They are numbered without gaps (crate/core/src/transit/live.rs: each write takes the next number,
 * and a failed write drops the handle, so the next one opens what is stored), so they are read by
 * key, a few at a time, until one is missing: listing the store's keys would open every record of
 * the vault, which the first answer after a worker start (the popup's dashboard reads the paid
 * and route counts here) should not wait for. Records at or below `after` are never read again; a
 * compaction deletes them (save).
 */
async function deltasAfter(shop, after) {
  const out = [];
  let next = after + 1;
  for (let n = FIRST_PROBE; ; n *= 2) {
    const keys = Array.from({ length: n }, (_, i) => deltaKey(shop, next + i));
    const got = await store.getMany(keys);
    for (const k of keys) {
      if (!got[k]) return out;
      out.push(got[k]);
    }
    next += n;
  }
}

async function open(shop) {
  const got = await store.getMany([snapKey(shop), routesKey(shop)]);
  const opening = core.TransitOpening.begin(shop, got[snapKey(shop)] ?? null, got[routesKey(shop)] ?? null);
  // The shards the head names, one read at a time (a missing one is the core's to judge).
  for (let n = opening.wanted(); n != null; n = opening.wanted()) {
    const key = shardKey(shop, n);
    opening.add((await store.getMany([key]))[key] ?? null);
  }
  const after = opening.after();
  const handle = opening.finish(after == null ? [] : await deltasAfter(shop, after));
  const opened = handle.opened();
  if (opened.lost) {
    console.warn('RedShip orders: a shard of the stored orders was missing or damaged; the shop opened with none and is collected again', shop);
  }
  // No base stored: a tally left from a forgotten or lost one is not the shop's figures.
  if (opened.noBase && (await store.get(tallyKey(shop))) !== undefined) {
    await store.put({ [tallyKey(shop)]: null }).catch((e) => console.warn('RedShip orders: an old tally was not deleted', shop, e?.name, e?.message));
  }
  handles.set(shop, handle);
  return handle;
}

/**
 * `{paidByDay, warehouse, supplier}` of `shop` from its stored tally while its snapshot is not
 * open (after a worker start, opening a big shop's records takes about 0.4 s at 10,000 pending);
 * null when it is open or being opened, or no tally is stored: then ask the handle.
 */
export async function tally(shop) {
  if (handles.has(shop) || opening.has(shop)) return null;
  return (await store.get(tallyKey(shop))) ?? null;
}

/** Whether a snapshot of `shop` is stored (its orders were collected). */
export async function known(shop) {
  return (await store.keys(snapKey(shop))).includes(snapKey(shop));
}

/**
 * Stores what `handle` changed since the last save (a change record), plus `extra` records, in
 * one write; then, when the core compacts, each of its steps (the shards that changed and the
 * head) in one write, asked for after the one before is stored, with the change records it
 * folds in deleted. One save of a shop at a time. Resolves once written (what is acknowledged is
 * saved); on failure the handle is dropped and the error thrown. Resolves true when the snapshot
 * or routes changed. A handle whose save failed, or no longer the shop's when another was opened
 * since, is not written from: the stored records are newer than it (or miss a change number it
 * took), and it would write a number another handle writes too.
 */
export function save(shop, handle, extra = {}) {
  return inTurn(shop, () => write(shop, handle, extra));
}

async function write(shop, handle, extra) {
  const current = handles.get(shop);
  if (failed.has(handle) || (current && current !== handle)) {
    throw Object.assign(new Error(`the orders of shop ${shop} were read again since this change; nothing was saved, try again`), { name: 'OrderError' });
  }
  const now = Date.now();
  try {
    const w = handle.writes(now);
    const changes = { ...extra };
    if (w?.delta) changes[deltaKey(shop, w.delta.seq)] = w.delta;
    if (w?.routes) changes[routesKey(shop)] = { ...w.routes, updatedAtMs: now };
    if (w?.tally) changes[tallyKey(shop)] = w.tally;
    if (Object.keys(changes).length) await store.put(changes);
    if (w?.compact) {
      for (let step = handle.nextStep(now); step; step = handle.nextStep(now)) await writeStep(shop, step);
    }
    return Boolean(w);
  } catch (e) {
    failed.add(handle);
    if (handles.get(shop) === handle) drop(shop);
    throw e;
  }
}

/** One compaction step: its shards, head and tally (when the core hands one) in one write,
 *  with the records it deletes. */
async function writeStep(shop, step) {
  const changes = {};
  if (step.tally) changes[tallyKey(shop)] = step.tally;
  for (const { n, record } of step.shards) changes[shardKey(shop, n)] = record;
  changes[snapKey(shop)] = step.head;
  if (step.dropThrough != null || step.dropAll) {
    for (const k of await store.keys(deltaPrefix(shop))) {
      if (step.dropAll || Number(k.slice(deltaPrefix(shop).length)) <= step.dropThrough) changes[k] = null;
    }
  }
  if (step.dropAll) {
    // A lost base's shards: every one the new head does not name.
    const named = new Set(step.head.shards.list.map((s) => shardKey(shop, s.n)));
    for (const k of await store.keys(shardPrefix(shop))) if (!named.has(k)) changes[k] = null;
  }
  await store.put(changes);
}

/** The shops RedShip has collected orders for, most recently written first. */
export async function shops() {
  const written = await store.written('orders/');
  const last = new Map();
  for (const [key, ms] of written) {
    const m = /^orders\/([^/]+)\/(snapshot|delta\/\d+)$/.exec(key);
    if (!m) continue;
    const shop = decodeURIComponent(m[1]);
    if (m[2] === 'snapshot' || last.has(shop)) last.set(shop, Math.max(last.get(shop) ?? 0, ms));
  }
  return [...last.entries()].sort((a, b) => b[1] - a[1]).map(([shop]) => shop);
}
