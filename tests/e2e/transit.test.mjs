// Transit warehouse, end to end against the workbench replica with the real extension: browsing
// two list pages collects exactly their pending packages; a package decrypted on the page (plain
// text visible) and one the platform sent in plain text still export masked; the CSV has a BOM
// and matches the XLSX; a template change shows in the next export; the planner's numbers match
// a computation written out here; packages shipped meanwhile (seen shipped, shipped through the
// page's dialog, or simply gone from the pending tab) leave the list. A list answer the worker
// was stopped before saving is sent again by the page and collected.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import Papa from 'papaparse';
import { launch, loseAnAnswer, openExtensionPage } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';

const PAGE = '/api/edith/fulfillment/order/page';
const PLAIN_ID = 'P7990000000000001';
const PLAIN = { receiver: '欧阳明月', phone: '13800138000', address: '广东省深圳市南山区科技园南路18号腾讯大厦3栋201室', buyerRemark: '到了打13900139000，身份证11010519491231002X，邮箱mingyue@qq.com' };
const PHONE_RE = /1[3-9]\d{9}/;
// Waiting codes of both families SPEC.md shows (the replica serves the seen 1, 2, 21, 26).
const isWaiting = (p) => [1, 2, 21, 26, 4, 5].includes(p.status);
// Paid time in ms: the seen shape sends China-time text, the first guess ms.
const paidMs = (p) => (typeof p.paidAt === 'string' ? Date.parse(`${p.paidAt.replace(' ', 'T')}+08:00`) : p.paidAt);

let replica; let browser; let wb; let transit;
let decrypted = { id: '', phone: '', name: '' };

async function api(path, body) {
  const res = await fetch(replica.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()).data;
}
const listPage = (page_no) => api(PAGE, { page_no, page_size: 50, status: [], time_range_list: [] });
const rows = () => wb.locator('table.d-new-table tbody tr.d-new-table-row');
const firstRowId = async () => ((await rows().first().textContent()).match(/P\d{15,}/) || [''])[0];

async function transitRowIds() {
  return transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.packageId));
}

/** What transit.html shows, for a failure's message: its error, the planner, the row count. */
async function shown() {
  return transit.evaluate(() => {
    const err = document.getElementById('page-error');
    return JSON.stringify({
      error: err?.hidden === false ? `${err.dataset.errorName}: ${err.textContent}` : null,
      planner: { ...document.querySelector('[data-testid="planner-summary"]')?.dataset },
      remainingInput: document.getElementById('remaining-input')?.value ?? null,
      rows: document.querySelectorAll('[data-testid="transit-row"]').length,
    });
  }).catch((e) => `(not readable: ${e.message})`);
}

/** Runs a wait on transit.html; a timeout says what the page showed instead. */
async function onTransit(wait) {
  try {
    return await wait();
  } catch (e) {
    e.message = `${e.message}\ntransit.html showed: ${await shown()}`;
    throw e;
  }
}

/** Waits until transit.html lists `n` rows (it redraws on every collected answer). */
async function waitForRows(n) {
  await onTransit(() => transit.waitForFunction((want) => document.querySelectorAll('[data-testid="transit-row"]').length === want, n, { timeout: 15_000 }));
}

async function exportFile(testid) {
  const [download] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId(testid).click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

function parseCsv(bytes) {
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM first');
  const text = bytes.subarray(3).toString('utf8');
  return Papa.parse(text.replace(/\r\n$/, ''), { skipEmptyLines: false }).data;
}

/** Reads the first sheet of an XLSX with Python's zipfile + XML parser (no spreadsheet library). */
function parseXlsx(path) {
  const script = `
import sys, json, zipfile, re, xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
ss = []
if 'xl/sharedStrings.xml' in z.namelist():
    ss = [''.join(t.text or '' for t in si.iter(M + 't')) for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall(M + 'si')]
rows = []
for r in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(M + 'row'):
    cells = {}
    for c in r.findall(M + 'c'):
        letters = re.match('[A-Z]+', c.get('r')).group(0)
        col = 0
        for ch in letters: col = col * 26 + ord(ch) - 64
        v = c.find(M + 'v')
        t = c.get('t')
        if t == 's': val = ss[int(v.text)]
        elif t == 'inlineStr': val = ''.join(x.text or '' for x in c.iter(M + 't'))
        else: val = v.text if v is not None else ''
        cells[col - 1] = val
    rows.append(cells)
width = max(len(rows[0]), max((max(r) + 1 for r in rows if r), default=0))
print(json.dumps([[r.get(i, '') for i in range(width)] for r in rows], ensure_ascii=False))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

async function exportXlsxRows() {
  const [download] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId('export-xlsx').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  return parseXlsx(await download.path());
}

/** Pages the workbench's list to page 2 and waits until its rows have replaced page 1's. */
async function toPage2() {
  const first = await firstRowId();
  await wb.locator('.d-pagination .d-pagination-item', { hasText: /^2$/ }).click();
  await wb.waitForFunction((id) => {
    const tr = document.querySelector('table.d-new-table tbody tr.d-new-table-row');
    return tr && !tr.textContent.includes(id) && !document.querySelector('.d-new-table-loading');
  }, first);
}

/** Starts a replica with `opts` (then `setup(replica)`), Chromium with RedShip, the workbench tab
 *  and transit.html before a suite; closes them after it. */
function session(opts, setup = async () => {}) {
  before(async () => {
    replica = await startReplica(opts);
    await setup(replica);
    browser = await launch({ locale: 'zh-CN' });
    wb = await browser.context.newPage();
    transit = await openExtensionPage(browser.context, browser.extensionId, 'transit.html');
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });
}

describe('transit warehouse', { timeout: 180_000 }, () => {
  // A package the platform sends in plain text (as after a decrypt), paid just now: page 1.
  session({ seed: 11, orders: 150 }, (r) => r.hook('orders', { packages: [{ packageId: PLAIN_ID, status: 4, paidAt: Date.now() - 1000, userInfo: PLAIN,
    skus: [{ skuId: 'SKU-PLAIN', name: '=HYPERLINK("http://evil")', spec: '-1', quantity: 2, price: 9.9 }] }] }));

  it('collects exactly the pending packages of the two pages browsed', async () => {
    await wb.goto(`${replica.url}/app-order/order/query`);
    await rows().first().waitFor();
    // Decrypt one pending package on page 1: its plain name and phone become visible.
    const p1 = await listPage(1);
    const target = p1.packages.find((p) => isWaiting(p) && p.packageId !== PLAIN_ID);
    const row = wb.locator('table.d-new-table tbody tr', { hasText: target.packageId });
    await row.locator('.d-button', { hasText: '查看' }).click();
    await row.locator('.d-button', { hasText: '查看' }).waitFor({ state: 'detached' });
    const cell = row.locator('td').nth(2);
    decrypted = {
      id: target.packageId,
      name: (await cell.locator('span').nth(0).textContent()).trim(),
      phone: (await cell.locator('span').nth(1).textContent()).trim(),
    };
    assert.match(decrypted.phone, /^1[3-9]\d{9}$/, `plain phone visible: ${decrypted.phone}`);
    assert.ok(!decrypted.name.includes('*'), `plain name visible: ${decrypted.name}`);

    await toPage2();
    const p2 = await listPage(2);
    const pending = [...p1.packages, ...p2.packages].filter(isWaiting).map((p) => p.packageId);
    assert.ok(pending.length > 10 && pending.includes(PLAIN_ID));

    await waitForRows(pending.length);
    assert.deepEqual((await transitRowIds()).sort(), [...pending].sort());
    const routes = await transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.route));
    assert.ok(routes.every((r) => r === 'warehouse'));
    // Browsing page 1 again adds nothing.
    await wb.locator('.d-pagination .d-pagination-item', { hasText: /^1$/ }).click();
    await wb.waitForTimeout(800);
    assert.equal((await transitRowIds()).length, pending.length);
    const page = await transit.content();
    for (const plain of [decrypted.phone, decrypted.name, PLAIN.phone, PLAIN.receiver, '13900139000', '腾讯大厦']) {
      assert.ok(!page.includes(plain), `${plain} shown on transit.html`);
    }
  });

  it('exports a masked CSV with a BOM that the XLSX matches cell for cell', async () => {
    const ids = await transitRowIds();
    const csvFile = await exportFile('export-csv');
    assert.match(csvFile.name, /\.csv$/);
    const csv = parseCsv(csvFile.bytes);
    assert.deepEqual(csv[0], ['包裹号', '付款时间', '商品名称', '规格', '数量', '收件人', '手机号', '收货地址', '买家备注', '上游平台', '上游订单号', '入库快递单号', '备注', '快递公司', '快递单号']);
    assert.deepEqual([...new Set(csv.slice(1).map((r) => r[0]))].sort(), [...ids].sort(), 'exactly the pending packages');
    const whole = csvFile.bytes.toString('utf8');
    for (const plain of [decrypted.phone, decrypted.name, PLAIN.phone, PLAIN.receiver, '13900139000', '11010519491231002X', 'mingyue@qq.com', '腾讯大厦', '科技园南路18号']) {
      assert.ok(!whole.includes(plain), `${plain} leaked into the CSV`);
    }
    for (const r of csv.slice(1)) {
      assert.match(r[5], /^\S\*\*$/, `masked name ${r[5]}`);
      assert.match(r[6], /^\d{3}\*{4}\d{4}$/, `masked phone ${r[6]} (a domestic number: no country code)`);
      assert.match(r[7], /\*{4}$/, `masked address ${r[7]}`);
      for (const cell of r.slice(5, 9)) assert.doesNotMatch(cell, PHONE_RE, cell);
    }
    const plainRow = csv.find((r) => r[0] === PLAIN_ID);
    assert.deepEqual(plainRow.slice(2, 8), ["'=HYPERLINK(\"http://evil\")", "'-1", '2', '欧**', '138****8000', '广东省深圳市南山区****']);
    assert.ok(plainRow[8].startsWith('到了打139****9000'), plainRow[8]);

    const xlsx = await exportXlsxRows();
    assert.deepEqual(xlsx, csv);
  });

  it('a template change shows in the next export', async () => {
    await transit.getByTestId('template-editor').locator('summary').click();
    await transit.locator('[data-testid="template-col-include"][data-field="spec"]').uncheck();
    await transit.locator('[data-testid="template-col-header"][data-field="packageId"]').fill('订单号');
    await transit.getByTestId('template-save').click();
    await transit.waitForFunction(() => document.querySelector('[data-testid="template-col-header"][data-field="packageId"]')?.value === '订单号'
      && !document.querySelector('[data-testid="template-col-include"][data-field="spec"]').checked);
    const csv = parseCsv((await exportFile('export-csv')).bytes);
    assert.equal(csv[0][0], '订单号');
    assert.ok(!csv[0].includes('规格'));
    assert.equal(csv[0].length, 14);
    assert.deepEqual(await exportXlsxRows(), csv);
  });

  it('edits for the warehouse go into the export; a phone typed into a note is refused', async () => {
    const id = (await transitRowIds()).find((x) => x !== decrypted.id && x !== PLAIN_ID);
    const tr = () => transit.locator(`[data-testid="transit-row"][data-package-id="${id}"]`);
    const fill = async (field, value) => {
      await tr().locator(`[data-testid="edit-${field}"]`).fill(value);
      await tr().locator(`[data-testid="edit-${field}"]`).press('Tab');
    };
    await fill('upstreamPlatform', '拼多多');
    await fill('upstreamOrderNo', '241121-567890123456789');
    await fill('inboundTracking', 'YT7412345678901');
    await fill('notes', '=1+1 易碎');
    await transit.waitForFunction((pid) => document.querySelector(`[data-testid="transit-row"][data-package-id="${pid}"] [data-testid="edit-notes"]`).dataset.saved === '=1+1 易碎', id);
    await fill('notes', '买家电话13912345678');
    await tr().getByTestId('row-error').filter({ hasText: '手机号' }).waitFor();
    assert.equal(await tr().locator('[data-testid="edit-notes"]').inputValue(), '=1+1 易碎');
    const csv = parseCsv((await exportFile('export-csv')).bytes);
    const line = csv.find((r) => r[0] === id);
    assert.deepEqual(line.slice(-6), ['拼多多', '241121-567890123456789', 'YT7412345678901', "'=1+1 易碎", '', '']);
  });

  it("the planner's numbers match a hand computation", async () => {
    const ids = (await transitRowIds()).filter((id) => id !== decrypted.id && id !== PLAIN_ID);
    const supplier = ids.slice(0, 3);
    for (const id of supplier) {
      await transit.locator(`[data-testid="transit-row"][data-package-id="${id}"] [data-testid="route-select"]`).selectOption('supplier');
      await transit.waitForSelector(`[data-testid="transit-row"][data-package-id="${id}"][data-route="supplier"]`);
    }
    await transit.getByTestId('remaining-input').fill('1');
    await transit.getByTestId('remaining-input').press('Tab');
    await onTransit(() => transit.waitForSelector('[data-testid="planner-summary"][data-remaining="1"]'));
    const s = transit.getByTestId('planner-summary');
    // 3 supplier orders, none decrypted today, 1 decrypt left: need 3, short by 2, move the 2 newest.
    const needed = supplier.length;
    const remaining = 1;
    assert.equal(Number(await s.getAttribute('data-decrypts-needed')), needed);
    assert.equal(Number(await s.getAttribute('data-remaining')), remaining);
    assert.equal(Number(await s.getAttribute('data-short-by')), needed - remaining);
    await transit.getByTestId('raise-helper').waitFor();
    assert.equal(await transit.getByTestId('raise-helper').getAttribute('data-reason-code'), '1');
    const moves = await transit.getByTestId('planner-move').evaluateAll((lis) => lis.map((li) => li.dataset.packageId));
    assert.equal(moves.length, needed - remaining);
    // The supplier orders leave the warehouse export.
    const csv = parseCsv((await exportFile('export-csv')).bytes);
    for (const id of supplier) assert.ok(!csv.some((r) => r[0] === id), `${id} is a supplier order`);
    await transit.getByTestId('planner-apply').click();
    await transit.waitForSelector('[data-testid="planner-summary"][data-decrypts-needed="1"]');
  });

  it('a package shipped meanwhile leaves the list when the page sees it', async () => {
    const before = await transitRowIds();
    await replica.hook('orders', { packages: [{ packageId: PLAIN_ID, status: 6 }] });
    await wb.locator('.d-button', { hasText: '刷新' }).click();
    await waitForRows(before.length - 1);
    assert.ok(!(await transitRowIds()).includes(PLAIN_ID));
  });

  it("a package shipped through the page's own dialog leaves at once", async () => {
    const before = await transitRowIds();
    const p1 = (await listPage(1)).packages.filter((p) => before.includes(p.packageId));
    const target = p1[1].packageId;
    const row = wb.locator('table.d-new-table tbody tr', { hasText: target });
    await row.locator('.d-button', { hasText: '发货' }).click();
    const modal = wb.locator('.d-modal');
    await modal.locator('.d-select').click();
    await wb.locator('.d-popover .d-option-content .d-option-name', { hasText: '顺丰速运' }).click();
    await modal.locator('.d-input input').fill('SF1234567890123');
    await modal.locator('.d-button', { hasText: '确定' }).click();
    await modal.waitFor({ state: 'detached' });
    await waitForRows(before.length - 1);
    assert.ok(!(await transitRowIds()).includes(target));
  });

  it('a package shipped elsewhere leaves when the pending tab no longer lists it', async () => {
    const before = await transitRowIds();
    const pending = (await api(PAGE, { page_no: 1, page_size: 50, status: [4, 5], time_range_list: [] })).packages;
    // One from the middle of the page, well inside its paid-time window, shipped by someone else.
    const inside = pending.filter((p) => paidMs(p) < paidMs(pending[0]) - 3_600_000 && paidMs(p) > paidMs(pending.at(-1)) + 3_600_000);
    const known = inside.filter((p) => before.includes(p.packageId));
    const gone = known[Math.floor(known.length / 2)].packageId;
    await replica.hook('orders', { packages: [{ packageId: gone, status: 6 }] });
    // What the pending tab will show now; RedShip then holds what it had plus that, minus `gone`.
    const shown = (await api(PAGE, { page_no: 1, page_size: 50, status: [4, 5], time_range_list: [] })).packages.map((p) => p.packageId);
    const expected = new Set([...before, ...shown]);
    expected.delete(gone);
    await wb.goto(`${replica.url}/app-order/order/query?tab=pending`);
    await rows().first().waitFor();
    await waitForRows(expected.size);
    assert.deepEqual((await transitRowIds()).sort(), [...expected].sort());
  });
});

describe('transit: a list answer the worker never took', { timeout: 120_000 }, () => {
  session({ seed: 12, orders: 100 });

  it('is sent again by the page once the worker restarts, and collected', async () => {
    const pendingOf = async (n) => (await listPage(n)).packages.filter(isWaiting).map((p) => p.packageId);
    const [p1, p2] = [await pendingOf(1), await pendingOf(2)];
    assert.ok(p1.length > 0 && p2.length > 0);
    await wb.goto(`${replica.url}/app-order/order/query`);
    await rows().first().waitFor();
    await waitForRows(p1.length);
    await wb.waitForTimeout(500); // what page 1 brought is saved
    // The worker is stopped as it takes page 2's answer, before saving it.
    const lose = await loseAnAnswer(browser.context, browser.extensionId);
    await lose.arm({ key: 'any', saved: false });
    await toPage2();
    await lose.stopWhenHeld(wb, "page 2's answer");
    // The page sends page 2 again to a fresh worker: both pages are collected.
    await transit.reload();
    await waitForRows(p1.length + p2.length);
    assert.deepEqual((await transitRowIds()).sort(), [...p1, ...p2].sort());
  });
});
