// The order domain, service-worker side: collects the list and detail answers the workbench page
// receives (masked in the core on the way in) into the shop's live transit snapshot
// (sw/transit/live.js), the shipments the page made and the list rows' 发货 controls, and answers
// the other domains' reads of it (known orders, paid counts, route counts). All rules are in the
// wasm core (order/*, transit/*); this file routes messages, calls the handle, saves what it
// hands out. The transit page's messages are sw/transit.js's.
//
// Records: the snapshot's (sw/transit/live.js) and `orders/<shop>/pages` (the 待发货 list pages
// read, and when).
import { core, site } from './core.js';
import { register, broadcast, exclusive } from './router.js';
import * as store from './store.js';
import { recordAnswer } from './selfcheck.js';
import { live, save, tally } from './transit/live.js';

const pagesKey = (shop) => `orders/${encodeURIComponent(shop)}/pages`;

function named(name, message) {
  return Object.assign(new Error(message), { name });
}

// ── cross-domain reads (docs/CONTRIBUTING.md) ───────────────────────────────────────────────────────

// Each read asks the live snapshot for just what it needs: every decrypt and dashboard answer
// reads paid counts and route counts (a week of days; counts the handle keeps), the self-check
// the rows in doubt; tracking validation reads its rows' known orders (an import, every one).

/**
 * `[{packageId, waiting, unclear?}]`: pending packages and recently shipped/cancelled ones;
 * only those among `packageIds` when given (a validation of those rows: O(rows), not the shop).
 */
export async function knownOrders(shop, packageIds = null) {
  return (await live(shop)).knownOrders(packageIds);
}

/** Those of `packageIds` the shop's snapshot does not know (neither pending nor closed). */
export async function unknownOrders(shop, packageIds) {
  return (await live(shop)).unknownOf(packageIds);
}

/** `{pages, lastMs, lastTime, lastDay, today}`: the 待发货 list pages read in the last day, and when. */
export async function listPages(shop) {
  return core.orderPagesView((await store.get(pagesKey(shop))) ?? null, Date.now());
}

/** `[{day, paidOrders}]`: distinct paid packages seen per China day, the days the snapshot keeps (from the
 *  stored tally while the shop's snapshot is not open). */
export async function paidCountsByDay(shop) {
  const t = await tally(shop);
  return t ? t.paidByDay : (await live(shop)).paidByDay({ nowMs: Date.now() });
}

/** The list readers (see `onListRead`), kept on the function: the ship domain registers while
 *  this module may not have run yet (the domains import one another), before a constant here
 *  would exist. */
function listReaders() {
  listReaders.all ??= [];
  return listReaders.all;
}
/**
 * Calls `fn(shop, summary)` with each list page the page received, as read (`summary.packages`:
 * `[{packageId, status, state}]`, no buyer fields) — also when it could not be collected (a
 * locked vault) — after the tab has its answer, in the worker's queue (the ship domain keeps the
 * orders it saw from it; the tab no longer sends them back).
 */
export function onListRead(fn) {
  listReaders().push(fn);
}
/** Hands `summary` to the list readers, each on its own (one failing does not stop the next). */
async function tellListRead(shop, summary) {
  for (const fn of listReaders()) {
    try {
      await fn(shop, summary);
    } catch (e) {
      console.warn('RedShip: a list page was not recorded:', e?.name, e?.message);
    }
  }
}

/** Orders whose row on the list disagrees with the answers about 发货, now (for the self-check). */
export async function rowUnclear(shop) {
  return (await live(shop)).rowUnclear();
}

/** `{warehouse, supplier}`: pending packages per route (from the stored tally while the
 *  shop's snapshot is not open). */
export async function routeCounts(shop) {
  const c = (await tally(shop)) ?? (await live(shop)).counts();
  return { warehouse: c.warehouse, supplier: c.supplier };
}

// ── content script ──────────────────────────────────────────────────────────────────────────

// The page-world hook passes list and detail answers on as the text the page received (parsing
// 500 rows on the page's thread would stall the page). The core reads that text, as untrusted
// input: it collects the packages (masked on the way in) and answers the summary the tab's own
// listeners (the filler) read — package IDs and statuses, never buyer fields.
const pick = (obj, keys) => {
  const out = {};
  if (obj && typeof obj === 'object') for (const k of keys) if (Object.hasOwn(obj, k)) out[k] = obj[k];
  return out;
};

register('order.ingest', async ({ shop, kind, request, text }, { after }) => {
  if (kind !== 'orderPage' && kind !== 'orderDetail') throw named('OrderError', `unknown answer kind "${kind}"`);
  // A list page's request (page, size, status filter: a few bytes) goes with its summary, and to
  // the core, whose reconciling needs the status filter.
  const listRequest = kind === 'orderPage' ? pick(request, ['page_no', 'page_size', 'status']) : null;
  const withRequest = (summary) => summary && { ...summary, request: listRequest };
  if (kind === 'orderDetail') {
    // One package, from a ship or detail dialog: gathered and applied with the shipments.
    const summary = withRequest(core.orderSummary(site(), { kind, text }));
    if (summary) gather(shop).details.push(text);
    return { summary, ingest: null, error: null };
  }
  try {
    await applyGathered(shop);
    const handle = await live(shop);
    const out = handle.ingest(site(), { kind, text, request: listRequest, nowMs: Date.now() });
    if (!out.summary) return { summary: null, ingest: null, error: null };
    after(() => tellListRead(shop, out.summary));
    // What the answer showed (counts, missing fields, statuses, its shape) for the self-check.
    await recordAnswer(shop, out.view?.facts).catch((e) => console.warn('RedShip selfcheck: not recorded:', e?.name, e?.message));
    // The pages read are a small record of their own (the ship page says how many and when),
    // written with the snapshot's change in one write; an unchanged page writes nothing.
    const seen = core.orderPageSeen((await store.get(pagesKey(shop))) ?? null, { request: listRequest, summary: out.summary, nowMs: Date.now() });
    const changed = await save(shop, handle, seen.record ? { [pagesKey(shop)]: seen.record } : {});
    if (changed) broadcast('transit', { shop });
    // Open ship pages check rows waiting on an order not seen yet again.
    if (changed || seen.record) broadcast('order.known', { shop, listPages: seen.view });
    return { summary: withRequest(out.summary), ingest: out.view, error: null };
  } catch (e) {
    // A failed collection (e.g. the vault is locked) still answers the summary: the tab needs it.
    const summary = withRequest(core.orderSummary(site(), { kind, text, request: listRequest }));
    if (summary) after(() => tellListRead(shop, summary));
    return { summary, ingest: null, error: summary ? { name: e?.name || 'Error', message: String(e?.message || e) } : null };
  }
});

// During a fill run every order brings a detail answer (its dialog opening) and a shipment, ~100
// ms apart. Both are gathered for GATHER_MS and applied together in one write, details before
// shipments (a detail fetched before its shipment still says "waiting"); list answers and the
// reads that must not show a shipped package as pending (the transit view and the export) apply
// what is gathered first. Lost only if the worker dies inside the window, and then the next list
// answer corrects the snapshot (the fill run's own journal is saved with every step, apart from
// this). Two seconds: at 300 ms the writes were a quarter of the worker's time in a 200-order
// run, on a 2-core machine beside the page it shares the CPU with.
const GATHER_MS = 2000;
const gathered = new Map(); // shop → {details: [answer text], shipped: Set of package IDs}

/** What is gathered for `shop`, starting the timer that applies it. */
function gather(shop) {
  let g = gathered.get(shop);
  if (!g) {
    g = { details: [], shipped: new Set() };
    gathered.set(shop, g);
    setTimeout(() => exclusive(() => applyGathered(shop))
      .catch((e) => console.warn('RedShip order: gathered answers not applied yet:', e?.name, e?.message)), GATHER_MS);
  }
  return g;
}

/** Applies the gathered details and shipments of `shop`; call it inside the queue (`exclusive`). */
export async function applyGathered(shop) {
  const g = gathered.get(shop);
  if (!g) return;
  gathered.delete(shop);
  try {
    const handle = await live(shop);
    if (g.details.length) {
      // Detail answers carry no list request: nothing is reconciled away by them.
      handle.ingest(site(), { kind: 'orderDetail', texts: g.details, nowMs: Date.now() });
    }
    if (g.shipped.size) handle.shipped({ packageIds: [...g.shipped], nowMs: Date.now() });
    if (await save(shop, handle)) broadcast('transit', { shop });
  } catch (e) {
    // E.g. the vault is locked: keep them for the next read or shipment (the handle was dropped
    // if the write failed, so applying them again meets the stored records).
    const again = gathered.get(shop) ?? { details: [], shipped: new Set() };
    again.details.unshift(...g.details);
    for (const id of g.shipped) again.shipped.add(id);
    gathered.set(shop, again);
    throw e;
  }
}

register('order.shipped', async ({ shop, packageId }) => {
  gather(shop).shipped.add(packageId);
  return { queued: true };
}, { queued: false });

// The third "waiting to ship" signal: whether each row of the list shows a 发货 control, as the
// list's content script saw it. The core compares it with what the answers said (status unclear
// when they disagree, cleared when the row agrees again). Shipments gathered are applied first:
// the row of an order the page has just shipped has lost its 发货, and that is no disagreement.

/** Applies `rows` [{packageId, shipControl}] to `shop`'s snapshot; call it inside the queue. */
async function applyRows(shop, rows) {
  await applyGathered(shop);
  const handle = await live(shop);
  const view = handle.rows({ rows, nowMs: Date.now() });
  if (await save(shop, handle)) {
    broadcast('transit', { shop });
    broadcast('selfcheck', { shop });
  }
  return { handle, view };
}

register('order.rows', async ({ shop, rows }) => {
  const clean = (Array.isArray(rows) ? rows : []).slice(0, 2000)
    .filter((r) => typeof r?.packageId === 'string' && typeof r.shipControl === 'boolean')
    .map((r) => ({ packageId: r.packageId.slice(0, 64), shipControl: r.shipControl }));
  return clean.length ? (await applyRows(shop, clean)).view : null;
});

/**
 * A fill run found no 发货 control on order `packageId`'s row: the fact is recorded like a row the
 * list showed, and the core says how the run reports it (`{kind: 'skipped', reason, message}`:
 * status unclear, or not waiting when the answers saw it close). Call it inside the queue.
 */
export async function noShipButton(shop, packageId) {
  const applied = await applyRows(shop, [{ packageId, shipControl: false }]).catch((e) => {
    console.warn('RedShip order: a row without 发货 not recorded:', e?.name, e?.message);
    return null;
  });
  const handle = applied?.handle ?? core.TransitOpening.begin(shop, null, null).finish([]);
  return handle.fillSkip(packageId);
}
