// Launches Debian's Chromium through playwright-core, optionally with RedShip's unpacked
// extension loaded, in a fresh profile. Every e2e test and the demo start browsers here so the
// flags that this closed-network machine needs live in one place (see ../shared/TOOLCHAIN.md).
import { chromium } from 'playwright-core';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = resolve(here, '../../..');
/** Where `./build.sh` puts its output (REDSHIP_DIST overrides). */
export const DIST = resolve(process.env.REDSHIP_DIST || join(ROOT, 'dist'));
/** The unpacked development build that tests load. */
export const DEV_EXTENSION = join(DIST, 'extension-dev');
/**
 * The development build without `unlimitedStorage`, so that chrome.storage.local holds its
 * 10 MB (`QUOTA_BYTES`): the tests of a full disk fill those 10 MB (`fillStorage`), which the
 * manifest's `unlimitedStorage` would otherwise lift. Copied from DEV_EXTENSION at each call
 * (its path, hence its extension ID, stays the same, so a profile reused across launches keeps
 * its storage).
 */
export function limitedStorageExtension() {
  return variantOfDevBuild('extension-dev-10mb', (manifest) => {
    manifest.permissions = manifest.permissions.filter((p) => p !== 'unlimitedStorage');
  });
}

/**
 * A copy of the development build whose messages go as JSON (no `message_serialization`), as in
 * a Chromium older than 148, which ignores the key: every message must stay plain JSON data,
 * and this Chromium would otherwise let a Map or a typed array through unseen.
 */
export function jsonMessagingExtension() {
  return variantOfDevBuild('extension-dev-json', (manifest) => { delete manifest.message_serialization; });
}

/** dist/<name>: the development build with `edit(manifest)` applied (made anew each call). */
function variantOfDevBuild(name, edit) {
  const dir = join(DIST, name);
  const next = `${dir}.new`;
  rmSync(next, { recursive: true, force: true });
  cpSync(DEV_EXTENSION, next, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(next, 'manifest.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(next, 'manifest.json'), JSON.stringify(manifest, null, 2));
  rmSync(dir, { recursive: true, force: true });
  renameSync(next, dir);
  return dir;
}
/** Debian's Chromium. */
export const CHROMIUM = process.env.REDSHIP_CHROMIUM || '/usr/bin/chromium';

/**
 * Starts Chromium.
 * @param {object} [opts]
 * @param {string|false} [opts.extension] unpacked extension dir; default the dev build; false for none
 * @param {string} [opts.userDataDir] reuse a profile (e.g. to restart the browser); default a fresh one
 * @param {Record<string,string>} [opts.env] extra environment for the browser process (TZ, FAKETIME …)
 * @param {boolean} [opts.headless] default true unless REDSHIP_HEADED=1
 * @param {string} [opts.locale] browser UI language, e.g. 'zh-CN' or 'en-US' (default 'en-US')
 * @returns {Promise<{context: import('playwright-core').BrowserContext, extensionId: string|null,
 *   worker: import('playwright-core').Worker|null, userDataDir: string, close: () => Promise<void>}>}
 */
export async function launch(opts = {}) {
  const extension = opts.extension === undefined ? DEV_EXTENSION : opts.extension;
  if (extension && !existsSync(join(extension, 'manifest.json'))) {
    throw new Error(`no built extension at ${extension}: run ./build.sh first`);
  }
  const ownsDir = !opts.userDataDir;
  const userDataDir = opts.userDataDir || mkdtempSync(join(tmpdir(), 'redship-profile-'));
  const locale = opts.locale || 'en-US';
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', `--lang=${locale}`,
  ];
  if (extension) args.push(`--disable-extensions-except=${extension}`, `--load-extension=${extension}`);
  const env = { ...process.env, LANGUAGE: locale.replace('-', '_'), ...(opts.env || {}) };
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? process.env.REDSHIP_HEADED !== '1',
    args,
    env,
    locale,
    viewport: { width: 1280, height: 860 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
  });
  let worker = null;
  let extensionId = null;
  if (extension) {
    worker = context.serviceWorkers()[0] || (await context.waitForEvent('serviceworker', { timeout: 15000 }));
    extensionId = new URL(worker.url()).host;
  }
  return {
    context, extensionId, worker, userDataDir,
    async close() {
      await context.close().catch(() => {});
      if (ownsDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The current service worker of the extension (a fresh one after a restart). */
export async function currentWorker(context, extensionId) {
  const found = context.serviceWorkers().find((w) => w.url().includes(extensionId));
  if (found) return found;
  return context.waitForEvent('serviceworker', { timeout: 15000, predicate: (w) => w.url().includes(extensionId) });
}

/**
 * Stops every service worker as Chrome does when idle (CDP ServiceWorker.stopAllWorkers); the
 * next event starts a fresh one. `page` may be any page of the context.
 */
export async function stopServiceWorkers(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach().catch(() => {});
}

/** Opens one of the extension's own pages (e.g. 'popup.html'). */
export async function openExtensionPage(context, extensionId, path) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
}

/**
 * Fills the extension's storage from `page` (one of its own pages) with the record `key`, leaving
 * `leave` bytes free (an item counts its key and its JSON), so that saves that grow fail with the
 * browser's quota error. Retried: the extension may save while it fills. Only for a browser
 * launched with `limitedStorageExtension()` (the manifest's `unlimitedStorage` lifts the quota).
 */
export function fillStorage(page, key, leave = 0) {
  return page.evaluate(async ([k, room]) => {
    for (let i = 0; ; i++) {
      const free = chrome.storage.local.QUOTA_BYTES - (await chrome.storage.local.getBytesInUse(null));
      try {
        await chrome.storage.local.set({ [k]: 'x'.repeat(Math.max(0, free - room - k.length - 2)) });
        return;
      } catch (e) {
        if (i >= 20) throw e;
      }
    }
  }, [key, leave]);
}

/**
 * Makes the extension's worker lose the answer to one message, as when Chrome stops the worker
 * while it handles one: its storage writes are watched (keys are opaque), and once armed, the
 * next write — of any key, of the key written `last` before arming, or of the one written `most`
 * since this was set up (a fill run's log: one write a step) — never settles, made first
 * (`saved`: the work is saved, only the answer is lost) or not at all, so that handler never
 * answers. `stopWhenHeld` then stops the worker (stopServiceWorkers).
 */
export async function loseAnAnswer(context, extensionId) {
  const worker = await currentWorker(context, extensionId);
  await worker.evaluate(() => {
    const area = chrome.storage.local;
    const set = area.set.bind(area);
    const t = { last: null, counts: new Map(), armed: null, held: false };
    globalThis.__loseAnswer = t;
    area.set = async (items) => {
      const keys = Object.keys(items);
      const hit = t.armed && (t.armed.key === null || keys.includes(t.armed.key));
      if (!hit) {
        await set(items);
        t.last = keys.at(-1);
        for (const k of keys) t.counts.set(k, (t.counts.get(k) || 0) + 1);
        return undefined;
      }
      const { saved } = t.armed;
      t.armed = null;
      if (saved) await set(items);
      t.held = true;
      return new Promise(() => {});
    };
  });
  return {
    arm: ({ key = 'any', saved = true } = {}) => worker.evaluate(([which, keep]) => {
      const t = globalThis.__loseAnswer;
      const most = [...t.counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      t.armed = { key: { any: null, last: t.last, most }[which], saved: keep };
    }, [key, saved]),
    held: () => worker.evaluate(() => globalThis.__loseAnswer.held),
    /** Waits (up to `timeoutMs`) until a write is held, then stops the worker; `what` names it. */
    async stopWhenHeld(page, what, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!(await worker.evaluate(() => globalThis.__loseAnswer.held))) {
        if (Date.now() > end) throw new Error(`${what}: no write was held`);
        await page.waitForTimeout(20);
      }
      await stopServiceWorkers(context, page);
    },
  };
}
