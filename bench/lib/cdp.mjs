// A minimal Chrome DevTools Protocol client over the browser's WebSocket endpoint (flat
// sessions). The benchmarks use it where Playwright would get in the way: Playwright attaches to
// every new service worker and holds it at start until it has set up, which would add its own
// round trip to every cold start, and it gives no CDP session on a worker (memory row).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// playwright-core bundles the `ws` package; Node 20 has no WebSocket client of its own.
const { ws: WebSocket } = require('playwright-core/lib/utilsBundle');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for Chromium's DevToolsActivePort file in `userDataDir`; resolves the browser ws URL. */
export async function browserEndpoint(userDataDir, timeoutMs = 20000) {
  const file = join(userDataDir, 'DevToolsActivePort');
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (existsSync(file)) {
      const [port, path] = readFileSync(file, 'utf8').split('\n');
      if (port && path) return `ws://127.0.0.1:${port.trim()}${path.trim()}`;
    }
    await sleep(50);
  }
  throw new Error(`Chromium wrote no DevToolsActivePort in ${userDataDir}`);
}

/** A CDP connection: `send(method, params, sessionId)`, `on(method, fn)`, `close()`. */
export async function connect(url) {
  const sock = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
  await new Promise((resolve, reject) => { sock.once('open', resolve); sock.once('error', reject); });
  let id = 0;
  const pending = new Map();
  const listeners = new Map();
  sock.on('message', (buf) => {
    const msg = JSON.parse(buf.toString());
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${p.method}: ${msg.error.message}`), { data: msg.error }));
      else p.resolve(msg.result);
      return;
    }
    for (const fn of listeners.get(msg.method) || []) fn(msg.params, msg.sessionId);
  });
  sock.on('close', () => {
    for (const p of pending.values()) p.reject(new Error(`${p.method}: connection closed`));
    pending.clear();
  });
  return {
    send(method, params = {}, sessionId = undefined) {
      const msg = { id: ++id, method, params };
      if (sessionId) msg.sessionId = sessionId;
      return new Promise((resolve, reject) => {
        pending.set(msg.id, { resolve, reject, method });
        sock.send(JSON.stringify(msg));
      });
    },
    on(method, fn) {
      if (!listeners.has(method)) listeners.set(method, []);
      listeners.get(method).push(fn);
      return () => listeners.set(method, listeners.get(method).filter((f) => f !== fn));
    },
    close() { sock.close(); },
  };
}

/** Evaluates `expression` (awaiting a promise) in a session; returns its value or throws. */
export async function evaluate(cdp, sessionId, expression, timeoutMs = 120000) {
  const run = cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, timeout: timeoutMs }, sessionId);
  // The guard's timer is cleared once the answer is in: left running, each call's timer kept
  // node alive for its whole timeout after the bench had written its results.
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`evaluate timed out: ${expression.slice(0, 80)}`)), timeoutMs + 5000);
  });
  let res;
  try {
    res = await Promise.race([run, guard]);
  } finally {
    clearTimeout(timer);
  }
  if (res.exceptionDetails) {
    const d = res.exceptionDetails;
    throw new Error(`in page: ${d.exception?.description || d.text}`);
  }
  return res.result.value;
}

/** Polls `Target.getTargets` until `pred(target)` holds for one; resolves it. */
export async function waitForTarget(cdp, pred, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const t = targetInfos.find(pred);
    if (t) return t;
    await sleep(100);
  }
  throw new Error('target did not appear');
}

/** Attaches to a target with a flat session; resolves the sessionId. */
export async function attach(cdp, targetId) {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  return sessionId;
}
