// 查看 clicked row after row as fast as the page shows the plain text (as the page benchmark
// does): the page's reports queue faster than the worker records them one message at a time, so
// content/observe-quota.js sends what queued in one `quota.batch`. Every decrypt is still counted
// once, from the request AND from the page, exactly as the platform counted; and waiting in that
// queue is not taken for a view that went unrecorded (no `quota.silent`, no `?` on the badge).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { currentWorker, launch, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { numbers, settle } from './lib/popup.mjs';

const LIST = '/app-order/order/query';
const ROWS = 'table.d-new-table tbody tr.d-new-table-row';
const CLICKS = 100;
const PAGE_SIZE = 500;

/** In the page: clicks 查看 on `count` rows from `from`, each once the one before shows plain. */
async function clickRows({ from, count }) {
  const tbody = document.querySelector('table.d-new-table tbody');
  const rows = [...tbody.querySelectorAll('tr.d-new-table-row')].slice(from, from + count);
  const ids = [];
  for (const row of rows) {
    const key = row.getAttribute('data-row-key');
    ids.push(row.textContent.match(/P\d{15,}/)[0]);
    const done = new Promise((resolve, reject) => {
      const t = setTimeout(() => { mo.disconnect(); reject(new Error(`decrypt of ${key} did not show`)); }, 20000);
      const mo = new MutationObserver(() => {
        const r = tbody.querySelector(`tr[data-row-key="${key}"]`);
        if (r && !r.querySelector('button[title="查看"]')) { clearTimeout(t); mo.disconnect(); resolve(); }
      });
      mo.observe(tbody, { childList: true, subtree: true, characterData: true });
    });
    row.querySelector('button[title="查看"]').click();
    await done;
  }
  return ids;
}

describe('查看 clicked as fast as the page answers', { timeout: 180_000 }, () => {
  let replica; let browser; let page; let popup;

  before(async () => {
    replica = await startReplica({ seed: 21, orders: 600, dailyQuota: 1000 });
    browser = await launch();
    page = await browser.context.newPage();
    await page.goto(`${replica.url}${LIST}`);
    await page.locator(ROWS).first().waitFor();
    // 500 rows a page, as the benchmark shows them: each click's re-render is the page's slowest.
    await page.locator('.d-pagination .d-select').click();
    await page.locator('.d-popover .d-option-name', { hasText: `${PAGE_SIZE} 条/页` }).click();
    await page.locator(ROWS).nth(PAGE_SIZE - 1).waitFor();
    popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  });

  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it(`counts ${CLICKS} decrypts once each, from the request and the page, and reports none unrecorded`, async () => {
    const shown = await page.locator(ROWS).count();
    assert.ok(shown >= CLICKS, `rows shown: ${shown}`);
    const ids = await page.evaluate(clickRows, { from: 0, count: CLICKS });
    const platform = (await replica.log()).decrypts.filter((d) => d.charged).map((d) => d.package_id);
    assert.deepEqual([...new Set(ids)].sort(), [...platform].sort(), 'the platform charged each clicked row once');
    const dashboard = () => popup.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.dashboard', payload: {} }));
    const facts = await settle(async () => (await dashboard()).data.view.pageFacts, (f) => f.decrypts.both === CLICKS);
    assert.equal(facts.decrypts.both, CLICKS, `each decrypt seen from the request and the page: ${JSON.stringify(facts.decrypts)}`);
    assert.equal(facts.decrypts.request + facts.decrypts.page, 0, JSON.stringify(facts.decrypts));
    const got = await settle(() => numbers(popup), (n) => n.used === CLICKS);
    assert.deepEqual(got, { used: CLICKS, limit: 1000, remaining: 1000 - CLICKS });
    // Every page report is recorded by now: a `quota.silent` sent meanwhile has arrived too.
    assert.deepEqual((await dashboard()).data.view.pageFacts.silent, [], 'no view reported unrecorded');
    const badge = await (await currentWorker(browser.context, browser.extensionId)).evaluate(() => chrome.action.getBadgeText({}));
    assert.equal(badge, String(1000 - CLICKS));
  });
});
