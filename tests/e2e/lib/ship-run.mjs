// The tracking-number e2e tests' shared session and helpers: seed the replica's orders, browse
// the list so the extension knows them, import a paste on the ship page, start a run and wait for
// it by its ID (at the fast pace unless asked otherwise), and read what the platform received (the
// replica's /__test/log is the truth).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jsonMessagingExtension, launch, limitedStorageExtension, openExtensionPage } from './chromium.mjs';
import { startReplica } from './replica.mjs';
import { setPace } from './ship-pace.mjs';

/** The session the helpers act on: set by `shipSession`, plus the pages the helpers open. */
export const S = { replica: null, browser: null, shipPage: null, workbench: null, shape: 'seen' };

/** Starts the replica (no orders; `shape` 'seen', its default, or 'legacy') and Chromium with
 *  RedShip before the file's tests, stops them after. `limitedStorage`: the build whose storage
 *  holds 10 MB, for tests that fill the disk (see `limitedStorageExtension`). `jsonMessaging`:
 *  the build whose messages go as JSON, as in a Chromium older than 148 (`jsonMessagingExtension`). */
export function shipSession({ shape = 'seen', limitedStorage = false, jsonMessaging = false } = {}) {
  before(async () => {
    S.shape = shape;
    S.replica = await startReplica({ orders: 0, shape });
    const extension = limitedStorage ? limitedStorageExtension() : jsonMessaging ? jsonMessagingExtension() : undefined;
    S.browser = await launch({ locale: 'zh-CN', ...(extension ? { extension } : {}) });
  });
  after(async () => {
    await S.browser?.close();
    await S.replica?.stop();
  });
}

export const DELIVER = '/api/edith/fulfillment/order_delivering_api';
export const pid = (n) => `P${String(731_000_000_000_000 + n)}`;
export const COURIERS = [
  // The code the page's courier list gives for 中通 (SPEC.md: `zto`; the first guess `zhongtong`).
  { name: '中通', get code() { return S.shape === 'legacy' ? 'zhongtong' : 'zto'; }, no: (n) => `7731${String(n).padStart(8, '0')}` },
  { name: '顺丰速运', code: 'shunfeng', no: (n) => `SF${String(5_000_000_000_000 + n)}` },
  { name: 'YTO', code: 'yuantong', no: (n) => `YT${String(6_000_000_000_000 + n)}` },
];
export const courierOf = (n) => COURIERS[n % 3];

/** Replaces the replica's orders: `waiting` ones (status 4) and shipped ones (status 6), by number. */
export async function seed(waiting, notWaiting = []) {
  await S.replica.hook('reset', { orders: 0 });
  const base = Date.now() - 3600_000;
  const packages = waiting.map((n, i) => ({ packageId: pid(n), status: 4, paidAt: base - i * 1000 }));
  for (const n of notWaiting) packages.push({ packageId: pid(n), status: 6, paidAt: base - 999_000 });
  await S.replica.hook('orders', { packages });
}

/** Opens the order list (its first page) in the workbench tab; returns the page numbers it offers. */
export async function openList() {
  S.workbench ??= await S.browser.context.newPage();
  await S.workbench.goto(`${S.replica.url}/app-order/order/query`);
  await S.workbench.locator('table.d-new-table tr', { hasText: /P\d{15}/ }).first().waitFor();
  return S.workbench.locator('.d-pagination li').evaluateAll((lis) => lis.map((li) => li.textContent.trim()).filter((t) => /^\d+$/.test(t)).map(Number));
}

/** Goes to page `n` of the list in the workbench tab, as the merchant would, and waits for its rows. */
export async function pageTo(n) {
  const first = await S.workbench.locator('table.d-new-table tbody tr').first().textContent();
  await S.workbench.locator('.d-pagination li', { hasText: new RegExp(`^${n}$`) }).click();
  await S.workbench.waitForFunction((old) => {
    const row = document.querySelector('table.d-new-table tbody tr');
    return row && row.textContent !== old && !document.querySelector('.d-new-table-loading');
  }, first);
}

/** Opens the order list and pages through it, so the extension has seen every order. */
export async function browseList() {
  const pages = await openList();
  for (const n of pages.length > 1 ? [...pages.slice(1), 1] : []) await pageTo(n);
}

export async function openShip() {
  if (S.shipPage) await S.shipPage.close();
  S.shipPage = await openExtensionPage(S.browser.context, S.browser.extensionId, 'ship.html');
  return S.shipPage;
}

/** Pastes `text`, imports, and returns [{packageId, verdict, courier, number}] in row order. */
export async function importPaste(text, expectKnown) {
  return importWith((page) => page.getByTestId('import-paste').fill(text), expectKnown);
}

/** Opens the ship page, lets `setup(page)` fill the import controls, imports, returns the rows. */
export async function importWith(setup, expectKnown) {
  const page = await openShip();
  await setup(page);
  let rows = [];
  // The worker learns orders from the list asynchronously: retry briefly until it knows them.
  for (let i = 0; i < 20; i++) {
    await page.getByTestId('import-submit').click();
    await page.getByTestId('preview-row').first().waitFor();
    rows = await page.getByTestId('preview-row').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
    if (!expectKnown || rows.filter((r) => r.packageId === expectKnown && r.verdict !== 'error').length) break;
    await page.waitForTimeout(300);
  }
  return rows;
}

export async function progress(page) {
  const p = page.getByTestId('fill-progress');
  return { done: Number(await p.getAttribute('data-done')), total: Number(await p.getAttribute('data-total')) };
}

/**
 * Presses 开始填写 and waits until the progress shows the new run, not the one before. The run
 * gets `pace`, saved first through the options page: 'fast' unless a test is about the pace.
 */
export async function startRun(page, { pace = 'fast' } = {}) {
  await setPace(page.context(), new URL(page.url()).host, pace);
  await page.locator(`[data-testid="fill-pace"][data-pace="${pace}"]`).waitFor();
  const p = page.getByTestId('fill-progress');
  const before = await p.getAttribute('data-run-id');
  await page.getByTestId('fill-start').click();
  await page.waitForFunction((old) => {
    const id = document.querySelector('[data-testid="fill-progress"]')?.dataset.runId;
    return id && id !== old;
  }, before, { timeout: 30_000 });
}

/** Waits until the run shown has `total` orders, all done (call after startRun). */
export async function waitDone(page, total, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const p = await progress(page);
    if (p.total === total && p.done === total) return p;
    if (Date.now() > end) throw new Error(`run not done: ${JSON.stringify(p)}`);
    await page.waitForTimeout(500);
  }
}

/** Seeds `n` waiting orders, imports one row each and starts a ship-mode run. */
export async function startShipping(n) {
  await seed(Array.from({ length: n }, (_, i) => i));
  await browseList();
  await importPaste(Array.from({ length: n }, (_, i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n'), pid(n - 1));
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
}

/** Waits until the replica has received `count` shipments. */
export async function shipmentsReach(count, pollMs = 50) {
  for (let i = 0; (await S.replica.log()).shipments.length < count; i++) {
    assert.ok(i * pollMs < 60_000, `the run did not reach ${count} shipments`);
    await S.workbench.waitForTimeout(pollMs);
  }
}

/** The replica received orders 0…n-1 exactly once each, with their courier and number. */
export async function shippedOnceEach(n) {
  const { shipments } = await S.replica.log();
  const ids = shipments.map((s) => s.package_id);
  assert.equal(new Set(ids).size, ids.length, 'no order shipped twice');
  assert.deepEqual([...ids].sort(), Array.from({ length: n }, (_, i) => pid(i)).sort());
  for (const s of shipments) {
    const k = Number(s.package_id.slice(1)) - 731_000_000_000_000;
    assert.equal(s.express_company_code, courierOf(k).code, s.package_id);
    assert.equal(s.express_no, courierOf(k).no(k), s.package_id);
  }
}

export async function reportRows(page) {
  return page.getByTestId('report-row').evaluateAll((trs) => trs.map((tr) => ({ id: tr.dataset.packageId, status: tr.dataset.status, text: tr.textContent })));
}
