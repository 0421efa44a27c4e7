// The shop's stored base in shards rewritten in place, end to end with the build whose storage
// holds chrome.storage.local's 10 MB (the manifest's `unlimitedStorage` removed, see
// `limitedStorageExtension`: a base stored twice must fail here, not pass unnoticed): about 9,000 waiting orders collected
// the real way (the replica's 待发货 list paged through at 500 rows a page), across several
// compactions, are every one held, by this worker and by a fresh one that opens the stored head,
// shards and change records; the store stays well under its quota (a base stored twice during a
// compaction went over it at 10,000 pending and lost the orders of that write).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, limitedStorageExtension, openExtensionPage, stopServiceWorkers } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { packages, pageThrough } from './lib/big-shop.mjs';

const SHOP = '小红薯的杂货铺';
const N = 9_000;
const MB = 2 ** 20;
const PAGE = '/api/edith/fulfillment/order/page';

let replica; let browser; let ext;

/** Sends a message from the extension page; throws on a refusal. */
async function send(type, payload) {
  const res = await ext.evaluate((msg) => chrome.runtime.sendMessage(msg), { type, payload });
  if (!res?.ok) throw new Error(`${type} failed: ${JSON.stringify(res?.error)}`);
  return res.data;
}

/** The pending orders the worker holds once it holds `n` (or what it holds after a bounded wait). */
async function held(n) {
  let rows = 0;
  for (let i = 0; i < 240 && rows < n; i++) {
    rows = (await send('transit.view', { shop: SHOP, limit: 1 })).view?.totalRows ?? 0;
    if (rows < n) await ext.waitForTimeout(500);
  }
  return rows;
}

describe('transit: a big shop stored in shards within chrome.storage.local', { timeout: 600_000 }, () => {
  before(async () => {
    replica = await startReplica({ orders: 0, dailyQuota: 100000 });
    browser = await launch({ locale: 'zh-CN', extension: limitedStorageExtension() });
    ext = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('holds every one of 9,000 orders collected across compactions, after a restart too', async (t) => {
    const manifest = await ext.evaluate(() => chrome.runtime.getManifest());
    assert.ok(!manifest.permissions.includes('unlimitedStorage'), 'a build with 10 MB of storage');
    await replica.hook('orders', { packages: packages(N) });
    const list = await browser.context.newPage();
    await list.goto(`${replica.url}/app-order/order/query?tab=pending`);
    const total = await list.evaluate(async (path) => (await (await fetch(path, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ page_no: 1, page_size: 1, status: [4, 5], time_range_list: [] }),
    })).json()).data.total, PAGE);
    assert.ok(total >= N, `the replica lists ${total} waiting orders`);
    await pageThrough(list, Math.ceil(total / 500));
    assert.equal(await held(total), total, 'every order collected is held');
    const bytes = await ext.evaluate(() => chrome.storage.local.getBytesInUse(null));
    assert.ok(bytes < 8 * MB, `stored ${(bytes / MB).toFixed(1)} MB: well under the 10 MB quota`);
    // The base is in shards: many records, none of them the whole base.
    const sizes = await ext.evaluate(async () => Object.values(await chrome.storage.local.get(null)).map((v) => JSON.stringify(v).length));
    const biggest = Math.max(...sizes);
    t.diagnostic(`${total} orders held; ${(bytes / MB).toFixed(2)} MB in ${sizes.length} records, the biggest ${(biggest / 1024).toFixed(0)} KB`);
    assert.ok(biggest < bytes / 4, `the biggest record is ${(biggest / MB).toFixed(2)} MB of ${(bytes / MB).toFixed(1)} MB`);
    // Compacted: shards of 667 to 2,000 orders (over 400 KB sealed each), where change records
    // of a 500-row page are about 330 KB; without a compaction there would be one shard of 500.
    const shards = sizes.filter((n) => n > 400 * 1024).length;
    t.diagnostic(`${shards} records over 400 KB; sizes ${sizes.map((n) => Math.round(n / 1024)).sort((a, b) => b - a).join(', ')} KB`);
    assert.ok(shards >= 5, `${shards} shard-sized records: the base was compacted into shards`);

    // The quota dashboard's figures from the orders (the limit's tier from the paid orders per
    // day, the raise helper's route counts): after a restart they come from the stored tally,
    // without opening the shop's records, and are the same.
    const figures = async () => {
      const v = (await send('quota.dashboard', { shop: SHOP })).view;
      return { limit: v.limit, limitSource: v.limitSource, tomorrow: v.forecast.tomorrow, raise: v.raise };
    };
    const before = await figures();
    await list.close();
    await stopServiceWorkers(browser.context, ext);
    await ext.reload();
    assert.deepEqual(await figures(), before, 'the dashboard from the tally, after a restart');
    t.diagnostic(`the dashboard's figures: ${JSON.stringify(before)}`);
    // A fresh worker opens the head, its shards and the change records after them.
    assert.equal(await held(total), total, 'every order held after a restart');
    const view = (await send('transit.view', { shop: SHOP, limit: 1 })).view;
    assert.equal(view.totalRows, total);
  });
});
