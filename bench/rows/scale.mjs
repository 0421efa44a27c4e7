// Row 8 — scale: RedShip in a shop of 50,000 pending packages against a small one, in the real
// extension. One shop grows on the replica (seen shapes): its 待发货 list is paged through at 500
// rows a page (hook → content script → order.ingest), to 500 pending, then 1,000, then 50,000
// packages. At the small sizes and at 50,000:
//   - a 50-row list page: the worker's time to take it (50 packages paid just now,
//     new to RedShip, on the list's first page), median of REPS pages;
//   - routing 1,000 orders (transit.setRoutes from an extension page, a pair: to the supplier
//     then the warehouse), the worker's time per routing, median of REPS pairs, at 1,000 against at 50,000;
//   - transit.html's first rows painted: navigation start → the first `transit-row` in the DOM;
//   - the worker's JS heap + wasm memory at 50,000, after a full GC (as the memory row reads it).
// The worker's time is read from a browser-wide trace: the top-level tasks of the service-worker
// thread while the page loads (or the message is answered), summed.
// 50,000 pending packages are about 25 MB of records: the manifest asks for `unlimitedStorage`
// (chrome.storage.local alone holds 10 MB, about 15,000 pending packages).
import { join } from 'node:path';
import { launchPw } from '../lib/browser.mjs';
import { connect } from '../lib/cdp.mjs';
import { DEV_EXTENSION, ROOT } from '../lib/env.mjs';
import { median, spread } from '../lib/stats.mjs';
import { startTrace } from '../lib/trace.mjs';
import { packages, pageThrough, workerMemory } from './memory.mjs';

const { startReplica } = await import(join(ROOT, 'tests/e2e/lib/replica.mjs'));
const SHOP = '小红薯的杂货铺';
const BIG = 50_000;
const MB = 2 ** 20;
const PAGE = '/api/edith/fulfillment/order/page';
const SETTLE_MS = 3000;
/** A second with less worker time than this counts as idle. */
const IDLE_MS = 5;
// Why a goal is (or was) missed, from a CPU profile of the worker (CDP Profiler, 3 pages at
// 50,000) and the core's calls and memory measured in node on the built module (2026-12-06).
const WHY = {
  page: 'A CPU profile of the worker (3 pages at 50,000, 2026-12-06) found what grew with the shop around the core\'s own work (ingest 2.3 ms + change record 0.5 ms): the route counts and the rows in doubt counted over the shop twice per page (20 ms, now adjusted by the entries each change touched) and the ship domain\'s list of orders seen, up to 5,000 entries read, opened and resealed whole at every page (about 30 ms with its garbage, now only orders the snapshot does not know): 82 ms of worker time per page before, about 23 ms after.',
  memory: 'JS heap under 2 MB since the vault engine keeps big records sealed. wasm: the handle\'s parsed snapshot is about 15 MB at 50,000 packages (about 320 bytes a package, from 785: repeated texts held once, IDs once, exact-size texts; measured in node on the built module, 2026-12-07). The base is stored as a head and shards of about 1,000 packages rewritten in place, one store write each, only where their range changed (2026-12-07): no whole-base text (21 MB of JSON) exists at open or compaction any more, and the base is never stored twice (a reverted sharded form wrote a new generation before deleting the old and went over chrome.storage.local\'s 10 MB at 10,000 pending). 55.1 MB before, 23 MB after.',
};

/** Sums the service-worker thread's top-level task time (ms) in a browser-wide trace. */
function workerTaskMs(events) {
  const threads = new Set();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && /ServiceWorker/i.test(e.args?.name || '')) threads.add(`${e.pid}:${e.tid}`);
  }
  if (!threads.size) throw new Error('no service-worker thread in the trace');
  let total = 0;
  for (const key of threads) {
    const tasks = events.filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    let end = 0;
    for (const t of tasks) {
      if (t.ts < end) continue; // nested in the task before
      end = t.ts + t.dur;
      total += t.dur / 1000;
    }
  }
  return total;
}

/** The worker's task time (ms) while `fn` runs, traced browser-wide over `raw` CDP. */
async function workerTime(raw, fn) {
  const once = (ev, cb) => { const off = raw.on(ev, (p) => { off(); cb(p); }); };
  const stop = await startTrace({ send: (m, p) => raw.send(m, p), once });
  await fn();
  return workerTaskMs(await stop());
}

async function pendingTotal(page) {
  return page.evaluate(async (path) => (await (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ page_no: 1, page_size: 1, status: [4, 5], time_range_list: [] }) })).json()).data.total, PAGE);
}

/** Sends a message from the extension page `ext`; throws on a refusal. */
async function send(ext, type, payload) {
  const res = await ext.evaluate((msg) => chrome.runtime.sendMessage(msg), { type, payload });
  if (!res?.ok) throw new Error(`${type} failed: ${JSON.stringify(res?.error)}`);
  return res.data;
}

/** Waits until the worker holds `n` pending packages. */
async function holds(ext, n) {
  for (let i = 0; i < 240; i++) {
    const view = (await send(ext, 'transit.view', { shop: SHOP, limit: 1 })).view;
    if ((view?.totalRows ?? 0) >= n) return view.totalRows;
    await ext.waitForTimeout(500);
  }
  throw new Error(`the worker did not reach ${n} pending packages (it holds ${(await send(ext, 'transit.view', { shop: SHOP, limit: 1 })).view?.totalRows})`);
}

/**
 * Waits until the worker is idle: a second of it with under IDLE_MS of worker task time (at most
 * 30 s). The worker saves what a 500-row page brought (and compacts) after it answers: without
 * this wait the last pages of a growth were counted as the first 50-row page's.
 */
async function settled(raw) {
  for (let i = 0; i < 30; i++) {
    if (await workerTime(raw, () => new Promise((r) => setTimeout(r, 1000))) < IDLE_MS) return;
  }
  throw new Error('the worker did not settle within 30 s after the shop grew');
}

/** Grows the replica's shop to `n` pending packages and has RedShip collect them all. */
async function growTo(state, n, list, ext, raw) {
  await state.replica.hook('orders', { packages: packages(n - state.pending, state.next) });
  state.next += n - state.pending;
  await list.goto(`${state.replica.url}/app-order/order/query?tab=pending`);
  const total = await pendingTotal(list);
  await pageThrough(list, Math.ceil(total / 500));
  state.pending = await holds(ext, total);
  await ext.goto('about:blank'); // no extension page redraws meanwhile (see listPages)
  await settled(raw);
  await ext.goto(`chrome-extension://${state.extensionId}/popup.html`);
}

/**
 * Worker time of taking 50 new packages on the list's first page (50 条/页), REPS times: the
 * trace runs from the navigation until the list shows and SETTLE_MS more (the answer's relay,
 * its ingest and save, the rows' 发货 facts). No extension page is open meanwhile (their
 * redraws on the worker's broadcasts would add their own reads); `ext` checks the result after.
 */
async function listPages(state, list, ext, raw, reps) {
  const out = [];
  for (let r = 0; r < reps; r++) {
    await state.replica.hook('orders', { packages: packages(50, state.next, true) });
    state.next += 50;
    await ext.goto('about:blank');
    out.push(await workerTime(raw, async () => {
      await list.goto(`${state.replica.url}/app-order/order/query?tab=pending`);
      await list.waitForSelector('table.d-new-table tbody tr.d-new-table-row');
      await list.waitForTimeout(SETTLE_MS);
    }));
    await ext.goto(`chrome-extension://${state.extensionId}/popup.html`);
    state.pending = await holds(ext, state.pending + 50);
  }
  return out;
}

/**
 * Worker time of routing 1,000 pending orders in one message: REPS pairs, each to the supplier
 * and then to the warehouse, a sample being the pair's mean. The two routings differ in cost
 * (the supplier's takes longer), so single routings made the median of an odd count depend on
 * which kind it fell on: 0.91× and 1.51× on the same code in two runs.
 */
async function routing(state, ext, raw, reps) {
  const ids = packages(1000, 0).map((p) => p.packageId);
  await send(ext, 'transit.view', { shop: SHOP, limit: 1 });
  const out = [];
  for (let r = 0; r < reps; r++) {
    let pair = 0;
    for (const route of ['supplier', 'warehouse']) {
      pair += await workerTime(raw, () => send(ext, 'transit.setRoutes', { shop: SHOP, packageIds: ids, route }));
    }
    out.push(pair / 2);
  }
  return out;
}

/** transit.html: navigation start → first `transit-row` in the DOM (ms), REPS visits. */
async function firstRows(browser, reps) {
  const out = [];
  for (let r = 0; r < reps; r++) {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, mo) => {
        if (document.querySelector('[data-testid="transit-row"]')) { globalThis.__firstRow = performance.now(); mo.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`chrome-extension://${browser.extensionId}/transit.html`);
    await page.waitForFunction(() => globalThis.__firstRow, null, { timeout: 120_000 });
    out.push(await page.evaluate(() => globalThis.__firstRow));
    await page.close();
  }
  return out;
}

/** Runs the row; returns result entries. */
export async function run({ quick = false } = {}) {
  const reps = quick ? 3 : 7;
  // The 50-row page's worker time moves most from page to page (31–88 ms at 500, 31–75 ms at
  // 50,000, traced: a compaction or a major GC lands on some pages only): more pages for it
  // (with 7, two runs of one tree gave 1.63× and 0.98×).
  const pageReps = quick ? 3 : 11;
  const replica = await startReplica({ orders: 0, dailyQuota: 100000 });
  const browser = await launchPw({ extension: DEV_EXTENSION, debugPort: true });
  const raw = await connect(await browser.endpoint());
  const state = { replica, pending: 0, next: 0, extensionId: browser.extensionId };
  const at = {};
  try {
    const list = await browser.context.newPage();
    const ext = await browser.context.newPage();
    await ext.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await growTo(state, 500, list, ext, raw);
    at.small = { pending: state.pending, page: await listPages(state, list, ext, raw, pageReps), rows: await firstRows(browser, reps) };
    await growTo(state, 1000, list, ext, raw);
    at.small.routedAt = state.pending;
    at.small.route = await routing(state, ext, raw, reps);
    await growTo(state, BIG, list, ext, raw);
    at.big = { pending: state.pending, page: await listPages(state, list, ext, raw, pageReps), rows: await firstRows(browser, reps) };
    at.big.route = await routing(state, ext, raw, reps);
    const m = await workerMemory(raw, `${browser.extensionId}/sw.js`);
    at.big.memory = m;
  } finally {
    raw.close();
    await browser.close();
    await replica.stop();
  }
  const entry = (id, what, key, goal, small, big) => {
    const [s, b] = [median(at.small[key]), median(at.big[key])];
    return {
      id: `scale-${id}`, figure: `Scale: ${what}`, unit: 'ms', ours: b, baseline: s, ratio: b / s, goal,
      note: `at ${at.big.pending.toLocaleString('en')} pending: ${b.toFixed(1)} ms; at ${small}: ${s.toFixed(1)} ms; median of ${at.big[key].length} each (spread ±${Math.round(spread(at.big[key]) * 100)}% / ±${Math.round(spread(at.small[key]) * 100)}%).`,
      why: `${b.toFixed(1)} ms at ${big} against ${s.toFixed(1)} ms at ${small}${WHY[id] ? `. ${WHY[id]}` : ''}`,
      samples: { ours: at.big[key], base: at.small[key] },
    };
  };
  const mem = at.big.memory;
  const ours = (mem.heapUsed + mem.wasm) / MB;
  return [
    entry('page', 'worker time to take a 50-row list page, 50,000 vs 500 pending', 'page', 1.5, `${at.small.pending.toLocaleString('en')}`, '50,000'),
    entry('routes', 'worker time to route 1,000 orders, 50,000 vs 1,000 pending', 'route', 1.5, `${at.small.routedAt.toLocaleString('en')}`, '50,000'),
    entry('rows', 'transit.html first rows painted, 50,000 vs 500 pending', 'rows', 2, `${at.small.pending.toLocaleString('en')}`, '50,000'),
    {
      id: 'scale-memory', figure: 'Scale: worker JS heap + wasm, 50,000 pending', unit: 'MB', goal: 40, goalKind: 'max', baseline: null, ratio: null, ours,
      why: WHY.memory,
      note: `After the rows above, a full GC: JS heap ${(mem.heapUsed / MB).toFixed(1)} MB used (${(mem.heapTotal / MB).toFixed(1)} MB allocated) + wasm memory ${(mem.wasm / MB).toFixed(1)} MB`,
      detail: mem,
    },
  ];
}
