// The ship page checks again by itself (issue 26, item 4): rows imported before RedShip had seen
// their orders say so; once the merchant pages the list in the workbench tab, the worker learns
// the orders, tells the open ship page, and the rows turn ok through the core's validation
// without anything pressed. The summary says how many 待发货 pages RedShip has read, and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S, shipSession, pid, courierOf, seed, openList, pageTo, openShip } from './lib/ship-run.mjs';

shipSession();

const rowsOf = (page) => page.getByTestId('preview-row').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, text: tr.textContent })));

test('rows of orders not seen yet turn ok by themselves once the list is paged; the summary counts the pages', { timeout: 120_000 }, async () => {
  // 120 waiting orders, 50 a page, newest first: orders 100–119 are on page 3.
  await seed(Array.from({ length: 120 }, (_, i) => i));
  const pages = await openList();
  assert.deepEqual(pages, [1, 2, 3]);
  const page = await openShip();
  const ids = [101, 110, 119];
  await page.getByTestId('import-paste').fill(ids.map((n) => `${pid(n)} ${courierOf(n).name} ${courierOf(n).no(n)}`).join('\n'));
  await page.getByTestId('import-submit').click();
  await page.getByTestId('preview-row').first().waitFor();
  const before = await rowsOf(page);
  assert.deepEqual(before.map((r) => [r.packageId, r.verdict]), ids.map((n) => [pid(n), 'error']));
  for (const r of before) assert.match(r.text, /还没见过订单/, 'the row says its order has not been seen');
  const seen = page.getByTestId('preview-seen');
  assert.equal(await seen.getAttribute('data-unseen'), '3');
  await page.locator('[data-testid="preview-seen"][data-pages="1"]').waitFor();
  assert.match(await seen.textContent(), /已看到 1 页待发货订单，最近 \d\d:\d\d/);

  // The merchant pages the list; nothing is pressed on the ship page.
  await pageTo(2);
  await pageTo(3);
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('[data-testid="preview-row"]')];
    return rows.length === n && rows.every((tr) => tr.dataset.verdict === 'ok');
  }, ids.length, { timeout: 30_000 });
  const after = await rowsOf(page);
  assert.deepEqual(after.map((r) => [r.packageId, r.verdict, r.courier, r.number]), ids.map((n) => [pid(n), 'ok', courierOf(n).code, courierOf(n).no(n)]));
  assert.equal(await page.getByTestId('preview-summary').getAttribute('data-fillable'), '3');
  await page.locator('[data-testid="preview-seen"][data-pages="3"][data-unseen="0"]').waitFor();
  assert.match(await seen.textContent(), /已看到 3 页待发货订单，最近 \d\d:\d\d/);
  assert.doesNotMatch(await seen.textContent(), /还没见过/);
});
