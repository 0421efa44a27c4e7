// Updates keep everything; a downgrade wipes nothing.
// Update: the browser storage a build from before this change left after a day of work (a
// committed fixture, tests/fixtures/update/c31608f.json, recorded from that commit's own build by
// tools/record-update-fixture.mjs) sits under an installed RedShip of the old version; the
// current build is copied over that folder, as merchants update, and the browser restarted. The
// passphrase lock still holds, the passphrase opens it, and every count, run report, route,
// setting and record is there; the popup shows one line on what changed (CHANGELOG.md's one-liner
// in the user's language) until it is dismissed (screenshot: target/screens/update-whats-new.png).
// Downgrade: records in a newer format are kept byte for byte, never moved aside or written
// over (a decrypt does not start the ledger again), and the popup says to update.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openExtensionPage, stopServiceWorkers, currentWorker, DEV_EXTENSION, ROOT } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { openBackupIndependently } from './lib/backup.mjs';
import { settle } from './lib/settle.mjs';

const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/update/c31608f.json'), 'utf8'));
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SCREENS = join(ROOT, 'target/screens');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cleanup = [];
after(() => { for (const dir of cleanup) rmSync(dir, { recursive: true, force: true }); });

const dump = async (b) => (await currentWorker(b.context, b.extensionId)).evaluate(() => chrome.storage.local.get(null));
const lockState = (page) => page.getByTestId('vault-state').evaluate((n) => ({ mode: n.dataset.mode, locked: n.dataset.locked }));

test('an update over a day of data from the old build keeps everything; the popup says what changed', {
  timeout: 300_000, skip: !existsSync(LIBFAKETIME) && 'libfaketime missing',
}, async () => {
  // The recorded day, an hour later: today's ledger is the recorded one (and retention never ages it).
  const offsetS = Math.round((FIXTURE.recordedAtMs + 3_600_000 - Date.now()) / 1000);
  const env = { LD_PRELOAD: LIBFAKETIME, FAKETIME: `${offsetS >= 0 ? '+' : ''}${offsetS}` };
  const profile = mkdtempSync(join(tmpdir(), 'redship-update-profile-'));
  const folder = mkdtempSync(join(tmpdir(), 'redship-update-ext-'));
  cleanup.push(profile, folder);

  // The installed old version: Chrome knows RedShip FIXTURE.version in this folder, and its storage
  // holds what the old build wrote (the unpacked extension's id comes from the folder's path).
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'RedShip', version: FIXTURE.version, permissions: ['storage'], background: { service_worker: 'seed.js' },
  }));
  writeFileSync(join(folder, 'seed.js'), '// stands in for the old build while its storage is put back\n');
  let b = await launch({ extension: folder, userDataDir: profile, env, locale: 'zh-CN' });
  await b.worker.evaluate((items) => chrome.storage.local.set(items), FIXTURE.storage);
  assert.deepEqual(await dump(b), FIXTURE.storage);
  const oldId = b.extensionId;
  await b.close();

  // The update: the new folder copied over the old one, the browser started again. (Pressing
  // 重新加载 instead, runtime.reload, leaves a command-line-loaded extension disabled in this
  // harness; the worker's start check covers both ways, see extension/sw/release.js.)
  rmSync(folder, { recursive: true, force: true });
  cpSync(DEV_EXTENSION, folder, { recursive: true });
  b = await launch({ extension: folder, userDataDir: profile, env, locale: 'zh-CN' });
  try {
    assert.equal(b.extensionId, oldId, 'the same extension, updated');
    const version = await b.worker.evaluate(() => chrome.runtime.getManifest().version);
    assert.notEqual(version, FIXTURE.version);

    // The lock still holds: nothing readable until the passphrase is given.
    const options = await openExtensionPage(b.context, b.extensionId, 'options.html');
    await options.getByTestId('vault-state').waitFor();
    assert.deepEqual(await lockState(options), { mode: 'passphrase', locked: 'true' });
    const refused = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.dashboard', payload: {} }));
    assert.equal(refused.ok, false, 'nothing readable while locked');

    // The popup's line on what changed, in Chinese (the browser's language), from CHANGELOG.md.
    const notes = JSON.parse(readFileSync(join(folder, 'release-notes.json'), 'utf8')).versions[version];
    assert.ok(notes?.zh && notes?.en, `release-notes.json has ${version}`);
    let popup = await openExtensionPage(b.context, b.extensionId, 'popup.html');
    const line = popup.getByTestId('whats-new');
    await line.waitFor();
    assert.equal(await line.getAttribute('data-version'), version);
    assert.ok((await line.textContent()).includes(notes.zh), await line.textContent());
    await popup.close();

    await options.getByTestId('unlock-passphrase').fill(FIXTURE.passphrase);
    await options.getByTestId('unlock-submit').click();
    await settle(() => lockState(options), (s) => s.locked === 'false', 60_000);
    assert.deepEqual(await lockState(options), { mode: 'passphrase', locked: 'false' });

    // Every record the old build held reads back the same (a backup is all of them).
    const pass = 'update check backup';
    await options.getByTestId('backup-passphrase').fill(pass);
    const downloading = options.waitForEvent('download');
    await options.getByTestId('backup-export').click();
    const body = openBackupIndependently(readFileSync(await (await downloading).path(), 'utf8'), pass);
    const now = Object.fromEntries(body.records.map((r) => [r.key, r.value]));
    for (const [key, value] of Object.entries(FIXTURE.expect.records)) assert.deepEqual(now[key], value, `record ${key}`);
    assert.equal(await options.getByTestId('retention-days').inputValue(), String(FIXTURE.expect.settings.retentionDays));
    // The options page: the version and the data format's date.
    assert.equal(await options.getByTestId('about-version').getAttribute('data-version'), version);
    assert.match(await options.getByTestId('about-format').getAttribute('data-date'), /^\d{4}-\d{2}-\d{2}$/);

    // The counts, the log, the routes and the run report, on their pages.
    popup = await openExtensionPage(b.context, b.extensionId, 'popup.html');
    const used = await settle(async () => Number(await popup.getByTestId('quota-used').textContent({ timeout: 2000 })), (n) => n === FIXTURE.expect.used);
    assert.equal(used, FIXTURE.expect.used);
    const logged = (await popup.getByTestId('quota-log-row').evaluateAll((r) => r.map((x) => x.dataset.packageId))).sort();
    assert.deepEqual(logged, FIXTURE.expect.decrypted);
    // The picture of the line after the update, over the day's dashboard.
    await popup.getByTestId('whats-new').waitFor();
    mkdirSync(SCREENS, { recursive: true });
    await popup.setViewportSize({ width: 420, height: 720 });
    await popup.screenshot({ path: join(SCREENS, 'update-whats-new.png') });
    // Dismissed, the line stays away (the worker keeps that).
    await popup.getByTestId('whats-new-dismiss').click();
    await popup.getByTestId('whats-new').waitFor({ state: 'detached' });
    await popup.reload();
    await popup.getByTestId('quota-used').waitFor();
    await sleep(500);
    assert.equal(await popup.getByTestId('whats-new').count(), 0, 'dismissed for good');
    await popup.close();

    const transit = await openExtensionPage(b.context, b.extensionId, 'transit.html');
    const supplier = Object.entries(FIXTURE.expect.routes).find(([, r]) => r === 'supplier')[0];
    await transit.locator(`[data-testid="transit-row"][data-package-id="${supplier}"]`).waitFor();
    const routes = await transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((t) => [t.dataset.packageId, t.dataset.route]));
    // Each listed order on its recorded route (a shipped one may have left the list).
    assert.ok(routes.length >= Object.keys(FIXTURE.expect.routes).length - FIXTURE.expect.report.length, JSON.stringify(routes));
    for (const [id, route] of routes) assert.equal(route, FIXTURE.expect.routes[id], `the route of ${id}`);
    await transit.close();

    const ship = await openExtensionPage(b.context, b.extensionId, 'ship.html');
    await ship.getByTestId('report-row').first().waitFor();
    const report = await ship.getByTestId('report-row').evaluateAll((r) => r.map((x) => ({ packageId: x.dataset.packageId, status: x.dataset.status })));
    assert.deepEqual(report, FIXTURE.expect.report);
    await ship.close();
    await options.close();
  } finally {
    await b.close();
  }
});

test('a downgrade keeps records in a newer format untouched and the popup says to update', { timeout: 180_000 }, async () => {
  const LIST = '/app-order/order/query';
  const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
  const pid = (n) => `P${String(743_000_000_000_000 + n)}`;
  const replica = await startReplica({ seed: 7, orders: 0, dailyQuota: 30 });
  const b = await launch({ locale: 'en-US' });
  try {
    await replica.hook('orders', { packages: [0, 1].map((i) => ({ packageId: pid(i), status: 4, paidAt: Date.now() - 3_600_000 - i * 1000,
      plaintext: { receiver_name: '欧阳明月', receiver_phone: '13912345678', receiver_address: '上海市浦东新区世纪大道100号' } })) });
    const work = await b.context.newPage();
    await work.goto(`${replica.url}${LIST}`);
    const row = (id) => work.locator('table.d-new-table tbody tr', { hasText: id });
    await row(pid(0)).waitFor();
    const decrypt = async (id) => {
      const answered = work.waitForResponse((r) => r.url().endsWith(DECRYPT));
      await row(id).locator('.d-button', { hasText: '查看' }).click();
      return (await answered).json();
    };
    assert.ok((await decrypt(pid(0))).success);
    let popup = await openExtensionPage(b.context, b.extensionId, 'popup.html');
    await settle(async () => Number(await popup.getByTestId('quota-used').textContent({ timeout: 2000 })), (n) => n === 1);
    // The page's own signal (the row turned plain) follows the request's; once both are in, the
    // work tab has nothing more to tell the worker, which would wake it while the records change.
    await settle(() => popup.getByTestId('quota-log-row').first().getAttribute('data-via', { timeout: 2000 }), (v) => v === 'both');

    // What a newer RedShip leaves: every record in format 3 (another shape, a field this build
    // does not know). Written while the worker is stopped, so it finds them at its next start;
    // stopped again after, in case anything woke it in between and it read the old ones.
    await stopServiceWorkers(b.context, popup);
    const future = await popup.evaluate(async () => {
      const all = await chrome.storage.local.get(null);
      const items = {};
      for (const [k, v] of Object.entries(all)) if (k.startsWith('r.')) items[k] = { ...v, v: 3, z: 'from a newer RedShip' };
      await chrome.storage.local.set(items);
      return items;
    });
    assert.ok(Object.keys(future).length >= 2, 'the ledger and its shop list at least');
    await stopServiceWorkers(b.context, popup);
    await popup.reload();
    const said = popup.getByTestId('newer-data');
    await said.waitFor();
    assert.equal(await said.getAttribute('data-count'), String(Object.keys(future).length));
    assert.equal(await said.getAttribute('data-found'), '3');
    assert.match(await said.textContent(), /Update RedShip/);

    // Another decrypt: counted nowhere rather than starting today's ledger again over the newer one.
    assert.ok((await decrypt(pid(1))).success);
    await sleep(3000);
    const stored = await dump(b);
    for (const [k, v] of Object.entries(future)) assert.deepEqual(stored[k], v, `${k} kept byte for byte`);
    assert.deepEqual(Object.keys(stored).filter((k) => k.startsWith('x.')), [], 'nothing moved to the quarantine');
    await popup.close();
    popup = await openExtensionPage(b.context, b.extensionId, 'popup.html');
    await popup.getByTestId('newer-data').waitFor();
    await popup.close();
    await work.close();
  } finally {
    await b.close();
    await replica.stop();
  }
});
