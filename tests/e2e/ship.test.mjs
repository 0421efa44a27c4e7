// Tracking numbers end to end: the real extension in Chromium over the workbench replica (what goes
// wrong mid-run — restarts, late answers, a full disk — is in ship-recover.test.mjs).
// Import verdicts for a 100-row mixed paste; `ship` mode for 100 orders across list pages with a
// page reload mid-run (no order shipped twice); injected failures reported with the page's
// message; a dialog that shows another order is never filled; `fill` mode leaves the dialog for
// the user. The replica's /__test/log is the truth for what the platform received.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVariant } from './lib/ship-variant.mjs';
import { makeXlsx } from './lib/ship-xlsx.mjs';
import {
  S, shipSession, DELIVER, COURIERS, pid, courierOf, seed, browseList, importPaste, importWith, startRun, waitDone,
  startShipping, shipmentsReach, shippedOnceEach, reportRows,
} from './lib/ship-run.mjs';

shipSession();

test('a 100-row mixed paste gets the expected verdict on every row', { timeout: 120_000 }, async () => {
  await seed(Array.from({ length: 110 }, (_, i) => i), [200, 201]);
  await browseList();
  const lines = [];
  const want = [];
  const full = (s) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));
  for (let i = 0; i < 80; i++) {
    const c = courierOf(i);
    const forms = [
      `${pid(i)}\t${c.name}\t${c.no(i)}`,
      `${pid(i)}，${c.name}，${c.no(i)}`,
      `${full(pid(i))} ${c.name} ${full(c.no(i))}`,
      `亲，订单${pid(i)}发${c.name}了，单号：${c.no(i).replace(/(\d{4})(?=\d)/g, '$1 ')} 谢谢～`,
    ];
    lines.push(forms[i % 4]);
    want.push('ok');
  }
  for (let i = 80; i < 85; i++) { lines.push(`${pid(i)} ${COURIERS[1].no(i)}`); want.push('warning'); } // courier guessed
  lines.push(`${pid(900)} 中通 ${COURIERS[0].no(900)}`, `${pid(901)} 中通 ${COURIERS[0].no(901)}`, `${pid(902)} 中通 ${COURIERS[0].no(902)}`); // unknown orders
  lines.push(`${pid(200)} 中通 ${COURIERS[0].no(200)}`, `${pid(201)} 中通 ${COURIERS[0].no(201)}`); // not waiting
  lines.push(`${pid(85)} 中通 773199999999`, `${pid(86)} 中通 773199999999`); // one number, two orders
  lines.push(`${pid(87)} 顺丰 ${COURIERS[0].no(87)}`, `${pid(88)} EMS RR123456784CN`, `${pid(89)} 韵达 12345`); // number does not fit
  lines.push(`${pid(90)} 宅急送 ${COURIERS[0].no(90)}`, `${pid(91)} 火星快递 ${COURIERS[0].no(91)}`); // courier not offered
  lines.push(`${pid(92)} 中通 ${COURIERS[0].no(92)}`, `${pid(92)} 中通 ${COURIERS[0].no(93)}`); // one order, two numbers
  lines.push(`${pid(94)} ${COURIERS[0].no(94)}`); // digits only, no courier
  while (want.length < lines.length) want.push('error');
  assert.equal(lines.length, 100);
  const rows = await importPaste(`今天的单号：\n${lines.join('\n')}\n辛苦了`, pid(0));
  assert.equal(rows.length, 100);
  assert.deepEqual(rows.map((r) => r.verdict), want);
  for (let i = 0; i < 80; i++) {
    assert.equal(rows[i].packageId, pid(i));
    assert.equal(rows[i].courier, courierOf(i).code, `row ${i + 1}`);
    assert.equal(rows[i].number, courierOf(i).no(i), `row ${i + 1}`);
  }
  const summary = S.shipPage.getByTestId('preview-summary');
  assert.equal(await summary.getAttribute('data-error'), '15');
  assert.equal(await summary.getAttribute('data-warning'), '5');
});

test('a GBK CSV file (as Excel on Chinese Windows saves it) imports through the file input', { timeout: 60_000 }, async () => {
  // Header 订单号,快递公司,运单号 and the couriers 中通 / 顺丰 in GBK bytes.
  const gbk = (hex) => Buffer.from(hex, 'hex');
  const ascii = (s) => Buffer.from(s, 'latin1');
  await seed([1, 2]);
  await browseList();
  const csv = Buffer.concat([
    gbk('b6a9b5a5bac52cbfecb5ddb9abcbbe2cd4cbb5a5bac50d0a'),
    ascii(`${pid(1)},`), gbk('d6d0cda8'), ascii(`,${COURIERS[0].no(1)}\r\n`),
    ascii(`${pid(2)},`), gbk('cbb3b7e1'), ascii(`,${COURIERS[1].no(2)}\r\n`),
  ]);
  const rows = await importWith((page) => page.getByTestId('import-file').setInputFiles({ name: '发货.csv', mimeType: 'text/csv', buffer: csv }), pid(2));
  assert.equal(await S.shipPage.getByTestId('preview-summary').getAttribute('data-ok'), '2');
  assert.deepEqual(rows.map((r) => [r.packageId, r.verdict, r.courier, r.number]), [
    [pid(1), 'ok', COURIERS[0].code, COURIERS[0].no(1)],
    [pid(2), 'ok', 'shunfeng', COURIERS[1].no(2)],
  ]);
});

test('an XLSX workbook imports from its usable sheet; the sheet picker reads another; a damaged .xls is refused with advice', { timeout: 60_000 }, async () => {
  await seed([1, 2, 3]);
  await browseList();
  const xlsx = makeXlsx([
    { name: '说明', rows: [['这一页是说明，不是订单']] },
    { name: '发货', rows: [['小红书订单号', '物流公司', '物流单号'], [pid(1), '韵达', 4_312_345_678_901], [pid(2), 'EMS', 'RR123456785CN']] },
    { name: '补发', rows: [['订单号', '快递单号', '快递公司'], [pid(3), 'JT1234567890123', '极兔']] },
  ]);
  const rows = await importWith((page) => page.getByTestId('import-file').setInputFiles({ name: '发货.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx }), pid(2));
  assert.deepEqual(rows.map((r) => [r.packageId, r.verdict, r.courier, r.number]), [
    [pid(1), 'ok', 'yunda', '4312345678901'],
    [pid(2), 'ok', 'ems', 'RR123456785CN'],
  ]);
  await S.shipPage.locator('#sheet').selectOption('补发');
  await S.shipPage.locator(`[data-testid="preview-row"][data-package-id="${pid(3)}"][data-courier="jtexpress"]`).waitFor();
  // A damaged .xls (an OLE container with nothing in it) is refused, saying to save it as .xlsx again.
  const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]);
  await S.shipPage.getByTestId('import-file').setInputFiles({ name: '旧格式.xls', mimeType: 'application/vnd.ms-excel', buffer: xls });
  await S.shipPage.getByTestId('import-submit').click();
  const error = S.shipPage.locator('#import-error');
  await error.filter({ hasText: '另存为' }).waitFor();
  assert.match(await error.textContent(), /^无法读取XLS文件：.*Excel 或 WPS/);
});

test('ship mode: 100 orders across list pages, page reloaded mid-run, nothing shipped twice', { timeout: 600_000 }, async () => {
  await seed(Array.from({ length: 106 }, (_, i) => i));
  await browseList();
  const good = Array.from({ length: 100 }, (_, i) => `${pid(i)} ${courierOf(i).name} ${courierOf(i).no(i)}`);
  const bad = [
    `${pid(100)} 中通 773188888888`, `${pid(101)} 中通 773188888888`, // duplicate number
    `${pid(102)} 顺丰 1234567890123`, `${pid(103)} 火星快递 ${COURIERS[0].no(103)}`,
    `${pid(104)} 773100000104`, `${pid(999)} 中通 ${COURIERS[0].no(999)}`,
  ];
  const rows = await importPaste([...good.slice(0, 50), ...bad, ...good.slice(50)].join('\n'), pid(99));
  assert.equal(rows.filter((r) => r.verdict === 'ok').length, 100);
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  // Reload the workbench once 40 orders have shipped.
  for (let i = 0; ; i++) {
    if ((await S.replica.log()).shipments.length >= 40) break;
    assert.ok(i < 1200, 'the run did not reach 40 shipments');
    await S.workbench.waitForTimeout(100);
  }
  await S.workbench.reload();
  await waitDone(S.shipPage, 100, 540_000);
  await shippedOnceEach(100);
  const report = await reportRows(S.shipPage);
  assert.equal(report.length, 100);
  assert.ok(report.every((r) => r.status === 'shipped'), JSON.stringify(report.filter((r) => r.status !== 'shipped')));
});

test('injected failures are reported with the page\'s message; a swapped dialog is not filled', { timeout: 300_000 }, async () => {
  await seed(Array.from({ length: 12 }, (_, i) => i));
  await browseList();
  const rows = await importPaste(Array.from({ length: 12 }, (_, i) => `${pid(i)}\t${courierOf(i).name}\t${courierOf(i).no(i)}`).join('\n'), pid(11));
  assert.equal(rows.filter((r) => r.verdict === 'ok').length, 12);
  // Deliver calls go in list order; row 3's dialog shows order 9, so it makes no call.
  await S.replica.hook('dialog', { package_id: pid(3), show_package_id: pid(9) });
  for (const [nth, msg] of [[2, '测试故障：运单号不存在'], [5, '系统繁忙，请稍后再试'], [8, '该运单号已被使用']]) {
    await S.replica.hook('fault', { endpoint: DELIVER, nth, code: 50009, msg });
  }
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  await startRun(S.shipPage);
  await waitDone(S.shipPage, 12, 240_000);
  const report = Object.fromEntries((await reportRows(S.shipPage)).map((r) => [r.id, r]));
  const failed = { 1: '测试故障：运单号不存在', 5: '系统繁忙，请稍后再试', 8: '该运单号已被使用' };
  for (const [k, msg] of Object.entries(failed)) {
    const n = Number(k);
    assert.equal(report[pid(n)].status, 'failed', pid(n));
    assert.ok(report[pid(n)].text.includes(msg), `${pid(n)}: ${report[pid(n)].text}`);
  }
  assert.equal(report[pid(3)].status, 'failed', 'the swapped dialog is reported, not filled');
  assert.ok(report[pid(3)].text.includes(pid(9)), report[pid(3)].text);
  const [download] = await Promise.all([S.shipPage.waitForEvent('download'), S.shipPage.getByTestId('report-export').click()]);
  const csvText = (await new Response(await download.createReadStream()).text());
  assert.ok(csvText.includes('测试故障：运单号不存在') && csvText.includes(pid(11)), csvText.slice(0, 300));
  const shippedIds = [0, 2, 4, 6, 7, 9, 10, 11].map(pid);
  for (const id of shippedIds) assert.equal(report[id].status, 'shipped', id);
  const { shipments } = await S.replica.log();
  assert.deepEqual(shipments.map((s) => s.package_id).sort(), [...shippedIds].sort());
  assert.equal(shipments.find((s) => s.package_id === pid(9)).express_no, courierOf(9).no(9));
});

test('pause stops after the current order; resume finishes without repeats', { timeout: 240_000 }, async () => {
  await startShipping(20);
  await shipmentsReach(3);
  await S.shipPage.getByTestId('fill-pause').click();
  await S.shipPage.locator('[data-testid="fill-progress"][data-state="paused"]').waitFor();
  await S.workbench.waitForTimeout(3000); // the order in hand finishes
  const paused = (await S.replica.log()).shipments.length;
  await S.workbench.waitForTimeout(2000);
  assert.equal((await S.replica.log()).shipments.length, paused, 'nothing ships while paused');
  assert.ok(paused < 20);
  await S.shipPage.getByTestId('fill-pause').click();
  await waitDone(S.shipPage, 20, 120_000);
  const ids = (await S.replica.log()).shipments.map((s) => s.package_id);
  assert.deepEqual([...ids].sort(), Array.from({ length: 20 }, (_, i) => pid(i)).sort());
});

test('fill mode fills the dialog and leaves 确定 to the user', { timeout: 120_000 }, async () => {
  await seed([0, 1]);
  await browseList();
  await importPaste(`${pid(0)} 顺丰 ${COURIERS[1].no(0)}\n${pid(1)} 中通 ${COURIERS[0].no(1)}`, pid(1));
  await S.shipPage.getByTestId('fill-mode').selectOption('fill');
  await startRun(S.shipPage);
  const dialog = S.workbench.locator('.d-modal', { hasText: pid(0) });
  await dialog.waitFor();
  await S.workbench.waitForFunction(() => document.querySelector('.d-modal .d-input input')?.value);
  assert.equal(await dialog.locator('.d-input input').inputValue(), COURIERS[1].no(0));
  assert.ok((await dialog.locator('.d-select').textContent()).includes('顺丰速运'));
  await S.shipPage.locator('[data-testid="report-row"][data-package-id="' + pid(0) + '"][data-status="filled"]').waitFor();
  // The user confirms the first one; the second is filled next and left open.
  await dialog.locator('.d-button', { hasText: '确定' }).click();
  await S.workbench.locator('.d-modal', { hasText: pid(1) }).waitFor();
  await waitDone(S.shipPage, 2, 60_000);
  const statuses = (await reportRows(S.shipPage)).map((r) => r.status);
  assert.deepEqual(statuses, ['filled', 'filled']);
  const { shipments } = await S.replica.log();
  assert.deepEqual(shipments.map((s) => [s.package_id, s.express_company_code, s.express_no]), [[pid(0), 'shunfeng', COURIERS[1].no(0)]]);
});

test('another page that follows SPEC but differs in layout is filled the same way', { timeout: 240_000 }, async () => {
  const variant = await startVariant(45);
  try {
    const page = await S.browser.context.newPage();
    await page.goto(`${variant.url}/app-order/order/query`);
    await page.locator('table.d-new-table tr', { hasText: variant.ids[0] }).waitFor();
    for (const label of ['2', '3', '1']) {
      await page.locator('.d-pagination button', { hasText: new RegExp(`^${label}$`) }).click();
      await page.locator('table.d-new-table tr', { hasText: variant.ids[(Number(label) - 1) * 20] }).waitFor();
    }
    // The variant page's own courier list spells 中通 `zhongtong`: the code the page gives wins.
    const courier = (i) => [['顺丰', 'shunfeng', `SF${String(7_000_000_000_000 + i)}`], ['中通', 'zhongtong', `7732${String(i).padStart(8, '0')}`], ['京东', 'jd', `JDV${String(80_000_000_000 + i)}`]][i % 3];
    const text = variant.ids.map((id, i) => `${id}\t${courier(i)[0]}\t${courier(i)[2]}`).join('\n');
    const rows = await importPaste(text, variant.ids[44]);
    assert.equal(rows.filter((r) => r.verdict === 'ok').length, 45, JSON.stringify(rows.filter((r) => r.verdict !== 'ok')));
    await S.shipPage.getByTestId('fill-mode').selectOption('ship');
    await startRun(S.shipPage);
    await waitDone(S.shipPage, 45, 200_000);
    assert.deepEqual(
      variant.shipments.map((s) => [s.package_id, s.express_company_code, s.express_no]).sort(),
      variant.ids.map((id, i) => [id, courier(i)[1], courier(i)[2]]).sort(),
    );
    await page.close();
  } finally {
    await variant.stop();
  }
});

test('an order whose shipment is never answered, its 发货 left disabled, is reported unknown, not shipped', { timeout: 180_000 }, async () => {
  // Package IDs of their own: the other variant tests ship the first ones. The list the page
  // reloads after the first shipment is answered only after the second order's 确定: it still
  // shows that order waiting, but was asked for before the click and proves nothing.
  const variant = await startVariant(3, { hang: [1], listDelayMs: 2000, firstId: 843_000_000_000_000 });
  try {
    const page = await S.browser.context.newPage();
    await page.goto(`${variant.url}/app-order/order/query`);
    await page.locator('table.d-new-table tr', { hasText: variant.ids[2] }).waitFor();
    const text = variant.ids.map((id, i) => `${id}\t顺丰\tSF${String(7_200_000_000_000 + i)}`).join('\n');
    await importPaste(text, variant.ids[2]);
    await S.shipPage.getByTestId('fill-mode').selectOption('ship');
    await startRun(S.shipPage);
    await waitDone(S.shipPage, 3, 150_000);
    // The page still shows the order's 发货, disabled: the platform never said it shipped.
    const rows = Object.fromEntries((await reportRows(S.shipPage)).map((r) => [r.id, r]));
    assert.equal(await page.locator('table.d-new-table tr', { hasText: variant.ids[1] }).locator('button:disabled', { hasText: '发货' }).count(), 1, JSON.stringify(rows));
    assert.deepEqual(variant.shipments.map((s) => s.package_id).sort(), [variant.ids[0], variant.ids[2]].sort());
    assert.deepEqual([0, 1, 2].map((i) => rows[variant.ids[i]].status), ['shipped', 'failed', 'shipped'], JSON.stringify(rows));
    assert.match(rows[variant.ids[1]].text, /结果未知|outcome unknown/);
    await page.close();
  } finally {
    await variant.stop();
  }
});

test('a page that enables 确定 only after its own check is waited for; an order it keeps disabled fails, unpressed; a dialog left open is closed', { timeout: 180_000 }, async () => {
  const variant = await startVariant(4, { gate: true, firstId: 844_000_000_000_000 });
  try {
    const page = await S.browser.context.newPage();
    await page.goto(`${variant.url}/app-order/order/query`);
    await page.locator('table.d-new-table tr', { hasText: variant.ids[3] }).waitFor();
    // RedShip takes a 12-digit ZTO number; this page wants 13 or more characters.
    const numbers = [0, 1, 2, 3].map((i) => (i === 1 ? '773212345678' : `SF${String(7_300_000_000_000 + i)}`));
    const couriers = ['顺丰', '中通', '顺丰', '顺丰'];
    const rows = await importPaste(variant.ids.map((id, i) => `${id}\t${couriers[i]}\t${numbers[i]}`).join('\n'), variant.ids[3]);
    assert.equal(rows.filter((r) => r.verdict === 'ok').length, 4, JSON.stringify(rows));
    // A dialog the merchant opened and left, its form empty and its 确定 disabled, is closed at
    // once: no shipment of RedShip's can be in flight in it (this waited 90 s before).
    await page.locator('table.d-new-table tr', { hasText: variant.ids[0] }).locator('button', { hasText: '发货' }).click();
    await page.locator('.d-modal button:disabled', { hasText: '确定' }).waitFor();
    await S.shipPage.getByTestId('fill-mode').selectOption('ship');
    await startRun(S.shipPage);
    await waitDone(S.shipPage, 4, 60_000);
    const shipped = [0, 2, 3].map((i) => [variant.ids[i], numbers[i]]);
    assert.deepEqual(variant.shipments.map((s) => [s.package_id, s.express_no]).sort(), shipped.sort());
    const report = Object.fromEntries((await reportRows(S.shipPage)).map((r) => [r.id, r]));
    assert.deepEqual(variant.ids.map((id) => report[id].status), ['shipped', 'failed', 'shipped', 'shipped'], JSON.stringify(report));
    assert.match(report[variant.ids[1]].text, /确定 stayed disabled/);
    assert.equal(await page.locator('.d-modal').count(), 0, 'no dialog left open');
    await page.close();
  } finally {
    await variant.stop();
  }
});

test('a page that reuses one hidden dialog, changing its texts in place, is filled the same way', { timeout: 240_000 }, async () => {
  const variant = await startVariant(24, { reuse: true });
  try {
    const page = await S.browser.context.newPage();
    await page.goto(`${variant.url}/app-order/order/query`);
    await page.locator('table.d-new-table tr', { hasText: variant.ids[0] }).waitFor();
    const courier = (i) => [['顺丰', 'shunfeng', `SF${String(7_100_000_000_000 + i)}`], ['圆通', 'yuantong', `YT${String(7_000_000_000_000 + i)}`]][i % 2];
    const ids = variant.ids.slice(0, 20);
    const rows = await importPaste(ids.map((id, i) => `${id}\t${courier(i)[0]}\t${courier(i)[2]}`).join('\n'), ids[19]);
    assert.equal(rows.filter((r) => r.verdict === 'ok').length, 20, JSON.stringify(rows.filter((r) => r.verdict !== 'ok')));
    await S.shipPage.getByTestId('fill-mode').selectOption('ship');
    await startRun(S.shipPage);
    await waitDone(S.shipPage, 20, 200_000);
    assert.deepEqual((await reportRows(S.shipPage)).map((r) => r.status), ids.map(() => 'shipped'));
    assert.deepEqual(
      variant.shipments.map((s) => [s.package_id, s.express_company_code, s.express_no]),
      ids.map((id, i) => [id, courier(i)[1], courier(i)[2]]),
    );
    await page.close();
  } finally {
    await variant.stop();
  }
});

test('ship mode at the default pace leaves at least a second between shipments; the page shows the pace before and after', { timeout: 120_000 }, async (t) => {
  await seed([0, 1, 2]);
  await browseList();
  await importPaste([0, 1, 2].map((n) => `${pid(n)} ${courierOf(n).name} ${courierOf(n).no(n)}`).join('\n'), pid(2));
  await S.shipPage.getByTestId('fill-mode').selectOption('ship');
  // Saved through the options page; the ship page shows it before the run starts.
  await startRun(S.shipPage, { pace: 'person' });
  assert.match(await S.shipPage.getByTestId('fill-pace').textContent(), /每单间隔 1–3 秒/);
  await waitDone(S.shipPage, 3, 60_000);
  await shippedOnceEach(3);
  // What the platform saw: consecutive shipments a second or more apart (a behaviour, not a speed).
  const at = (await S.replica.log()).shipments.map((s) => s.at).sort((a, b) => a - b);
  for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 1000, `shipments ${i} and ${i + 1}: ${at[i] - at[i - 1]} ms apart`);
  const pace = S.shipPage.locator('[data-testid="report-pace"][data-pace="person"]');
  await pace.waitFor();
  assert.match(await pace.textContent(), /节奏：每单间隔 1–3 秒（平均 \d+(\.\d)? 秒）/);
  assert.ok(Number(await pace.getAttribute('data-average-ms')) >= 1000);
  t.diagnostic(`gaps between shipments (ms): ${at.slice(1).map((x, i) => x - at[i]).join(', ')}; report: ${await pace.textContent()}`);
});
