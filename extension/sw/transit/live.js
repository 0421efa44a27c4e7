// sw/transit/live.js — the shop's transit snapshot, live: the core's `TransitLive` handle, kept
// per shop between messages (opened from storage once), and the storage of what it hands out.
// The order domain (sw/order.js) changes it with the page's answers; the transit page
// (sw/transit.js) reads and edits it. Neither crosses the whole snapshot into or out of wasm.
//
// Records (sw/store.js), as the core splits them (crate/core/src/transit/live.rs, shards.rs):
// `orders/<shop>/snapshot` the base's head (or the base whole, as 0.2.0 and 0.3 wrote it: it
// opens as a base); `orders/<shop>/base/<gen>/<n>` the shards of pending packages the head names,
// read and written one at a time (no whole base, plain or sealed, exists at once);
// `orders/<shop>/delta/<seq>` a change record after it (the entries one change touched);
// `orders/<shop>/routes` the routes record. This file writes what the handle hands it, before
// the change is acknowledged, and drops the handle when that fails or the vault's records may
// have changed behind it (locked, restored, opened), so the next message opens what is stored.
import { core } from '../core.js';
import * as store from '../store.js';
import { onVaultEvent } from '../vault/engine.js';

const enc = (shop) => encodeURIComponent(shop);
const snapKey = (shop) => `orders/${enc(shop)}/snapshot`;
const routesKey = (shop) => `orders/${enc(shop)}/routes`;
const deltaPrefix = (shop) => `orders/${enc(shop)}/delta/`;
const deltaKey = (shop, seq) => `${deltaPrefix(shop)}${seq}`;
const basePrefix = (shop) => `orders/${enc(shop)}/base/`;
const shardKey = (shop, { gen, n }) => `${basePrefix(shop)}${gen}/${n}`;

const handles = new Map(); // shop → TransitLive
const opening = new Map(); // shop → Promise<TransitLive>

// A handle is only forgotten here, never freed: a job may still be using it (the glue's
// finalizer frees it once nothing holds it).
onVaultEvent(() => handles.clear());

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
    p = open(shop).finally(() => opening.delete(shop));
    opening.set(shop, p);
  }
  return p;
}

/** Change records read per look-up while finding those after the base (doubling each time). */
const FIRST_PROBE = 4;

/**
 * The change records after the base whose last is `seq`, in order. They are numbered `seq` + 1,
 * + 2 … without gaps (crate/core/src/transit/live.rs: each write takes the next number,
 * and a failed write drops the handle, so the next one opens what is stored), so they are read by
 * key, a few at a time, until one is missing: listing the store's keys would open every record of
 * the vault, which the first answer after a worker start (the popup's dashboard reads the paid
 * and route counts here) should not wait for. Records at or below the base's `seq` are never read
 * again; a later base write deletes them (save).
 */
async function deltasAfter(shop, seq) {
  const out = [];
  let next = seq + 1;
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
  const snapshot = got[snapKey(shop)] ?? null;
  const opening = core.TransitOpening.begin(shop, snapshot, got[routesKey(shop)] ?? null);
  // The shards the head names, one read at a time (a missing one is the core's to judge).
  for (let next = opening.next(); next; next = opening.next()) {
    const key = shardKey(shop, next);
    opening.add((await store.getMany([key]))[key] ?? null);
  }
  const handle = opening.finish(snapshot ? await deltasAfter(shop, opening.seq) : []);
  handles.set(shop, handle);
  return handle;
}

/** Whether a snapshot of `shop` is stored (its orders were collected). */
export async function known(shop) {
  return (await store.keys(snapKey(shop))).includes(snapKey(shop));
}

/**
 * Stores what `handle` changed since the last save (a change record, or the base when the core
 * compacts: its shards one write each, then its head with the change records it folds in and
 * the shards it does not name deleted in the same write), plus `extra` records, in that last
 * write. Resolves once written (what is acknowledged is saved: the head is written last); on
 * failure the handle is dropped and the error thrown. Resolves true when the snapshot or routes
 * changed.
 */
export async function save(shop, handle, extra = {}) {
  const now = Date.now();
  let w;
  try {
    w = handle.writes(now);
  } catch (e) {
    drop(shop);
    throw e;
  }
  try {
    const changes = { ...extra };
    if (w?.base) {
      // Each shard is sealed and stored before the next is asked for.
      for (let shard = handle.nextShard(); shard; shard = handle.nextShard()) {
        await store.put({ [shardKey(shop, shard)]: shard });
      }
      // The head, with the stored shards it does not name (an older generation's, or those a
      // stopped worker left) deleted in its write.
      const stored = (await store.keys(basePrefix(shop))).map((k) => k.slice(basePrefix(shop).length));
      const { head, stale } = handle.head(stored);
      changes[snapKey(shop)] = head;
      for (const name of stale) changes[basePrefix(shop) + name] = null;
      // The change records the base takes in and those left below an earlier base; all of them
      // for the first base of a handle opened from none (the core's `dropAll`).
      for (const k of await store.keys(deltaPrefix(shop))) {
        if (w.dropAll || Number(k.slice(deltaPrefix(shop).length)) <= w.dropThrough) changes[k] = null;
      }
    }
    if (w?.delta) changes[deltaKey(shop, w.delta.seq)] = w.delta;
    if (w?.routes) changes[routesKey(shop)] = { ...w.routes, updatedAtMs: now };
    if (!Object.keys(changes).length) return false;
    await store.put(changes);
  } catch (e) {
    drop(shop);
    throw e;
  }
  return Boolean(w);
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
