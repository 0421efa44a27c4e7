// Starts Debian's Chromium for the benchmarks, two ways:
// - `launchRaw`: Chromium alone with a DevTools port, driven by the small CDP client (cdp.mjs);
//   nothing attaches to service workers, so a worker's cold start is the browser's own.
// - `launchPw`: Playwright's persistent context (like tests/e2e/lib/chromium.mjs, same flags),
//   for rows that drive pages; `debugPort: true` also opens a DevTools port for worker sessions.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { chromium } from 'playwright-core';
import { browserEndpoint, connect } from './cdp.mjs';

/** Debian's Chromium (REDSHIP_CHROMIUM overrides, as in the e2e tests). */
export const CHROMIUM = process.env.REDSHIP_CHROMIUM || '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--lang=en-US',
];

/** The id Chromium gives an unpacked extension: SHA-256 of its absolute path, a–p encoded. */
export function unpackedExtensionId(dir) {
  const hex = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * Chromium with a DevTools port and the given unpacked extensions, no Playwright.
 * @returns {Promise<{cdp: Awaited<ReturnType<typeof connect>>, ids: string[], close: () => Promise<void>}>}
 */
export async function launchRaw({ extensions = [] } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'redship-bench-'));
  const args = [...BASE_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`,
    '--window-size=1280,860'];
  if (extensions.length) {
    args.push(`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`);
  }
  args.push('about:blank');
  const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANGUAGE: 'en_US' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((r) => child.once('exit', r));
  let cdp;
  try {
    cdp = await connect(await browserEndpoint(userDataDir));
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${stderr}`);
  }
  let closed = false;
  return {
    cdp,
    ids: extensions.map(unpackedExtensionId),
    async close() {
      if (closed) return;
      closed = true;
      try { await cdp.send('Browser.close'); } catch { /* already gone */ }
      cdp.close();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Playwright's persistent context with Debian's Chromium, optionally one unpacked extension.
 * @param {{extension?: string|null, debugPort?: boolean}} [opts]
 */
export async function launchPw({ extension = null, debugPort = false } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'redship-bench-'));
  const args = [...BASE_ARGS];
  if (extension) args.push(`--disable-extensions-except=${extension}`, `--load-extension=${extension}`);
  if (debugPort) args.push('--remote-debugging-port=0');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    env: { ...process.env, LANGUAGE: 'en_US' },
    locale: 'en-US',
    viewport: { width: 1280, height: 860 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
  });
  let extensionId = null;
  if (extension) {
    const worker = context.serviceWorkers()[0] || (await context.waitForEvent('serviceworker', { timeout: 20000 }));
    extensionId = new URL(worker.url()).host;
  }
  return {
    context,
    extensionId,
    userDataDir,
    /** The browser-level DevTools endpoint (only with `debugPort`). */
    endpoint: () => browserEndpoint(userDataDir),
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
