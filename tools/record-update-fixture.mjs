// Re-records tests/fixtures/update/c31608f.json: the browser storage a build from before the
// "updates keep everything" change (commit c31608f, version 0.1.0) leaves after a day of work,
// for tests/e2e/update.test.mjs to load the current build over.
//
//   node tools/record-update-fixture.mjs
//
// It extracts that commit into target/update-fixture/c31608f (git archive), builds it there with
// its own build.sh into target/update-fixture/dist-c31608f (once), and drives THAT build with
// THAT commit's own test helpers and replica, under a faked clock (a fixed China day, so the
// test can run on the same day whenever it runs): two decrypts, a route changed on the transit
// page, a finished ship run, a setting changed, a backup (what the old build itself reads back:
// the test's expected records), and a passphrase lock. Then it saves chrome.storage.local as is:
// the old format's bytes, written by the old code. Test data only (the replica's made-up buyers).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMIT = 'c31608f';
const WORK = join(ROOT, 'target/update-fixture');
const TREE = join(WORK, COMMIT);
const DIST = join(WORK, `dist-${COMMIT}`);
const OUT = join(ROOT, `tests/fixtures/update/${COMMIT}.json`);
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** The recorded day's clock: 10:00 China time, 2026-12-06. The test runs at 11:00 the same day. */
export const RECORDED_AT_MS = Date.parse('2026-12-06T10:00:00+08:00');
export const PASS = 'old build passphrase';
const BACKUP_PASS = 'old build backup';
const LIST = '/app-order/order/query';
const DECRYPT = '/api/edith/fulfillment/package/receiver/decrypt';
const pid = (n) => `P${String(742_000_000_000_000 + n)}`;
const number = (n) => `7731${String(42_000_000 + n).padStart(8, '0')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function buildOld() {
  if (existsSync(join(DIST, 'extension-dev/manifest.json'))) return;
  rmSync(TREE, { recursive: true, force: true });
  mkdirSync(TREE, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${COMMIT} | tar -x -C "${TREE}"`], { stdio: 'inherit' });
  // The old tree shares this one's npm packages and Cargo's target directory (and its build lock).
  symlinkSync(join(ROOT, 'node_modules'), join(TREE, 'node_modules'));
  symlinkSync(join(ROOT, 'target'), join(TREE, 'target'));
  execFileSync(join(TREE, 'build.sh'), ['build'], { stdio: 'inherit', env: { ...process.env, REDSHIP_DIST: DIST } });
}

async function settle(read, ok, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let value;
    try { value = await read(); } catch (e) { value = e; }
    if (!(value instanceof Error) && ok(value)) return value;
    if (Date.now() > end) throw new Error(`not reached: ${value instanceof Error ? value.message : JSON.stringify(value)}`);
    await sleep(200);
  }
}

async function main() {
  if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} is missing: apt-get install faketime`);
  buildOld();
  process.env.REDSHIP_DIST = DIST; // the old helpers load the old build
  const { launch, openExtensionPage, currentWorker } = await import(pathToFileURL(join(TREE, 'tests/e2e/lib/chromium.mjs')));
  const { startReplica } = await import(pathToFileURL(join(TREE, 'tests/e2e/lib/replica.mjs')));
  const { openBackupIndependently } = await import(pathToFileURL(join(ROOT, 'tests/e2e/lib/backup.mjs')));
  const offsetS = Math.round((RECORDED_AT_MS - Date.now()) / 1000);
  const replica = await startReplica({ seed: 5, orders: 0, dailyQuota: 30, now: RECORDED_AT_MS });
  const browser = await launch({ env: { LD_PRELOAD: LIBFAKETIME, FAKETIME: `${offsetS >= 0 ? '+' : ''}${offsetS}` }, locale: 'zh-CN' });
  try {
    const base = RECORDED_AT_MS - 3_600_000;
    const people = [['欧阳明月', '13912345678'], ['司马清风', '13687654321'], ['诸葛流云', '15811112222'], ['上官飞燕', '17733334444']];
    await replica.hook('orders', { packages: people.map(([n, p], i) => ({ packageId: pid(i), status: 4, paidAt: base - i * 1000,
      plaintext: { receiver_name: n, receiver_phone: p, receiver_address: `上海市浦东新区世纪大道${i + 1}00号` } })) });
    const { context, extensionId } = browser;
    const version = (await currentWorker(context, extensionId).then((w) => w.evaluate(() => chrome.runtime.getManifest().version)));

    // Two decrypts on the order list (its list answer also fills the transit page).
    const work = await context.newPage();
    await work.goto(`${replica.url}${LIST}`);
    const row = (id) => work.locator('table.d-new-table tbody tr', { hasText: id });
    await row(pid(0)).waitFor();
    for (const id of [pid(0), pid(1)]) {
      const answered = work.waitForResponse((r) => r.url().endsWith(DECRYPT));
      await row(id).locator('.d-button', { hasText: '查看' }).click();
      if (!(await (await answered).json()).success) throw new Error(`the replica refused to decrypt ${id}`);
    }
    const popup = await openExtensionPage(context, extensionId, 'popup.html');
    const used = await settle(async () => Number(await popup.getByTestId('quota-used').textContent({ timeout: 2000 })), (n) => n === 2);
    const decrypted = (await popup.getByTestId('quota-log-row').evaluateAll((r) => r.map((x) => x.dataset.packageId))).sort();
    await popup.close();

    // A route: order 3 goes to the supplier.
    const transit = await openExtensionPage(context, extensionId, 'transit.html');
    const tr = (id) => transit.locator(`[data-testid="transit-row"][data-package-id="${id}"]`);
    await tr(pid(3)).waitFor({ timeout: 20_000 });
    await tr(pid(3)).getByTestId('route-select').selectOption('supplier');
    await transit.waitForSelector(`[data-testid="transit-row"][data-package-id="${pid(3)}"][data-route="supplier"]`);
    const routes = Object.fromEntries(await transit.getByTestId('transit-row').evaluateAll((trs) => trs.map((t) => [t.dataset.packageId, t.dataset.route])));
    await transit.close();

    // A finished ship run: order 2 shipped through the workbench's own dialog.
    const ship = await openExtensionPage(context, extensionId, 'ship.html');
    await ship.getByTestId('import-paste').fill(`${pid(2)} 中通 ${number(2)}`);
    await settle(async () => {
      await ship.getByTestId('import-submit').click();
      await ship.getByTestId('preview-row').first().waitFor({ timeout: 5000 });
      return ship.getByTestId('preview-row').first().evaluate((t) => t.dataset.verdict);
    }, (v) => v === 'ok');
    await ship.getByTestId('fill-mode').selectOption('ship');
    await ship.getByTestId('fill-start').click();
    await ship.locator('[data-testid="report-row"][data-status="shipped"]').waitFor({ timeout: 60_000 });
    const report = await ship.getByTestId('report-row').evaluateAll((r) => r.map((x) => ({ packageId: x.dataset.packageId, status: x.dataset.status })));
    await ship.close();
    await work.close();

    // A setting, a backup (every record as the old build reads it), then the passphrase lock.
    const options = await openExtensionPage(context, extensionId, 'options.html');
    await options.getByTestId('vault-state').waitFor();
    await options.getByTestId('retention-days').fill('45');
    await options.getByTestId('retention-days').dispatchEvent('change');
    await options.locator('[data-testid="vault-message"] [data-kind="ok"]').waitFor();
    await options.getByTestId('backup-passphrase').fill(BACKUP_PASS);
    const downloading = options.waitForEvent('download');
    await options.getByTestId('backup-export').click();
    const body = openBackupIndependently(readFileSync(await (await downloading).path(), 'utf8'), BACKUP_PASS);
    const records = Object.fromEntries(body.records.map((r) => [r.key, r.value]));
    await options.getByTestId('lock-passphrase').fill(PASS);
    await options.getByTestId('lock-now').click();
    await settle(() => options.getByTestId('vault-state').evaluate((n) => n.dataset.locked), (l) => l === 'true');
    const worker = await currentWorker(context, extensionId);
    await sleep(1000); // let any write after the lock land before the dump
    const storage = await worker.evaluate(() => chrome.storage.local.get(null));

    const fixture = {
      about: `chrome.storage.local of RedShip ${version} (commit ${COMMIT}) after a day of work on the replica; re-record with tools/record-update-fixture.mjs`,
      commit: COMMIT, version, recordedAtMs: RECORDED_AT_MS, passphrase: PASS,
      expect: { shop: body.records.find((r) => r.key.startsWith('quota/day/'))?.key.split('/')[2] ?? null, used, decrypted, routes, report, settings: { retentionDays: 45 }, records },
      storage,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`${OUT}: ${Object.keys(storage).length} storage entries, ${body.records.length} records, ${JSON.stringify(fixture).length} bytes`);
  } finally {
    await browser.close();
    await replica.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
