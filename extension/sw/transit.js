// The transit warehouse, service-worker side: serves transit.html (view, routes, edits, the
// quota planner, templates) and produces the CSV/XLSX exports, all read from the shop's live
// snapshot (sw/transit/live.js) without crossing it whole. All rules are in the wasm core
// (transit/*); this file routes messages, calls the handle, saves what it hands out.
//
// Records: the snapshot's and routes (sw/transit/live.js); `orders/templates` (export templates,
// all shops).
import { office } from './core.js';
import { register, broadcast } from './router.js';
import * as store from './store.js';
import * as quota from './quota.js';
import { toBase64 } from '../common/base64.js';
import { applyGathered } from './order.js';
import { live, save, shops, known } from './transit/live.js';

const TEMPLATES = 'orders/templates';
const ROUTES = new Set(['warehouse', 'supplier', 'self']);

function named(name, message) {
  return Object.assign(new Error(message), { name });
}

/** The shop's live snapshot; an `OrderError` when nothing was collected for it yet. */
async function requireLive(shop) {
  if (!(await known(shop))) throw named('OrderError', `还没有收集到店铺「${shop}」的订单：请先在工作台浏览订单列表。`);
  return live(shop);
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

/** The export templates' view (the office module's `transitTemplates`). */
async function templatesView() {
  const [mod, stored] = await Promise.all([office(), store.get(TEMPLATES)]);
  return mod.transitTemplates(stored ?? null);
}

register('transit.view', async ({ shop, remaining, limit }) => {
  const all = await shops();
  const current = shop || all[0] || null;
  // The templates are the office module's (this page exports through it): it compiles off the
  // worker's thread while the shop's snapshot opens.
  const templatesP = templatesView();
  templatesP.catch(() => {});
  if (!current) return { shops: all, shop: null, view: null, plan: null, remaining: null, remainingSource: 'none', templates: await templatesP };
  await applyGathered(current);
  const handle = await live(current);
  const fromQuota = await quotaRemaining(current);
  const left = Number.isSafeInteger(remaining) ? Math.max(0, remaining) : fromQuota;
  const source = Number.isSafeInteger(remaining) ? 'manual' : fromQuota === null ? 'unknown' : 'quota';
  // The page asks for its first rows (it draws those before the rest); no limit: every row.
  const view = handle.view({ nowMs: Date.now(), limit: Number.isSafeInteger(limit) && limit > 0 ? limit : null });
  const plan = handle.plan({ remaining: left ?? 0, decryptedToday: await decryptedToday(current) });
  return { shops: all.includes(current) ? all : [current, ...all], shop: current, view, plan, remaining: left, remainingSource: source, templates: await templatesP };
});

/** Applies route changes (all or nothing, one core call), saves the routes, answers the counts. */
async function setRoutes(shop, changes) {
  const handle = await requireLive(shop);
  const counts = handle.setRoutes(changes);
  await save(shop, handle);
  broadcast('transit', { shop });
  return counts;
}

register('transit.setRoute', async ({ shop, scope, skuId, packageId, route }) => {
  if (route != null && !ROUTES.has(route)) throw named('OrderError', `未知的发货方式：${route}`);
  return setRoutes(shop, [{ scope, skuId: skuId ?? null, packageId: packageId ?? null, route: route ?? null }]);
});

register('transit.setRoutes', async ({ shop, packageIds, route }) => {
  if (!ROUTES.has(route)) throw named('OrderError', `未知的发货方式：${route}`);
  if (packageIds.some((id) => typeof id !== 'string')) throw named('OrderError', '包裹号必须是文本');
  return setRoutes(shop, packageIds.map((packageId) => ({ scope: 'order', packageId, route })));
});

register('transit.edit', async ({ shop, ...edit }) => {
  const handle = await requireLive(shop);
  const view = handle.edit({ ...edit, nowMs: Date.now() });
  await save(shop, handle);
  return view;
});

register('transit.export', async ({ shop, format, templateId, routes: only, packageIds }) => {
  if (format !== 'csv' && format !== 'xlsx') throw named('ExportError', `未知的导出格式：${format}`);
  await applyGathered(shop);
  const handle = await requireLive(shop);
  const templates = (await store.get(TEMPLATES)) ?? null;
  const req = { templateId: templateId ?? null, routes: only ?? null, packageIds: packageIds ?? null, nowMs: Date.now() };
  // The office module writes both (exports are rare: their writers stay out of the main module);
  // it has no handle, so it gets only the packages this file holds.
  const part = handle.exportPart(req);
  const write = format === 'csv' ? 'transitExportCsv' : 'transitExportXlsx';
  const file = (await office())[write](part.snapshot, part.routes, templates, req);
  const { bytes, ...meta } = file;
  return { ...meta, base64: toBase64(bytes) };
});

register('transit.templates', () => templatesView());

for (const [type, fn, arg] of [
  ['transit.templateSave', 'transitTemplateSave', (p) => p.template],
  ['transit.templateDelete', 'transitTemplateDelete', (p) => ({ id: p.id })],
  ['transit.templateSelect', 'transitTemplateSelect', (p) => ({ id: p.id })],
]) {
  register(type, async (payload) => {
    // Template edits are rare: the office module's (the main module only shows the templates).
    const out = (await office())[fn]((await store.get(TEMPLATES)) ?? null, arg(payload));
    await store.put({ [TEMPLATES]: stamp(out.templates) });
    broadcast('transit-templates');
    return out.view;
  });
}
