// The site self-check (站点自检), end to end: after browsing the list it is green with what was
// read; the diagnostic report names field paths and types and holds no buyer data, order ID or
// tracking number; and when the page's list answers come in a shape RedShip cannot read (here
// each package's ID under a name the profile does not know), the popup's line turns red and the
// badge says `?` within seconds of the list rendering — instead of numbers that may be wrong.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';

const PAGE = '/api/edith/fulfillment/order/page';

describe('site self-check', { timeout: 180_000 }, () => {
  let replica; let browser; let wb;
  before(async () => {
    replica = await startReplica({ seed: 9, orders: 60 });
    browser = await launch({ locale: 'zh-CN' });
    wb = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('is green after a readable list, and its report carries names and types, never data', async () => {
    await wb.goto(`${replica.url}/app-order/order/query`);
    await wb.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
    const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    const lists = options.locator('[data-testid="selfcheck-row"][data-id="lists"]');
    await options.waitForFunction(() => document.querySelector('[data-testid="selfcheck-row"][data-id="lists"]')?.dataset.level === 'ok', null, { timeout: 15_000 })
      .catch(async (e) => { throw new Error(`${e.message}: ${await lists.textContent().catch(() => '(no line)')}`); });
    assert.match(await lists.textContent(), /个包裹/);
    const report = await options.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'selfcheck.report', payload: {} })).data.text);
    assert.match(report, /userInfo\.name: string/);
    assert.match(report, /skus\[\]\.displayName: string/);
    const listed = (await (await fetch(replica.url + PAGE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ page_no: 1, page_size: 50, status: [], time_range_list: [] }) })).json()).data.packages;
    for (const p of listed) {
      assert.ok(!report.includes(p.packageId), `order ID ${p.packageId} in the report`);
      assert.ok(!report.includes(p.orderId), `order ${p.orderId} in the report`);
      for (const v of [p.userInfo?.name, p.userInfo?.phone, p.userInfo?.address, p.userInfo?.note].filter((x) => x && x.length > 2)) {
        assert.ok(!report.includes(v), `buyer field ${v} in the report`);
      }
    }
    await options.close();
  });

  it('a list answer RedShip cannot read turns the popup line red and the badge to ?', async () => {
    const other = await browser.context.newPage();
    // The page's answers now spell the package ID `packageNo`: the page renders them, the
    // profile has no such name, so no package can be read.
    await other.route(`**${PAGE}`, async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      for (const p of json.data?.packages || []) { p.packageNo = p.packageId; delete p.packageId; }
      await route.fulfill({ response: res, json });
    });
    await other.goto(`${replica.url}/app-order/order/query?tab=pending`);
    await other.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
    const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
    const line = popup.getByTestId('selfcheck-line');
    await popup.waitForFunction(() => document.querySelector('[data-testid="selfcheck-line"]')?.dataset.level === 'error', null, { timeout: 20_000 })
      .catch(async (e) => { throw new Error(`${e.message}: ${await line.textContent().catch(() => '(no line)')}`); });
    assert.match(await line.textContent(), /失败/);
    const badge = await popup.evaluate(() => chrome.action.getBadgeText({}));
    assert.equal(badge, '?');
    // Reading the list again in the readable shape clears it.
    await other.close();
    await wb.goto(`${replica.url}/app-order/order/query?tab=pending`);
    await popup.waitForFunction(() => document.querySelector('[data-testid="selfcheck-line"]')?.dataset.level !== 'error', null, { timeout: 20_000 });
    await popup.close();
  });
});
