// End-to-end tests of the workbench replica alone (no extension), driven like a user in Chromium:
// rows only after the API answers, paging, decrypt quota counting and refusal, shipping through
// the dialog, real v-model semantics, the /__test/ fault and dialog hooks, the privacy board,
// hostile text, the platform rules over HTTP, both shapes in the SPA (seen
// by default, legacy after a reset); then, over HTTP only, the two shapes side by side (spellings,
// the same packages, filters by either code family, couriers, /__test/orders normalization, raw
// packages, determinism).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { chinaDateTime } from '../workbench/lib/rules.mjs';

const NOW = Date.parse('2026-11-20T02:00:00Z'); // 10:00 China time
const PAGE = '/api/edith/fulfillment/order/page';
const SHIP = '/api/edith/fulfillment/order_delivering_api';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
const DETAIL = '/api/edith/fulfillment/order/detail';
const COMPANIES = '/api/edith/package/logistics/companies';
const QUOTA = '/api/edith/privacy/decrypt/quota';
const WAITING = [1, 2, 21, 26]; // the seen waiting family (the default shape)
const LEGACY_WAITING = [4, 5];
const CHINA_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

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
    const [w] = await pageIds(1, WAITING);
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
    const [x] = await pageIds(1, WAITING);
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
    const [v] = await pageIds(1, WAITING);
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
    const [y, z] = await pageIds(1, WAITING);
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

  it('renders the seen spelling: region + street, +86 phone, note, bundle parts; the 待发货 tab sends the seen codes; 中通 ships as zto', async () => {
    await replica.hook('reset', { now: NOW });
    const bundle = 'P9100000000000001';
    const raw = 'P9100000000000002';
    await replica.hook('orders', { packages: [
      { packageId: bundle, status: 2, paidAt: '2026-11-20 10:00:30',
        userInfo: { name: '林**', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路**号**栋****', phone: '+86139****0001', note: '放门口就行' },
        skus: [{ displayName: '香薰礼盒', skuSpecification: '大号', skuQuantity: 1, skuSoldPrice: 99, scskus: [{ name: '香薰精油', quantity: 2, soldPrice: 30 }, { skuName: '蜡烛', quantity: 1, price: 39 }] }] },
      { __raw: true, packageId: raw, status: 26, statusDesc: '待发货' }, // no paidAt, skus or userInfo
    ] });
    const sent = page.waitForRequest((r) => r.url().endsWith(PAGE));
    await openList('?tab=pending');
    assert.deepEqual((await sent).postDataJSON().status, WAITING);
    const text = (await row(bundle).textContent()).replace(/\s+/g, ' ');
    for (const want of ['林**', '+86139****0001', '浙江省杭州市西湖区文三路**号**栋****', '放门口就行', '香薰礼盒', '大号 ×1 ¥99.00', '· 香薰精油 ×2 ¥30.00', '· 蜡烛 ×1 ¥39.00', '2026-11-20 10:00:30', '待发货']) {
      assert.ok(text.includes(want), `row shows ${want}: ${text}`);
    }
    assert.equal(await row(raw).locator('.d-button', { hasText: '发货' }).count(), 1, 'a raw package with only a waiting code still shows 发货');
    assert.equal(await row(bundle).locator('.d-tag-danger').count(), 0, '无售后 is no after-sale tag');
    const seeded = (await api(PAGE, { page_no: 1, page_size: 50, status: WAITING })).data.packages.find((p) => !String(p.packageId).startsWith('P91'));
    const seededText = await row(seeded.packageId).textContent();
    assert.ok(seededText.includes(seeded.userInfo.province + (seeded.userInfo.city === seeded.userInfo.province ? '' : seeded.userInfo.city) + seeded.userInfo.district + seeded.userInfo.address));
    assert.ok(seededText.includes(seeded.paidAt));

    await openShipDialog(bundle);
    assert.match(await modal().textContent(), /香薰礼盒（大号）×1/);
    await chooseCourier('中通快递');
    await modal().locator('.d-input input').fill('731234567890');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await modal().waitFor({ state: 'detached' });
    assert.deepEqual((await replica.log()).shipments.at(-1), { ...(await replica.log()).shipments.at(-1), package_id: bundle, express_company_code: 'zto' });
    assert.match(await row(bundle).textContent(), /已发货/);
    const after = (await api(DETAIL, { package_id: bundle })).data;
    assert.deepEqual([after.status, after.statusDesc, after.expressCompanyCode], [6, '已发货', 'zto']);
    assert.deepEqual(consoleErrors.filter((e) => !/Failed to load resource/.test(e)), []);
  });

  it('serves and drives the legacy shape after reset {shape: "legacy"}: its tab codes, spellings and courier codes', async () => {
    assert.equal((await replica.hook('reset', { now: NOW, shape: 'legacy' })).shape, 'legacy');
    const sent = page.waitForRequest((r) => r.url().endsWith(PAGE));
    await openList('?tab=pending');
    assert.deepEqual((await sent).postDataJSON().status, LEGACY_WAITING);
    const [w] = await pageIds(1, LEGACY_WAITING);
    const pkg = (await api(PAGE, { page_no: 1, page_size: 50, status: LEGACY_WAITING })).data.packages[0];
    assert.equal(pkg.packageId, w);
    const text = await row(w).textContent();
    for (const want of [pkg.userInfo.receiver, pkg.userInfo.phone, pkg.userInfo.address, pkg.skus[0].name, pkg.skus[0].spec]) assert.ok(text.includes(want), want);
    await openShipDialog(w);
    await chooseCourier('中通快递');
    await modal().locator('.d-input input').fill('731234567891');
    await modal().locator('.d-button', { hasText: '确定' }).click();
    await modal().waitFor({ state: 'detached' });
    assert.equal((await replica.log()).shipments.at(-1).express_company_code, 'zhongtong');
    assert.match(await row(w).textContent(), /已发货/);
    assert.equal((await api(DETAIL, { package_id: w })).data.status, 6);
    assert.equal((await replica.hook('reset', { now: NOW })).shape, 'seen', 'reset without shape returns to the start shape');
  });
});

describe('workbench replica shapes (over HTTP)', { timeout: 60_000 }, () => {
  const SEED = 7;
  let seen;
  let legacy;
  const call = async (r, path, body) => (await fetch(r.url + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  const all = async (r, status = []) => (await call(r, PAGE, { page_no: 1, page_size: 500, status, time_range_list: [] })).data.packages;
  const ship = (r, id, code, no) => call(r, SHIP, { package_id: id, delivery_package_id: id, delivery_group: false, express_company_code: code, express_no: no });
  const LEGACY_KEYS = { top: [], user: ['receiver', 'buyerRemark'], sku: ['name', 'spec', 'quantity', 'price'] };
  const SEEN_KEYS = {
    top: ['packageId', 'orderId', 'status', 'statusDesc', 'afterSaleStatus', 'afterSaleStatusDesc', 'paidAt', 'orderedAt', 'updatedAt', 'actualPaid', 'totalOrderAmount', 'shippingFee', 'sellerId', 'userId', 'orderTagList', 'userInfo', 'skus'],
    user: ['name', 'nickName', 'province', 'city', 'district', 'address', 'phone', 'note', 'userId'],
    sku: ['skuId', 'itemId', 'displayName', 'skuName', 'skuSpecification', 'skuQuantity', 'skuSoldPrice', 'image'],
  };

  before(async () => {
    [seen, legacy] = await Promise.all([startReplica({ now: NOW, seed: SEED }), startReplica({ now: NOW, seed: SEED, shape: 'legacy' })]);
  });
  after(async () => {
    await seen?.stop();
    await legacy?.stop();
  });

  it('serves the seen keys by default and none of the legacy ones', async () => {
    assert.equal((await (await fetch(`${seen.url}/__test/shape`)).json()).data.shape, 'seen');
    const pkgs = await all(seen);
    assert.equal(pkgs.length, 150);
    for (const p of pkgs) {
      for (const k of SEEN_KEYS.top) assert.ok(k in p, `${p.packageId} has ${k}`);
      for (const k of SEEN_KEYS.user) assert.ok(k in p.userInfo, `${p.packageId} userInfo has ${k}`);
      for (const k of LEGACY_KEYS.user) assert.ok(!(k in p.userInfo), `${p.packageId} userInfo has no ${k}`);
      for (const s of p.skus) {
        for (const k of SEEN_KEYS.sku) assert.ok(k in s, `${p.packageId} sku has ${k}`);
        for (const k of LEGACY_KEYS.sku) assert.ok(!(k in s), `${p.packageId} sku has no ${k}`);
      }
      assert.match(p.paidAt, CHINA_TIME);
      assert.match(p.orderedAt, CHINA_TIME);
      assert.match(p.updatedAt, CHINA_TIME);
      const lead = Date.parse(p.paidAt.replace(' ', 'T') + 'Z') - Date.parse(p.orderedAt.replace(' ', 'T') + 'Z');
      assert.ok(lead > 0 && lead <= 15 * 60_000, `orderedAt a few minutes before paidAt: ${p.orderedAt} / ${p.paidAt}`);
      assert.ok([1, 2, 21, 26, 6, 65, 7, 998].includes(p.status), `seen status ${p.status}`);
      assert.match(p.userInfo.name, /^\p{Script=Han}\*\*$/u);
      assert.match(p.userInfo.phone, /^(\+86)?1\d{2}\*{4}\d{4}$/);
      assert.match(p.userInfo.address, /\*\*/);
      assert.doesNotMatch(p.userInfo.address, /[0-9A-Za-z]/, 'digits and letters masked');
      assert.equal(p.afterSaleStatus === 0, p.afterSaleStatusDesc === '无售后');
      assert.ok(Array.isArray(p.orderTagList));
    }
    const plus86 = pkgs.filter((p) => p.userInfo.phone.startsWith('+86')).length;
    assert.ok(plus86 > 20 && plus86 < 80, `about a third with +86: ${plus86}`);
    const bundles = pkgs.flatMap((p) => p.skus.filter((s) => s.scskus));
    assert.ok(bundles.length >= 8, `some bundles: ${bundles.length}`);
    for (const b of bundles) {
      assert.equal(b.skuQuantity, 1);
      for (const c of b.scskus) assert.ok(('name' in c || 'skuName' in c) && 'quantity' in c && ('soldPrice' in c || 'price' in c));
    }
    assert.ok(bundles.some((b) => b.scskus.some((c) => 'skuName' in c)) && bundles.some((b) => b.scskus.some((c) => 'name' in c)), 'both scsku spellings');
    const codes = new Set(pkgs.map((p) => p.status));
    for (const c of [1, 2, 6, 65, 7, 998]) assert.ok(codes.has(c), `seeded status ${c}`);
    assert.ok(codes.has(21) || codes.has(26), 'a few 21/26');
    const texts = Object.fromEntries(pkgs.map((p) => [p.status, p.statusDesc]));
    assert.deepEqual({ ...texts, 21: texts[21] ?? '部分发货', 26: texts[26] ?? '待发货' }, { 1: '待配货', 2: '待发货', 21: '部分发货', 26: '待发货', 6: '已发货', 65: '已发货未签收', 7: '已完成', 998: '已取消' });
  });

  it('serves the legacy keys with --shape legacy and none of the seen ones', async () => {
    const pkgs = await all(legacy);
    for (const p of pkgs) {
      assert.deepEqual(Object.keys(p).sort(), ['actualPaid', 'afterSaleStatusDesc', 'orderId', 'packageId', 'paidAt', 'skus', 'status', 'statusDesc', 'userInfo']);
      assert.deepEqual(Object.keys(p.userInfo).sort(), ['address', 'buyerRemark', 'phone', 'receiver']);
      for (const s of p.skus) assert.deepEqual(Object.keys(s).sort(), ['name', 'price', 'quantity', 'skuId', 'spec']);
      assert.equal(typeof p.paidAt, 'number');
      assert.ok([4, 5, 6, 7, 998].includes(p.status), `legacy status ${p.status}`);
      assert.match(p.userInfo.address, /\*\*\*\*$/);
      assert.doesNotMatch(p.userInfo.phone, /^\+/);
    }
    assert.deepEqual((await call(legacy, COMPANIES, { send_from: '001', package_id_list: [] })).data.map((c) => c.express_company_code),
      ['shunfeng', 'zhongtong', 'yuantong', 'shentong', 'yunda', 'jtexpress', 'jd', 'youzhengguonei', 'ems', 'debangkuaidi']);
  });

  it('serves the same packages in both shapes for the same seed: only the spelling differs', async () => {
    const [a, b] = [await all(seen), await all(legacy)];
    assert.deepEqual(a.map((p) => p.packageId), b.map((p) => p.packageId));
    const waitingSeen = new Set(WAITING);
    const waitingLegacy = new Set(LEGACY_WAITING);
    a.forEach((p, i) => {
      const q = b[i];
      assert.equal(p.paidAt, chinaDateTime(q.paidAt));
      assert.equal(waitingSeen.has(p.status), waitingLegacy.has(q.status), p.packageId);
      assert.equal(p.status === 998, q.status === 998);
      assert.deepEqual([p.orderId, p.actualPaid, p.userInfo.name, p.userInfo.note], [q.orderId, q.actualPaid, q.userInfo.receiver, q.userInfo.buyerRemark]);
      assert.equal(p.userInfo.phone.replace(/^\+86/, ''), q.userInfo.phone);
      assert.ok(q.userInfo.address.startsWith(p.userInfo.province === p.userInfo.city ? p.userInfo.city : p.userInfo.province + p.userInfo.city));
      assert.deepEqual(p.skus.map((s) => [s.skuId, s.displayName, s.skuSpecification, s.skuQuantity, s.skuSoldPrice]), q.skus.map((s) => [s.skuId, s.name, s.spec, s.quantity, s.price]));
    });
    const id = a.find((p) => WAITING.includes(p.status)).packageId;
    const [pa, pb] = [await call(seen, DECRYPT, { package_id: id, action_type: 1 }), await call(legacy, DECRYPT, { package_id: id, action_type: 1 })];
    assert.deepEqual(Object.keys(pa.data).sort(), ['receiver_address', 'receiver_name', 'receiver_phone']);
    assert.deepEqual(pa.data, pb.data);
    const [qa, qb] = [await call(seen, QUOTA), await call(legacy, QUOTA)];
    assert.deepEqual(qa.data, { date: '2026-11-20', daily_quota: 20, used: 1 });
    assert.deepEqual(qa.data, qb.data);
  });

  it('is deterministic: the same seed, count and shape give the same packages', async () => {
    for (const r of [seen, legacy]) {
      const first = await all(r);
      await r.hook('reset', { now: NOW, seed: SEED });
      assert.deepEqual(await all(r), first);
      await r.hook('reset', { now: NOW, seed: SEED + 1 });
      assert.notDeepEqual((await all(r)).map((p) => p.packageId), first.map((p) => p.packageId));
      await r.hook('reset', { now: NOW, seed: SEED });
    }
  });

  it('filters waiting packages by either family of codes, with the same result, in both shapes', async () => {
    for (const r of [seen, legacy]) {
      const bySeen = (await all(r, WAITING)).map((p) => p.packageId);
      const byLegacy = (await all(r, LEGACY_WAITING)).map((p) => p.packageId);
      assert.ok(bySeen.length > 20);
      assert.deepEqual(bySeen, byLegacy);
      const whole = await all(r);
      assert.deepEqual(bySeen, whole.filter((p) => [...WAITING, ...LEGACY_WAITING].includes(p.status)).map((p) => p.packageId));
    }
    const seenAll = await all(seen);
    assert.deepEqual((await all(seen, [2])).map((p) => p.packageId), seenAll.filter((p) => p.status === 2).map((p) => p.packageId));
    assert.deepEqual((await all(seen, [6])).map((p) => p.packageId), seenAll.filter((p) => p.status === 6).map((p) => p.packageId));
    assert.deepEqual((await all(legacy, [6])).length, seenAll.filter((p) => p.status === 6 || p.status === 65).length);
  });

  it('lists the seen couriers and ships only with the current shape\'s codes (zhongtong refused on seen, zto works)', async () => {
    const list = (await call(seen, COMPANIES, { send_from: '001', package_id_list: [] })).data;
    assert.deepEqual(list.map((c) => c.express_company_code), ['zto', 'yuantong', 'yunda', 'jtexpress', 'shentong', 'youzhengguonei', 'youzhengbiaokuai', 'ems', 'debangwuliu', 'shunfeng', 'jd', 'danniao']);
    assert.equal(list.find((c) => c.express_company_code === 'zto').express_company_name, '中通快递');
    const [a, b] = (await all(seen, WAITING)).map((p) => p.packageId);
    assert.equal((await ship(seen, a, 'zhongtong', '731234567890')).msg, '物流公司不存在');
    assert.equal((await ship(seen, a, 'debangkuaidi', 'DPK123456789012')).msg, '物流公司不存在');
    assert.equal((await ship(seen, a, 'zto', '731234567890')).success, true);
    assert.equal((await ship(seen, b, 'youzhengbiaokuai', '123456789012')).msg, '运单号格式不正确');
    assert.equal((await ship(seen, b, 'youzhengbiaokuai', '1234567890123')).success, true);
    const d = (await call(seen, DETAIL, { package_id: a })).data;
    assert.deepEqual([d.status, d.statusDesc, d.expressCompanyCode, d.expressNo], [6, '已发货', 'zto', '731234567890']);
    assert.equal((await call(legacy, DETAIL, { package_id: a })).data.status !== 6, true, 'the other replica is untouched');
    assert.equal((await ship(legacy, a, 'zto', '731234567890')).msg, '物流公司不存在');
    assert.equal((await ship(legacy, a, 'zhongtong', '731234567890')).success, true);
    assert.equal((await call(legacy, DETAIL, { package_id: a })).data.expressCompanyCode, 'zhongtong');
    const shipped = (await all(seen)).filter((p) => p.status === 6 || p.status === 65 || p.status === 7).map((p) => p.packageId);
    const codes = new Set();
    for (const id of shipped.slice(0, 40)) codes.add((await call(seen, DETAIL, { package_id: id })).data.expressCompanyCode);
    assert.ok(!codes.has('zhongtong') && !codes.has('debangkuaidi'), `seeded couriers in the seen spelling: ${[...codes]}`);
  });

  it('/__test/orders takes a legacy-spelled package and serves it seen-spelled (and back)', async () => {
    await seen.hook('reset', { now: NOW, orders: 0 });
    await legacy.hook('reset', { now: NOW, orders: 0 });
    const old = { packageId: 'P9200000000000001', status: 4, paidAt: NOW - 60_000,
      userInfo: { receiver: '张**', phone: '138****1234', address: '广东省深圳市南山区****', buyerRemark: '放门卫' },
      skus: [{ skuId: 'S1', name: '帆布包', spec: '米色', quantity: 2, price: 49 }], sellerMark: 'kept verbatim' };
    await seen.hook('orders', { packages: [old] });
    const [p] = await all(seen);
    assert.deepEqual([p.status, p.statusDesc, p.paidAt], [2, '待发货', chinaDateTime(NOW - 60_000)]);
    assert.deepEqual(p.userInfo, { ...p.userInfo, name: '张**', phone: '138****1234', province: '广东省', city: '深圳市', district: '南山区', address: '****', note: '放门卫' });
    assert.deepEqual(p.skus, [{ ...p.skus[0], skuId: 'S1', displayName: '帆布包', skuSpecification: '米色', skuQuantity: 2, skuSoldPrice: 49 }]);
    for (const k of LEGACY_KEYS.user) assert.ok(!(k in p.userInfo));
    for (const k of LEGACY_KEYS.sku) assert.ok(!(k in p.skus[0]));
    assert.equal(p.sellerMark, 'kept verbatim');

    // The same package posted seen-spelled to the legacy replica comes back in the first spelling.
    await legacy.hook('orders', { packages: [{ packageId: old.packageId, status: 1, paidAt: chinaDateTime(NOW - 60_000),
      userInfo: { name: '张**', phone: '138****1234', province: '广东省', city: '深圳市', district: '南山区', address: '****', note: '放门卫' },
      skus: [{ skuId: 'S1', displayName: '帆布包', skuSpecification: '米色', skuQuantity: 2, skuSoldPrice: 49 }] }] });
    const [q] = await all(legacy);
    assert.deepEqual([q.status, q.statusDesc, q.paidAt], [5, '待发货', NOW - 60_000]);
    assert.deepEqual(q.userInfo, { receiver: '张**', phone: '138****1234', address: '广东省深圳市南山区****', buyerRemark: '放门卫' });
    assert.deepEqual(q.skus, [{ skuId: 'S1', name: '帆布包', spec: '米色', quantity: 2, price: 49 }]);
  });

  it('/__test/orders maps known codes by meaning, keeps unknown codes and given texts, reads every time form, merges', async () => {
    const pid = (n) => `P93000000000000${String(n).padStart(2, '0')}`;
    await seen.hook('orders', { packages: [
      { packageId: pid(1), status: 5 },
      { packageId: pid(2), status: 6, paidAt: Math.floor((NOW - 120_000) / 1000) }, // seconds
      { packageId: pid(3), status: 77 },
      { packageId: pid(4), status: 3, statusDesc: '待发货' },
      { packageId: pid(5), status: 2, statusDesc: '已取消' },
      { packageId: pid(6), status: 65, paidAt: '2026-11-20 09:00:00' },
      { packageId: pid(7), status: 998, afterSaleStatusDesc: '退款中' },
    ] });
    const by = Object.fromEntries((await all(seen)).map((p) => [p.packageId, p]));
    const st = (n) => [by[pid(n)].status, by[pid(n)].statusDesc];
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(st), [[1, '待配货'], [6, '已发货'], [77, '未知'], [3, '待发货'], [2, '已取消'], [65, '已发货未签收'], [998, '已取消']]);
    assert.equal(by[pid(2)].paidAt, chinaDateTime(NOW - 120_000));
    assert.equal(by[pid(6)].paidAt, '2026-11-20 09:00:00');
    assert.deepEqual([by[pid(7)].afterSaleStatus, by[pid(7)].afterSaleStatusDesc], [2, '退款中']);
    assert.deepEqual((await all(seen, [77])).map((p) => p.packageId), [pid(3)]);
    assert.ok((await all(seen, WAITING)).some((p) => p.packageId === pid(5)), 'filtered by meaning, whatever the text');
    assert.equal((await ship(seen, pid(4), 'zto', '731234567899')).msg, '订单状态已变更', 'an unknown code does not wait');

    await seen.hook('orders', { packages: [{ packageId: pid(1), userInfo: { note: '改了备注' } }, { packageId: pid(5), status: 26 }] });
    const merged = Object.fromEntries((await all(seen)).map((p) => [p.packageId, p]));
    assert.equal(merged[pid(1)].userInfo.note, '改了备注');
    assert.equal(merged[pid(1)].userInfo.name, by[pid(1)].userInfo.name, 'other fields kept');
    assert.deepEqual([merged[pid(5)].status, merged[pid(5)].statusDesc], [26, '待发货'], 'a new status without a text: the text follows the meaning');

    const legacyView = Object.fromEntries((await legacy.hook('orders', { packages: [{ packageId: pid(8), status: 21 }, { packageId: pid(9), status: 65 }] }), await all(legacy)).map((p) => [p.packageId, p]));
    assert.deepEqual([legacyView[pid(8)].status, legacyView[pid(9)].status], [4, 6], 'served as the legacy code of the same meaning');
  });

  it('/__test/orders with __raw: true serves the object exactly as given, yet filters and ships it by its status', async () => {
    const odd = { packageId: 'P9400000000000001', status: 4, statusDesc: '待配货', userInfo: null, weird: [1, { a: 'b' }] };
    await seen.hook('orders', { packages: [{ ...odd, __raw: true }] });
    const served = (await all(seen)).find((p) => p.packageId === odd.packageId);
    assert.deepEqual(served, odd);
    assert.ok((await all(seen, WAITING)).some((p) => p.packageId === odd.packageId));
    assert.deepEqual((await call(seen, DETAIL, { package_id: odd.packageId })).data, odd);
    assert.equal((await ship(seen, odd.packageId, 'zto', '731234567800')).success, true);
    const after = (await all(seen)).find((p) => p.packageId === odd.packageId);
    assert.deepEqual(after, { ...odd, status: 6, statusDesc: '已发货' });
    assert.equal((await call(seen, DECRYPT, { package_id: odd.packageId, action_type: 1 })).success, true);
  });
});
