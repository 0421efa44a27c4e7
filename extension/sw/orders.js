// Orders and the transit warehouse, service-worker side: collects the list answers the
// workbench page receives (masked in the core on the way in), serves transit.html (view, routes,
// edits, planner, templates) and produces the CSV/XLSX exports. All rules are in the wasm core
// (order/*, transit/*); this file loads records, calls the core, saves what changed.
//
// Records (sw/store.js): `orders/<shop>/snapshot` (pending packages, masked), `orders/<shop>/routes`
// (per-SKU routes and per-order overrides), `orders/<shop>/pages` (the 待发货 list pages read, and
// when), `orders/templates` (export templates, all shops).
import { core, office, site } from './core.js';
import { register, broadcast, exclusive } from './router.js';
import * as store from './store.js';
import * as quota from './quota.js';
import { recordAnswer } from './selfcheck.js';
import { toBase64 } from '../common/base64.js';

const TEMPLATES = 'orders/templates';
const enc = (shop) => encodeURIComponent(shop);
const snapKey = (shop) => `orders/${enc(shop)}/snapshot`;
const routesKey = (shop) => `orders/${enc(shop)}/routes`;
const pagesKey = (shop) => `orders/${enc(shop)}/pages`;
const ROUTES = new Set(['warehouse', 'supplier', 'self']);

function named(name, message) {
  return Object.assign(new Error(message), { name });
}

/** The shops RedShip has collected orders for, most recently updated first. */
async function shops() {
  const keys = (await store.keys('orders/')).filter((k) => k.endsWith('/snapshot'));
  const records = await store.getMany(keys);
  return Object.values(records)
    .filter((r) => r && typeof r.shopId === 'string')
    .sort((a, b) => (b.updatedAtMs || 0) - (a.updatedAtMs || 0))
    .map((r) => r.shopId);
}

async function load(shop) {
  const got = await store.getMany([snapKey(shop), routesKey(shop)]);
  return { snapshot: got[snapKey(shop)] ?? null, routes: got[routesKey(shop)] ?? null };
}

async function requireSnapshot(shop) {
  const rec = await load(shop);
  if (!rec.snapshot) throw named('OrderError', `还没有收集到店铺「${shop}」的订单：请先在工作台浏览订单列表。`);
  return rec;
}

/** Today's remaining decrypts from the quota ledger, when it can tell. */
async function quotaRemaining(shop) {
  try {
    if (typeof quota.todayQuota !== 'function') return null;
    const q = await quota.todayQuota(shop);
    return Number.isFinite(q?.remaining) ? Math.max(0, Math.floor(q.remaining)) : null;
  } catch {
    return null;
  }
}

/** Packages already decrypted today (free to view again), when the quota ledger can tell. */
async function decryptedToday(shop) {
  try {
    if (typeof quota.decryptedToday !== 'function') return [];
    const ids = await quota.decryptedToday(shop);
    return Array.isArray(ids) ? ids.filter((s) => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

const stamp = (record) => (record ? { ...record, updatedAtMs: Date.now() } : record);

// ── cross-domain reads (docs/CONTRIBUTING.md) ───────────────────────────────────────────────────────

// Reads that start together share one computation: each decrypt asks for paid counts and route
// counts at once, and both come from the same figures of the same records (transitFigures: the
// transit view's counts without its 10,000 rows).
const figuresInFlight = new Map();

function figuresOf(shop) {
  let figures = figuresInFlight.get(shop);
  if (!figures) {
    figures = load(shop)
      .then(({ snapshot, routes }) => core.transitFigures(snapshot, routes, { shopId: shop, nowMs: Date.now() }))
      .finally(() => figuresInFlight.delete(shop));
    figuresInFlight.set(shop, figures);
  }
  return figures;
}

/** `[{packageId, waiting}]`: pending packages and recently shipped/cancelled ones. */
export async function knownOrders(shop) {
  return (await figuresOf(shop)).knownOrders;
}

/** `{pages, lastMs, lastTime, lastDay, today}`: the 待发货 list pages read in the last day, and when. */
export async function listPages(shop) {
  return core.ordersPagesView((await store.get(pagesKey(shop))) ?? null, Date.now());
}

/** `[{day, paidOrders}]`: distinct paid packages seen per China day, last 8 days. */
export async function paidCountsByDay(shop) {
  return (await figuresOf(shop)).paidByDay;
}

/** Orders whose row on the list disagrees with the answers about 发货, now (for the self-check). */
export async function rowUnclear(shop) {
  return (await figuresOf(shop)).rowUnclear;
}

/** `{warehouse, supplier, self}`: pending packages per route. */
export async function routeCounts(shop) {
  const c = (await figuresOf(shop)).counts;
  return { warehouse: c.warehouse, supplier: c.supplier, self: c.self };
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

register('orders.ingest', async ({ shop, kind, request, text }) => {
  if (kind !== 'orderPage' && kind !== 'orderDetail') throw named('OrderError', `unknown answer kind "${kind}"`);
  // A list page's request (page, size, status filter: a few bytes) goes with its summary, and to
  // the core, whose reconciling needs the status filter.
  const listRequest = kind === 'orderPage' ? pick(request, ['page_no', 'page_size', 'status']) : null;
  const withRequest = (summary) => summary && { ...summary, request: listRequest };
  if (kind === 'orderDetail') {
    // One package, from a ship or detail dialog: gathered and applied with the shipments.
    const summary = withRequest(core.ordersSummary(site(), { kind, text }));
    if (summary) gather(shop).details.push(text);
    return { summary, ingest: null, error: null };
  }
  try {
    await applyGathered(shop);
    const { snapshot } = await load(shop);
    const out = core.ordersIngest(site(), snapshot, { shopId: shop, kind, text, request: listRequest, nowMs: Date.now() });
    if (!out.summary) return { summary: null, ingest: null, error: null };
    // What the answer showed (counts, missing fields, statuses, its shape) for the self-check.
    await recordAnswer(shop, out.view?.facts).catch((e) => console.warn('RedShip selfcheck: not recorded:', e?.name, e?.message));
    // Null when the answer changed nothing (the same page seen again): no rewrite of the record.
    // The pages read are a small record of their own (the ship page says how many and when).
    const seen = core.ordersPageSeen((await store.get(pagesKey(shop))) ?? null, { request: listRequest, summary: out.summary, nowMs: Date.now() });
    if (out.snapshot || seen.record) {
      await store.put({ ...(out.snapshot && { [snapKey(shop)]: out.snapshot }), ...(seen.record && { [pagesKey(shop)]: seen.record }) });
      if (out.snapshot) broadcast('transit', { shop });
      // Open ship pages check rows waiting on an order not seen yet again.
      broadcast('orders.known', { shop, listPages: seen.view });
    }
    return { summary: withRequest(out.summary), ingest: out.view, error: null };
  } catch (e) {
    // A failed collection (e.g. the vault is locked) still answers the summary: the tab needs it.
    const summary = withRequest(core.ordersSummary(site(), { kind, text, request: listRequest }));
    return { summary, ingest: null, error: summary ? { name: e?.name || 'Error', message: String(e?.message || e) } : null };
  }
});

// During a fill run every order brings a detail answer (its dialog opening) and a shipment, ~100
// ms apart, and each rewrote the whole snapshot (5 MB at 10,000 orders) in the worker's one
// queue, beside the filler's steps. Both are gathered for GATHER_MS and applied together in one
// write, details before shipments (a detail fetched before its shipment still says "waiting");
// list answers and the reads that must not show a shipped package as pending (the transit view
// and the export) apply what is gathered first. Lost only if the worker dies inside the window,
// and then the next list answer corrects the snapshot (the fill run's own journal is saved with
// every step, apart from this). Two seconds: at 300 ms the rewrites were a quarter of the
// worker's time in a 200-order run, on a 2-core machine beside the page it shares the CPU with.
const GATHER_MS = 2000;
const gathered = new Map(); // shop → {details: [answer text], shipped: Set of package IDs}

/** What is gathered for `shop`, starting the timer that applies it. */
function gather(shop) {
  let g = gathered.get(shop);
  if (!g) {
    g = { details: [], shipped: new Set() };
    gathered.set(shop, g);
    setTimeout(() => exclusive(() => applyGathered(shop))
      .catch((e) => console.warn('RedShip orders: gathered answers not applied yet:', e?.name, e?.message)), GATHER_MS);
  }
  return g;
}

/** Applies the gathered details and shipments of `shop`; call it inside the queue (`exclusive`). */
async function applyGathered(shop) {
  const g = gathered.get(shop);
  if (!g) return;
  gathered.delete(shop);
  try {
    let { snapshot } = await load(shop);
    let changed = false;
    if (g.details.length) {
      // Detail answers carry no list request: nothing is reconciled away by them.
      const out = core.ordersIngest(site(), snapshot, { shopId: shop, kind: 'orderDetail', texts: g.details, nowMs: Date.now() });
      if (out.snapshot) { snapshot = out.snapshot; changed = true; }
    }
    if (snapshot && g.shipped.size) {
      const out = core.ordersShipped(snapshot, { shopId: shop, packageIds: [...g.shipped], nowMs: Date.now() });
      snapshot = out.snapshot;
      changed ||= Boolean(out.view.removed);
    }
    if (changed) {
      await store.put({ [snapKey(shop)]: snapshot });
      broadcast('transit', { shop });
    }
  } catch (e) {
    // E.g. the vault is locked: keep them for the next read or shipment.
    const again = gathered.get(shop) ?? { details: [], shipped: new Set() };
    again.details.unshift(...g.details);
    for (const id of g.shipped) again.shipped.add(id);
    gathered.set(shop, again);
    throw e;
  }
}

register('orders.shipped', async ({ shop, packageId }) => {
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
  const { snapshot } = await load(shop);
  if (!snapshot) return null;
  const out = core.ordersRowFacts(snapshot, { shopId: shop, rows, nowMs: Date.now() });
  if (out.snapshot) {
    await store.put({ [snapKey(shop)]: out.snapshot });
    broadcast('transit', { shop });
    broadcast('selfcheck', { shop });
  }
  return { snapshot: out.snapshot ?? snapshot, view: out.view };
}

register('orders.rows', async ({ shop, rows }) => {
  const clean = (Array.isArray(rows) ? rows : []).slice(0, 2000)
    .filter((r) => typeof r?.packageId === 'string' && typeof r.shipControl === 'boolean')
    .map((r) => ({ packageId: r.packageId.slice(0, 64), shipControl: r.shipControl }));
  return clean.length ? ((await applyRows(shop, clean))?.view ?? null) : null;
});

/**
 * A fill run found no 发货 control on order `packageId`'s row: the fact is recorded like a row the
 * list showed, and the core says how the run reports it (`{kind: 'skipped', reason, message}`:
 * status unclear, or not waiting when the answers saw it close). Call it inside the queue.
 */
export async function noShipButton(shop, packageId) {
  const applied = await applyRows(shop, [{ packageId, shipControl: false }]).catch((e) => {
    console.warn('RedShip orders: a row without 发货 not recorded:', e?.name, e?.message);
    return null;
  });
  return core.ordersFillSkip(applied?.snapshot ?? null, { shopId: shop, packageId });
}

// ── transit.html ────────────────────────────────────────────────────────────────────────────

register('transit.view', async ({ shop, remaining }) => {
  const all = await shops();
  const current = shop || all[0] || null;
  const templates = core.transitTemplates((await store.get(TEMPLATES)) ?? null);
  if (!current) return { shops: all, shop: null, view: null, plan: null, remaining: null, remainingSource: 'none', templates };
  await applyGathered(current);
  const { snapshot, routes } = await load(current);
  const now = Date.now();
  const fromQuota = await quotaRemaining(current);
  const left = Number.isSafeInteger(remaining) ? Math.max(0, remaining) : fromQuota;
  const source = Number.isSafeInteger(remaining) ? 'manual' : fromQuota === null ? 'unknown' : 'quota';
  const view = core.transitView(snapshot, routes, { shopId: current, nowMs: now });
  const plan = core.transitPlan(snapshot, routes, {
    shopId: current, remaining: left ?? 0, decryptedToday: await decryptedToday(current),
  });
  return { shops: all.includes(current) ? all : [current, ...all], shop: current, view, plan, remaining: left, remainingSource: source, templates };
});

register('transit.setRoute', async ({ shop, scope, skuId, packageId, route }) => {
  if (route != null && !ROUTES.has(route)) throw named('OrderError', `未知的发货方式：${route}`);
  const { snapshot, routes } = await requireSnapshot(shop);
  const out = core.transitSetRoute(routes, snapshot, { scope, skuId: skuId ?? null, packageId: packageId ?? null, route: route ?? null });
  await store.put({ [routesKey(shop)]: stamp(out.routes) });
  broadcast('transit', { shop });
  return out.view;
});

register('transit.setRoutes', async ({ shop, packageIds, route }) => {
  if (!ROUTES.has(route)) throw named('OrderError', `未知的发货方式：${route}`);
  const { snapshot } = await requireSnapshot(shop);
  let { routes } = await load(shop);
  let counts = null;
  // All or nothing: the core checks each; the record is written once at the end.
  for (const id of packageIds) {
    if (typeof id !== 'string') throw named('OrderError', '包裹号必须是文本');
    const out = core.transitSetRoute(routes, snapshot, { scope: 'order', packageId: id, route });
    routes = out.routes;
    counts = out.view;
  }
  if (routes) await store.put({ [routesKey(shop)]: stamp(routes) });
  broadcast('transit', { shop });
  return counts;
});

register('transit.edit', async ({ shop, ...edit }) => {
  const { snapshot } = await requireSnapshot(shop);
  const out = core.transitEdit(snapshot, { ...edit, nowMs: Date.now() });
  await store.put({ [snapKey(shop)]: out.snapshot });
  return out.view;
});

register('transit.export', async ({ shop, format, templateId, routes: only, packageIds }) => {
  if (format !== 'csv' && format !== 'xlsx') throw named('ExportError', `未知的导出格式：${format}`);
  await applyGathered(shop);
  const { snapshot, routes } = await requireSnapshot(shop);
  const templates = (await store.get(TEMPLATES)) ?? null;
  const req = { templateId: templateId ?? null, routes: only ?? null, packageIds: packageIds ?? null, nowMs: Date.now() };
  const file = format === 'csv'
    ? core.transitExportCsv(snapshot, routes, templates, req)
    : (await office()).transitExportXlsx(snapshot, routes, templates, req);
  const { bytes, ...meta } = file;
  return { ...meta, base64: toBase64(bytes) };
});

register('transit.templates', async () => core.transitTemplates((await store.get(TEMPLATES)) ?? null));

for (const [type, fn, arg] of [
  ['transit.templateSave', 'transitTemplateSave', (p) => p.template],
  ['transit.templateDelete', 'transitTemplateDelete', (p) => ({ id: p.id })],
  ['transit.templateSelect', 'transitTemplateSelect', (p) => ({ id: p.id })],
]) {
  register(type, async (payload) => {
    const out = core[fn]((await store.get(TEMPLATES)) ?? null, arg(payload));
    await store.put({ [TEMPLATES]: stamp(out.templates) });
    broadcast('transit-templates');
    return out.view;
  });
}
