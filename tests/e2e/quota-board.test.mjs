// Today's quota read the way the page shows it when the guesses are wrong: the replica answers
// its quota at a path no file of the extension names, with other field names, and draws the
// privacy board without the statistic block (value above caption, or one sentence). The numbers
// the board shows reach the popup and the badge; the answer is offered as the quota endpoint,
// confirmed by the board, and then counted by itself; the self-check says so (issue 24, item 2).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { numbers, settle } from './lib/popup.mjs';

const PRIVACY = '/app-order/privacy';
const MOVED = '/api/edith/x/privacy/usage';



for (const board of ['cards', 'sentence']) {
  describe(`the privacy board drawn as ${board}, the quota answered elsewhere`, () => {
    let replica;
    let browser;

    before(async () => {
      replica = await startReplica({ orders: 30 });
      await replica.hook('quota-form', { path: MOVED, board });
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await replica?.stop();
    });

    it('reads the board, learns the answer, and the self-check says so', async () => {
      await replica.hook('quota', { daily_quota: 30, used: 4 });
      const page = await browser.context.newPage();
      const answered = page.waitForResponse((r) => r.url().endsWith(MOVED));
      await page.goto(`${replica.url}${PRIVACY}`);
      assert.equal((await (await answered).json()).data.useNum, 4, 'the replica answers at the moved path');
      await page.getByText(board === 'cards' ? '今日已用' : '今日已解密').first().waitFor();
      const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
      const got = await settle(() => numbers(popup), (n) => n.used === 4 && n.limit === 30);
      assert.deepEqual(got, { used: 4, limit: 30, remaining: 26 }, 'the popup follows the board');
      assert.equal(await settle(() => popup.evaluate(() => chrome.action.getBadgeText({})), (b) => b === '26'), '26');

      const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
      const endpoints = options.locator('[data-testid="selfcheck-row"][data-id="endpoints"]');
      await endpoints.filter({ hasText: MOVED }).waitFor({ timeout: 15_000 });
      assert.match(await endpoints.textContent(), /额度请求|quota request/);
      const boardLine = options.locator('[data-testid="selfcheck-row"][data-id="board"]');
      assert.equal(await boardLine.getAttribute('data-level'), 'ok', await boardLine.textContent());
      await options.close();

      // Learned: the moved answer alone now moves the count (the board is not read again for
      // the same numbers, and a reload asks the moved path first).
      await replica.hook('quota', { used: 9 });
      await page.reload();
      const after = await settle(() => numbers(popup), (n) => n.used === 9);
      assert.deepEqual(after, { used: 9, limit: 30, remaining: 21 });
      await popup.close();
      await page.close();
    });
  });
}

describe('a board that names the quota in words RedShip cannot read', () => {
  let replica;
  let browser;

  before(async () => {
    replica = await startReplica({ orders: 30 });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('is amber on the self-check, and the count is left alone', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${replica.url}${PRIVACY}`);
    await page.locator('.d-statistic-used').waitFor();
    const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
    await settle(() => numbers(popup), (n) => n.limit > 0);
    const before = await numbers(popup);
    // The page redraws its block in a form with a number no label explains.
    await page.evaluate(() => {
      const block = document.querySelector('.d-statistic');
      block.textContent = '今日解密额度：请以 3 号文件为准';
    });
    const options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    const boardLine = options.locator('[data-testid="selfcheck-row"][data-id="board"]');
    await settle(async () => {
      await options.reload();
      return boardLine.getAttribute('data-level');
    }, (l) => l === 'warn', 15_000);
    assert.equal(await boardLine.getAttribute('data-level'), 'warn', await boardLine.textContent());
    assert.deepEqual(await numbers(popup), before, 'nothing counted from it');
    const report = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'selfcheck.report', payload: {} }));
    assert.match(JSON.stringify(report), /privacy board: a block naming the quota was seen/);
  });
});
