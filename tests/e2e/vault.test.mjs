// The vault end to end: the real extension in Chromium over the workbench replica.
// After decrypts, an orders snapshot and a fill, chrome.storage.local holds nothing readable
// (no package ID, shop, name, phone, address or tracking number; not even one non-ASCII
// character); a passphrase lock survives a browser restart, refuses a wrong passphrase and
// opens with the right one; a backup from profile A restores into a fresh profile B with the
// same ledger (a wrong backup passphrase changes nothing); a damaged record is quarantined while
// the rest keeps working; a store left by the interim plaintext build (schema v1) is migrated.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, limitedStorageExtension, openExtensionPage, stopServiceWorkers, currentWorker } from './lib/chromium.mjs';
import { startReplica } from './lib/replica.mjs';
import { openBackupIndependently } from './lib/backup.mjs';
import { settle } from './lib/settle.mjs';

const LIST = '/app-order/order/query';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
const SHOP = '小红薯的杂货铺';
const pid = (n) => `P${String(742_000_000_000_000 + n)}`;
const number = (n) => `7731${String(42_000_000 + n).padStart(8, '0')}`;
const PASS = 'correct horse battery';
const BACKUP_PASS = 'backup staple 2026';
const PEOPLE = [
  { receiver_name: '欧阳明月', receiver_phone: '13912345678', receiver_address: '上海市浦东新区世纪大道100号' },
  { receiver_name: '司马清风', receiver_phone: '13687654321', receiver_address: '杭州市西湖区文三路200号' },
  { receiver_name: '诸葛流云', receiver_phone: '15811112222', receiver_address: '成都市武侯区天府大道300号' },
  { receiver_name: '上官飞燕', receiver_phone: '17733334444', receiver_address: '广州市天河区珠江新城400号' },
];

let replica; let profileA; let browser; let work; let limited;

async function storageDump(b) {
  const worker = await currentWorker(b.context, b.extensionId);
  return worker.evaluate(() => chrome.storage.local.get(null));
}

async function openList(page) {
  await page.goto(`${replica.url}${LIST}`);
  await page.locator('table.d-new-table tbody tr', { hasText: pid(0) }).waitFor();
}

async function decrypt(page, id) {
  const answered = page.waitForResponse((r) => r.url().endsWith(DECRYPT));
  await page.locator('table.d-new-table tbody tr', { hasText: id }).locator('.d-button', { hasText: '查看' }).click();
  return (await answered).json();
}

async function quotaUsed(b) {
  const popup = await openExtensionPage(b.context, b.extensionId, 'popup.html');
  try {
    const used = await settle(async () => Number(await popup.getByTestId('quota-used').textContent({ timeout: 2000 })), (n) => n >= 2);
    const rows = await popup.getByTestId('quota-log-row').evaluateAll((r) => r.map((x) => x.dataset.packageId).sort());
    return { used, rows };
  } finally { await popup.close(); }
}

async function options(b) {
  const page = await openExtensionPage(b.context, b.extensionId, 'options.html');
  await page.getByTestId('vault-state').waitFor();
  return page;
}

const stateOf = async (page) => page.getByTestId('vault-state').evaluate((n) => ({ mode: n.dataset.mode, locked: n.dataset.locked }));

before(async () => {
  replica = await startReplica({ seed: 5, orders: 0, dailyQuota: 30 });
  const base = Date.now() - 3_600_000;
  await replica.hook('orders', { packages: PEOPLE.map((plaintext, i) => ({ packageId: pid(i), status: 4, paidAt: base - i * 1000, plaintext })) });
  profileA = mkdtempSync(join(tmpdir(), 'redship-vault-a-'));
  // Its storage holds 10 MB, as without `unlimitedStorage`: one test fills it (a full disk).
  limited = limitedStorageExtension();
  browser = await launch({ userDataDir: profileA, extension: limited });
  work = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  await replica?.stop();
  if (profileA) rmSync(profileA, { recursive: true, force: true });
});

test('after decrypts and a fill, storage holds nothing readable', { timeout: 180_000 }, async () => {
  await openList(work);
  const answers = [await decrypt(work, pid(0)), await decrypt(work, pid(1))];
  assert.ok(answers.every((a) => a.success), 'the platform decrypted both');
  assert.equal((await quotaUsed(browser)).used, 2);

  // A fill: import one tracking number and ship it through the workbench dialog.
  const ship = await openExtensionPage(browser.context, browser.extensionId, 'ship.html');
  await ship.getByTestId('import-paste').fill(`${pid(2)} 中通 ${number(2)}`);
  const row = await settle(async () => {
    await ship.getByTestId('import-submit').click();
    await ship.getByTestId('preview-row').first().waitFor();
    return ship.getByTestId('preview-row').first().evaluate((tr) => ({ ...tr.dataset }));
  }, (r) => r.verdict === 'ok');
  assert.equal(row.verdict, 'ok', JSON.stringify(row));
  await ship.getByTestId('fill-mode').selectOption('ship');
  await ship.getByTestId('fill-start').click();
  const shipped = await settle(async () => (await replica.log()).shipments, (s) => s.length === 1, 60_000);
  assert.equal(shipped.length, 1);
  // The worker records the outcome after the replica has it: wait for the report, so that no
  // write of this run is still on its way when the next test damages a record.
  await ship.locator('[data-testid="report-row"][data-status="shipped"]').waitFor();
  await ship.close();

  const dump = await storageDump(browser);
  const text = JSON.stringify(dump);
  assert.ok(Object.keys(dump).filter((k) => k.startsWith('r.')).length >= 4, 'the records are there, sealed');
  const secrets = [SHOP, ...PEOPLE.flatMap(Object.values), number(2), ...[0, 1, 2, 3].map(pid)];
  for (const s of secrets) assert.ok(!text.includes(s), `"${s}" is in storage in clear`);
  assert.doesNotMatch(text, /P\d{15,}/, 'no package ID');
  assert.doesNotMatch(text, /[^\x00-\x7f]/, 'no non-ASCII character at all (names, shop, addresses)');
  // release.*: the version last started and the line on what changed (versions only).
  assert.ok(Object.keys(dump).every((k) => /^(r\.|p\.|x\.|vault\.|release\.)[A-Za-z0-9_.-]*$/.test(k)), `opaque keys: ${Object.keys(dump).join(' ')}`);
});

test('a damaged record is quarantined and the rest keeps working', { timeout: 60_000 }, async () => {
  // Damaged while the worker is stopped: a running worker may still write the record it holds
  // (which would replace the damaged copy with a good one, as it should).
  const page = await options(browser);
  await stopServiceWorkers(browser.context, page);
  const { victim, original } = await page.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    const key = Object.keys(all).filter((k) => k.startsWith('r.')).sort()[0];
    const env = all[key];
    const before = structuredClone(env);
    env.c = (env.c[0] === 'A' ? 'B' : 'A') + env.c.slice(1);
    await chrome.storage.local.set({ [key]: env });
    return { victim: key, original: before };
  });
  await page.reload();
  await page.getByTestId('quarantine-item').first().waitFor();
  const items = await page.getByTestId('quarantine-item').evaluateAll((li) => li.map((x) => ({ ...x.dataset })));
  assert.deepEqual(items.map((i) => [i.storageKey, i.code]), [[victim, 'Damaged']]);
  const dump = await storageDump(browser);
  assert.ok(!(victim in dump) && `x.${victim}` in dump, 'moved aside, not retried');
  assert.equal((await stateOf(page)).locked, 'false');
  // The victim is whichever record sorts first (it may be today's quota ledger, which the next
  // tests count on): put it back as it was and restart the worker, so they find the store intact.
  const w = await currentWorker(browser.context, browser.extensionId);
  await w.evaluate(async ({ key, env }) => {
    await chrome.storage.local.remove(`x.${key}`);
    await chrome.storage.local.set({ [key]: env });
  }, { key: victim, env: original });
  await stopServiceWorkers(browser.context, page);
  await page.close();
});

let ledgerBeforeLock;

test('a passphrase lock survives a browser restart; a wrong passphrase is refused', { timeout: 180_000 }, async () => {
  ledgerBeforeLock = await quotaUsed(browser);
  let page = await options(browser);
  await page.getByTestId('lock-passphrase').fill(PASS);
  await page.getByTestId('lock-now').click();
  await settle(() => stateOf(page), (s) => s.locked === 'true');
  assert.deepEqual(await stateOf(page), { mode: 'passphrase', locked: 'true' });
  const keys = (await storageDump(browser))['vault.keys'];
  assert.equal(keys.lock.mode, 'passphrase');
  assert.ok(keys.lock.kdf.iterations >= 600_000, 'PBKDF2 at 600,000 iterations or more');

  await browser.close();
  browser = await launch({ userDataDir: profileA, extension: limited });
  work = await browser.context.newPage();
  page = await options(browser);
  assert.deepEqual(await stateOf(page), { mode: 'passphrase', locked: 'true' });
  const refused = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'quota.dashboard', payload: {} }));
  assert.equal(refused.ok, false, 'nothing readable while locked');
  // The other pages say it plainly, with what to do, not the worker's technical text.
  const lockedSays = await page.evaluate(() => chrome.i18n.getMessage('commonLocked'));
  for (const [path, box] of [['ship.html', '#fill-error'], ['transit.html', '#page-error'], ['popup.html', '#error']]) {
    const p = await openExtensionPage(browser.context, browser.extensionId, path);
    try {
      await p.locator(box).filter({ hasText: lockedSays }).waitFor({ timeout: 15_000 });
    } finally { await p.close(); }
  }

  await page.getByTestId('unlock-passphrase').fill('not the passphrase');
  await page.getByTestId('unlock-submit').click();
  await page.locator('[data-testid="vault-message"] [data-code="WrongPassphrase"]').waitFor();
  assert.deepEqual(await stateOf(page), { mode: 'passphrase', locked: 'true' });
  await page.close();
});

test('a decrypt made while locked reveals nothing and is counted after unlocking', { timeout: 180_000 }, async () => {
  const page = await options(browser);
  try {
    await openList(work);
    assert.ok((await decrypt(work, pid(3))).success);
    // One sealed entry per signal of the decrypt: its request, and its row turning plain on the
    // page (merged into one count on unlock, checked below).
    const queued = await settle(async () => Object.keys(await storageDump(browser)).filter((k) => k.startsWith('p.')), (q) => q.length === 2, 5_000);
    assert.ok(queued.length >= 1 && queued.length <= 2, `a sealed queue entry per signal (${queued.length})`);
    const text = JSON.stringify(await storageDump(browser));
    assert.ok(!text.includes(pid(3)) && !text.includes(PEOPLE[3].receiver_name));
  } finally {
    await page.getByTestId('unlock-passphrase').fill(PASS);
    await page.getByTestId('unlock-submit').click();
    await settle(() => stateOf(page), (s) => s.locked === 'false', 30_000);
  }
  assert.deepEqual(await stateOf(page), { mode: 'passphrase', locked: 'false' });
  const after = await quotaUsed(browser);
  assert.equal(after.used, ledgerBeforeLock.used + 1, 'the locked decrypt was merged');
  assert.ok(after.rows.includes(pid(3)));
  assert.equal(Object.keys(await storageDump(browser)).filter((k) => k.startsWith('p.')).length, 0, 'queue emptied');
  await page.close();
});

test('unlocked: a worker restart does not ask again, and the data is intact', { timeout: 60_000 }, async () => {
  const page = await options(browser);
  assert.equal((await stateOf(page)).locked, 'false');
  await stopServiceWorkers(browser.context, page);
  await page.reload();
  await page.getByTestId('vault-state').waitFor();
  assert.equal((await stateOf(page)).locked, 'false');
  const now = await quotaUsed(browser);
  assert.ok(now.used >= ledgerBeforeLock.used && ledgerBeforeLock.rows.every((id) => now.rows.includes(id)));
  await page.close();
});

test('a backup from profile A restores into a fresh profile B', { timeout: 180_000 }, async () => {
  const ledgerA = await quotaUsed(browser);
  const page = await options(browser);
  await page.getByTestId('backup-passphrase').fill(BACKUP_PASS);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('backup-export').click();
  const file = join(profileA, 'backup.json');
  await (await downloading).saveAs(file);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(pid(0)) && !/[^\x00-\x7f]/.test(text), 'the backup file is encrypted');
  const body = openBackupIndependently(text, BACKUP_PASS);
  assert.equal(body.count, body.records.length);
  assert.ok(JSON.stringify(body.records).includes(pid(0)), 'the ledger is in the backup');
  assert.ok(body.records.length >= 4);

  const b = await launch();
  try {
    const pageB = await options(b);
    const records = async () => Object.entries(await storageDump(b)).filter(([k]) => k.startsWith('r.'));
    const untouched = await records();
    // A wrong passphrase is refused and changes nothing.
    await pageB.getByTestId('backup-passphrase').fill('wrong backup pass');
    await pageB.getByTestId('backup-import').setInputFiles(file);
    await pageB.locator('[data-testid="vault-message"] [data-code="WrongPassphrase"]').waitFor();
    // A damaged file is refused too.
    const damaged = join(profileA, 'damaged.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.ct = (json.ct[5] === 'A' ? json.ct.slice(0, 5) + 'B' : json.ct.slice(0, 5) + 'A') + json.ct.slice(6);
    writeFileSync(damaged, JSON.stringify(json));
    await pageB.getByTestId('backup-passphrase').fill(BACKUP_PASS);
    await pageB.getByTestId('backup-import').setInputFiles(damaged);
    await pageB.locator('[data-testid="vault-message"] [data-code="BadBackup"]').waitFor();
    // Said in the page's language, with why (the contents fail their check), not the core's detail.
    const said = await pageB.locator('[data-testid="vault-message"] [data-code="BadBackup"]').textContent();
    const meant = await pageB.evaluate(() => chrome.i18n.getMessage('vaultErrBadBackupWhy', [chrome.i18n.getMessage('vaultBackupChanged')]));
    assert.ok(meant.length > 20 && said === meant, `${said} / ${meant}`);
    assert.deepEqual(await records(), untouched, 'failed restores changed nothing');

    await pageB.getByTestId('backup-import').setInputFiles(file);
    await pageB.getByTestId('backup-result').locator('[data-count]').waitFor();
    assert.deepEqual(await quotaUsed(b), ledgerA);
  } finally {
    await b.close();
  }
  await page.close();
});

test('a full storage is a clear error and saves nothing', { timeout: 60_000 }, async () => {
  const page = await options(browser);
  const worker = await currentWorker(browser.context, browser.extensionId);
  await worker.evaluate(async () => {
    const free = chrome.storage.local.QUOTA_BYTES - (await chrome.storage.local.getBytesInUse(null));
    await chrome.storage.local.set({ 'test.filler': 'x'.repeat(free - 64) });
  });
  try {
    const before = (await storageDump(browser))['vault.keys'];
    await page.getByTestId('retention-days').fill('45');
    await page.getByTestId('retention-days').dispatchEvent('change');
    await page.locator('[data-testid="vault-message"] [data-code="StorageFull"]').waitFor();
    assert.deepEqual((await storageDump(browser))['vault.keys'], before);
  } finally {
    await worker.evaluate(() => chrome.storage.local.remove('test.filler'));
  }
  const status = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.status', payload: {} }));
  assert.equal(status.data.settings.retentionDays, 30, 'the failed save changed nothing');
  await page.close();
});

test('a setting out of its range is said in words, put back, and changes nothing', { timeout: 60_000 }, async () => {
  const page = await options(browser);
  const settingsNow = async () => (await page.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.status', payload: {} }))).data.settings;
  const saved = await settingsNow();
  // The ranges are the core's; the message names them.
  const cases = [['retention-days', '0', 'vaultRetentionRange', ['1', '3650']], ['autolock-minutes', '2000', 'vaultAutoLockRange', ['0', '1440']],
    ['retention-days', '1.5', 'vaultRetentionRange', ['1', '3650']]];
  for (const [testid, value, key, range] of cases) {
    const before = await page.getByTestId(testid).inputValue();
    await page.getByTestId(testid).fill(value);
    await page.getByTestId(testid).dispatchEvent('change');
    const box = page.locator('[data-testid="vault-message"] [data-code="BadInput"]');
    await box.waitFor();
    const meant = await page.evaluate(([k, r]) => chrome.i18n.getMessage(k, r), [key, range]);
    assert.ok(meant.includes(range[1]) && (await box.textContent()) === meant, `${testid}=${value}: ${await box.textContent()}`);
    assert.equal(await page.getByTestId(testid).inputValue(), before, `${testid} is put back`);
    await box.evaluate((b) => b.closest('[data-testid="vault-message"]').replaceChildren());
  }
  assert.deepEqual(await settingsNow(), saved, 'nothing was saved');
  // "Free space" keeps to the same range: 4000 days is refused before anything is asked or deleted.
  const asked = [];
  page.on('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
  await page.getByTestId('prune-days').fill('4000');
  await page.getByTestId('prune-history').click();
  const box = page.locator('[data-testid="vault-message"] [data-code="BadInput"]');
  await box.waitFor();
  assert.equal(await box.textContent(), await page.evaluate(() => chrome.i18n.getMessage('vaultPruneRange', ['1', '3650'])));
  assert.deepEqual(asked, [], 'no confirmation is asked for an out-of-range prune');
  // The worker refuses them too: the message catalogue takes whole numbers only, the core checks the ranges.
  const refused = await page.evaluate(async () => Promise.all([{ retentionDays: 3651 }, { autoLockMinutes: 0.5 }, { autoLockMinutes: -1 }]
    .map((p) => chrome.runtime.sendMessage({ type: 'vault.settings', payload: p }))));
  for (const r of refused) assert.equal(r.ok, false, JSON.stringify(r));
  const pruned = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.pruneHistory', payload: { olderThanDays: 0 } }));
  assert.equal(pruned.ok, false, JSON.stringify(pruned));
  assert.deepEqual(await settingsNow(), saved, 'nothing was saved');
  await page.close();
});

test('auto-lock locks after the idle time the user set', { timeout: 150_000 }, async () => {
  const page = await options(browser);
  await page.getByTestId('autolock-minutes').fill('1');
  await page.getByTestId('autolock-minutes').dispatchEvent('change');
  await page.locator('[data-testid="vault-message"] [data-kind="ok"]').waitFor();
  // Pretend the last activity was ten minutes ago (a fresh worker has no newer one in memory).
  await stopServiceWorkers(browser.context, page);
  await page.reload();
  await page.getByTestId('vault-state').waitFor();
  const worker = await currentWorker(browser.context, browser.extensionId);
  await worker.evaluate(() => chrome.storage.session.set({ 'vault.activityMs': Date.now() - 600_000 }));
  const state = await settle(async () => {
    const r = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'vault.status', payload: {} }));
    return r.ok ? r.data : new Error(r.error?.message);
  }, (s) => s.locked === true, 120_000);
  assert.equal(state?.locked, true, `locked by the auto-lock alarm (${state?.message ?? ''})`);
  await page.reload();
  await page.getByTestId('unlock-passphrase').fill(PASS);
  await page.getByTestId('unlock-submit').click();
  await settle(() => stateOf(page), (s) => s.locked === 'false', 30_000);
  await page.getByTestId('autolock-minutes').fill('0');
  await page.getByTestId('autolock-minutes').dispatchEvent('change');
  await page.locator('[data-testid="vault-message"] [data-kind="ok"]').waitFor();
  await page.close();
});

test('a store left by the interim plaintext build (schema v1) is migrated', { timeout: 60_000 }, async () => {
  const b = await launch();
  try {
    const worker = await currentWorker(b.context, b.extensionId);
    await worker.evaluate(() => chrome.storage.local.clear());
    await worker.evaluate(() => chrome.storage.local.set({
      'r:status': { v: 1, lastContact: { atMs: 1, origin: 'https://ark.xiaohongshu.com', shop: '旧版小店', tabId: 1 } },
    }));
    const page = await openExtensionPage(b.context, b.extensionId, 'options.html');
    await stopServiceWorkers(b.context, page);
    const status = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status.get', payload: {} }));
    assert.equal(status.ok, true, JSON.stringify(status));
    assert.equal(status.data.lastContact.shop, '旧版小店', 'the v1 record reads back');
    const dump = await storageDump(b);
    assert.ok(!('r:status' in dump), 'the plaintext copy is gone');
    assert.doesNotMatch(JSON.stringify(dump), /旧版小店/);
  } finally {
    await b.close();
  }
});
