// Tracking numbers end to end, when things go wrong mid-run: the run stops on a route change and
// resumes after a worker restart; the worker is stopped again and again; a late answer is settled
// by the page; a step saved whose answer is lost is sent again and taken; a step the worker
// cannot save (the disk is full) is taken up again once it can.
// Each order ships exactly once — the replica's /__test/log is the truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillStorage, loseAnAnswer, stopServiceWorkers } from './lib/chromium.mjs';
import {
  S, shipSession, DELIVER, pid, courierOf, seed, browseList, importPaste, startRun, waitDone, startShipping, shipmentsReach,
  shippedOnceEach, reportRows,
} from './lib/ship-run.mjs';

// The build whose storage holds 10 MB: one test fills it (a full disk).
shipSession({ limitedStorage: true });

test('a route change stops the run safely; it resumes after a worker restart without repeats', { timeout: 300_000 }, async () => {
  await startShipping(30);
  await shipmentsReach(5);
  // The user navigates away mid-run (dispatched on the link itself: a pointer click would land
  // on the ship dialog's mask, which the run keeps open almost all the time).
  await S.workbench.locator('.d-menu-item', { hasText: '隐私保护' }).dispatchEvent('click');
  await S.shipPage.locator('[data-testid="fill-progress"][data-state="stopped"]').waitFor({ timeout: 30_000 });
  const stoppedAt = (await S.replica.log()).shipments.length;
  await S.workbench.waitForTimeout(1500);
  assert.equal((await S.replica.log()).shipments.length, stoppedAt, 'nothing ships while stopped');
  assert.ok(stoppedAt < 30);
  await stopServiceWorkers(S.browser.context, S.workbench);
  await S.workbench.locator('.d-menu-item', { hasText: '订单查询' }).click();
  await S.workbench.locator('table.d-new-table tr', { hasText: /P\d{15}/ }).first().waitFor();
  await S.shipPage.getByTestId('fill-pause').click(); // resume
  await waitDone(S.shipPage, 30, 240_000);
  const ids = (await S.replica.log()).shipments.map((s) => s.package_id);
  assert.equal(new Set(ids).size, 30);
  assert.equal(ids.length, 30);
});

test('the worker is stopped again and again mid-run: each order ships once, no shipment is lost', { timeout: 300_000 }, async () => {
  // Each step saves only the write-ahead log; a fresh worker folds it back into the run record.
  // Stopped at any point (a step in flight, an intent saved, 确定 pressed and unanswered), the
  // run must carry on from what was saved: a lost intent would fill an order again, a lost
  // outcome would leave it unreported.
  await startShipping(40);
  for (const at of [2, 5, 9, 14, 20, 27]) {
    await shipmentsReach(at, 25);
    await stopServiceWorkers(S.browser.context, S.workbench);
  }
  await waitDone(S.shipPage, 40, 240_000);
  await shippedOnceEach(40);
  // The ship page may have been opened before the last restart: read the report afresh.
  await S.shipPage.reload();
  await waitDone(S.shipPage, 40, 30_000);
  const report = await reportRows(S.shipPage);
  assert.equal(report.length, 40);
  assert.ok(report.every((r) => r.status === 'shipped'), JSON.stringify(report.filter((r) => r.status !== 'shipped')));
});

test('a late answer is settled by the page, not by a second 确定', { timeout: 240_000 }, async () => {
  await seed([0, 1, 2]);
  await browseList();
  await importPaste([0, 1, 2].map((i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n'), pid(2));
  // The platform acts at once but answers the second shipment only after 25 s.
  await S.replica.hook('fault', { endpoint: DELIVER, nth: 2, delay_ms: 25_000 });
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await waitDone(S.shipPage, 3, 200_000);
  const { shipments } = await S.replica.log();
  assert.deepEqual(shipments.map((s) => s.package_id).sort(), [0, 1, 2].map(pid).sort());
  assert.deepEqual((await reportRows(S.shipPage)).map((r) => r.status), ['shipped', 'shipped', 'shipped']);
});

test('a step saved whose answer is lost (the worker stopped just then) is sent again and taken: the run goes on', { timeout: 240_000 }, async () => {
  await seed([0, 1, 2, 3]);
  await browseList();
  await importPaste([0, 1, 2, 3].map((i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n'), pid(3));
  // The second shipment is answered after 25 s: RedShip reports no answer at 20 s, is told to
  // check the order, and reports the check once the answer has come.
  await S.replica.hook('fault', { endpoint: DELIVER, nth: 2, delay_ms: 25_000 });
  // The worker saves the check's step (the next write of the run's log, the key the "no answer"
  // step wrote last) and its answer is lost: it is stopped while it holds it.
  const lose = await loseAnAnswer(S.browser.context, S.browser.extensionId);
  const stopped = []; // the filler's word that its run ended on an error (it would take it up again)
  const onConsole = (m) => { if (m.text().includes('the fill run stopped on an error')) stopped.push(m.text()); };
  S.workbench.on('console', onConsole);
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await shipmentsReach(2, 10);
  // Armed after the "no answer" step (20 s) and before the check's step (after the answer, 25 s).
  await S.workbench.waitForTimeout(22_500);
  await lose.arm({ key: 'last' });
  await lose.stopWhenHeld(S.workbench, 'the check step');
  // The page sends the check again to a fresh worker, which already saved it.
  await waitDone(S.shipPage, 4, 120_000);
  S.workbench.off('console', onConsole);
  assert.deepEqual(stopped, [], 'the step sent again was taken, not refused');
  await shippedOnceEach(4);
  await S.shipPage.reload();
  await waitDone(S.shipPage, 4, 30_000);
  assert.deepEqual((await reportRows(S.shipPage)).map((r) => r.status), ['shipped', 'shipped', 'shipped', 'shipped']);
});

test('a step that also recorded the next order\'s intent, its answer lost, hands that order back as planned: no 确定 is counted unpressed', { timeout: 180_000 }, async () => {
  await seed(Array.from({ length: 20 }, (_, i) => i));
  await browseList();
  await importPaste(Array.from({ length: 20 }, (_, i) => i).map((i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n'), pid(19));
  const lose = await loseAnAnswer(S.browser.context, S.browser.extensionId);
  const stopped = [];
  const onConsole = (m) => { if (m.text().includes('the fill run stopped on an error')) stopped.push(m.text()); };
  S.workbench.on('console', onConsole);
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await shipmentsReach(2, 10);
  // The next write of the run's log is a step that settles an order and records the intent for
  // the one opened ahead; its answer is lost. The repeat hands that order back as a check, and
  // the page, which pressed nothing for it, takes the intent back (the journal's count of 确定
  // for it stays at what was pressed), then fills and ships it.
  await lose.arm({ key: 'most' });
  await lose.stopWhenHeld(S.workbench, 'a step with the next intent');
  await waitDone(S.shipPage, 20, 120_000);
  S.workbench.off('console', onConsole);
  assert.deepEqual(stopped, []);
  await shippedOnceEach(20);
  assert.deepEqual((await reportRows(S.shipPage)).map((r) => r.status), Array(20).fill('shipped'));
});

test('a step the worker cannot save (the disk is full) stops nothing for good: the run is taken up again once it can save', { timeout: 240_000 }, async () => {
  const n = 30;
  await seed(Array.from({ length: n }, (_, i) => i));
  await browseList();
  await importPaste(Array.from({ length: n }, (_, i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`).join('\n'), pid(n - 1));
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  // Most of the disk is taken before the run, so filling the rest mid-run is quick.
  await fillStorage(S.shipPage, 'test.filler', 64 * 1024);
  try {
    await startRun(S.shipPage);
    await shipmentsReach(3, 10);
    // The rest, to the last byte: a save that grows fails (StorageFull) and writes nothing; the
    // run's next step is refused. (One that shrinks, e.g. an order settled, still goes through.)
    await fillStorage(S.shipPage, 'test.filler2');
    assert.ok((await S.replica.log()).shipments.length < n, 'the disk filled before the run ended');
    // The user is told why the run waits: by a notification, and on the ship page.
    await S.shipPage.waitForFunction(async () => 'redship:storage-full' in (await chrome.notifications.getAll()), null, { timeout: 20_000 });
    await S.shipPage.locator('[data-testid="fill-progress"][data-waiting="storageFull"]').waitFor({ timeout: 20_000 });
    assert.ok(await S.shipPage.locator('#fill-waiting').isVisible());
  } finally {
    await S.shipPage.evaluate(() => chrome.storage.local.remove(['test.filler', 'test.filler2']));
    await S.shipPage.evaluate(() => chrome.notifications.clear('redship:storage-full'));
  }
  // Space again: the content script takes the run up by itself (no reload, no restart), and the
  // ship page no longer says the run waits.
  await waitDone(S.shipPage, n, 120_000);
  await shippedOnceEach(n);
  assert.equal(await S.shipPage.getByTestId('fill-progress').getAttribute('data-waiting'), null);
  assert.ok(await S.shipPage.locator('#fill-waiting').isHidden());
  await S.shipPage.reload();
  await waitDone(S.shipPage, n, 30_000);
  const report = await reportRows(S.shipPage);
  assert.ok(report.every((r) => r.status === 'shipped'), JSON.stringify(report.filter((r) => r.status !== 'shipped')));
});

test('the workbench tab closed mid-run: the ship page says why the run waits; the list opened again finishes it, each order once', { timeout: 240_000 }, async () => {
  await startShipping(20);
  await shipmentsReach(4);
  await S.workbench.close();
  S.workbench = null;
  // Nothing moves and no message says so: the ship page asks, and the worker finds the tab gone.
  await S.shipPage.locator('[data-testid="fill-progress"][data-waiting="workbench"]').waitFor({ timeout: 40_000 });
  assert.ok(await S.shipPage.locator('#fill-waiting').isVisible());
  assert.equal(await S.shipPage.getByTestId('fill-progress').getAttribute('data-state'), 'running');
  S.workbench = await S.browser.context.newPage();
  await S.workbench.goto(`${S.replica.url}/app-order/order/query`);
  await waitDone(S.shipPage, 20, 180_000);
  const report = await reportRows(S.shipPage);
  assert.ok(report.every((r) => r.status === 'shipped'), JSON.stringify(report.filter((r) => r.status !== 'shipped')));
  await shippedOnceEach(20);
  assert.equal(await S.shipPage.getByTestId('fill-progress').getAttribute('data-waiting'), null);
});
