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

async function open(shop) {
  const deltaKeys = await store.keys(deltaPrefix(shop));
  const got = await store.getMany([snapKey(shop), routesKey(shop), ...deltaKeys]);
  const handle = core.TransitLive.open({
    shopId: shop,
    snapshot: got[snapKey(shop)] ?? null,
    routes: got[routesKey(shop)] ?? null,
    deltas: deltaKeys.map((k) => got[k]).filter(Boolean),
  });
  // Change records already in the base (the worker stopped between the base write and their
  // deletion): nothing reads them again; deleting them can wait for a later write if this fails.
  const { stale } = handle.opened();
  if (stale.length) {
    await store.put(Object.fromEntries(stale.map((seq) => [deltaKey(shop, seq), null])))
      .catch((e) => console.warn('RedShip transit: old change records not deleted yet:', e?.name, e?.message));
  }
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
    for (const k of await store.keys(deltaPrefix(shop))) {
      if (Number(k.slice(deltaPrefix(shop).length)) <= w.dropThrough) changes[k] = null;
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
