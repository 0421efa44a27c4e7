// The quota domain's records in the store: gathering what a core operation needs (settings, the
// shop's day ledgers, paid orders and routes from the orders domain) and saving what it returns
// (changed records, removed keys, the shops list and the problems log) in one atomic write.
import { core, office } from '../core.js';
import * as store from '../store.js';
import * as order from '../order.js';

/** The shops seen and the one last active: {v, current, shops: {id: {lastSeenMs}}, updatedAtMs}. */
export const SHOPS_KEY = 'quota/shops';
/** Problems found in stored records or page data, newest last, for the options page. */
export const PROBLEMS_KEY = 'quota/problems';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The settings record's key (from the core). */
export const settingsKey = () => core.quotaSettingsKey();

/** Other domains' data is input here: a failure there must never lose a decrypt. */
async function safely(fn, fallback) {
  try {
    return (await fn()) ?? fallback;
  } catch (e) {
    console.warn('RedShip quota: input from the orders domain failed:', e?.name, e?.message);
    return fallback;
  }
}

/** Paid orders per China day, cleaned to the shape the core accepts. */
async function paidOrders(shop) {
  const list = await safely(() => order.paidCountsByDay?.(shop), []);
  if (!Array.isArray(list)) return [];
  return list
    .filter((d) => d && typeof d.day === 'string' && DAY_RE.test(d.day) && Number.isSafeInteger(d.paidOrders) && d.paidOrders >= 0)
    .slice(-400)
    .map((d) => ({ day: d.day, paidOrders: Math.min(d.paidOrders, 4_000_000_000) }));
}

/** Route counts for the raise helper: orders routed to suppliers and to the transit warehouse. */
async function routes(shop) {
  const r = await safely(() => order.routeCounts?.(shop), null);
  const n = (v) => (Number.isSafeInteger(v) && v >= 0 ? Math.min(v, 4_000_000_000) : 0);
  return r && typeof r === 'object' ? { supplierOrders: n(r.supplier), warehouseOrders: n(r.warehouse) } : {};
}

/** Everything a core operation for `shop` at `nowMs` reads. */
export async function inputs(shop, nowMs) {
  const keys = core.quotaLedgerKeys(shop, nowMs);
  const [ledgers, settings, paid, routeCounts, endpoint] = await Promise.all([
    store.getMany(keys), store.get(settingsKey()), paidOrders(shop), routes(shop), store.get(core.quotaEndpointKey(shop)),
  ]);
  return { settings: settings ?? null, ledgers, paidOrders: paid, routes: routeCounts, endpoint: endpoint ?? null };
}

/** Saves a core update for `shop` (and marks the shop active) in one write. */
export async function save(update, shop, nowMs, { activate = true } = {}) {
  const changes = {};
  for (const { key, value } of update.changed) changes[key] = value;
  for (const key of update.removed) changes[key] = null;
  if (update.problems.length) {
    for (const p of update.problems) console.warn('RedShip quota:', p.record, p.message, `(${p.action})`);
    // The core lists the same problem once and caps the log. Problems are rare (a damaged record,
    // a wrong clock): the office module merges them, kept out of the main one.
    const log = (await office()).quotaMergeProblems((await store.get(PROBLEMS_KEY)) ?? null, update.problems, nowMs);
    if (log) changes[PROBLEMS_KEY] = log;
  }
  if (activate) {
    const shops = (await store.get(SHOPS_KEY)) || { v: 1, current: null, shops: {} };
    if (shops.current !== shop || !shops.shops?.[shop]) {
      changes[SHOPS_KEY] = { v: 1, current: shop, shops: { ...shops.shops, [shop]: { lastSeenMs: nowMs } }, updatedAtMs: nowMs };
    }
  }
  if (Object.keys(changes).length) await store.put(changes);
}

/** {current, ids} of the shops seen (most recent first). */
export async function knownShops() {
  const rec = await store.get(SHOPS_KEY);
  const shops = rec?.shops && typeof rec.shops === 'object' ? rec.shops : {};
  const ids = Object.keys(shops).sort((a, b) => (shops[b]?.lastSeenMs || 0) - (shops[a]?.lastSeenMs || 0));
  return { current: typeof rec?.current === 'string' ? rec.current : ids[0] ?? null, ids };
}

/** The problems log. */
export async function problems() {
  const log = await store.get(PROBLEMS_KEY);
  return Array.isArray(log?.items) ? log.items : [];
}
