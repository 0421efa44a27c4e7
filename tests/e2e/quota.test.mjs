// The decrypt-quota ledger end to end: the real extension in Chromium over the workbench
// replica, compared with what the replica's platform counted (GET /__test/log). Decrypts from
// several tabs at once, repeats, a service worker stopped between decrypts, refusal at zero,
// the privacy board winning over our count, the page's own quota answer right after a decrypt
// (counted once), and China midnight passing under a faked clock
// (libfaketime on the browser, /__test/clock on the replica) in two time zones.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fillStorage, launch, limitedStorageExtension, openExtensionPage, stopServiceWorkers } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { numbers, settle, sleep } from './lib/popup.mjs';

const LIST = '/app-order/order/query';
const PRIVACY = '/app-order/privacy';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
const QUOTA = '/api/edith/privacy/decrypt/quota';
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const ZH_PAK = '/usr/lib/chromium/locales/zh-CN.pak';
const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;

const chinaDay = (ms) => new Date(ms + CHINA_MS).toISOString().slice(0, 10);

async function openList(page, url) {
  await page.goto(`${url}${LIST}`);
  await page.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
}

/** A new tab on the order list, and the popup beside it. */
async function listAndPopup(browser, url) {
  const page = await browser.context.newPage();
  await openList(page, url);
  return { page, popup: await openExtensionPage(browser.context, browser.extensionId, 'popup.html') };
}

/** Closes what a suite opened (either may be missing when its `before` failed). */
async function closeAll(browser, replica) {
  await browser?.close();
  await replica?.stop();
}

const listIds = (page) => page.$$eval('table.d-new-table tbody tr.d-new-table-row',
  (trs) => trs.map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0]));

/** Clicks 查看 on the row of `id` and waits until the page has the platform's answer. */
async function decrypt(page, id) {
  const answered = page.waitForResponse((r) => r.url().endsWith(DECRYPT));
  await page.locator('table.d-new-table tbody tr', { hasText: id }).locator('.d-button', { hasText: '查看' }).click();
  return (await answered).json();
}


/** Polls `read` until `ok(value)` or the timeout; returns the last value (assert on it). */

async function chargedOn(replica, day) {
  return (await replica.log()).decrypts.filter((d) => d.charged && (!day || d.day === day));
}

async function logRows(popup) {
  return popup.getByTestId('quota-log-row').evaluateAll((rows) => rows.map((r) => ({
    id: r.dataset.packageId, charged: r.dataset.charged, outcome: r.dataset.outcome,
  })));
}

describe('quota ledger over the replica', { timeout: 180_000 }, () => {
  let replica; let browser; let tabs; let popup; let ids;

  before(async () => {
    replica = await startReplica({ seed: 11, orders: 80, dailyQuota: 40 });
    // The build whose storage holds 10 MB: one test fills it (a full disk).
    browser = await launch({ extension: limitedStorageExtension() });
    tabs = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.context.newPage();
      await openList(page, replica.url);
      tabs.push(page);
    }
    ids = await listIds(tabs[0]);
    assert.ok(ids.length >= 20, 'enough rows on the first page');
    popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  });

  after(() => closeAll(browser, replica));

  it('counts 15 decrypts made from 3 tabs at once exactly as the platform does', async () => {
    // Each tab decrypts its own five rows; the tabs run concurrently.
    await Promise.all(tabs.map(async (page, t) => {
      for (const id of ids.slice(t * 5, t * 5 + 5)) await decrypt(page, id);
    }));
    const charged = await chargedOn(replica);
    assert.equal(charged.length, 15);
    const got = await settle(() => numbers(popup), (n) => n.used === 15);
    assert.deepEqual(got, { used: charged.length, limit: 40, remaining: 25 }, 'popup after 15 decrypts');
    const rows = await settle(() => logRows(popup), (r) => r.length === 15);
    assert.deepEqual(rows.map((r) => r.id).sort(), charged.map((d) => d.package_id).sort(), 'log rows = charged packages');
    assert.ok(rows.every((r) => r.charged === 'true'));
  });

  it('a repeat of the same order in another tab is free', async () => {
    await decrypt(tabs[2], ids[0]);
    const last = (await replica.log()).decrypts.at(-1);
    assert.deepEqual([last.package_id, last.charged], [ids[0], false], 'the platform did not charge the repeat');
    const rows = await settle(() => logRows(popup), (r) => r.length === 16);
    assert.equal(rows.length, 16);
    assert.deepEqual(rows.filter((r) => r.charged === 'false').map((r) => r.id), [ids[0]], 'the repeat is listed free');
    assert.equal((await numbers(popup)).used, (await chargedOn(replica)).length);
  });

  it('a service worker stopped between decrypts loses nothing', async () => {
    await stopServiceWorkers(browser.context, popup);
    await decrypt(tabs[0], ids[15]);
    await stopServiceWorkers(browser.context, popup);
    await decrypt(tabs[1], ids[16]);
    await stopServiceWorkers(browser.context, popup);
    await popup.reload();
    const expected = (await chargedOn(replica)).length;
    assert.equal(expected, 17);
    const got = await settle(() => numbers(popup), (n) => n.used === expected);
    assert.equal(got.used, expected);
  });

  it('a decrypt made while the browser storage is full is kept, the user is told, and it is counted once there is room', async () => {
    const counted = (await chargedOn(replica)).length;
    await settle(() => numbers(popup), (n) => n.used === counted);
    // Fill RedShip's storage to the last byte (an item counts its key and its JSON): the
    // ledger's next save grows, so it fails with StorageFull and writes nothing.
    await fillStorage(popup, 'test.filler');
    try {
      await decrypt(tabs[0], ids[20]);
      const shown = await settle(() => popup.evaluate(() => chrome.notifications.getAll()), (n) => 'redship:storage-full' in n);
      assert.ok('redship:storage-full' in shown, `the user is told: ${JSON.stringify(shown)}`);
      assert.equal(await popup.evaluate(() => chrome.action.getBadgeText({})), '!');
      // The popup still shows the numbers, and says that nothing new is saved.
      await popup.reload();
      await popup.locator('#error[data-storage="full"], #error[data-storage="low"]').waitFor();
      assert.equal((await numbers(popup)).used, counted, 'the decrypt is not counted before it is saved');
      await sleep(1000);
      assert.equal(await popup.evaluate(() => chrome.storage.local.getBytesInUse(null)), await popup.evaluate(() => chrome.storage.local.QUOTA_BYTES));
    } finally {
      await popup.evaluate(() => chrome.storage.local.remove('test.filler'));
      await popup.evaluate(() => chrome.notifications.clear('redship:storage-full'));
    }
    // Room again: the page sends the decrypt it kept (within its 15 s retry), counted once.
    const expected = (await chargedOn(replica)).length;
    assert.equal(expected, counted + 1);
    await popup.reload();
    const got = await settle(() => numbers(popup), (n) => n.used === expected, 40_000);
    assert.equal(got.used, expected);
    const rows = await settle(() => logRows(popup), (r) => r.some((x) => x.id === ids[20]));
    assert.deepEqual(rows.filter((r) => r.id === ids[20]).map((r) => r.charged), ['true'], 'listed once, charged');
  });

  it('a refusal at zero is recorded and shown, and the badge says 0', async () => {
    const used = (await chargedOn(replica)).length;
    await replica.hook('quota', { daily_quota: used });
    const answer = await decrypt(tabs[1], ids[17]);
    assert.equal(answer.success, false);
    assert.equal(answer.msg, '今日解密次数已用完');
    const got = await settle(() => numbers(popup), (n) => n.remaining === 0);
    assert.deepEqual(got, { used, limit: used, remaining: 0 }, 'popup after the refusal');
    const rows = await settle(() => logRows(popup), (r) => r.some((x) => x.id === ids[17]));
    assert.deepEqual(rows.filter((r) => r.id === ids[17]), [{ id: ids[17], charged: 'false', outcome: 'refused' }], 'the refusal is listed');
    const badge = await settle(() => popup.evaluate(() => chrome.action.getBadgeText({})), (b) => b === '0');
    assert.equal(badge, '0');
    // Nothing left: one notification, the most severe warning of the day.
    const shown = await settle(() => popup.evaluate(() => chrome.notifications.getAll()), (n) => Object.keys(n).length > 0);
    assert.deepEqual(Object.keys(shown).map((k) => k.split(':').at(-1)), ['100'], 'one notification: none left');
  });

  it('the privacy board showing a different used count wins over our count', async () => {
    await replica.hook('quota', { daily_quota: 40, used: 25 });
    await tabs[0].goto(`${replica.url}${PRIVACY}`);
    await tabs[0].locator('.d-statistic-used', { hasText: '25' }).waitFor();
    const got = await settle(() => numbers(popup), (n) => n.used === 25 && n.limit === 40);
    assert.deepEqual(got, { used: 25, limit: 40, remaining: 15 }, 'popup follows the board');
    assert.equal(await settle(() => popup.evaluate(() => chrome.action.getBadgeText({})), (b) => b === '15'), '15');
  });

  it('a request object the page reuses for a second decrypt counts both decrypts', async () => {
    // Decrypt answers are looked for from timer tasks, not listened for: an XMLHttpRequest opened
    // again inside its own load handler must not lose the first answer.
    const [a, b] = [ids[18], ids[19]];
    const answers = await tabs[0].evaluate(([url, first, second]) => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const got = [];
      const ask = (id) => {
        xhr.open('POST', url);
        xhr.setRequestHeader('content-type', 'application/json');
        xhr.send(JSON.stringify({ package_id: id, action_type: 1 }));
      };
      xhr.onload = () => {
        got.push(JSON.parse(xhr.responseText).success);
        if (got.length === 1) ask(second); else resolve(got);
      };
      xhr.onerror = () => reject(new Error('network'));
      ask(first);
    }), [DECRYPT, a, b]);
    assert.deepEqual(answers, [true, true], 'the platform decrypted both');
    const rows = await settle(() => logRows(popup), (r) => [a, b].every((id) => r.some((x) => x.id === id)));
    assert.deepEqual(rows.filter((r) => r.id === a || r.id === b).map((r) => [r.id, r.charged]).sort(), [[a, 'true'], [b, 'true']].sort());
  });

  it('the options page edits the tier table and thresholds, and rejects a bad table', async () => {
    const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    const table = options.getByTestId('tier-table');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 5);
    await options.getByTestId('thresholds').locator('input[name="warnPercent"]').fill('95');
    await options.getByTestId('quota-settings-save').click();
    await options.locator('p[role="status"].error').waitFor();
    // The refusal names both thresholds, Chinese first (the core's message, as for every import error).
    const refusal = await options.locator('p[role="status"].error').textContent();
    assert.match(refusal, /[\u4e00-\u9fff].*90%.*95%/s, refusal);
    await options.getByTestId('thresholds').locator('input[name="warnPercent"]').fill('60');
    await options.getByTestId('quota-settings-save').click();
    await options.locator('p[role="status"].ok').waitFor();
    const saved = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.settings.get', payload: {} }));
    assert.equal(saved.data.settings.warnPercent, 60);
    await options.close();
  });

  it('a workbench whose date is not the computer\'s is named in plain words on the options page', async () => {
    // The platform's clock three days ahead: its privacy board answers with another date.
    const platformNow = Date.now() + 3 * DAY_MS;
    await replica.hook('clock', { now: platformNow });
    try {
      await tabs[0].goto(`${replica.url}${PRIVACY}`);
      await tabs[0].locator('.d-statistic-used').first().waitFor();
      const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
      const logged = () => options.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.settings.get', payload: {} }));
      await settle(logged, (r) => r.data.problems.some((p) => p.kind === 'clockDiffers'));
      await options.reload();
      const item = options.locator('[data-testid="quota-problems"] li[data-kind="clockDiffers"]');
      await item.waitFor();
      const meant = await options.evaluate((days) => chrome.i18n.getMessage('quotaProblemClockDiffers', days), [chinaDay(platformNow), chinaDay(Date.now())]);
      assert.ok(meant.includes(chinaDay(platformNow)) && (await item.textContent()).endsWith(meant), await item.textContent());
      // The technical detail stays available to support, in the tooltip.
      assert.match(await item.getAttribute('title'), /^page: the workbench says/);
      await options.close();
    } finally {
      await replica.hook('clock', { now: Date.now() });
    }
  });
});

// Once on the replica's seen shape and once on the first spellings (`--shape legacy`).
for (const shape of ['seen', 'legacy']) describe(`the page's own quota answer right after a decrypt (${shape} shape)`, { timeout: 120_000 }, () => {
  let replica; let browser; let page; let popup;

  before(async () => {
    // Three rows: the page re-renders in well under a millisecond, so nothing delays the hook.
    replica = await startReplica({ seed: 5, orders: 3, dailyQuota: 40, shape });
    browser = await launch();
    ({ page, popup } = await listAndPopup(browser, replica.url));
  });

  after(() => closeAll(browser, replica));

  it('is not taken as a second count of that decrypt', async () => {
    // As the workbench does: once a decrypt is answered, the page asks for its quota, and the
    // platform's answer already counts that decrypt. It arrives while RedShip's hook has not yet
    // looked at the decrypt answer (it looks from a timer, every 20 ms).
    const ids = await listIds(page);
    assert.equal(ids.length, 3);
    const said = [];
    for (const id of ids) {
      said.push(await page.evaluate(([url, quota, packageId]) => new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url);
        xhr.setRequestHeader('content-type', 'application/json');
        xhr.onload = () => {
          const q = new XMLHttpRequest();
          q.open('GET', quota);
          q.onload = () => resolve(JSON.parse(q.responseText).data.used);
          q.onerror = () => reject(new Error('network'));
          q.send();
        };
        xhr.onerror = () => reject(new Error('network'));
        xhr.send(JSON.stringify({ package_id: packageId, action_type: 1 }));
      }), [DECRYPT, QUOTA, id]));
      await sleep(100); // a person's pace: each decrypt and its quota answer on their own
    }
    assert.deepEqual(said, [1, 2, 3], 'the platform counted one per order');
    const rows = await settle(() => logRows(popup), (r) => r.length === 3);
    assert.equal(rows.length, 3);
    // The last quota answer reaches the ledger after the last decrypt's row: let it, and the
    // popup's redraw, happen (counted twice, the number would be 4 by then and stay there).
    await sleep(1000);
    const got = await numbers(popup);
    assert.deepEqual(got, { used: 3, limit: 40, remaining: 37 }, 'three decrypts, counted once each');
  });
});

for (const tz of [undefined, 'America/Los_Angeles']) {
  describe(`China midnight under a faked clock (TZ=${tz ?? 'machine default'})`, { timeout: 180_000, skip: !existsSync(LIBFAKETIME) && 'libfaketime missing' }, () => {
    let replica; let browser; let page; let popup; let midnight; let offsetMs;

    before(async () => {
      // 23:59:30 China time on a day after today (an offset of whole seconds for libfaketime).
      const realNow = Date.now();
      midnight = (Math.floor((realNow + CHINA_MS) / DAY_MS) + 2) * DAY_MS - CHINA_MS;
      offsetMs = Math.round((midnight - 30_000 - realNow) / 1000) * 1000;
      replica = await startReplica({ seed: 5, orders: 40, dailyQuota: 20, now: Date.now() + offsetMs });
      const env = { LD_PRELOAD: LIBFAKETIME, FAKETIME: `+${offsetMs / 1000}` };
      if (tz) env.TZ = tz;
      browser = await launch({ env, locale: tz ? 'zh-CN' : 'en-US' });
      await replica.hook('clock', { now: Date.now() + offsetMs });
      ({ page, popup } = await listAndPopup(browser, replica.url));
    });

    after(() => closeAll(browser, replica));

    it('rolls over to a new day at 00:00 China time: counts reset, yesterday in the history', async () => {
      const browserNow = await page.evaluate(() => Date.now());
      assert.ok(Math.abs(browserNow - (Date.now() + offsetMs)) < 5000, 'the browser runs on the faked clock');
      const before = chinaDay(midnight - 1);
      const after = chinaDay(midnight);
      const ids = await listIds(page);
      for (const id of ids.slice(0, 3)) await decrypt(page, id);
      assert.ok((await page.evaluate(() => Date.now())) < midnight, 'decrypts done before midnight');
      const early = await settle(() => numbers(popup), (n) => n.used === 3);
      assert.equal(early.used, (await chargedOn(replica, before)).length);
      assert.equal(await popup.getByTestId('core-day').getAttribute('data-day'), before);

      // Wait for midnight in the browser's (faked) clock.
      while ((await page.evaluate(() => Date.now())) < midnight + 1500) await sleep(500);
      // The open popup rolls over by itself: today is new and empty.
      const rolled = await settle(() => numbers(popup), (n) => n.used === 0, 8000);
      assert.deepEqual(rolled, { used: 0, limit: 20, remaining: 20 });
      assert.equal(await settle(() => popup.getByTestId('core-day').getAttribute('data-day'), (d) => d === after), after);

      // The same order is charged again on the new day; the platform agrees.
      await openList(page, replica.url);
      await decrypt(page, ids[0]);
      await decrypt(page, ids[3]);
      const today = await chargedOn(replica, after);
      assert.equal(today.length, 2);
      const got = await settle(() => numbers(popup), (n) => n.used === 2);
      assert.equal(got.used, today.length);
      const rows = await settle(() => logRows(popup), (r) => r.length === 2);
      assert.deepEqual(rows.map((r) => r.id).sort(), [ids[0], ids[3]].sort());
      const bar = (day) => popup.locator(`[data-testid="quota-history"] rect[data-day="${day}"]`);
      assert.equal(await bar(before).getAttribute('data-used'), '3');
      assert.equal(await bar(after).getAttribute('data-used'), '2');
      assert.equal(await settle(() => popup.evaluate(() => chrome.action.getBadgeText({})), (b) => b === '18'), '18');
      // Chrome shows an extension in Chinese only when its own zh-CN language pack is installed
      // (Debian: chromium-l10n); without it every extension falls back to English.
      if (tz && existsSync(ZH_PAK)) assert.match(await popup.locator('body').innerText(), /今日已用/, 'Chinese UI');
    });
  });
}
