// The third "waiting to ship" signal, end to end (issue 23 item 3), and the self-check's ship
// dialog parts line (issue 24 item 4). An order the page's answers call waiting whose row on the
// list has no 发货 button (the replica's `/__test/ship-button` option) is "status unclear": listed
// apart on the transit page, skipped by a run that had it planned with "status unclear" in its
// report, refused by a new import, counted by the self-check — and clear again once its row shows
// 发货. The run's dialog left the self-check a green line naming the parts it found; a dialog
// without its number input turns that line red, naming the part and what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openExtensionPage } from './lib/chromium.mjs';
import { S, shipSession, pid, courierOf, seed, browseList, importPaste, startRun, waitDone, reportRows } from './lib/ship-run.mjs';

shipSession();

const unclearOn = (id) => `[data-testid="transit-row"][data-package-id="${id}"] [data-testid="status-unclear"]`;
const lineOf = (id) => `[data-testid="selfcheck-row"][data-id="${id}"]`;

/** Waits until the options page's self-check line `id` has `level`; returns its text. */
async function selfcheckLine(options, id, level) {
  await options.waitForFunction(([sel, want]) => document.querySelector(sel)?.dataset.level === want, [lineOf(id), level], { timeout: 20_000 })
    .catch(async (e) => { throw new Error(`${e.message}: ${id} is ${await options.locator(lineOf(id)).evaluate((n) => `${n.dataset.level}: ${n.textContent}`).catch(() => '(no line)')}`); });
  return options.locator(lineOf(id)).textContent();
}

test('a waiting order whose row has no 发货 is status unclear: on transit, skipped by a run, counted, refused, then clear again', { timeout: 240_000 }, async () => {
  const ok = pid(0);
  const odd = pid(1);
  await seed([0, 1]);
  await browseList();
  // Imported while both rows still offered 发货.
  const paste = [0, 1].map((i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n');
  const rows = await importPaste(paste, odd);
  assert.deepEqual(rows.map((r) => r.verdict), ['ok', 'ok']);
  const ship = S.shipPage;
  // Fill mode: the first order's dialog is filled and left for the merchant...
  await ship.getByTestId('fill-mode').selectOption('fill');
  await startRun(ship);
  await ship.locator(`[data-testid="report-row"][data-package-id="${ok}"][data-status="filled"]`).waitFor({ timeout: 60_000 });
  // ...who reloads the list, where the second order's row now has no 发货 button.
  await S.replica.hook('ship-button', { hide: [odd] });
  await S.workbench.reload();
  await S.workbench.locator('table.d-new-table tr', { hasText: odd }).waitFor();
  assert.equal(await S.workbench.locator('table.d-new-table tr', { hasText: odd }).locator('.d-button', { hasText: /^发货$/ }).count(), 0);

  // The run comes to it: skipped, "status unclear", nothing sent to the platform.
  await waitDone(ship, 2, 60_000);
  const report = await reportRows(ship);
  const skipped = report.find((r) => r.id === odd);
  assert.equal(skipped?.status, 'skipped', JSON.stringify(report));
  assert.match(skipped.text, /状态不明/);
  assert.match(skipped.text, /没有「发货」按钮/);
  assert.equal((await S.replica.log()).shipments.length, 0);

  // The transit page lists it apart, saying why; the other order is not.
  const transit = await openExtensionPage(S.browser.context, S.browser.extensionId, 'transit.html');
  await transit.locator(`${unclearOn(odd)}[data-why="noShipButton"]`).waitFor({ timeout: 20_000 });
  assert.equal(await transit.getByTestId('count-unclear').count(), 1);
  assert.equal(await transit.locator(unclearOn(ok)).count(), 0);

  // The self-check counts it (amber, with what to do) and names the dialog parts the run found.
  const options = await openExtensionPage(S.browser.context, S.browser.extensionId, 'options.html');
  assert.match(await selfcheckLine(options, 'rows', 'warn'), /1 个订单状态不明.*没有「发货」按钮.*请在工作台/);
  assert.match(await selfcheckLine(options, 'dialogParts', 'ok'), /快递公司选择框、\d+ 个快递公司选项、运单号输入框、「确定」按钮都找到了/);
  const text = await options.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'selfcheck.report', payload: {} })).data.text);
  assert.match(text, /ship dialog parts \(last run\): select found, options found \(max \d+\), number input found, confirm found/);
  assert.match(text, /orders whose list row disagrees about 发货: 1/);
  assert.ok(!text.includes(odd) && !text.includes(ok), 'no order ID in the report');

  // A new import refuses it while its row disagrees.
  const again = await importPaste(`${odd} ${courierOf(1).name} ${courierOf(1).no(1)}`);
  assert.equal(again[0].verdict, 'error');
  assert.match(await S.shipPage.getByTestId('preview-row').first().textContent(), /状态不明确/);

  // Its row shows 发货 again: the fact is cleared everywhere.
  await S.replica.hook('ship-button', { hide: [] });
  await S.workbench.reload();
  await transit.waitForFunction((sel) => !document.querySelector(sel), unclearOn(odd), { timeout: 20_000 });
  await transit.locator(`[data-testid="transit-row"][data-package-id="${odd}"]`).waitFor();
  assert.match(await selfcheckLine(options, 'rows', 'ok'), /一致/);
  const cleared = await importPaste(`${odd} ${courierOf(1).name} ${courierOf(1).no(1)}`, odd);
  assert.equal(cleared[0].verdict, 'ok');
  await Promise.all([transit.close(), options.close()]);
});

test('a ship dialog without its number input turns the dialog-parts line red, naming the part', { timeout: 120_000 }, async () => {
  await seed([5]);
  await browseList();
  const rows = await importPaste(`${pid(5)} ${courierOf(5).name} ${courierOf(5).no(5)}`, pid(5));
  assert.equal(rows[0].verdict, 'ok');
  // The page's ship dialog shows no tracking-number field RedShip can find (its wrapper lost the
  // `d-input` class SPEC names): the dialog never gets ready, the order is not shipped.
  await S.workbench.evaluate(() => {
    const strip = () => document.querySelectorAll('.d-modal .d-input').forEach((el) => el.classList.remove('d-input'));
    new MutationObserver(strip).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
  });
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await waitDone(S.shipPage, 1, 60_000);
  assert.equal((await reportRows(S.shipPage))[0].status, 'failed');
  assert.equal((await S.replica.log()).shipments.length, 0);
  const options = await openExtensionPage(S.browser.context, S.browser.extensionId, 'options.html');
  const line = await selfcheckLine(options, 'dialogParts', 'error');
  assert.match(line, /发货弹窗中找不到运单号输入框/);
  assert.match(line, /发货弹窗中找不到运单号输入框：请把诊断报告发给为您提供支持的人/);
  assert.doesNotMatch(line, /选择框/);
  const text = await options.evaluate(async () => (await chrome.runtime.sendMessage({ type: 'selfcheck.report', payload: {} })).data.text);
  assert.match(text, /ship dialog parts \(last run\): select found, options not looked for \(max 0\), number input missing, confirm found/);
  await options.close();
});
