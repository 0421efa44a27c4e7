// Row 4 — fill: 200 fill-and-ship operations on the replica's 待发货 list (500 rows a page).
// Ours: RedShip's ship page (paste 200 rows → preview → mode "ship" → start) filling the real
// dialogs through its content script, at the pace "as fast as the page allows" (options page). Floor: a script in the page that drives the same dialog
// directly with no checks (click 发货, pick the courier, type the number with an input event,
// click 确定, wait for the dialog to close), in a browser without the extension. The two sides
// run at the same time in two browsers, each with its own replica, taking turns of about BLOCK orders
// (RedShip pauses and resumes its run through the ship page). Time per order = median gap
// between consecutive shipments in the replica's own log, inside a side's turns (robust to a
// stall). Both sides must ship exactly the 200 planned numbers.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { launchPw } from '../lib/browser.mjs';
import { DEV_EXTENSION, ROOT } from '../lib/env.mjs';
import { median } from '../lib/stats.mjs';

const { startReplica } = await import(join(ROOT, 'tests/e2e/lib/replica.mjs'));
const { setPace } = await import(join(ROOT, 'tests/e2e/lib/ship-pace.mjs'));
const N = 200;
/** Orders per turn: each side ships this many, then the other side takes its turn. */
const BLOCK = 25;
const COURIER = { code: 'shunfeng', name: '顺丰速运' };

/** 210 new waiting packages, newest first, and 200 jobs for them. */
function plan() {
  const now = Date.now();
  const packages = [];
  const jobs = [];
  for (let i = 0; i < N + 10; i++) {
    const packageId = `P5${String(2026112100000000n + BigInt(i) * 104729n).padStart(17, '0')}`;
    packages.push({ packageId, orderId: `O${packageId.slice(1)}`, status: 4, statusDesc: '待发货', paidAt: now - 60_000 - i * 1000 });
    if (i < N) jobs.push({ packageId, courierName: COURIER.name, number: `SF${String(5000000000000 + i * 7919).padStart(13, '0')}` });
  }
  return { packages, jobs };
}

// In the page: the 待发货 list at 500 rows.
async function showPending500() {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const until = async (fn, what, ms = 20000) => {
    const end = Date.now() + ms;
    for (;;) { const v = fn(); if (v) return v; if (Date.now() > end) throw new Error(`timed out: ${what}`); await sleep(20); }
  };
  await until(() => document.querySelector('table.d-new-table tbody tr.d-new-table-row'), 'list');
  document.querySelector('.d-pagination .d-select').click();
  const opt = await until(() => [...document.querySelectorAll('.d-popover .d-option-name')].find((o) => o.textContent.trim().startsWith('500')), '500 option');
  opt.click();
  await until(() => !document.querySelector('.d-new-table-loading') && document.querySelectorAll('table.d-new-table tbody tr.d-new-table-row').length > 200, '500 rows');
  return document.querySelectorAll('table.d-new-table tbody tr.d-new-table-row').length;
}

// In the page: the floor. No checks beyond waiting for each step's element.
async function floor(jobs) {
  const waitFor = (fn, ms = 15000) => new Promise((resolve, reject) => {
    const v = fn();
    if (v) { resolve(v); return; }
    const t = setTimeout(() => { mo.disconnect(); reject(new Error('floor: timed out')); }, ms);
    const mo = new MutationObserver(() => { const x = fn(); if (x) { clearTimeout(t); mo.disconnect(); resolve(x); } });
    mo.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  });
  const byText = (root, sel, text) => [...root.querySelectorAll(sel)].find((b) => b.textContent.trim() === text);
  const t0 = performance.now();
  for (const job of jobs) {
    const row = document.querySelector(`tr[data-row-key="${job.packageId}"]`);
    byText(row, 'button', '发货').click();
    const modal = await waitFor(() => { const m = document.querySelector('.d-modal'); return m && m.querySelector('.d-select') ? m : null; });
    modal.querySelector('.d-select').click();
    (await waitFor(() => byText(document, '.d-popover .d-option-name', job.courierName))).click();
    const input = modal.querySelector('.d-input input');
    input.value = job.number;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    byText(modal, 'button', '确定').click();
    await waitFor(() => !document.querySelector('.d-modal'));
  }
  return performance.now() - t0;
}

/** Whether the span from `a` to `b` (ms) lies inside one of `windows` ([from, to]). */
const within = (windows, a, b) => windows.some(([from, to]) => a >= from && b <= to);

/**
 * Medians from the replica's log, in shipment order: in the dialog (the order/detail call the
 * dialog makes as it opens → the shipment) and between dialogs (a shipment → the next order's
 * dialog opening, inside one of `windows`). The two add up to the gap between consecutive
 * shipments.
 */
function phases(log, windows) {
  const shipped = [...log.shipments].sort((a, b) => a.at - b.at);
  const opens = (id) => log.details.filter((d) => d.package_id === id).map((d) => d.at);
  const inDialog = [];
  const between = [];
  for (let i = 0; i < shipped.length; i++) {
    const s = shipped[i];
    const open = opens(s.package_id).filter((t) => t <= s.at).at(-1);
    if (open !== undefined) inDialog.push(s.at - open);
    const next = shipped[i + 1];
    const nextOpen = next && opens(next.package_id).find((t) => t >= s.at);
    if (nextOpen !== undefined && within(windows, s.at, nextOpen)) between.push(nextOpen - s.at);
  }
  return { inDialog: median(inDialog), between: median(between) };
}

/**
 * Checks that exactly the planned numbers shipped, once each, and returns the gaps between
 * consecutive shipments that fall inside one of `windows` ([from, to] in ms): a gap across a
 * pause (the other side's turn) is not a time per order.
 */
function perOrder(shipments, jobs, windows) {
  const want = new Map(jobs.map((j) => [j.packageId, j.number]));
  const ours = shipments.filter((s) => want.has(s.package_id));
  const wrong = ours.filter((s) => s.express_no !== want.get(s.package_id) || s.express_company_code !== COURIER.code);
  const ids = new Set(ours.map((s) => s.package_id));
  if (ids.size !== jobs.length || ours.length !== jobs.length || wrong.length) {
    throw new Error(`expected ${jobs.length} shipments with the planned numbers, saw ${ours.length} (${ids.size} orders, ${wrong.length} wrong)`);
  }
  const at = ours.map((s) => s.at).sort((a, b) => a - b);
  const pairs = at.slice(1).map((t, i) => [at[i], t]);
  const gaps = pairs.filter(([a, b]) => within(windows, a, b)).map(([a, b]) => b - a);
  const turns = windows.map((w) => median(pairs.filter(([a, b]) => within([w], a, b)).map(([a, b]) => b - a)));
  return { median: median(gaps), gaps, turns };
}

/** Whether the ship domain has landed in the build; else what is missing. */
async function missing() {
  if (!existsSync(join(DEV_EXTENSION, 'ship.html'))) return 'ship.html is not in the build';
  const { CATALOGUE } = await import(join(DEV_EXTENSION, 'common/messages.js'));
  if (!CATALOGUE['ship.start']) return 'the ship.start message is not in the catalogue';
  return null;
}

/**
 * RedShip's side: a replica and a browser with the extension, the list at 500 rows, the jobs
 * imported and previewed on the ship page, mode "ship". `block(done)` runs the fill until
 * `done` orders are done, then pauses it (the first call starts it, later ones resume it) and
 * returns the window it ran in.
 */
async function openOurs(jobs) {
  const replica = await startReplica({ orders: 150, dailyQuota: 100000 });
  const browser = await launchPw({ extension: DEV_EXTENSION });
  try {
    await replica.hook('orders', { packages: plan().packages });
    // The engine is measured with no pause: ship mode's pace is set to 'fast' (the default waits
    // 1–3 s between orders, on purpose).
    await setPace(browser.context, browser.extensionId, 'fast');
    const list = await browser.context.newPage();
    await list.goto(`${replica.url}/app-order/order/query?tab=pending`);
    await list.evaluate(showPending500);
    await list.waitForTimeout(1500); // the extension records the orders it saw
    const ship = await browser.context.newPage();
    await ship.goto(`chrome-extension://${browser.extensionId}/ship.html`);
    await ship.getByTestId('import-paste').fill(jobs.map((j) => `${j.packageId}\t${j.courierName}\t${j.number}`).join('\n'));
    await ship.getByTestId('import-submit').click();
    await ship.waitForFunction((n) => document.querySelectorAll('[data-testid="preview-row"]').length >= n, N, { timeout: 60000 });
    const verdicts = await ship.$$eval('[data-testid="preview-row"]', (rows) => rows.map((r) => r.dataset.verdict));
    const notOk = verdicts.filter((v) => v !== 'ok').length;
    if (notOk) throw new Error(`${notOk} of ${N} preview rows are not ok`);
    await ship.getByTestId('fill-mode').selectOption('ship');
    await list.bringToFront();
    let started = false;
    const shown = () => ship.evaluate(() => {
      const p = document.querySelector('[data-testid="fill-progress"]');
      return { done: Number(p?.dataset.done), state: p?.dataset.state };
    });
    const state = (...want) => ship.waitForFunction((w) => w.includes(document.querySelector('[data-testid="fill-progress"]')?.dataset.state), want, { timeout: 60000 });
    return {
      /**
       * RedShip's turn: about BLOCK orders from where its last pause landed (all that are left
       * when fewer remain), then a pause. A pause lands a few orders late (the ship page sees
       * progress every 250 ms and the order in hand is finished), so the run gets ahead of the
       * floor's blocks and can finish before its last turn: such a turn is skipped (null).
       */
      async block() {
        const before = await shown();
        if (before.state === 'done') return null;
        const target = started ? Math.min(N, before.done + BLOCK) : BLOCK;
        const from = Date.now();
        await ship.getByTestId(started ? 'fill-pause' : 'fill-start').click(); // fill-pause resumes a paused run
        started = true;
        await ship.waitForFunction((n) => {
          const p = document.querySelector('[data-testid="fill-progress"]');
          return Number(p?.dataset.done) >= n || p?.dataset.state === 'done';
        }, target, { timeout: 300000, polling: 100 });
        if (target < N) {
          // Pausing lets the order in hand finish: its shipment still belongs to this turn. The
          // run may finish first (the last orders ship while the pause is on its way).
          await ship.getByTestId('fill-pause').click({ timeout: 5000 }).catch(async (e) => { if ((await shown()).state !== 'done') throw e; });
          await state('paused', 'done');
          await list.waitForTimeout(400);
        } else {
          await state('done');
        }
        return [from, Date.now()];
      },
      log: () => replica.log(),
      async close() { await browser.close(); await replica.stop(); },
    };
  } catch (e) {
    await browser.close();
    await replica.stop();
    throw e;
  }
}

/** The floor's side: a replica and a browser without the extension, the list at 500 rows. */
async function openFloor() {
  const replica = await startReplica({ orders: 150, dailyQuota: 100000 });
  const browser = await launchPw({ extension: null });
  try {
    await replica.hook('orders', { packages: plan().packages });
    const page = await browser.context.newPage();
    await page.goto(`${replica.url}/app-order/order/query?tab=pending`);
    await page.evaluate(showPending500);
    return {
      /** Ships `jobs` with the floor script; returns the window it ran in. */
      async block(part) {
        const from = Date.now();
        await page.evaluate(floor, part);
        await page.waitForTimeout(100);
        return [from, Date.now()];
      },
      log: () => replica.log(),
      async close() { await browser.close(); await replica.stop(); },
    };
  } catch (e) {
    await browser.close();
    await replica.stop();
    throw e;
  }
}

/**
 * Both sides open at once, taking turns in blocks of BLOCK orders (floor first, then RedShip
 * first, …) until each has shipped all N: a slow or fast spell of this machine (they last tens
 * of seconds; the floor alone measured 57–91 ms per order from one run to the next) then falls
 * on both sides alike. Only gaps inside a side's own turns count.
 */
async function runInterleaved(jobs) {
  const ours = await openOurs(jobs);
  let floorSide;
  try {
    floorSide = await openFloor();
    const windows = { ours: [], floor: [] };
    for (let k = 0; k * BLOCK < N; k++) {
      const upTo = Math.min(N, (k + 1) * BLOCK);
      const turns = k % 2 ? ['ours', 'floor'] : ['floor', 'ours'];
      for (const side of turns) {
        const window = side === 'ours' ? await ours.block() : await floorSide.block(jobs.slice(k * BLOCK, upTo));
        if (window) windows[side].push(window);
      }
    }
    const [oursLog, floorLog] = [await ours.log(), await floorSide.log()];
    return {
      ours: { ...perOrder(oursLog.shipments, jobs, windows.ours), phases: phases(oursLog, windows.ours) },
      floor: { ...perOrder(floorLog.shipments, jobs, windows.floor), phases: phases(floorLog, windows.floor) },
    };
  } finally {
    await ours.close();
    await floorSide?.close();
  }
}

/** The floor alone (the ship domain not built yet): {median, phases}. */
async function runFloorOnly(jobs) {
  const side = await openFloor();
  try {
    const window = await side.block(jobs);
    const log = await side.log();
    return { ...perOrder(log.shipments, jobs, [window]), phases: phases(log, [window]) };
  } finally {
    await side.close();
  }
}

/** Runs the row; returns result entries. */
export async function run() {
  const { jobs } = plan();
  const base = { id: 'fill', figure: `Fill: ${N} fill-and-ship operations, per order`, unit: 'ms', goal: 1.25 };
  const gone = await missing();
  if (gone) {
    const floorRun = await runFloorOnly(jobs);
    return [{ ...base, pending: gone, note: `floor measured: ${Math.round(floorRun.median)} ms per order (median gap)` }];
  }
  const { ours, floor: floorRun } = await runInterleaved(jobs);
  return [{
    ...base, ours: ours.median, baseline: floorRun.median, ratio: ours.median / floorRun.median,
    why: `RedShip takes ${Math.round(ours.median - floorRun.median)} ms more per order than the floor. Measured from the replica's log (medians): in the dialog (order/detail → shipment) ${Math.round(ours.phases.inDialog)} ms vs ${Math.round(floorRun.phases.inDialog)} ms; between orders (shipment → next dialog opens) ${Math.round(ours.phases.between)} ms vs ${Math.round(floorRun.phases.between)} ms. From the code: per order the content script sends the worker one message (the last outcome, the next order and its 确定 intent; the worker saves only a small write-ahead log before answering) while it opens and fills the next dialog; 确定 waits for that answer if it has not come (timed in a run of 80 orders, it always had: the wait measured 0.0 ms). On the page's own main thread: the page-world hook and content scripts handle every answer the dialog receives; the filler reads the list's package IDs once per list answer (and the row it acts on once per order), and the dialog's visibility when it opens and again before 确定 (style, not layout; in ship mode it does not focus the number field, which would lay the page out), and its MutationObserver (added and removed nodes in the whole page; attributes and texts only in the dialog, picker or list a wait names) re-runs the waits' checks after each batch of changes`,
    note: `median gap between consecutive shipments in the replica's log; both sides open at once and take turns of about ${BLOCK} orders (floor ${floorRun.turns.length} turns, RedShip ${ours.turns.length}: its pauses land a few orders late), only gaps inside a side's own turns counted (RedShip ${ours.gaps.length}, floor ${floorRun.gaps.length}); medians turn by turn, RedShip ${ours.turns.map(Math.round).join(', ')} ms, floor ${floorRun.turns.map(Math.round).join(', ')} ms; all ${N} shipped with the planned numbers on both sides`,
    samples: { ours: ours.gaps, base: floorRun.gaps },
  }];
}
