// Decrypts seen on the page (issue 24): the replica's decrypt is moved to a path no file of the
// extension names (POST /__test/decrypt-path), so the page-world hook never sees a decrypt
// answer; RedShip must count each decrypt from what the page shows — the row's buyer fields
// turning from masked to plain after its 查看 click — exactly as the platform does (GET
// /__test/log), read refusals from the toast, say `?` when a view it saw was not recorded, and
// learn the moved path from the requests sent as rows turned plain.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { currentWorker, launch, openExtensionPage, stopServiceWorkers } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { numbers, settle } from './lib/popup.mjs';

const LIST = '/app-order/order/query';
const MOVED = '/api/edith/zz/moved/receiver/open';
const ROWS = 'table.d-new-table tbody tr.d-new-table-row';

async function openList(page, url) {
  await page.goto(`${url}${LIST}`);
  await page.locator(ROWS).first().waitFor();
}

const listIds = (page) => page.$$eval(ROWS, (trs) => trs.map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0]));

/** Clicks the row's 查看 button and waits for the platform's answer (at the moved path). */
async function decrypt(page, id) {
  const answered = page.waitForResponse((r) => r.url().endsWith(MOVED));
  await page.locator(ROWS, { hasText: id }).locator('.d-button', { hasText: '查看' }).click();
  return (await answered).json();
}


async function logRows(popup) {
  return popup.getByTestId('quota-log-row').evaluateAll((rows) => rows.map((r) => ({
    id: r.dataset.packageId, charged: r.dataset.charged, outcome: r.dataset.outcome,
  })));
}


const charged = async (replica) => (await replica.log()).decrypts.filter((d) => d.charged);

describe('decrypts seen on the page, the decrypt at an unknown path', { timeout: 240_000 }, () => {
  let replica; let browser; let tabs; let popup; let ids;

  const badge = async () => (await currentWorker(browser.context, browser.extensionId)).evaluate(() => chrome.action.getBadgeText({}));
  const dashboard = () => popup.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.dashboard', payload: {} }));

  before(async () => {
    replica = await startReplica({ seed: 13, orders: 60, dailyQuota: 40 });
    await replica.hook('decrypt-path', { path: MOVED });
    browser = await launch();
    tabs = [];
    for (let i = 0; i < 2; i++) {
      const page = await browser.context.newPage();
      await openList(page, replica.url);
      tabs.push(page);
    }
    ids = await listIds(tabs[0]);
    assert.ok(ids.length >= 12, 'enough rows');
    popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  });

  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('counts decrypts clicked in two tabs, with repeats and a stopped worker, as the platform does', async () => {
    await Promise.all(tabs.map(async (page, t) => {
      for (const id of ids.slice(t * 3, t * 3 + 3)) await decrypt(page, id);
    }));
    // Repeats: the same orders viewed in the other tab are free.
    await decrypt(tabs[1], ids[0]);
    await decrypt(tabs[0], ids[3]);
    await stopServiceWorkers(browser.context, popup);
    await decrypt(tabs[0], ids[6]);
    await stopServiceWorkers(browser.context, popup);
    await decrypt(tabs[1], ids[7]);
    await stopServiceWorkers(browser.context, popup);
    await popup.reload();
    const platform = await charged(replica);
    assert.equal(platform.length, 8);
    const rows = await settle(() => logRows(popup), (r) => r.length === 10);
    assert.deepEqual(rows.filter((r) => r.charged === 'true').map((r) => r.id).sort(), platform.map((d) => d.package_id).sort(), 'charged rows = the platform\'s charged packages');
    assert.deepEqual(rows.filter((r) => r.outcome === 'repeat').map((r) => r.id).sort(), [ids[0], ids[3]].sort(), 'the repeats are listed free');
    const got = await settle(() => numbers(popup), (n) => n.used === platform.length);
    assert.deepEqual(got, { used: platform.length, limit: 40, remaining: 40 - platform.length });
    // Seen by the page (the hook knew nothing of the moved request) — and, once the moved path
    // was learned from the first decrypts, by its answers too: never by the request alone.
    // The page's signal of a decrypt comes after its answer (the row turns plain, the next poll
    // sees it, the report may wait for a restarting worker): wait until every entry has it.
    const facts = await settle(async () => (await dashboard()).data.view.pageFacts, (f) => f.decrypts.request === 0 && f.decrypts.page + f.decrypts.both === 10);
    assert.equal(facts.decrypts.request, 0, JSON.stringify(facts.decrypts));
    assert.equal(facts.decrypts.page + facts.decrypts.both, 10, JSON.stringify(facts.decrypts));
    assert.ok(facts.decrypts.both >= 1, `the learned path's answers are decrypt answers: ${JSON.stringify(facts.decrypts)}`);
    assert.deepEqual(facts.silent, []);
    const learned = facts.decryptEndpoint;
    assert.deepEqual([learned?.path, learned?.keys], [MOVED, ['action_type', 'package_id']], JSON.stringify(learned));
    assert.ok(learned.seen >= 2);
    assert.equal(await badge(), String(40 - platform.length));
    // The self-check shows the learned path where the merchant looks (the options page).
    const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    const line = options.locator('[data-testid="selfcheck-row"][data-id="endpoints"]');
    await line.filter({ hasText: MOVED }).waitFor({ timeout: 15_000 });
    assert.equal(await line.getAttribute('data-level'), 'ok');
    const decrypts = options.locator('[data-testid="selfcheck-row"][data-id="decrypts"]');
    assert.notEqual(await decrypts.getAttribute('data-level'), 'error', await decrypts.textContent());
    await options.close();
  });

  it('a refusal the page shows is recorded as refused, not charged', async () => {
    const used = (await charged(replica)).length;
    await replica.hook('quota', { daily_quota: used });
    try {
      const answer = await decrypt(tabs[0], ids[8]);
      assert.equal(answer.success, false);
      // The toast is read on the page (the learned path's answer may say it first: one entry).
      const facts = await settle(async () => (await dashboard()).data.view.pageFacts, (f) => f.refusals === 1);
      assert.equal(facts.refusals, 1, 'the refusal the page showed');
      const rows = await settle(() => logRows(popup), (r) => r.some((x) => x.id === ids[8]));
      assert.deepEqual(rows.filter((r) => r.id === ids[8]), [{ id: ids[8], charged: 'false', outcome: 'refused' }]);
      const got = await settle(() => numbers(popup), (n) => n.remaining === 0);
      assert.deepEqual(got, { used, limit: used, remaining: 0 }, 'not charged; the platform said none is left');
      assert.equal((await charged(replica)).length, used);
    } finally {
      await replica.hook('quota', { daily_quota: 40 });
    }
  });

  it('a view the worker could not record shows ? and says why, until the next decrypt is counted', async () => {
    // The worker's storage fails for a moment (a disk error): the decrypt the page showed cannot
    // be saved. The page keeps it (and sends it again later), and says within seconds that a
    // view went unrecorded.
    const worker = await currentWorker(browser.context, browser.extensionId);
    await worker.evaluate(() => {
      const area = chrome.storage.local;
      const set = area.set.bind(area);
      globalThis.__failUntil = Date.now() + 2500;
      area.set = (items) => (Date.now() < globalThis.__failUntil ? Promise.reject(new Error('IO error: simulated disk failure')) : set(items));
    });
    const answer = await decrypt(tabs[1], ids[9]);
    assert.equal(answer.success, true);
    assert.equal(await settle(badge, (b) => b === '?', 12_000), '?', 'the badge says the number may be wrong');
    await popup.reload();
    const box = popup.getByTestId('quota-silent');
    await box.waitFor();
    const text = await box.innerText();
    const title = await popup.evaluate(() => chrome.i18n.getMessage('quotaSilentTitle'));
    assert.ok(text.includes(title) && text.includes(ids[9]), text);
    const facts = (await dashboard()).data.view.pageFacts;
    assert.deepEqual(facts.silent.map((s) => s.packageId), [ids[9]]);
    // The page sends the decrypt it kept again (every 15 s): counted once, and the `?` goes.
    // Kept reports go again in their order (the decrypt, then the quota answer the page received
    // after it), so the badge may pass through a state between them: wait for the final one.
    const platform = (await charged(replica)).length;
    const back = await settle(badge, (b) => b === String(40 - platform), 40_000);
    assert.equal(back, String(40 - platform));
    await popup.reload();
    const got = await settle(() => numbers(popup), (n) => n.used === platform);
    assert.equal(got.used, platform);
    assert.equal(await popup.getByTestId('quota-silent').isHidden(), true);
    const rows = await logRows(popup);
    assert.deepEqual(rows.filter((r) => r.id === ids[9]).map((r) => r.charged), ['true']);
  });
});
