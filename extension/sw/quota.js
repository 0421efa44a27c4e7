// The quota domain in the service worker: the single writer of the decrypt-quota ledger.
// Content scripts report decrypt answers and the numbers the workbench shows; the popup and
// options page ask for the dashboard and the settings. Every rule is the core's (wasm): this
// file loads records, calls one core operation, saves what changed, and updates badge,
// notifications and open pages. Handlers are queued (router.js), so reports from several tabs
// at once are applied one after another, each on the result of the last.
import { core, ready, site } from './core.js';
import { register, broadcast, exclusive } from './router.js';
import { validateMessage } from '../common/messages.js';
import * as store from './store.js';
import { inputs, save, knownShops, problems, settingsKey, PROBLEMS_KEY } from './quota/records.js';
import { showBadge, clearBadge, notify, warnStorageFull, RESET_ALARM } from './quota/signals.js';
import { lockAware } from './vault.js';
import { codeOf } from './vault/storage.js';
import { listHelpChanged } from './list-help.js';

/**
 * Runs `work` after the answer when the router offers that (`ctx.after`), else now (a replay of
 * the locked queue has no answer to wait for).
 */
const afterAnswer = (ctx, work) => (ctx?.after ? ctx.after(work) : work());

/**
 * Applies one core operation for `shop`, saves it and tells the user (badge, notification and
 * open pages, after the answer); returns the update.
 */
async function run(op, shop, extra, ctx) {
  const nowMs = Date.now();
  const update = core[op]({ ...(await inputs(shop, nowMs)), ...extra(nowMs) });
  await settle(update, shop, nowMs, ctx);
  return update;
}

/** Saves a core update for `shop` and tells the user (badge, notification, open pages). */
async function settle(update, shop, nowMs, ctx) {
  try {
    await save(update, shop, nowMs);
  } catch (e) {
    // Not saved: the page keeps the report and sends it again; the user is told why.
    if (codeOf(e) === 'StorageFull') await warnStorageFull();
    throw e;
  }
  await afterAnswer(ctx, async () => {
    await Promise.all([showBadge(update.view), notify(update.view)]);
    broadcast('quota', { shop });
    listHelpChanged(shop);
  });
}

const brief = (view) => ({ used: view.used, limit: view.limit, remaining: view.remaining });

/** The page's reports a `quota.batch` may carry, by type (registered alone too). */
const BATCHED = new Map();
const registerBatched = (type, fn) => {
  BATCHED.set(type, fn);
  register(type, fn);
};

// Lock-aware: while the vault is locked the event is sealed in a queue that reveals nothing and
// replayed here on unlock (ctx.origin 'replay'), so no decrypt goes uncounted. The ledger drops
// an exact repeat of the same delivery, which keeps the replay idempotent.
registerBatched('quota.decrypt', lockAware('quota.decrypt', async (p, ctx) => {
  const update = await run('quotaRecordEvent', p.shop, (nowMs) => ({
    nowMs,
    event: {
      shop: p.shop, packageId: p.packageId, outcome: p.ok ? 'success' : 'refused',
      tabId: ctx.tabId ?? null, atMs: p.atMs, quotaSpent: p.quotaSpent,
    },
  }), ctx);
  return { outcome: update.outcome ?? null, ...brief(update.view) };
}));

// A decrypt seen on the page (the row turned plain after a 查看 click, or a refusal shown after
// it). The core merges it with the request's signal of the same decrypt: counted once.
registerBatched('quota.pageDecrypt', lockAware('quota.pageDecrypt', async (p, ctx) => {
  const update = await run('quotaRecordPageDecrypt', p.shop, (nowMs) => ({
    nowMs,
    pageEvent: {
      shop: p.shop, packageId: p.packageId, outcome: p.ok ? 'success' : 'refused',
      tabId: ctx.tabId ?? null, atMs: p.atMs, msg: p.msg ?? null, code: p.code ?? null, sent: sentOf(p.sent),
    },
  }), ctx);
  return { outcome: update.outcome ?? null, ...brief(update.view), decryptPath: update.view.pageFacts.decryptEndpoint?.path ?? null };
}));

// A click that showed plain text with no decrypt recorded in time: kept in the day's ledger,
// the badge says `?` (the number may be wrong) until the next decrypt is counted.
registerBatched('quota.silent', lockAware('quota.silent', async (p, ctx) => {
  const update = await run('quotaRecordSilent', p.shop, (nowMs) => ({
    nowMs, silent: { shop: p.shop, packageId: p.packageId, atMs: p.atMs },
  }), ctx);
  return { badge: update.view.badge };
}));

/** The requests a page reported around a decrypt, cleaned to the shape the core reads. */
function sentOf(list) {
  const names = (v) => (Array.isArray(v) ? v.filter((k) => typeof k === 'string' && k.length <= 64).slice(0, 32) : []);
  return (Array.isArray(list) ? list : []).slice(0, 8)
    .filter((r) => r && typeof r.path === 'string' && r.path.length <= 200)
    .map((r) => ({ path: r.path, keys: names(r.keys), idKeys: names(r.idKeys) }));
}

register('quota.pageRules', async (p) => {
  const rules = core.quotaPageRules();
  let decryptPath = null;
  if (p.shop) {
    const nowMs = Date.now();
    const update = core.quotaDashboard({ ...(await inputs(p.shop, nowMs)), shop: p.shop, nowMs });
    decryptPath = update.view.pageFacts.decryptEndpoint?.path ?? null;
  }
  return { ...rules, decryptPath };
}, { queued: false });

registerBatched('quota.read', async (p, ctx) => {
  const read = { shop: p.shop, source: p.source, atMs: p.atMs, day: p.day ?? null, text: p.text ?? null, path: p.path ?? null, fields: p.fields ?? {} };
  const nowMs = Date.now();
  const update = core.quotaRecordPageReads(site(), { ...(await inputs(p.shop, nowMs)), reads: [read], nowMs });
  await settle(update, p.shop, nowMs, ctx);
  return brief(update.view);
});

// Reports that queued on a page while one was on its way, in one message (each message is work
// on the page's main thread): applied in order, each as if sent alone, in this one place of the
// queue. The first that fails ends the batch; the page sends the rest again (content/observe-quota.js).
register('quota.batch', async (p, ctx) => {
  const results = [];
  for (const item of p.items) {
    const check = validateMessage(item, ctx.origin);
    const fn = check.ok ? BATCHED.get(check.type) : null;
    try {
      if (!fn) throw Object.assign(new Error(check.ok ? `"${check.type}" cannot go in a batch` : check.error), { name: 'MessageError' });
      results.push({ ok: true, data: (await fn(check.payload, ctx)) ?? null });
    } catch (e) {
      results.push({ ok: false, error: { name: e?.name || 'Error', message: String(e?.message || e), code: typeof e?.code === 'string' ? e.code : null } });
      break;
    }
  }
  return { results };
});

register('quota.dashboard', async (p, ctx) => {
  const nowMs = Date.now();
  // The shop asked for is nearly always a known one: its records are read alongside the list
  // of shops (the popup's first answer after the worker starts waits on both).
  const asked = p.shop ? inputs(p.shop, nowMs) : null;
  asked?.catch(() => {});
  const [{ current, ids }, status, inUse] = await Promise.all([knownShops(), store.get('status'), chrome.storage.local.getBytesInUse(null)]);
  const shop = p.shop && ids.includes(p.shop) ? p.shop : current;
  const today = core.chinaDay({ nowMs });
  if (!shop) {
    await afterAnswer(ctx, clearBadge);
    return { shops: [], shop: null, view: null, day: today.day };
  }
  const update = core.quotaDashboard({ ...(await (shop === p.shop ? asked : inputs(shop, nowMs))), shop, nowMs });
  // Looking at another shop does not make it the active one (the badge follows the workbench).
  // A full disk does not hide the numbers: they are shown, with a word that nothing new is saved
  // ('full'), or that little room is left (under 1% of it: 'low').
  const quota = store.quotaBytes();
  let storage = quota !== null && quota - inUse < quota / 100 ? 'low' : null;
  try {
    await save(update, shop, nowMs, { activate: false });
  } catch (e) {
    if (codeOf(e) !== 'StorageFull') throw e;
    storage = 'full';
  }
  await afterAnswer(ctx, () => (storage === 'full'
    ? warnStorageFull()
    : Promise.all([shop === current && showBadge(update.view), notify(update.view)])));
  return { shops: ids, shop, view: update.view, day: today.day, workbench: status?.lastContact?.origin ?? null, storage };
});

register('quota.settings.get', async () => {
  const stored = await store.get(settingsKey());
  const defaults = core.quotaDefaultSettings();
  let settings = defaults;
  const found = [];
  if (stored) {
    // A broken record is shown (and replaced with defaults at the next save), never thrown.
    const checked = core.quotaCheckRecords({ [settingsKey()]: stored });
    if (checked.length) found.push(...checked.map((c) => ({ atMs: Date.now(), ...c })));
    else settings = stored;
  }
  const { ids } = await knownShops();
  return { settings, defaults, shops: ids, problems: [...(await problems()), ...found] };
});

register('quota.settings.save', async (p) => {
  const settings = core.quotaValidateSettings(p.settings);
  await store.put({ [settingsKey()]: settings });
  const { current } = await knownShops();
  if (current) {
    const nowMs = Date.now();
    const update = core.quotaDashboard({ ...(await inputs(current, nowMs)), shop: current, nowMs });
    await save(update, current, nowMs, { activate: false });
    await showBadge(update.view);
  }
  broadcast('quota', {});
  listHelpChanged();
  return settings;
});

register('quota.problems.clear', async () => {
  await store.put({ [PROBLEMS_KEY]: null });
  return null;
});

/** Recomputes the badge of the active shop (start-up, midnight). */
async function refreshBadge() {
  const { current } = await knownShops();
  if (!current) return;
  const nowMs = Date.now();
  const update = core.quotaDashboard({ ...(await inputs(current, nowMs)), shop: current, nowMs });
  await save(update, current, nowMs, { activate: false });
  await showBadge(update.view);
  await notify(update.view);
  broadcast('quota', { shop: current });
}

/** Runs `refreshBadge` once the core is loaded, in the router's queue (one writer). */
function refreshSoon() {
  ready.then(() => exclusive(refreshBadge)).catch((e) => console.warn('RedShip quota: badge refresh failed:', e?.name, e?.message));
}

// Listeners at the top level, synchronously (the worker may have been started by them).
chrome.alarms.onAlarm.addListener((alarm) => { if (alarm.name === RESET_ALARM) refreshSoon(); });
chrome.runtime.onStartup.addListener(refreshSoon);
chrome.runtime.onInstalled.addListener(refreshSoon);

/**
 * Today's numbers for `shop`, for other domains (e.g. the transit planner): read-only, so it is
 * safe to call from inside or outside the router's queue. → {used, limit, remaining}.
 */
export async function todayQuota(shop) {
  const nowMs = Date.now();
  const update = core.quotaDashboard({ ...(await inputs(shop, nowMs)), shop, nowMs });
  return brief(update.view);
}

/**
 * The packages of `shop` whose buyer was viewed today (charged or a free repeat), for the
 * transit planner: viewing them again today costs nothing. Read-only. → [packageId]
 */
export async function decryptedToday(shop) {
  const nowMs = Date.now();
  return core.quotaViewedToday({ ...(await inputs(shop, nowMs)), shop, nowMs });
}

/**
 * What the page showed today for `shop`, for the self-check. Read-only. → {day, decrypts:
 * {request, page, both}, silent: [{atMs, packageId}] (clicks that showed plain text with no
 * decrypt counted), decryptEndpoint: {path, keys, seen} | null, refusals} (refusals seen on the
 * page: a toast or the platform's words after a 查看 click), quotaEndpoint (path | null: an answer
 * the board confirmed), quotaOffers ([{path, keys}]: answers offered as the quota endpoint),
 * boardUnreadAtMs (a board block named the quota but its numbers could not be read).
 */
export async function pageFacts(shop) {
  const nowMs = Date.now();
  const update = core.quotaDashboard({ ...(await inputs(shop, nowMs)), shop, nowMs });
  const f = update.view.pageFacts;
  return {
    day: f.day,
    decrypts: { request: f.decrypts.request, page: f.decrypts.page, both: f.decrypts.both },
    silent: f.silent.map((s) => ({ atMs: s.atMs, packageId: s.packageId })),
    decryptEndpoint: f.decryptEndpoint ?? null,
    refusals: f.refusals,
    quotaEndpoint: f.quotaEndpoint ?? null,
    quotaOffers: f.quotaOffers ?? [],
    boardUnreadAtMs: f.boardUnreadAtMs ?? null,
    // The last number the workbench showed today and where (the privacy board, or its answer).
    shown: update.view.pageShown ? { source: update.view.pageShown.source, atMs: update.view.pageShown.atMs } : null,
  };
}
