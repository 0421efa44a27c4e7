// Transit warehouse across worker restarts, end to end against the workbench replica: the shop's
// snapshot lives in the worker (a core handle) between messages and is stored as a base plus
// small change records. Collecting three list pages with the worker stopped between them, a
// route and an edit made before a stop, and transit.html read by a fresh worker: nothing is lost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openExtensionPage, stopServiceWorkers } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';

const PAGE = '/api/edith/fulfillment/order/page';
// Waiting codes of both families SPEC.md shows (the replica serves the seen 1, 2, 21, 26).
const isWaiting = (p) => [1, 2, 21, 26, 4, 5].includes(p.status);

let replica; let browser; let wb; let transit;

async function listPage(page_no) {
  const res = await fetch(replica.url + PAGE, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ page_no, page_size: 50, status: [], time_range_list: [] }),
  });
  return (await res.json()).data.packages;
}

const rows = () => wb.locator('table.d-new-table tbody tr.d-new-table-row');
const transitRowIds = () => transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.packageId));

/** Waits until transit.html (reloaded, so a stopped worker starts again) lists `n` rows. */
async function transitShows(n) {
  await transit.reload();
  await transit.waitForFunction((want) => document.querySelectorAll('[data-testid="transit-row"]').length === want, n, { timeout: 20_000 });
}

/** Pages the workbench's list to page `n` and waits until its rows have replaced the last ones. */
async function toPage(n) {
  const first = await rows().first().getAttribute('data-row-key');
  await wb.locator('.d-pagination .d-pagination-item', { hasText: new RegExp(`^${n}$`) }).click();
  await wb.waitForFunction((id) => {
    const tr = document.querySelector('table.d-new-table tbody tr.d-new-table-row');
    return tr && tr.getAttribute('data-row-key') !== id && !document.querySelector('.d-new-table-loading');
  }, first);
}

describe('transit: the live snapshot across worker restarts', { timeout: 180_000 }, () => {
  before(async () => {
    replica = await startReplica({ seed: 25, orders: 200 });
    browser = await launch({ locale: 'zh-CN' });
    wb = await browser.context.newPage();
    transit = await openExtensionPage(browser.context, browser.extensionId, 'transit.html');
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('loses nothing collected, routed or edited when the worker stops between list pages', async () => {
    const pending = [];
    for (const n of [1, 2, 3]) pending.push((await listPage(n)).filter(isWaiting).map((p) => p.packageId));
    assert.ok(pending.every((p) => p.length > 0), 'every page has pending packages');
    await wb.goto(`${replica.url}/app-order/order/query`);
    await rows().first().waitFor();
    await transitShows(pending[0].length);
    await toPage(2);
    await transitShows(pending[0].length + pending[1].length);

    // A route and an edit, acknowledged before the worker stops.
    const [routed, edited] = [pending[0][0], pending[1][0]];
    const row = (id) => transit.locator(`[data-testid="transit-row"][data-package-id="${id}"]`);
    await row(routed).getByTestId('route-select').selectOption('supplier');
    await transit.waitForFunction((id) => document.querySelector(`[data-testid="transit-row"][data-package-id="${id}"]`)?.dataset.route === 'supplier', routed);
    await row(edited).getByTestId('edit-notes').fill('加急，周五前到仓');
    await row(edited).getByTestId('edit-notes').press('Tab');
    await transit.waitForFunction((id) => document.querySelector(`[data-testid="transit-row"][data-package-id="${id}"] [data-testid="edit-notes"]`)?.dataset.saved === '加急，周五前到仓', edited);

    // Stopped between pages: the next page's answer meets a fresh worker, which opens the
    // stored base and change records and adds to them.
    await stopServiceWorkers(browser.context, transit);
    await toPage(3);
    const all = [...pending[0], ...pending[1], ...pending[2]];
    await transitShows(all.length);
    await stopServiceWorkers(browser.context, transit);
    await transitShows(all.length);
    assert.deepEqual((await transitRowIds()).sort(), [...all].sort());
    assert.equal(await row(routed).getAttribute('data-route'), 'supplier');
    assert.equal(await row(edited).getByTestId('edit-notes').inputValue(), '加急，周五前到仓');
  });
});
