// sw/ship/context.js — what the validation of tracking numbers needs from storage: the orders
// the workbench list showed (from each list page the orders domain read, `order.onListRead`) and
// the platform's courier list (as the content script reports it, `ship.couriers`), beside the
// orders domain's known orders. A change of the orders seen is told to open pages (`order.known`).
//
// Records: `ship/<shop>/couriers` {v, updatedAtMs, couriers}; `ship/<shop>/seen` {v, updatedAtMs,
// packages: [{packageId, waiting, unclear?}]} — IDs and status only (the core's reading of each),
// a fallback under the orders domain's knownOrders (which wins where both know an order), so it
// keeps only orders the orders domain does not know: in a shop of 50,000 the list's orders are
// all known there, and this record stays small instead of being read and resealed whole (up to
// 5,000 entries, ~0.3 MB sealed) at every list page.
import { core, office } from '../core.js';
import { register, broadcast } from '../router.js';
import * as store from '../store.js';
import * as order from '../order.js';

const couriersKey = (shop) => `ship/${shop}/couriers`;
const seenKey = (shop) => `ship/${shop}/seen`;

/**
 * Everything validation needs: known orders, the numbers `used` on orders, the platform's
 * couriers. `packageIds`: the rows' orders, when known before the core reads them (a recheck or
 * a run; an import reads its rows from the file, and gets every known order).
 */
export async function validationContext(shop, used, packageIds = null) {
  const seen = await store.get(seenKey(shop));
  let known = null;
  if (typeof order.knownOrders === 'function') {
    try {
      known = await order.knownOrders(shop, packageIds);
    } catch (e) {
      // The orders domain could not answer: the orders this module saw itself still count.
      console.warn('RedShip: known orders unavailable, using the ship list record', e?.name, e?.message);
    }
  }
  // Which source wins is the core's rule (the orders domain's); the filler also checks the
  // row's 发货 button before acting, so an order shipped since the list was read is skipped.
  // Only validation (in the office module: import, preview, plan) reads this context.
  const { knownOrders } = (await office()).shipKnownOrders(seen?.packages ?? null, known ?? null);
  const couriers = (await store.get(couriersKey(shop)))?.couriers || [];
  return {
    knownOrders,
    usedNumbers: used.map(({ number, packageId }) => ({ number, packageId })),
    couriers,
  };
}

/** The 待发货 list pages RedShip read for `shop` and when (the orders domain's record), or null. */
export async function listSeen(shop) {
  try {
    return typeof order.listPages === 'function' ? await order.listPages(shop) : null;
  } catch (e) {
    console.warn('RedShip: list pages unavailable', e?.name, e?.message);
    return null;
  }
}

// Which of a dialog's courier names is the planned courier is the core's call (its alias table).
register('ship.dialogCourier', async (p) => core.shipDialogCourier({
  code: p.code, name: p.name, shown: p.names.filter((n) => typeof n === 'string').map((n) => n.slice(0, 64)),
}), { queued: false });

register('ship.couriers', async (p) => {
  const couriers = p.couriers
    .filter((c) => c && typeof c.code === 'string' && typeof c.name === 'string' && c.code && c.name)
    .map((c) => ({ code: c.code.slice(0, 64), name: c.name.slice(0, 64) }));
  if (!couriers.length) return null;
  const old = await store.get(couriersKey(p.shop));
  if (JSON.stringify(old?.couriers) === JSON.stringify(couriers)) return null;
  await store.put({ [couriersKey(p.shop)]: { v: 1, updatedAtMs: Date.now(), couriers } });
  return null;
});

/** Those of `ids` the orders domain does not know (all of them when it cannot answer). */
async function unknownToOrders(shop, ids) {
  if (!ids.length || typeof order.unknownOrders !== 'function') return ids;
  try {
    return await order.unknownOrders(shop, ids);
  } catch (e) {
    console.warn('RedShip: known orders unavailable, keeping the list seen whole', e?.name, e?.message);
    return ids;
  }
}

// The seen record's rule (which rows go in, which state, what leaves, the cap) is the core's
// (`ship::known::record_seen`); this reads, asks the orders domain, and writes, after each list
// page the orders domain read (in the worker's queue, after the tab's answer).
const SEEN_MAX = 1000;
order.onListRead(async (shop, summary) => {
  const rows = (Array.isArray(summary?.packages) ? summary.packages : [])
    .filter((x) => typeof x?.packageId === 'string').slice(0, SEEN_MAX);
  if (!rows.length) return;
  const rec = await store.get(seenKey(shop));
  const entries = Array.isArray(rec?.packages) ? rec.packages : [];
  const rowIds = rows.map((x) => x.packageId);
  const ids = [...new Set([...rowIds, ...entries.map((x) => x?.packageId).filter((id) => typeof id === 'string')])];
  const unknown = await unknownToOrders(shop, ids);
  const packages = core.shipSeenRecord(entries, rowIds, rows.map((x) => String(x.state ?? '')), unknown);
  if (!packages) return;
  await store.put({ [seenKey(shop)]: { v: 1, updatedAtMs: Date.now(), packages } });
  // Open ship pages check rows waiting on an order not seen yet again.
  broadcast('order.known', { shop });
});
