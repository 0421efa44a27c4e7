// The isolated-world base of RedShip's content scripts: the one place that talks to the service
// worker and receives what the page-world hook saw (summaries of small answers, the text of order
// list answers, which the worker reads). Other content scripts (observe-quota,
// observe-order, fill) register on `RedShip` and stay thin: read the page, act on the page,
// send typed messages (catalogue: common/messages.js). No wasm here — the page's CSP forbids it.
(() => {
  const site = globalThis.REDSHIP_SITE;
  if (!site || globalThis.RedShip) return;
  const hookListeners = new Map();
  const commandHandlers = new Map();
  const packageIdRe = new RegExp(`^${site.packageIdPattern}$`);

  /** Sends a typed message to the service worker; resolves its data or rejects a named Error. */
  async function send(type, payload = {}) {
    let res;
    try {
      res = await chrome.runtime.sendMessage({ type, payload });
    } catch (e) {
      const err = new Error(`RedShip is not reachable (${e?.message || e}); reload the page`);
      err.name = 'ExtensionUnavailable';
      throw err;
    }
    if (!res || typeof res !== 'object') throw Object.assign(new Error('no answer from RedShip'), { name: 'NoAnswer' });
    if (!res.ok) throw Object.assign(new Error(res.error?.message || 'failed'), { name: res.error?.name || 'Error', code: res.error?.code ?? null });
    return res.data;
  }

  const TRANSIENT = new Set(['ExtensionUnavailable', 'NoAnswer']);
  const RETRIES = 6;

  /**
   * `send`, retried while the worker is (re)starting: a worker stopped while it handled the
   * message leaves it unanswered. Waits 150 ms, doubling, about 9.5 s in all; then, or on any
   * other error, rejects. Only for messages whose handler takes a repeat (the worker's domains
   * drop an exact repeat, or apply it to the same end).
   */
  async function sendRetrying(type, payload = {}) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(type, payload);
      } catch (e) {
        if (!TRANSIENT.has(e?.name) || attempt >= RETRIES) throw e;
        await new Promise((r) => setTimeout(r, 150 * 2 ** attempt));
      }
    }
  }

  /** The shop this page belongs to: its name where the page shows one, else the site's host. */
  function shop() {
    for (const sel of site.shop.selectors) {
      const el = document.querySelector(sel);
      const text = el?.textContent?.trim();
      if (text && text.length <= 64) return text;
    }
    return location.host;
  }

  function emit(kind, payload) {
    for (const fn of hookListeners.get(kind) || []) {
      try { fn(payload); } catch (e) { console.warn('RedShip:', e); }
    }
  }

  // Order list and detail answers arrive as the page received them (text, see hook-main.js): the
  // one relay (observe-order) hands the text to the service worker, which parses it off this
  // thread, and resolves the listeners' summary — package IDs and statuses, no buyer fields.
  const LIST_KINDS = new Set(['orderPage', 'orderDetail']);
  let listRelay = null;
  let listsReading = 0; // answers handed to the relay whose summary is not out yet
  function relay(kind, request, text, sentAt) {
    if (!listRelay) return;
    listsReading += 1;
    Promise.resolve()
      .then(() => listRelay(kind, { request, text }))
      .then((summary) => { if (summary && typeof summary === 'object') emit(kind, { ...summary, sentAt }); },
        (e) => console.warn('RedShip: a list answer was not read:', e?.name, e?.message))
      .finally(() => { listsReading -= 1; emit('listsRead', {}); });
  }

  // Hook messages arrive only over the private port the page-world hook hands over at
  // document_start, before any page script runs; the first hand-over wins and window messages
  // are never read as hook messages, so page scripts cannot forge one. Each consumer still
  // treats the payload as untrusted data (the service worker validates it again).
  function dispatch(data) {
    if (!data || typeof data.kind !== 'string') return;
    if (LIST_KINDS.has(data.kind)) {
      const sentAt = Number.isFinite(data.sentAt) ? data.sentAt : Date.now();
      const text = typeof data.text === 'string' ? data.text : takeLeft(data.left);
      if (typeof text === 'string') relay(data.kind, data.request && typeof data.request === 'object' ? data.request : {}, text, sentAt);
      else console.warn('RedShip: a list answer the hook left was not found');
      return;
    }
    if (!data.payload || typeof data.payload !== 'object') return;
    emit(data.kind, data.payload);
  }
  // List answers the hook left in its closed shadow root (see hook-main.js), named in the port's
  // message by an ID with the hook's secret: read without a copy, then removed. Only the hook and
  // extensions reach a closed root, and only the port's message knows the ID, so a node a page
  // script made is never read.
  const readsRoots = typeof chrome.dom?.openOrClosedShadowRoot === 'function';
  let leftHost = null;
  function takeLeft(id) {
    if (!readsRoots || typeof id !== 'string' || !/^a-[0-9a-f]{32}-\d+$/.test(id)) return null;
    const inHost = (host) => (host && chrome.dom.openOrClosedShadowRoot(host)?.getElementById(id)) || null;
    let el = inHost(leftHost);
    for (const host of el ? [] : document.querySelectorAll('[data-redship="answers"]')) {
      if ((el = inHost(host))) { leftHost = host; break; }
    }
    if (!(el instanceof HTMLTemplateElement)) return null;
    const node = el.content.firstChild;
    el.remove();
    return node?.nodeType === Node.TEXT_NODE ? node.data : null;
  }

  let hookPort = null;
  function takePort(event) {
    if (hookPort || event.source !== window || event.origin !== location.origin) return;
    if (event.data?.__redship !== 'hook-port' || !event.ports?.[0]) return;
    hookPort = event.ports[0];
    // A listener, not `onmessage`: a page that saw the hand-over cannot replace it.
    hookPort.addEventListener('message', (e) => dispatch(e.data));
    hookPort.start();
    if (readsRoots) hookPort.postMessage({ answersInDom: true });
    window.removeEventListener('message', takePort, true);
  }
  window.addEventListener('message', takePort, true);

  // Commands from the service worker (e.g. fill steps). Only our own extension can reach
  // chrome.runtime.onMessage in a content script; the type must be a registered command.
  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !msg || typeof msg.type !== 'string') return false;
    const handler = commandHandlers.get(msg.type);
    if (!handler) return false;
    Promise.resolve()
      .then(() => handler(msg.payload || {}))
      .then((data) => sendResponse({ ok: true, data }),
        (e) => sendResponse({ ok: false, error: { name: e?.name || 'Error', message: String(e?.message || e) } }));
    return true;
  });

  globalThis.RedShip = Object.freeze({
    site,
    send,
    sendRetrying,
    /** The worker did not answer (restarting, stopped mid-message): `sendRetrying` gave up on it. */
    isTransient: (e) => TRANSIENT.has(e?.name),
    shop,
    /** True for a package ID of the platform's shape. */
    isPackageId: (s) => typeof s === 'string' && packageIdRe.test(s),
    /** Calls `fn(payload)` for each hook summary of `kind` (orderPage, decrypt, quota, …). */
    onHook(kind, fn) {
      if (!hookListeners.has(kind)) hookListeners.set(kind, []);
      hookListeners.get(kind).push(fn);
    },
    /**
     * Sets the one relay of list answers: `fn(kind, {request, text})` → the `orderPage` /
     * `orderDetail` summary `{total, request, packages: [{packageId, status}]}` (or null) that
     * `onHook` listeners then get, with `sentAt`: when the page sent the request (its answer
     * shows the platform's state no earlier than that). The first relay set wins.
     */
    relayLists(fn) { listRelay ??= fn; },
    /** How many list answers the page received are still being read (see `relayLists`); the
     *  `listsRead` hook fires each time one is done. */
    listsReading: () => listsReading,
    /** Handles a command `type` sent by the service worker with chrome.tabs.sendMessage. */
    onCommand(type, fn) { commandHandlers.set(type, fn); },
  });

  // Say hello once the page has settled, so the worker knows a workbench tab is open.
  const hello = () => send('status.hello', { url: location.href, shop: shop() })
    .catch((e) => console.warn('RedShip: the service worker did not take the hello:', e.name, e.message));
  if (document.readyState === 'complete') hello(); else window.addEventListener('load', hello, { once: true });
})();
