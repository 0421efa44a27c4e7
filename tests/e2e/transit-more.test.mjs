// transit.html in a shop with more pending orders than it draws at once: the first thousand rows
// (oldest paid first: those ship first), then 显示更多 (`transit-more`) draws the rest; routing a row drawn by it works
// like any other. Against the workbench replica, the orders collected the real way (the 待发货
// list paged through at 500 a page, hook → content script → order.ingest).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openExtensionPage, stopServiceWorkers } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { packages, pageThrough } from './lib/big-shop.mjs';

const N = 1250;
const STEP = 1000;
let replica; let browser; let wb; let transit;


const transitRows = () => transit.evaluate(() => document.querySelectorAll('[data-testid="transit-row"]').length);

describe('transit: a shop with more pending orders than one screenful', { timeout: 240_000 }, () => {
  let ids;
  before(async () => {
    replica = await startReplica({ orders: 0 });
    ids = packages(N).map((p) => p.packageId);
    await replica.hook('orders', { packages: packages(N) });
    browser = await launch({ locale: 'zh-CN' });
    wb = await browser.context.newPage();
    await wb.goto(`${replica.url}/app-order/order/query?tab=pending`);
    // Page the list through at 500 a page, as a merchant would, so RedShip collects every order.
    await pageThrough(wb, Math.ceil(N / 500));
    transit = await openExtensionPage(browser.context, browser.extensionId, 'transit.html');
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('draws the first thousand, then the rest on 显示更多, and a row drawn late routes as any other', async () => {
    // Collecting is the worker's: wait until every order is in, as the page says.
    for (const end = Date.now() + 60_000; ;) {
      await transit.reload();
      await transit.getByTestId('transit-row').first().waitFor();
      if (await transit.getByTestId('transit-more').count()) {
        if ((await transit.getByTestId('transit-more').textContent()).includes(String(N))) break;
      }
      assert.ok(Date.now() < end, 'RedShip collected every pending order');
      await transit.waitForTimeout(500);
    }
    assert.equal(await transitRows(), STEP);
    const firstIds = await transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.packageId));
    assert.deepEqual(firstIds, ids.slice(N - STEP).reverse(), 'the oldest thousand, oldest first');
    await transit.getByTestId('transit-more').click();
    await transit.waitForFunction((n) => document.querySelectorAll('[data-testid="transit-row"]').length === n, N);
    assert.equal(await transit.getByTestId('transit-more').count(), 0, 'no button once every order is drawn');
    // The newest order, drawn only after 显示更多, routed to the supplier.
    const last = ids[0];
    const row = transit.locator(`[data-testid="transit-row"][data-package-id="${last}"]`);
    await row.getByTestId('route-select').selectOption('supplier');
    await transit.waitForFunction((id) => document.querySelector(`[data-testid="transit-row"][data-package-id="${id}"]`)?.dataset.route === 'supplier', last);
    assert.equal(await transitRows(), N, 'the redraw after routing keeps every drawn row');
    // A new worker opens the shop's stored records again (the snapshot is too big for the vault
    // engine's plaintext cache: it is read from storage each time it is opened).
    await stopServiceWorkers(browser.context, transit);
    await transit.reload();
    await transit.getByTestId('transit-more').click();
    await transit.waitForFunction((n) => document.querySelectorAll('[data-testid="transit-row"]').length === n, N);
    assert.equal(await transit.locator(`[data-testid="transit-row"][data-package-id="${last}"]`).getAttribute('data-route'), 'supplier');
  });
});
