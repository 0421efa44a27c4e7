// End-to-end tests of the workbench replica alone (no extension), driven like a user in Chromium:
// rows only after the API answers, paging, decrypt quota counting and refusal, shipping through
// the dialog, real v-model semantics, the /__test/ fault and dialog hooks, the privacy board,
// hostile text, the platform rules over HTTP, and the README screenshots.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, ROOT } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';

const NOW = Date.parse('2026-11-20T02:00:00Z'); // 10:00 China time
const PAGE = '/api/edith/fulfillment/order/page';
const SHIP = '/api/edith/fulfillment/order_delivering_api';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';

let replica;
let browser;
let page;
const consoleErrors = [];

async function api(path, body) {
  const res = await fetch(replica.url + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}
const pageIds = async (page_no, status = [], page_size = 50) => (await api(PAGE, { page_no, page_size, status, time_range_list: [] })).data.packages.map((p) => p.packageId);
const rowIds = () => page.$$eval('table.d-new-table tbody tr', (trs) => trs.map((tr) => (tr.textContent.match(/P\d{15,}/) || [''])[0]));
const row = (id) => page.locator('table.d-new-table tbody tr', { hasText: id });
const toast = (text) => page.locator('.d-toast', { hasText: text });
const modal = () => page.locator('.d-modal');

async function openList(query = '') {
  await page.goto(`${replica.url}/app-order/order/query${query}`);
  await page.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
}
async function openShipDialog(id) {
  await row(id).locator('.d-button', { hasText: '发货' }).click();
  await modal().locator('.d-select').waitFor();
  assert.match(await modal().textContent(), new RegExp(id));
}
async function chooseCourier(name) {
  await modal().locator('.d-select').click();
  await page.locator('.d-popover .d-option-content .d-option-name', { hasText: name }).click();
  await page.locator('.d-popover').waitFor({ state: 'detached' });
}

describe('workbench replica', { timeout: 90_000 }, () => {
  before(async () => {
    replica = await startReplica({ now: NOW, seed: 7 });
    browser = await launch({ extension: false });
    page = await browser.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('renders list rows only after the page API answers, under a strict CSP', async () => {
    await replica.hook('fault', { endpoint: PAGE, delay_ms: 1200 });
    const answered = page.waitForResponse((r) => r.url().endsWith(PAGE));
    const doc = await page.goto(`${replica.url}/app-order/order/query`);
    assert.match(doc.headers()['content-security-policy'], /script-src 'self'/);
    await page.locator('.d-new-table-loading').waitFor();
    assert.equal(await page.locator('table.d-new-table tbody tr').count(), 0, 'no rows before the API answers');
    await answered;
    await page.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
    assert.deepEqual(await rowIds(), await pageIds(1));
    assert.equal(await page.locator('.shop-name').textContent(), '小红薯的杂货铺');
    await page.locator('text=今日剩余解密次数 20').waitFor();
    const firstRow = row((await pageIds(1))[0]);
    assert.match(await firstRow.textContent(), /\*\*\*\*/, 'masked recipient');
    assert.equal(await firstRow.locator('.d-button', { hasText: '查看' }).count(), 1);
  });

  it('pages through 50 rows at a time and changes the page size', async () => {
    await page.locator('.d-pagination .d-pagination-item', { hasText: /^2$/ }).click();
    const second = await pageIds(2);
    await row(second[0]).waitFor();
    assert.deepEqual(await rowIds(), second);
    await page.locator('.d-pagination .d-select').click();
    await page.locator('.d-popover .d-option-name', { hasText: '100 条/页' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.d-new-table tbody tr').length === 100);
    assert.deepEqual(await rowIds(), await pageIds(1, [], 100));
    assert.deepEqual(await page.locator('.d-pagination .d-select').textContent(), '100 条/页');
  });

  it('spends decrypt quota once per package per China day, refuses at zero, resets at 00:00 UTC+8', async () => {
    await openList();
    const [a, b] = await pageIds(1);
    await row(a).locator('.d-button', { hasText: '查看' }).click();
    await row(a).locator('.d-button', { hasText: '查看' }).waitFor({ state: 'detached' });
    assert.doesNotMatch(await row(a).locator('td').nth(2).textContent(), /\*/, 'plaintext shown');
    await page.locator('text=今日剩余解密次数 19').waitFor();
    await openList(); // the masked list again; viewing A again is free
    await row(a).locator('.d-button', { hasText: '查看' }).click();
    await row(a).locator('.d-button', { hasText: '查看' }).waitFor({ state: 'detached' });
    await page.locator('text=今日剩余解密次数 19').waitFor();
    let log = await replica.log();
    assert.deepEqual(log.decrypts.map((d) => [d.package_id, d.day, d.charged]), [[a, '2026-11-20', true], [a, '2026-11-20', false]]);

    await replica.hook('quota', { daily_quota: 2, used: 2 });
    await row(b).locator('.d-button', { hasText: '查看' }).click();
    await toast('今日解密次数已用完').waitFor();
    assert.match(await row(b).textContent(), /\*/, 'still masked after a refusal');
    log = await replica.log();
    assert.deepEqual(log.decrypts.at(-1), { ...log.decrypts.at(-1), package_id: b, charged: false, refused: true });

    await replica.hook('clock', { now: Date.parse('2026-11-20T16:00:01Z') }); // 00:00:01 China, next day
    assert.deepEqual((await api('/api/edith/privacy/decrypt/quota')).data, { date: '2026-11-21', daily_quota: 2, used: 0 });
    await openList();
    await row(b).locator('.d-button', { hasText: '查看' }).click();
    await row(b).locator('.d-button', { hasText: '查看' }).waitFor({ state: 'detached' });
    log = await replica.log();
    assert.deepEqual(log.decrypts.at(-1), { ...log.decrypts.at(-1), package_id: b, day: '2026-11-21', charged: true });
    assert.equal(log.decrypts.at(-1).refused, undefined);
  });

  it('ships through the dialog; the row changes status and leaves the 待发货 filter', async () => {
    await replica.hook('reset', { now: NOW });
    await openList('?tab=pending');
    const [w] = await pageIds(1, [4, 5]);
    await openShipDialog(w);
    await chooseCourier('顺丰速运');
    await modal().locator('.d-input input').fill('SF1234567890123');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('发货成功').waitFor();
    await modal().waitFor({ state: 'detached' });
    assert.match(await row(w).textContent(), /已发货/);
    assert.equal(await row(w).locator('.d-button', { hasText: '发货' }).count(), 0);
    const log = await replica.log();
    assert.deepEqual(log.shipments.map((s) => [s.package_id, s.express_company_code, s.express_no]), [[w, 'shunfeng', 'SF1234567890123']]);
    await page.locator('.d-button', { hasText: '刷新' }).click();
    await page.waitForFunction((id) => !document.querySelector('table.d-new-table tbody').textContent.includes(id), w);
  });

  it('needs a real input event (v-model) and shows server refusals without closing the dialog', async () => {
    await openList('?tab=pending');
    const [x] = await pageIds(1, [4, 5]);
    const shipCalls = [];
    page.on('request', (r) => { if (r.url().endsWith(SHIP)) shipCalls.push(r.postDataJSON()); });
    await openShipDialog(x);
    await chooseCourier('中通快递');
    await modal().locator('.d-input input').evaluate((el) => { el.value = '731234567890'; });
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('请输入运单号').waitFor();
    assert.equal(shipCalls.length, 0, 'refused client-side: the app never saw the value');

    await modal().locator('.d-input input').fill('SF1234567890123'); // used above, wrong courier shape too
    await chooseCourier('顺丰速运');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('该运单号已被使用').waitFor();
    await modal().locator('.d-input input').fill('SF123');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('运单号格式不正确').waitFor();
    await replica.hook('fault', { endpoint: SHIP, code: 50099, msg: '系统繁忙（测试）' });
    await modal().locator('.d-input input').fill('SF5550000000001');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('系统繁忙（测试）').waitFor();
    assert.equal(await modal().count(), 1, 'dialog stays open after a failure');
    assert.equal((await replica.log()).shipments.length, 1, 'nothing shipped by refused calls');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await modal().waitFor({ state: 'detached' });
    assert.deepEqual(shipCalls.at(-1), { package_id: x, delivery_package_id: x, delivery_group: false, express_company_code: 'shunfeng', express_no: 'SF5550000000001' });
    assert.equal((await replica.log()).shipments.at(-1).package_id, x);
  });

  it('refuses shipping an order the platform changed meanwhile (订单状态已变更)', async () => {
    await openList('?tab=pending');
    const [v] = await pageIds(1, [4, 5]);
    await replica.hook('orders', { packages: [{ packageId: v, status: 998 }] });
    await openShipDialog(v);
    await chooseCourier('韵达快递');
    await modal().locator('.d-input input').fill('4312345678901');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await toast('订单状态已变更').waitFor();
    await modal().locator('.d-button', { hasText: '取消' }).click();
    await modal().waitFor({ state: 'detached' });
  });

  it('/__test/dialog makes the next dialog for a package show another one', async () => {
    await openList('?tab=pending');
    const [y, z] = await pageIds(1, [4, 5]);
    await replica.hook('dialog', { package_id: y, show_package_id: z });
    await row(y).locator('.d-button', { hasText: '发货' }).click();
    await modal().locator('.d-select').waitFor();
    const text = await modal().textContent();
    assert.ok(text.includes(z) && !text.includes(y), 'the dialog shows the other package');
    await chooseCourier('圆通速递');
    await modal().locator('.d-input input').fill('YT1234567890123');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await modal().waitFor({ state: 'detached' });
    const log = await replica.log();
    assert.deepEqual(log.shipments.at(-1), { ...log.shipments.at(-1), package_id: z, dialog_opened_for: y });
    await openShipDialog(y); // one-shot
    await modal().locator('.d-button', { hasText: '取消' }).click();
  });

  it('shows the privacy board without a page load and takes a raise application', async () => {
    await openList();
    await page.evaluate(() => { window.__samePage = true; });
    await page.locator('.d-menu a', { hasText: '隐私保护' }).click();
    await page.locator('.d-statistic-value').waitFor();
    assert.equal(new URL(page.url()).pathname, '/app-order/privacy');
    assert.equal(await page.evaluate(() => window.__samePage), true, 'no page load');
    const q = (await api('/api/edith/privacy/decrypt/quota')).data;
    assert.equal((await page.locator('.d-statistic-value').textContent()).replace(/\s/g, ''), `${q.used}/${q.daily_quota}`);
    assert.deepEqual(await page.locator('.d-radio').allTextContents(), ['代发商家需要让供应商发货', '使用了小红书电子面单不支持的快递', '发货仓库没有对接小红书电子面单', '虚拟商品', '其他']);
    assert.equal(await page.locator('.d-simple-table').first().locator('tbody tr').count(), 5);
    await page.locator('.d-radio', { hasText: '其他' }).click();
    await page.locator('.d-button', { hasText: '提交申请' }).click();
    await toast('请填写申请说明').waitFor();
    await page.locator('.d-textarea textarea').fill('大促期间订单量大');
    await page.locator('.d-button', { hasText: '提交申请' }).click();
    await toast('申请已提交').waitFor();
    assert.equal((await replica.log()).applications.at(-1).reason, 5);
    await page.goBack();
    await page.locator('table.d-new-table tbody tr.d-new-table-row').first().waitFor();
    assert.equal(await page.evaluate(() => window.__samePage), true);
  });

  it('renders hostile text from the platform as text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    await replica.hook('orders', { packages: [{ packageId: 'P9000000000000001', paidAt: NOW + 60_000, userInfo: { receiver: evil, buyerRemark: '<script>window.__pwned=2</script>' }, skus: [{ skuId: 's', name: evil, spec: '"><b>x', quantity: 1, price: 1 }] }] });
    await openList();
    await row('P9000000000000001').waitFor();
    assert.match(await row('P9000000000000001').textContent(), /<img src=x onerror=/);
    assert.equal(await page.locator('table.d-new-table img, table.d-new-table script').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e)), []);
  });

  it('enforces the platform rules over HTTP: tiers, EMS check digit, faults', async () => {
    const yesterday = NOW - 86_400_000;
    const many = (n, from) => Array.from({ length: n }, (_, i) => ({ packageId: `P8${String(from + i).padStart(15, '0')}`, paidAt: yesterday + i }));
    await replica.hook('reset', { orders: 0, now: NOW });
    await replica.hook('orders', { packages: many(200, 0) });
    assert.equal((await api('/api/edith/privacy/decrypt/quota')).data.daily_quota, 20);
    await replica.hook('orders', { packages: many(1, 200) });
    assert.equal((await api('/api/edith/privacy/decrypt/quota')).data.daily_quota, 50);
    await replica.hook('reset', { orders: 0, now: NOW, daily_quota: 3 });
    assert.equal((await api('/api/edith/privacy/decrypt/quota')).data.daily_quota, 3);

    const { package_ids: [e] } = await replica.hook('orders', { packages: [{ status: 4 }] });
    const ship = (no) => api(SHIP, { package_id: e, delivery_package_id: e, delivery_group: false, express_company_code: 'ems', express_no: no });
    assert.equal((await ship('EA123456784CN')).msg, '运单号格式不正确');
    assert.equal((await ship('EA123456785CN')).success, true);
    assert.equal((await ship('EA123456785CN')).msg, '订单状态已变更');

    await replica.hook('fault', { endpoint: DECRYPT, nth: 2, status: 503 });
    assert.equal((await api(DECRYPT, { package_id: e, action_type: 1 })).success, true);
    const res = await fetch(replica.url + DECRYPT, { method: 'POST', body: JSON.stringify({ package_id: e, action_type: 1 }) });
    assert.equal(res.status, 503);
    assert.equal((await api(DECRYPT, { package_id: e, action_type: 1 })).success, true);
    const list = await api(PAGE, { page_no: 1, page_size: 10, status: [] });
    assert.doesNotMatch(JSON.stringify(list), /receiver_name/);
  });

  it('saves the README screenshots', async () => {
    await replica.hook('reset', { now: NOW, orders: 150 });
    // Into docs/img only when asked (REDSHIP_SCREENSHOTS=docs): their pixels differ from run to
    // run, and a test run must not leave the committed files changed.
    const dir = process.env.REDSHIP_SCREENSHOTS === 'docs' ? join(ROOT, 'docs/img') : join(ROOT, 'target/screenshots');
    mkdirSync(dir, { recursive: true });
    await page.setViewportSize({ width: 1200, height: 720 });
    await openList('?tab=pending');
    await page.screenshot({ path: join(dir, 'replica-list.png') });
    const [id] = await pageIds(1, [4, 5]);
    await openShipDialog(id);
    await chooseCourier('中通快递');
    await modal().locator('.d-input input').fill('731234567890');
    await page.screenshot({ path: join(dir, 'replica-dialog.png') });
  });
});
