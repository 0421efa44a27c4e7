// Help on the order list (issue 26 item 5) end to end, on the workbench replica: two orders
// decrypted through the page get the "viewed today" mark on exactly their rows; the corner chip
// shows the popup's remaining count; the quiet hint shows at the threshold; the page's own layout
// (its table's row heights) is the same with the help on and off; switched off, nothing is drawn;
// the marks and hints show beside their controls near the view only, and follow the scrolling;
// with the profile's table selector no longer matching the page, nothing is drawn and the
// self-check says so; the chip's links open RedShip's pages and its collapsed state is kept.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { settle } from './lib/settle.mjs';

const LIST = '/app-order/order/query';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
const ROWS = 'table.d-new-table tbody tr.d-new-table-row';
const HOST = '[data-redship="list-help"]';

/** What the help has drawn on `page` (its open shadow root), read in one task. */
function drawn(page) {
  return page.evaluate((host) => {
    const root = document.querySelector(host)?.shadowRoot;
    const all = (id) => [...(root?.querySelectorAll(`[data-testid="${id}"]`) || [])];
    const chip = root?.querySelector('[data-testid="list-help-chip"]');
    return {
      host: Boolean(root),
      marks: all('list-help-mark').map((m) => m.dataset.packageId).sort(),
      hints: all('list-help-hint').map((m) => m.dataset.packageId),
      chip: chip ? { remaining: Number(chip.dataset.remaining), collapsed: chip.dataset.collapsed, selfcheck: chip.dataset.selfcheck } : null,
    };
  }, HOST);
}

const rowHeights = (page) => page.$$eval(ROWS, (trs) => trs.map((tr) => tr.getBoundingClientRect().height));
const rowIds = (page) => page.$$eval(ROWS, (trs) => trs.map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0]));
/** Rows showing a 查看 control (masked), by package ID. */
const viewable = (page) => page.$$eval(ROWS, (trs) => trs
  .filter((tr) => tr.querySelector('.d-button[title="查看"]'))
  .map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0]));

async function openList(page, url) {
  await page.goto(`${url}${LIST}`);
  await page.locator(ROWS).first().waitFor();
}

async function decrypt(page, id) {
  const answered = page.waitForResponse((r) => r.url().endsWith(DECRYPT));
  await page.locator('table.d-new-table tbody tr', { hasText: id }).locator('.d-button', { hasText: '查看' }).click();
  return (await answered).json();
}

const popupRemaining = (popup) => popup.evaluate(() => Number(document.querySelector('[data-testid="quota-remaining"]')?.textContent));

/** Saves the list-help settings through the options page (the quota section's save). */
async function setListHelp(options, { enabled, hintAt }) {
  await options.reload();
  const box = options.getByTestId('list-help-enabled');
  await box.waitFor();
  await box.setChecked(enabled);
  if (hintAt !== undefined) await options.getByTestId('list-help-hint-at').fill(String(hintAt));
  await options.getByTestId('quota-settings-save').click();
  await options.locator('p.ok[role="status"]').waitFor();
}

/** The options page's self-check line of the list help: {level, text}. */
const listHelpLine = (options) => options.evaluate(() => {
  const row = document.querySelector('[data-testid="selfcheck-row"][data-id="listHelp"]');
  return row ? { level: row.dataset.level, text: row.textContent } : null;
});

/**
 * Where the help's pins are against their rows' 查看 controls: each pin must show exactly when
 * its control is within one view height of the view, and then sit 4 px right of it, centred on it.
 */
const placement = (page) => page.evaluate((host) => {
  const root = document.querySelector(host)?.shadowRoot;
  const h = window.innerHeight;
  const rows = [...document.querySelectorAll('table.d-new-table tbody tr')];
  const out = { pins: 0, shown: 0, wrong: [] };
  for (const pin of root?.querySelectorAll('.pin') || []) {
    const id = pin.dataset.packageId;
    const control = [...(rows.find((tr) => tr.textContent.includes(id))?.querySelectorAll('.d-button') || [])]
      .find((b) => b.textContent.trim() === '查看');
    if (!control) { out.wrong.push(`${id}: no 查看 control`); continue; }
    const c = control.getBoundingClientRect();
    const near = c.bottom >= -h && c.top <= 2 * h;
    const shown = pin.style.display !== 'none';
    out.pins += 1;
    if (shown) out.shown += 1;
    if (near !== shown) { out.wrong.push(`${id}: near ${near}, shown ${shown}`); continue; }
    const p = pin.getBoundingClientRect();
    if (shown && (Math.abs(p.left - (c.right + 4)) > 1 || Math.abs((p.top + p.bottom - c.top - c.bottom) / 2) > 1)) {
      out.wrong.push(`${id}: pin at ${p.left},${p.top}, control at ${c.right},${c.top}`);
    }
  }
  return out;
}, HOST);

describe('help on the order list', () => {
  let replica;
  let browser;
  let page;
  let popup;
  let options;
  let decrypted;

  before(async () => {
    replica = await startReplica({ dailyQuota: 4, orders: 40 });
    browser = await launch();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 860 });
    await openList(page, replica.url);
    popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
    options = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('marks exactly the two rows decrypted through the page, and the chip shows the popup\'s remaining', async () => {
    const first = await settle(() => drawn(page), (d) => d.chip !== null);
    assert.ok(first.chip, 'the chip is drawn on the list');
    assert.deepEqual(first.marks, [], 'nothing decrypted yet');
    const ids = await rowIds(page);
    decrypted = [ids[1], ids[3]];
    for (const id of decrypted) assert.equal((await decrypt(page, id)).success, true);
    // The popup counts both; the list, loaded again, shows the rows masked with their 查看 again.
    await popup.reload();
    const remaining = await settle(() => popupRemaining(popup), (n) => n === 2);
    assert.equal(remaining, 2, 'the popup: 4 a day, 2 used');
    await openList(page, replica.url);
    const after = await settle(() => drawn(page), (d) => d.marks.length === 2 && d.chip?.remaining === 2);
    assert.deepEqual(after.marks, [...decrypted].sort(), 'marks on exactly the decrypted rows');
    assert.equal(after.chip.remaining, await popupRemaining(popup), 'the chip shows the popup\'s number');
    // The chip's self-check state is the self-check's (not green here: no courier list seen yet),
    // with its line in words.
    await options.reload();
    const level = await settle(() => options.evaluate(() => document.querySelector('[data-testid="selfcheck-section"]')?.dataset.level), Boolean);
    assert.equal(after.chip.selfcheck, level);
    assert.notEqual(level, 'ok');
    const words = await page.locator(HOST).locator('[data-testid="list-help-selfcheck"]').textContent();
    assert.ok(words.trim().length > 10, words);
    // 2 left ≤ the default threshold 2: the quiet hint beside every other 查看.
    const others = (await viewable(page)).filter((id) => !decrypted.includes(id));
    assert.ok(others.length > 0);
    assert.deepEqual([...after.hints].sort(), [...others].sort(), 'hints beside the other 查看 controls only');
  });

  it('leaves the table\'s row heights as they are, and draws nothing when switched off', async () => {
    await settle(() => drawn(page), (d) => d.marks.length === 2);
    const on = await rowHeights(page);
    await setListHelp(options, { enabled: false });
    const off = await settle(() => drawn(page), (d) => !d.host);
    assert.equal(off.host, false, 'switched off: the help is removed from the open list');
    assert.deepEqual(await rowHeights(page), on, 'row heights with the help on and off');
    // A fresh load with the help off: the worker was asked (the self-check says "off"), nothing drawn.
    await openList(page, replica.url);
    const line = await settle(() => listHelpLine(options), (l) => /switched off|已关闭/.test(l?.text || ''));
    assert.match(line.text, /switched off|已关闭/);
    assert.deepEqual(await drawn(page), { host: false, marks: [], hints: [], chip: null });
    await setListHelp(options, { enabled: true, hintAt: 1 });
    const back = await settle(() => drawn(page), (d) => d.marks.length === 2 && d.chip !== null);
    assert.deepEqual(back.marks, [...decrypted].sort());
    assert.deepEqual(back.hints, [], '2 left is above the threshold 1: no hint');
  });

  it('chip: links open the ship and transit pages, collapsing is remembered', async () => {
    await settle(() => drawn(page), (d) => d.chip !== null);
    const chip = page.locator(HOST).locator('[data-testid="list-help-chip"]');
    const [transit] = await Promise.all([
      browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/transit.html') }),
      chip.locator('[data-testid="list-help-open-transit"]').click(),
    ]);
    assert.match(transit.url(), /^chrome-extension:\/\/.+\/transit\.html$/);
    await transit.close();
    const [ship] = await Promise.all([
      browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/ship.html') }),
      chip.locator('[data-testid="list-help-open-ship"]').click(),
    ]);
    await ship.close();
    await chip.locator('[data-testid="list-help-toggle"]').click();
    assert.equal((await drawn(page)).chip.collapsed, 'true');
    await openList(page, replica.url);
    const again = await settle(() => drawn(page), (d) => d.chip !== null && d.marks.length === 2);
    assert.equal(again.chip.collapsed, 'true', 'still collapsed after a reload');
    assert.equal(again.chip.remaining, 2);
    await page.locator(HOST).locator('[data-testid="list-help-toggle"]').click();
    assert.equal((await drawn(page)).chip.collapsed, 'false');
  });

  it('shows each mark and hint beside its 查看 near the view only, and follows the scrolling', async () => {
    // Hints on every masked row: 40 rows of 150 px, so most pins lie more than a view away and
    // only the boxes near the view are read (list-help-pins.js) — checked against every control.
    await setListHelp(options, { enabled: true, hintAt: 4 });
    const all = await settle(() => drawn(page), (d) => d.marks.length === 2 && d.hints.length >= 30);
    assert.ok(all.hints.length >= 30, `hints: ${all.hints.length}`);
    const total = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    for (const y of [0, Math.round(total / 2), total, 0]) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      const at = await settle(() => placement(page), (p) => p.wrong.length === 0 && p.pins === all.marks.length + all.hints.length);
      assert.deepEqual(at.wrong, [], `scrolled to ${y}`);
      assert.equal(at.pins, all.marks.length + all.hints.length);
      assert.ok(at.shown > 0 && at.shown < at.pins, `some pins shown, not all (${at.shown} of ${at.pins}) at ${y}`);
    }
    await setListHelp(options, { enabled: true, hintAt: 1 });
    await settle(() => drawn(page), (d) => d.hints.length === 0);
  });

  it('draws nothing when the profile\'s table selector no longer matches, and the self-check says so', async () => {
    await settle(() => drawn(page), (d) => d.chip !== null);
    assert.equal((await listHelpLine(options))?.level, 'ok');
    // The page changes its table's class (a redesign): the profile's `table.d-new-table` finds nothing.
    await page.evaluate(() => { document.querySelector('table.d-new-table').className = 'x-new-grid'; });
    await page.getByRole('button', { name: '刷新' }).click();
    const gone = await settle(() => drawn(page), (d) => !d.host);
    assert.deepEqual(gone, { host: false, marks: [], hints: [], chip: null });
    const line = await settle(() => listHelpLine(options), (l) => l?.level === 'warn');
    assert.equal(line.level, 'warn');
    assert.match(line.text, /selectors found no row|一行也没找到/);
    // The page itself still works: a row's 查看 still decrypts.
    const id = (await page.$$eval('table.x-new-grid tbody tr', (trs) => trs.map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0])))[5];
    const answered = page.waitForResponse((r) => r.url().endsWith(DECRYPT));
    await page.locator('table.x-new-grid tbody tr', { hasText: id }).locator('.d-button', { hasText: '查看' }).click();
    assert.equal((await (await answered).json()).success, true);
  });
});
