// sw/transit/live.js — the shop's transit snapshot, live: the core's `TransitLive` handle, kept
// per shop between messages (opened from storage once), and the storage of what it hands out.
// The order domain (sw/order.js) changes it with the page's answers; the transit page
// (sw/transit.js) reads and edits it. Neither crosses the whole snapshot into or out of wasm.
//
// Records (sw/store.js), as the core splits them (crate/core/src/transit/live.rs):
// `orders/<shop>/snapshot` the base, whole (0.2.0 wrote only this; it opens as a base);
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
 * The change records after the base `snapshot`, in order. They are numbered the base's
 * `seq` + 1, + 2 … without gaps (crate/core/src/transit/live.rs: each write takes the next number,
 * and a failed write drops the handle, so the next one opens what is stored), so they are read by
 * key, a few at a time, until one is missing: listing the store's keys would open every record of
 * the vault, which the first answer after a worker start (the popup's dashboard reads the paid
 * and route counts here) should not wait for. Records at or below the base's `seq` are never read
 * again; a later base write deletes them (save).
 */
async function deltasAfter(shop, snapshot) {
  const out = [];
  let next = (Number.isSafeInteger(snapshot?.seq) ? snapshot.seq : 0) + 1;
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
  const handle = core.TransitLive.open({
    shopId: shop,
    snapshot,
    routes: got[routesKey(shop)] ?? null,
    deltas: snapshot ? await deltasAfter(shop, snapshot) : [],
  });
  handles.set(shop, handle);
  return handle;
}

/** Whether a snapshot of `shop` is stored (its orders were collected). */
export async function known(shop) {
  return (await store.keys(snapKey(shop))).includes(snapKey(shop));
}

/**
 * Stores what `handle` changed since the last save (a change record, or the base when the core
 * compacts, with the change records it folds in deleted in the same write), plus `extra`
 * records, in one write. Resolves once written (what is acknowledged is saved); on failure the
 * handle is dropped and the error thrown. Resolves true when the snapshot or routes changed.
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
  const changes = { ...extra };
  if (w?.snapshot) {
    changes[snapKey(shop)] = w.snapshot;
    // The change records the base takes in and those left below an earlier base; all of them
    // for the first base of a handle opened from none (the core's `dropAll`).
    for (const k of await store.keys(deltaPrefix(shop))) {
      if (w.dropAll || Number(k.slice(deltaPrefix(shop).length)) <= w.dropThrough) changes[k] = null;
    }
  }
  if (w?.delta) changes[deltaKey(shop, w.delta.seq)] = w.delta;
  if (w?.routes) changes[routesKey(shop)] = { ...w.routes, updatedAtMs: now };
  if (!Object.keys(changes).length) return false;
  try {
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
