// Foundation, end to end: the real unpacked extension in Debian's Chromium. The content script
// on a page served with a strict CSP gets an answer computed in wasm by the service worker; the
// popup renders a wasm-computed value; a stopped worker still answers with the state it had; the
// production manifest asks for exactly what RedShip uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, openExtensionPage, stopServiceWorkers, ROOT, DIST } from './lib/chromium.mjs';

let server; let origin; let browser;

before(async () => {
  // A minimal workbench-like page: strict CSP, no inline script, on the list route.
  server = createServer((req, res) => {
    const csp = { 'content-security-policy': "default-src 'self'; script-src 'self'" };
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...csp });
      res.end("document.body.dataset.pageScript = 'ran';");
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...csp });
    res.end('<!doctype html><title>ark</title><body><span class="shop-name">测试小店</span><script src="/page.js"></script></body>');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const chinaDay = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

async function statusFrom(page) {
  return page.evaluate(() => chrome.runtime.sendMessage({ type: 'status.get', payload: {} }));
}

test('the extension loads with a module service worker', () => {
  assert.ok(browser.extensionId, 'extension id');
  assert.match(browser.worker.url(), /\/sw\.js$/);
});

test('content script on a strict-CSP page gets a wasm-computed answer', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/app-order/order/query`);
  assert.equal(await page.evaluate(() => document.body.dataset.pageScript), 'ran', 'page script ran under its CSP');
  const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  let status;
  for (let i = 0; i < 50; i++) {
    status = await statusFrom(popup);
    if (status.ok && status.data.lastContact) break;
    await popup.waitForTimeout(100);
  }
  assert.equal(status.ok, true);
  assert.equal(status.data.lastContact.origin, origin);
  assert.equal(status.data.lastContact.shop, '测试小店');
  assert.equal(status.data.day, chinaDay(Date.now()));
  assert.deepEqual(errors, []);
  await popup.close();
  await page.close();
});

test('the popup renders a value computed in wasm', async () => {
  const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  const day = popup.getByTestId('core-day');
  await day.waitFor();
  assert.equal(await day.getAttribute('data-day'), chinaDay(Date.now()));
  await popup.close();
});

test('a stopped service worker answers the next message with the state it had', async () => {
  const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  const before = await statusFrom(popup);
  assert.ok(before.data.lastContact, 'state exists before the stop');
  await stopServiceWorkers(browser.context, popup);
  const afterStop = await statusFrom(popup);
  assert.equal(afterStop.ok, true);
  assert.deepEqual(afterStop.data.lastContact, before.data.lastContact);
  await popup.close();
});

test('messages that break the catalogue are refused with a MessageError', async () => {
  const popup = await openExtensionPage(browser.context, browser.extensionId, 'popup.html');
  const unknown = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'nope', payload: {} }));
  assert.equal(unknown.ok, false);
  assert.equal(unknown.error.name, 'MessageError');
  const wrongSender = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status.hello', payload: { url: 'x', shop: 'y' } }));
  assert.equal(wrongSender.ok, false, 'a page may not pose as a content script');
  const extra = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status.get', payload: { x: 1 } }));
  assert.equal(extra.ok, false);
  await popup.close();
});

test('the production manifest is MV3 with exactly the intended permissions', () => {
  const m = JSON.parse(readFileSync(join(DIST, 'extension/manifest.json'), 'utf8'));
  assert.equal(m.manifest_version, 3);
  assert.deepEqual([...m.permissions].sort(), ['alarms', 'notifications', 'storage', 'unlimitedStorage']);
  assert.deepEqual(m.host_permissions, ['https://ark.xiaohongshu.com/*']);
  assert.equal(m.optional_permissions, undefined);
  // A classic worker whose start script begins the wasm compile before the bundle is parsed.
  assert.deepEqual(m.background, { service_worker: 'sw.js' });
  // Messages are structured clones (Chromium 148+; older browsers ignore the key and send JSON, so
  // every message stays plain JSON data): a 500-row list answer crosses in a memcpy, not a JSON
  // round trip on the page's main thread.
  assert.equal(m.message_serialization, 'structured_clone');
  assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  assert.equal(m.content_security_policy.sandbox, undefined);
  for (const cs of m.content_scripts) assert.deepEqual(cs.matches, ['https://ark.xiaohongshu.com/*']);
  const text = JSON.stringify(m);
  assert.doesNotMatch(text, /<all_urls>|127\.0\.0\.1|localhost/);
  assert.doesNotMatch(text.replace("'wasm-unsafe-eval'", ''), /unsafe-eval/);
  // No remote code: every script the extension names is a file inside the package.
  const scripts = [m.background.service_worker, ...m.content_scripts.flatMap((c) => c.js)];
  for (const s of scripts) assert.doesNotMatch(s, /^https?:/);
  const zipList = execFileSync('python3', ['-c', 'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
    join(DIST, `redship-${m.version}.zip`)]).toString();
  assert.match(zipList, /^manifest\.json$/m);
  assert.match(zipList, /^pkg\/redship_wasm_bg\.wasm$/m);
  assert.match(zipList, /^sw-main\.js$/m, 'the worker bundle the start script runs');
  const zipManifest = execFileSync('python3', ['-c', 'import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())',
    join(DIST, `redship-${m.version}.zip`)]).toString();
  assert.doesNotMatch(zipManifest, /127\.0\.0\.1|localhost/, 'the zip never carries the dev hosts');
});

test('the store build (what the zip holds) runs: its worker answers from the wasm core, its popup renders', async () => {
  // Every other test loads the development build; the store build differs in its manifest and in
  // the files it leaves out, so it is started here once on its own.
  const store = await launch({ extension: join(DIST, 'extension') });
  try {
    assert.match(store.worker.url(), /\/sw\.js$/);
    const popup = await openExtensionPage(store.context, store.extensionId, 'popup.html');
    const errors = [];
    popup.on('pageerror', (e) => errors.push(e.message));
    const status = await statusFrom(popup);
    assert.equal(status.ok, true, JSON.stringify(status.error));
    assert.equal(status.data.day, chinaDay(Date.now()));
    assert.match(status.data.coreVersion, /^\d+\.\d+\.\d+/);
    await popup.getByTestId('core-day').waitFor();
    assert.equal(await popup.getByTestId('core-day').getAttribute('data-day'), chinaDay(Date.now()));
    assert.deepEqual(errors, []);
  } finally {
    await store.close();
  }
});

test('no extension page or script loads code from the network', () => {
  const files = execFileSync('git', ['ls-files', 'extension'], { cwd: ROOT }).toString().split('\n')
    .filter((f) => /\.(html|js)$/.test(f));
  for (const f of files) {
    const src = readFileSync(join(ROOT, f), 'utf8');
    assert.doesNotMatch(src, /<script[^>]+src=["']https?:|import\s*\(?\s*["']https?:|\beval\(|new Function\(/, f);
  }
});
