// Hardening, end to end: RedShip over a page full of hostile buyer text, and a page that tries
// to talk to it.
// (a) Packages whose buyer names, remarks and SKU names carry HTML/script, `javascript:` URLs,
//     bidi overrides, emoji, odd Unicode and 10,000-character strings are added through the
//     replica's /__test/orders, browsed with the extension loaded, then shown in every RedShip
//     page (popup, transit, ship preview and report, options): no script runs, no element is
//     created from data, the text is shown literally, and the CSV/XLSX exports parse back with
//     every cell intact and formula-looking cells neutralised.
// (b) Message trust: the page's own world posts fake hook summaries and fake commands, tries
//     chrome.runtime.sendMessage, and the catalogue refuses unknown types, extra fields and
//     senders of the wrong kind with a MessageError. The replica's /__test/log is the truth for
//     what was shipped.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import Papa from 'papaparse';
import { launch, openExtensionPage, ROOT, DEV_EXTENSION } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';

const DELIVER = '/api/edith/fulfillment/order_delivering_api';
const pid = (n) => `P${String(786_000_000_000_000 + n)}`;
const XSS_TITLE = "document.title='PWNED';window.__pwned=1";
const IMG = `<img src=x onerror="${XSS_TITLE}">`;
const SCRIPT = `</script><script>${XSS_TITLE}</script>`;
const JS_URL = 'javascript:alert(document.domain)//';
const BIDI = '\u202Egnp.exe\u202C 订单\u2066隔离\u2069';
const EMOJI = '👩‍👩‍👧‍👦🇨🇳 e\u0301 \u200B零宽 𠮷野家 \uFEFF';
const LONG = '长'.repeat(10_000);
const FORMULA = '=HYPERLINK("http://evil.example","点我")';

// Fields the masker leaves as they are (SKU names, specs, remarks without numbers) must come
// back literally; receiver/phone/address are masked, so only their safety is checked.
const HOSTILE = [
  { n: 1, receiver: IMG, remark: SCRIPT, sku: `${IMG}口红`, spec: JS_URL },
  { n: 2, receiver: BIDI, remark: `${EMOJI} ${BIDI}`, sku: `${EMOJI}面霜`, spec: '"引号", 逗号\n换行' },
  { n: 3, receiver: '王**', remark: LONG, sku: LONG, spec: '默认' },
  { n: 4, receiver: `${FORMULA}`, remark: '+cmd|\' /C calc\'!A0', sku: FORMULA, spec: '@SUM(A1)' },
  { n: 5, receiver: '-2+3', remark: '@import url(x)', sku: `<a href="${JS_URL}">链接</a>`, spec: '-1+1' },
];
const IDS = HOSTILE.map((h) => pid(h.n));

let replica; let browser; let wb;
const consoleProblems = [];

function watch(page, name) {
  page.on('pageerror', (e) => consoleProblems.push(`${name}: pageerror ${e.message}`));
  page.on('console', (m) => {
    // A CSP report means something tried to run markup from data; our pages must not even try.
    if (/Content Security Policy|inline event handler|Refused to/i.test(m.text())) consoleProblems.push(`${name}: ${m.text()}`);
  });
  return page;
}

/** Nothing from the data ran or became an element, in `page`. */
async function assertInert(page, name) {
  const found = await page.evaluate(() => ({
    title: document.title,
    pwned: globalThis.__pwned ?? null,
    imgs: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')).filter((s) => s === 'x'),
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).map((e) => e.outerHTML.slice(0, 80)),
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).map((s) => s.textContent.slice(0, 80)),
    jsLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => /^\s*javascript:/i.test(h)),
  }));
  assert.notEqual(found.title, 'PWNED', `${name}: a script from data set the title`);
  assert.equal(found.pwned, null, `${name}: a script from data ran`);
  assert.deepEqual(found.imgs, [], `${name}: an <img> was created from data`);
  assert.deepEqual(found.handlers, [], `${name}: an element with an on* attribute exists`);
  assert.deepEqual(found.inlineScripts, [], `${name}: an inline <script> exists`);
  assert.deepEqual(found.jsLinks, [], `${name}: a javascript: link exists`);
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
formulas = 0
for r in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(M + 'row'):
    cells = {}
    for c in r.findall(M + 'c'):
        if c.find(M + 'f') is not None: formulas += 1
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
width = max(max((max(r) + 1 for r in rows if r), default=0), 1)
print(json.dumps({'formulas': formulas, 'rows': [[r.get(i, '') for i in range(width)] for r in rows]}, ensure_ascii=False))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path], { maxBuffer: 64 << 20 }).toString());
}

/** A cell as a spreadsheet must keep it: formula-looking text gets a leading apostrophe. */
const safe = (s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** Every hostile SKU name and remark appears intact in its package's row; nothing is a formula. */
function checkTable(rows, what) {
  const header = rows[0];
  const col = (name) => header.indexOf(name);
  for (const h of HOSTILE) {
    const row = rows.find((r) => r[0] === pid(h.n));
    assert.ok(row, `${what}: ${pid(h.n)} exported`);
    assert.equal(row[col('商品名称')], safe(h.sku), `${what}: SKU name of ${pid(h.n)} intact`);
    assert.equal(row[col('规格')], safe(h.spec), `${what}: spec of ${pid(h.n)} intact`);
    assert.equal(row[col('买家备注')], safe(h.remark), `${what}: remark of ${pid(h.n)} intact`);
  }
  for (const row of rows.slice(1)) {
    for (const cell of row) assert.ok(!/^[=+\-@]/.test(cell), `${what}: active formula-looking cell ${JSON.stringify(cell.slice(0, 60))}`);
  }
}

async function openPage(path) {
  return watch(await openExtensionPage(browser.context, browser.extensionId, path), path);
}

async function waitForTransitRows(page, ids) {
  await page.waitForFunction((want) => want.every((id) => document.querySelector(`[data-testid="transit-row"][data-package-id="${id}"]`)), ids, { timeout: 20_000 });
}

describe('hardening: hostile content', { timeout: 300_000 }, () => {
  before(async () => {
    replica = await startReplica({ orders: 0 });
    const base = Date.now() - 3600_000;
    await replica.hook('orders', {
      packages: HOSTILE.map((h, i) => ({
        packageId: pid(h.n), status: 4, paidAt: base - i * 1000, statusDesc: h.n === 1 ? IMG : '待发货',
        userInfo: { receiver: h.receiver, phone: '138****1234', address: `广东省深圳市南山区****${h.n === 1 ? IMG : ''}`, buyerRemark: h.remark },
        skus: [{ skuId: `SKU-${h.n}`, name: h.sku, spec: h.spec, quantity: 1, price: 9.9 }],
      })),
    });
    browser = await launch({ locale: 'zh-CN' });
    wb = watch(await browser.context.newPage(), 'workbench');
    await wb.goto(`${replica.url}/app-order/order/query`);
    await wb.locator('table.d-new-table tr', { hasText: /P\d{15}/ }).first().waitFor();
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  it('the workbench tab itself stays inert with the extension loaded', async () => {
    await assertInert(wb, 'workbench');
  });

  it('the inertness check itself catches markup made from data', async () => {
    // Guards against a check that cannot fail: the same hostile text, parsed as HTML on purpose
    // in a scratch extension page, is caught (the CSP blocks the handler; the element remains).
    const probe = await openExtensionPage(browser.context, browser.extensionId, 'options.html');
    await probe.evaluate((html) => { const d = document.createElement('div'); d.innerHTML = html; document.body.append(d); }, IMG);
    await assert.rejects(assertInert(probe, 'probe'), /<img> was created from data|on\* attribute/);
    await probe.close();
  });

  it('transit.html shows hostile text literally and exports it intact and formula-safe', async () => {
    const transit = await openPage('transit.html');
    await waitForTransitRows(transit, IDS);
    const texts = await transit.getByTestId('transit-row').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.packageId, tr.textContent])));
    for (const h of HOSTILE) {
      const text = texts[pid(h.n)];
      // Long text may be shortened for display; what is shown must be the literal start of it.
      assert.ok(text.includes(h.sku.slice(0, 40)), `SKU name shown literally for ${pid(h.n)}: ${text.slice(0, 200)}`);
    }
    assert.ok(texts[pid(2)].includes('\u202E') && texts[pid(2)].includes('👩‍👩‍👧‍👦'), 'bidi override and ZWJ emoji kept as characters');
    await assertInert(transit, 'transit');

    const [csvDl] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId('export-csv').click()]);
    const bytes = readFileSync(await csvDl.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const parsed = Papa.parse(bytes.subarray(3).toString('utf8').replace(/\r\n$/, ''), { skipEmptyLines: false });
    assert.deepEqual(parsed.errors, [], 'CSV parses without errors');
    checkTable(parsed.data, 'CSV');

    const [xlsxDl] = await Promise.all([transit.waitForEvent('download'), transit.getByTestId('export-xlsx').click()]);
    const book = parseXlsx(await xlsxDl.path());
    assert.equal(book.formulas, 0, 'no cell of the XLSX is a formula');
    checkTable(book.rows, 'XLSX');
    await assertInert(transit, 'transit after export');
    await transit.close();
  });

  it('ship.html preview and report show hostile rows as text; the report CSV parses back', async () => {
    const ship = await openPage('ship.html');
    const numbers = HOSTILE.map((h) => `SF${String(1_234_567_890_000 + h.n)}`);
    const lines = HOSTILE.map((h, i) => `${pid(h.n)} 顺丰速运 ${numbers[i]}`);
    // A hostile courier text (the replica's courier list cannot carry one, a paste can).
    const hostileCourierLine = `${pid(99)} ${IMG}${BIDI} SF1234567899999`;
    await ship.getByTestId('import-paste').fill(`${SCRIPT}\n${lines.join('\n')}\n${hostileCourierLine}\n${LONG}`);
    let rows = [];
    for (let i = 0; i < 20; i++) {
      await ship.getByTestId('import-submit').click();
      await ship.getByTestId('preview-row').first().waitFor();
      rows = await ship.getByTestId('preview-row').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, text: tr.textContent })));
      if (IDS.every((id) => rows.some((r) => r.packageId === id && r.verdict === 'ok'))) break;
      await ship.waitForTimeout(300);
    }
    for (const [i, id] of IDS.entries()) {
      const r = rows.find((x) => x.packageId === id);
      assert.ok(r, `preview row for ${id}`);
      assert.equal(r.verdict, 'ok', `${id}: ${r.text}`);
      assert.equal(r.number, numbers[i]);
    }
    const bad = rows.find((r) => r.packageId === pid(99));
    if (bad) assert.equal(bad.verdict, 'error', 'an unknown order with a hostile courier is an error row');
    await assertInert(ship, 'ship preview');

    await ship.getByTestId('fill-mode').selectOption('ship');
    await ship.getByTestId('fill-start').click();
    await ship.waitForFunction((n) => {
      const p = document.querySelector('[data-testid="fill-progress"]');
      return p && Number(p.dataset.total) === n && Number(p.dataset.done) === n;
    }, IDS.length, { timeout: 180_000 });
    const log = await replica.log();
    assert.deepEqual(log.shipments.map((s) => s.package_id).sort(), [...IDS].sort(), 'each hostile order shipped once');
    await ship.getByTestId('report-row').first().waitFor();
    const report = await ship.getByTestId('report-row').evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
    for (const id of IDS) assert.equal(report.find((r) => r.packageId === id)?.status, 'shipped', `${id} reported shipped`);
    await assertInert(ship, 'ship report');

    const [dl] = await Promise.all([ship.waitForEvent('download'), ship.getByTestId('report-export').click()]);
    const text = readFileSync(await dl.path()).toString('utf8').replace(/^\uFEFF/, '');
    const parsed = Papa.parse(text.replace(/\r?\n$/, ''), { skipEmptyLines: false });
    assert.deepEqual(parsed.errors, [], 'report CSV parses');
    for (const id of IDS) assert.ok(parsed.data.some((r) => r.includes(id)), `${id} in the report CSV`);
    for (const row of parsed.data.slice(1)) for (const cell of row) assert.ok(!/^[=+\-@]/.test(cell), `report cell ${cell.slice(0, 40)}`);
    await ship.close();
  });

  it('popup and options stay inert', async () => {
    for (const path of ['popup.html', 'options.html']) {
      const page = await openPage(path);
      await page.waitForLoadState('load');
      await page.waitForTimeout(800);
      await assertInert(page, path);
      await page.close();
    }
    await assertInert(wb, 'workbench after the run');
    assert.deepEqual(consoleProblems, [], 'no page error or CSP report in any page');
  });
});

describe('hardening: message trust', { timeout: 240_000 }, () => {
  let transit;
  before(async () => {
    replica = await startReplica({ orders: 0 });
    const base = Date.now() - 3600_000;
    await replica.hook('orders', { packages: [1, 2, 3].map((n) => ({ packageId: pid(n), status: 4, paidAt: base - n * 1000 })) });
    browser = await launch({ locale: 'zh-CN' });
    wb = watch(await browser.context.newPage(), 'workbench');
    await wb.goto(`${replica.url}/app-order/order/query`);
    await wb.locator('table.d-new-table tr', { hasText: /P\d{15}/ }).first().waitFor();
    transit = await openPage('transit.html');
    await waitForTransitRows(transit, [pid(1), pid(2), pid(3)]);
  });
  after(async () => {
    await browser?.close();
    await replica?.stop();
  });

  const transitIds = () => transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.packageId).sort());

  it('the page world cannot reach the extension: no chrome.runtime messaging, no externally_connectable', async () => {
    const manifest = JSON.parse(readFileSync(join(DEV_EXTENSION, 'manifest.json'), 'utf8'));
    assert.equal(manifest.externally_connectable, undefined, 'no externally_connectable in the manifest');
    const prod = JSON.parse(readFileSync(join(DEV_EXTENSION, '..', 'extension', 'manifest.json'), 'utf8'));
    assert.equal(prod.externally_connectable, undefined);
    const reach = await wb.evaluate(async (id) => {
      if (typeof chrome === 'undefined' || !chrome.runtime || typeof chrome.runtime.sendMessage !== 'function') return 'no chrome.runtime.sendMessage';
      try {
        const res = await chrome.runtime.sendMessage(id, { type: 'ship.start', payload: { mode: 'ship', rows: [] } });
        return `answered ${JSON.stringify(res)}`;
      } catch (e) { return `threw ${e.message}`; }
    }, browser.extensionId);
    assert.ok(!reach.startsWith('answered'), `page reached the extension: ${reach}`);
    // The site profile is deleted from the page world once the hook has read it.
    assert.equal(await wb.evaluate(() => typeof globalThis.REDSHIP_SITE), 'undefined');
  });

  it('fake commands and malformed hook summaries from the page change nothing and ship nothing', async () => {
    const before = await transitIds();
    await wb.evaluate(({ ids }) => {
      const post = (m) => window.postMessage(m, '*');
      // Commands and catalogue messages: the bridge only listens to hook summaries.
      post({ type: 'ship.start', payload: { mode: 'ship', rows: [{ row: 1, packageId: ids[0], courier: '顺丰速运', number: 'SF1234567890001' }] } });
      post({ type: 'ship.control', payload: { action: 'resume' } });
      post({ type: 'order.shipped', payload: { shop: 'x', packageId: ids[0] } });
      post({ type: 'ship.step', payload: { packageId: ids[0], courier: 'shunfeng', number: 'SF1234567890001', confirm: true } });
      post({ __redship: 'command', type: 'ship.step', payload: { packageId: ids[0] } });
      // Hook summaries with malformed payloads.
      for (const payload of [null, 'deliver', 42, [], { packageId: 42, ok: true }, { packageId: ids[1], ok: 'yes' },
        { packageId: `${ids[1]}<img src=x onerror=alert(1)>`, ok: true }, { packageId: 'P1', ok: true }, { packageId: { toString: null }, ok: true }]) {
        post({ __redship: 'hook', kind: 'deliver', payload });
      }
      post({ __redship: 'hook', kind: 'orderPage', payload: { packages: 'all' } });
      post({ __redship: 'hook', kind: 'orderPage', payload: { packages: [{ packageId: '<script>', status: 4 }, null, 7] } });
      post({ __redship: 'hook', kind: 'decrypt', payload: { packageId: '', ok: true } });
      post({ __redship: 'hook', kind: '__proto__', payload: {} });
      post({ __redship: 'hook', kind: 'constructor', payload: {} });
      post({ __redship: 'hook', kind: 'couriers', payload: { couriers: 'x' } });
    }, { ids: [pid(1), pid(2)] });
    await wb.waitForTimeout(2000);
    const log = await replica.log();
    assert.deepEqual(log.shipments, [], 'nothing shipped');
    await transit.reload();
    await waitForTransitRows(transit, before);
    assert.deepEqual(await transitIds(), before, 'transit list unchanged');
    await assertInert(wb, 'workbench');
    await assertInert(transit, 'transit');
    // The extension still works: a real list answer is still collected.
    await replica.hook('orders', { packages: [{ packageId: pid(4), status: 4, paidAt: Date.now() - 5000 }] });
    await wb.reload();
    await wb.locator('table.d-new-table tr', { hasText: pid(4) }).first().waitFor();
    await transit.reload();
    await waitForTransitRows(transit, [pid(4)]);
  });

  it('a well-formed fake summary posted by the page is ignored: summaries only travel the private hook channel', async () => {
    const fake = pid(77);
    await wb.evaluate((id) => {
      window.postMessage({ __redship: 'hook', kind: 'orderPage', payload: { total: 1, request: { page_no: 1, page_size: 50, status: [] }, packages: [{
        packageId: id, orderId: 'O1', paidAt: Date.now() - 1000, status: 4, statusDesc: '待发货',
        userInfo: { receiver: '欧阳明月', phone: '13800138000', address: '广东省深圳市南山区科技园南路18号', buyerRemark: '<img src=x onerror=alert(1)>' },
        skus: [{ skuId: 'S', name: '<script>alert(1)</script>', spec: '', quantity: 1, price: 1 }],
      }] } }, '*');
      // A forged port hand-over after the real one must not be taken either.
      const ch = new MessageChannel();
      window.postMessage({ __redship: 'hook-port' }, '*', [ch.port2]);
      ch.port1.postMessage({ kind: 'orderPage', payload: { total: 1, packages: [{ packageId: id, status: 4, paidAt: Date.now() }] } });
    }, fake);
    // A real answer afterwards is still collected, so the channel itself still works.
    const real = pid(78);
    await replica.hook('orders', { packages: [{ packageId: real, status: 4, paidAt: Date.now() - 4000 }] });
    await wb.reload();
    await wb.locator('table.d-new-table tr', { hasText: real }).first().waitFor();
    await transit.reload();
    await waitForTransitRows(transit, [real]);
    assert.equal(await transit.locator(`[data-testid="transit-row"][data-package-id="${fake}"]`).count(), 0, 'the forged package never arrives');
    await assertInert(transit, 'transit');
    assert.deepEqual((await replica.log()).shipments, [], 'nothing shipped');
  });

  it('list answers left for the isolated world are out of the page\'s reach, and a page that moves them still has them collected', async () => {
    // The hook leaves each list answer's text in a closed shadow root, named to the bridge over
    // the private port (content/hook-main.js `answers`). The page sees only an empty host.
    const seen = await wb.evaluate(() => {
      const hosts = [...document.querySelectorAll('[data-redship="answers"]')];
      return { hosts: hosts.length, roots: hosts.map((h) => h.shadowRoot), texts: hosts.map((h) => h.textContent), inBody: hosts.some((h) => document.body.contains(h)) };
    });
    assert.equal(seen.hosts, 1, 'one host, made by the hook');
    assert.deepEqual(seen.roots, [null], 'its shadow root is closed');
    assert.deepEqual(seen.texts, [''], 'no answer text in the page\'s DOM');
    assert.equal(seen.inBody, false, 'outside <body>');
    // A page that fakes a host holding a forged answer under every plausible name, and takes the
    // real host out of the document: the forged package never arrives, the real one does.
    const fake = pid(79);
    const real = pid(80);
    await replica.hook('orders', { packages: [{ packageId: real, status: 4, paidAt: Date.now() - 3000 }] });
    await wb.evaluate((id) => {
      const forged = JSON.stringify({ success: true, data: { total: 1, list: [{ packageId: id, orderId: 'O9', status: 4, statusDesc: '待发货', paidAt: Date.now() }] } });
      const plant = () => {
        for (const h of document.querySelectorAll('[data-redship="answers"]')) h.remove();
        const host = document.createElement('div');
        host.setAttribute('data-redship', 'answers');
        const root = host.attachShadow({ mode: 'open' });
        for (let n = 1; n < 40; n++) {
          const t = document.createElement('template');
          t.id = `a-${'0'.repeat(32)}-${n}`;
          t.content.append(forged);
          root.append(t);
        }
        document.documentElement.append(host);
      };
      plant();
      // Again whenever the hook puts its host back.
      new MutationObserver(() => { if (document.querySelectorAll('[data-redship="answers"]').length > 1) plant(); })
        .observe(document.documentElement, { childList: true });
    }, fake);
    await wb.locator('.d-pagination .d-select').click();
    await wb.locator('.d-popover .d-option-name', { hasText: '100 条/页' }).first().click();
    await wb.locator('table.d-new-table tr', { hasText: real }).first().waitFor();
    await transit.reload();
    await waitForTransitRows(transit, [real]);
    assert.equal(await transit.locator(`[data-testid="transit-row"][data-package-id="${fake}"]`).count(), 0, 'the forged package never arrives');
    assert.deepEqual((await replica.log()).shipments, [], 'nothing shipped');
  });

  it('a forged "shipped" summary from the page cannot make the report say shipped', async () => {
    // The page world can post what the hook posts. Here the platform refuses the shipment
    // (late), while the page keeps claiming it succeeded: the report must not say shipped.
    const id = pid(5);
    const number = 'SF1234567890555';
    await replica.hook('orders', { packages: [{ packageId: id, status: 4, paidAt: Date.now() - 2000 }] });
    await wb.reload();
    await wb.locator('table.d-new-table tr', { hasText: id }).first().waitFor();
    await replica.hook('fault', { endpoint: DELIVER, nth: 1, code: 50009, msg: '运单号格式不正确', delay_ms: 2500 });
    const ship = await openPage('ship.html');
    await ship.getByTestId('import-paste').fill(`${id} 顺丰速运 ${number}`);
    for (let i = 0; i < 20; i++) {
      await ship.getByTestId('import-submit').click();
      await ship.getByTestId('preview-row').first().waitFor();
      if ((await ship.getByTestId('preview-row').first().getAttribute('data-verdict')) === 'ok') break;
      await ship.waitForTimeout(300);
    }
    await ship.getByTestId('fill-mode').selectOption('ship');
    await ship.getByTestId('fill-start').click();
    // From now on (the run is planned) the page keeps claiming the shipment succeeded.
    await wb.evaluate(({ id, number }) => {
      setInterval(() => window.postMessage({ __redship: 'hook', kind: 'deliver', payload: {
        packageId: id, expressCompanyCode: 'shunfeng', expressNo: number, ok: true, code: 0, msg: '' } }, location.origin), 20);
    }, { id, number });
    await ship.waitForFunction(() => {
      const p = document.querySelector('[data-testid="fill-progress"]');
      return p && Number(p.dataset.total) === 1 && Number(p.dataset.done) === 1;
    }, null, { timeout: 120_000 });
    assert.deepEqual((await replica.log()).shipments.filter((s) => s.package_id === id), [], 'the platform refused it');
    await ship.getByTestId('report-row').first().waitFor();
    const status = await ship.locator(`[data-testid="report-row"][data-package-id="${id}"]`).getAttribute('data-status');
    assert.notEqual(status, 'shipped', 'a page-world claim must not turn a refused shipment into "shipped"');
    await ship.close();
    await wb.reload(); // stops the forger
  });

  it('the worker refuses unknown types, extra fields and the wrong kind of sender with MessageError', async () => {
    const popup = await openPage('popup.html');
    const answers = await popup.evaluate(async () => {
      const send = (m) => chrome.runtime.sendMessage(m).catch((e) => ({ threw: e.message }));
      return {
        unknown: await send({ type: 'ship.nuke', payload: {} }),
        proto: await send({ type: '__proto__', payload: {} }),
        hasOwn: await send({ type: 'hasOwnProperty', payload: {} }),
        extra: await send({ type: 'status.get', payload: { evil: 1 } }),
        wrongOrigin: await send({ type: 'quota.decrypt', payload: { shop: 's', packageId: 'P786000000000001', ok: true, quotaSpent: false, atMs: 1 } }),
        ingestFromPage: await send({ type: 'order.ingest', payload: { shop: 's', kind: 'orderPage', text: '{"success":true,"data":{"packages":[]}}' } }),
        wrongShape: await send({ type: 'ship.control', payload: { action: 7 } }),
        tooLong: await send({ type: 'transit.view', payload: { shop: 'x'.repeat(65) } }),
        noPayload: await send({ type: 'ship.start', payload: [] }),
        notAMessage: await send('ship.start'),
        fine: await send({ type: 'status.get', payload: {} }),
      };
    });
    for (const k of ['unknown', 'proto', 'hasOwn', 'extra', 'wrongOrigin', 'ingestFromPage', 'wrongShape', 'tooLong', 'noPayload', 'notAMessage']) {
      assert.equal(answers[k]?.ok, false, `${k}: refused (${JSON.stringify(answers[k])})`);
      assert.equal(answers[k]?.error?.name, 'MessageError', `${k}: MessageError (${JSON.stringify(answers[k])})`);
    }
    assert.equal(answers.fine?.ok, true, `a valid message still works: ${JSON.stringify(answers.fine)}`);
    assert.deepEqual((await replica.log()).shipments, [], 'nothing shipped');
    await popup.close();
  });

  it('sender classification: only our content script on an allowed origin, or our own pages', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'extension', 'manifest.json'), 'utf8'));
    globalThis.chrome = { runtime: { id: 'ourid', getManifest: () => manifest } };
    const { classifySender } = await import(join(ROOT, 'extension', 'sw', 'router.js'));
    const { validateMessage } = await import(join(ROOT, 'extension', 'common', 'messages.js'));
    const tab = { id: 1 };
    assert.equal(classifySender({ id: 'ourid', url: 'https://ark.xiaohongshu.com/app-order/order/query', tab }), 'content');
    assert.equal(classifySender({ id: 'ourid', url: 'chrome-extension://ourid/popup.html' }), 'page');
    for (const s of [
      { id: 'other', url: 'https://ark.xiaohongshu.com/app-order/order/query', tab },
      { id: 'ourid', url: 'https://ark.xiaohongshu.com.evil.example/x', tab },
      { id: 'ourid', url: 'https://evil.example/https://ark.xiaohongshu.com/', tab },
      { id: 'ourid', url: 'http://ark.xiaohongshu.com/x', tab },
      { id: 'ourid', url: 'https://ark.xiaohongshu.com/x' }, // no tab: not a content script
      { id: 'ourid', url: 'chrome-extension://otherid/popup.html' },
      { id: 'ourid', url: 'not a url', tab },
      { id: 'ourid' }, null, undefined,
    ]) assert.equal(classifySender(s), null, JSON.stringify(s));
    // The catalogue: page-only types refused from content scripts and the other way round.
    assert.equal(validateMessage({ type: 'ship.start', payload: { mode: 'ship', rows: [] } }, 'content').ok, false);
    assert.equal(validateMessage({ type: 'ship.start', payload: { mode: 'ship', rows: [] } }, null).ok, false);
    assert.equal(validateMessage({ type: 'quota.decrypt', payload: { shop: 's', packageId: 'P1', ok: true, quotaSpent: false, atMs: 1 } }, 'page').ok, false);
    assert.equal(validateMessage({ type: 'toString', payload: {} }, 'page').ok, false);
    assert.equal(validateMessage({ type: 'status.get', payload: JSON.parse('{"__proto__": {"x": 1}}') }, 'page').ok, false, 'a JSON __proto__ key is an own key: refused');
    assert.equal(validateMessage({ type: 'quota.decrypt', payload: { shop: 's', packageId: 'P1', ok: true, quotaSpent: false, atMs: 1.5 } }, 'content').ok, false, 'atMs must be a whole number');
    // List answers travel as text: bounded, text only, no parsed answer objects, request small.
    const ingest = (payload) => validateMessage({ type: 'order.ingest', payload: { shop: 's', kind: 'orderPage', ...payload } }, 'content');
    assert.equal(ingest({ text: '{}' }).ok, true);
    assert.equal(ingest({ text: 'x'.repeat(8 * 1024 * 1024 + 1) }).ok, false, 'an answer over 8 MiB is refused');
    assert.equal(ingest({ text: { success: true } }).ok, false, 'the answer must be text');
    assert.equal(ingest({ text: '{}', answer: { packages: [] } }).ok, false, 'a parsed answer is not accepted');
    assert.equal(ingest({ text: '{}', request: { status: 'x'.repeat(5000) } }).ok, false, 'the list request is small');
    delete globalThis.chrome;
  });
});
