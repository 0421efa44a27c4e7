// The service worker's message router: checks every incoming message's sender and shape against
// the catalogue (common/messages.js), then runs the domain handler. Handlers run one at a time
// (a single queue), which makes the worker the single, exact writer even when several workbench
// tabs report at once. A handler that must wait on a tab (fill steps) does that waiting outside
// the queue, with `exclusive()` only around its reads and writes.
import { validateMessage } from '../common/messages.js';

const handlers = new Map();
let queue = Promise.resolve();
let started = null;

/**
 * Registers the handler for a catalogue type: `fn(payload, ctx)` → data (or throws a named
 * Error). `ctx` = {origin, tabId, frameId, url, after}: `after(work)` runs `work()` once the
 * answer has gone, still in the handler's place in the queue (badge and notification updates
 * need not hold up the answer, but must keep their order). With `{queued: false}` the handler is
 * not run in the queue (it must then use `exclusive` itself around state changes).
 */
export function register(type, fn, { queued = true } = {}) {
  if (handlers.has(type)) throw new Error(`handler for ${type} registered twice`);
  handlers.set(type, { fn, queued });
}

/** Runs `fn` alone: after every earlier queued job, before any later one. */
export function exclusive(fn) {
  const run = queue.then(fn, fn);
  // The queue keeps only the order, never the last answer (a transit view of 10,000 rows stayed
  // reachable from it until the next message).
  queue = run.then(() => undefined, () => undefined);
  return run;
}

/** The origins whose content scripts may talk to us: those the manifest injects into. */
function allowedOrigins() {
  const out = new Set();
  for (const cs of chrome.runtime.getManifest().content_scripts || []) {
    for (const m of cs.matches || []) {
      const match = /^(https?):\/\/([^/]+)\//.exec(m);
      if (match) out.add(`${match[1]}://${match[2]}`);
    }
  }
  return out;
}
let origins = null;

/** 'page' for our own extension pages, 'content' for our content script on an allowed origin. */
export function classifySender(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  const url = sender.url || '';
  if (url.startsWith(`chrome-extension://${chrome.runtime.id}/`)) return 'page';
  if (!sender.tab) return null;
  try {
    const u = new URL(url);
    origins ??= allowedOrigins();
    // Match patterns ignore the port (the replica runs on any port of 127.0.0.1).
    return origins.has(`${u.protocol}//${u.hostname}`) ? 'content' : null;
  } catch { return null; }
}

function fail(e) {
  // `code` (a vault error's `StorageFull`, say) lets the caller act on it without reading the message.
  const code = typeof e?.code === 'string' ? e.code : null;
  return { ok: false, error: { name: e?.name || 'Error', message: String(e?.message || e), code } };
}

/** Installs the one onMessage listener. Call synchronously at the worker's top level. */
export function installRouter(ready) {
  started = ready;
  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (msg && typeof msg === 'object' && 'broadcast' in msg) return false; // ours, for pages
    const origin = classifySender(sender);
    const check = validateMessage(msg, origin);
    if (!check.ok) {
      sendResponse(fail(Object.assign(new Error(check.error), { name: 'MessageError' })));
      return false;
    }
    const { fn, queued } = handlers.get(check.type) || {};
    if (!fn) {
      sendResponse(fail(Object.assign(new Error(`no handler for ${check.type}`), { name: 'MessageError' })));
      return false;
    }
    const later = [];
    const ctx = { origin, tabId: sender.tab?.id ?? null, frameId: sender.frameId ?? 0, url: sender.url || '', after: (work) => { later.push(work); } };
    const job = async () => {
      let data;
      try {
        data = await fn(check.payload, ctx);
      } catch (e) {
        sendResponse(fail(e));
        return;
      }
      sendResponse({ ok: true, data: data ?? null });
      for (const work of later) {
        try { await work(); } catch (e) { console.warn(`RedShip: after ${check.type}:`, e?.name, e?.message); }
      }
    };
    started
      .then(() => (queued ? exclusive(job) : job()))
      .catch((e) => sendResponse(fail(e)));
    return true;
  });
}

/** Tells open extension pages that `topic` changed; no page open is fine. */
export function broadcast(topic, data = null) {
  chrome.runtime.sendMessage({ broadcast: topic, data }).catch(() => {});
}

/** Sends a command to a tab's content script and unwraps its `{ok, data | error}`. */
export async function sendToTab(tabId, type, payload = {}, frameId = 0) {
  const res = await chrome.tabs.sendMessage(tabId, { type, payload }, { frameId });
  if (!res) throw Object.assign(new Error('the workbench tab did not answer'), { name: 'TabGone' });
  if (!res.ok) throw Object.assign(new Error(res.error?.message || 'failed'), { name: res.error?.name || 'Error' });
  return res.data;
}
