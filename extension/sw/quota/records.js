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
  return (await inputsWith(shop, nowMs))[0];
}

/**
 * `inputs(shop, nowMs)` and the records at the keys `also` ({key: value}, missing keys absent),
 * read together: the quota's own records in one store read, which after a worker start is one
 * core call that deciphers them all (the dashboard's first answer waits on it).
 */
export async function inputsWith(shop, nowMs, also = []) {
  const keys = core.quotaLedgerKeys(shop, nowMs);
  const settings = settingsKey();
  const endpoint = core.quotaEndpointKey(shop);
  const [got, paid, routeCounts] = await Promise.all([
    store.getMany([...keys, settings, endpoint, ...also]), paidOrders(shop), routes(shop),
  ]);
  const ledgers = {};
  for (const k of keys) if (Object.hasOwn(got, k)) ledgers[k] = got[k];
  const rest = {};
  for (const k of also) if (Object.hasOwn(got, k)) rest[k] = got[k];
  return [{ settings: got[settings] ?? null, ledgers, paidOrders: paid, routes: routeCounts, endpoint: got[endpoint] ?? null }, rest];
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
  return shopsOf(await store.get(SHOPS_KEY));
}

/** {current, ids} of the shops record `rec` (as stored at SHOPS_KEY, or undefined). */
export function shopsOf(rec) {
  const shops = rec?.shops && typeof rec.shops === 'object' ? rec.shops : {};
  const ids = Object.keys(shops).sort((a, b) => (shops[b]?.lastSeenMs || 0) - (shops[a]?.lastSeenMs || 0));
  return { current: typeof rec?.current === 'string' ? rec.current : ids[0] ?? null, ids };
}

/** The problems log. */
export async function problems() {
  const log = await store.get(PROBLEMS_KEY);
  return Array.isArray(log?.items) ? log.items : [];
}
