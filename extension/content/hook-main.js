// Runs in the page's own world at document_start (manifest "world": "MAIN"), before the
// workbench's scripts. It watches the answers the page receives from the endpoints in the site
// profile (fetch and XMLHttpRequest) and hands them to RedShip's isolated content script over a
// private MessageChannel: the channel's far port is handed over once, before any page script
// runs, so page scripts cannot post into it (a forged "shipped" or "decrypted" summary from the
// page never reaches RedShip). It never calls an endpoint, never changes a request or an answer.
//
// The renderer's main thread is the page's own: work here is work the page waits for. So order
// list and detail answers (up to hundreds of KB) are neither parsed nor copied into objects here:
// their text goes on untouched (left where the isolated world reads it without a copy, see
// `answers` below) and the service worker parses them. Small answers are reduced here, and a
// decrypt answer — the one that carries plaintext buyer details — only ever to "this package,
// success or refusal, the page's message".
//
// Other same-site requests whose JSON body holds a package ID (the real decrypt request is
// unknown) are reported as `sent`: their path, their body's key names and which keys held a
// package-ID-shaped value, when sent, and the answer's verdict (success, code, msg) — never a
// value. They are the candidates from which the decrypt endpoint is learned (crate/core
// quota::endpoint), and a learned path's answers are then taken as decrypt answers.
(() => {
  const site = globalThis.REDSHIP_SITE;
  try { delete globalThis.REDSHIP_SITE; } catch { /* frozen global: nothing to clean */ }
  if (!site) return;
  const kindByPath = new Map(Object.entries(site.api).map(([kind, path]) => [path, kind]));
  const parse = JSON.parse;
  const setTimer = setTimeout.bind(globalThis);
  const clearTimer = clearTimeout.bind(globalThis);
  // The clock as it was before any page script ran: a page that replaces Date.now (fake timers)
  // must not move the send times RedShip compares with its own.
  const clock = Date.now.bind(Date);
  const origin = location.origin;
  const channel = new MessageChannel();
  const port = channel.port1;
  window.postMessage({ __redship: 'hook-port' }, origin, [channel.port2]);

  // List answers (a 500-row page is 1.2 MB of text) do not travel in the port's messages: a
  // message is a copy, and that copy in the content scripts' heap made the page run a full garbage
  // collection in about every 500-row render (10 ms more of its main thread, measured). The text
  // is left in a Text node of a closed shadow root, which the isolated world reads without a copy
  // (chrome.dom.openOrClosedShadowRoot) and page scripts cannot reach; the port's message names
  // the node by an ID holding a secret the page never sees. The DOM calls are the ones taken here,
  // before any page script ran (a page that patches them later changes nothing of this). Used
  // once the bridge said over the port that it reads such nodes; until then, and whenever leaving
  // one fails, the text goes in the message.
  const answers = (() => {
    const P = (C, name) => C.prototype[name];
    const getter = (C, name) => Object.getOwnPropertyDescriptor(C.prototype, name).get;
    const dom = {
      createElement: P(Document, 'createElement'), createTextNode: P(Document, 'createTextNode'),
      attachShadow: P(Element, 'attachShadow'), setAttribute: P(Element, 'setAttribute'),
      append: P(Element, 'append'), appendTo: P(DocumentFragment, 'append'), remove: P(Element, 'remove'),
      root: getter(Document, 'documentElement'), connected: getter(Node, 'isConnected'),
      content: getter(HTMLTemplateElement, 'content'),
    };
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const secret = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    // Never rendered: each text is in a <template>'s content, which is inert whatever the page's
    // styles say (a style attribute would be refused by a page's CSP in this world).
    const host = dom.createElement.call(document, 'div');
    dom.setAttribute.call(host, 'data-redship', 'answers');
    dom.setAttribute.call(host, 'hidden', '');
    const root = dom.attachShadow.call(host, { mode: 'closed' });
    const left = []; // nodes left, oldest first: a bridge that stopped reading leaves at most MAX_LEFT
    const MAX_LEFT = 8;
    let seq = 0;
    let readable = false;
    port.addEventListener('message', (e) => { if (e.data?.answersInDom === true) readable = true; });
    port.start();
    return {
      /** Leaves `text` for the bridge → the node's ID for the port's message, or null. */
      leave(text) {
        if (!readable) return null;
        try {
          if (!dom.connected.call(host)) {
            const html = dom.root.call(document);
            if (!html) return null;
            dom.append.call(html, host);
          }
          const id = `a-${secret}-${(seq += 1)}`;
          const el = dom.createElement.call(document, 'template');
          dom.setAttribute.call(el, 'id', id);
          dom.appendTo.call(dom.content.call(el), dom.createTextNode.call(document, text));
          if (left.length >= MAX_LEFT) dom.remove.call(left.shift());
          dom.appendTo.call(root, el);
          left.push(el);
          return id;
        } catch {
          return null;
        }
      },
    };
  })();

  // What a URL is, parsed once per distinct URL string: the page asks the same few endpoints
  // again and again (a decrypt and a quota request per 查看 click), and parsing is page time.
  // `base` is the document's URL the relative ones were read against (the history API moves it).
  const seen = new Map(); // url → {base, path: same-site path or null}
  function sameSitePath(url) {
    const key = String(url);
    const base = location.href;
    let hit = seen.get(key);
    if (!hit || (hit.base !== base && !/^[a-z][a-z\d+.-]*:/i.test(key))) {
      let path = null;
      try {
        const u = new URL(key, base);
        path = u.origin === origin ? u.pathname : null;
      } catch { /* not a URL: nothing of ours */ }
      if (seen.size >= 256) seen.clear();
      seen.set(key, (hit = { base, path }));
    }
    return hit.path;
  }

  function kindOf(url) {
    const path = sameSitePath(url);
    return path === null ? null : kindByPath.get(path) || null;
  }

  const ID_RE = new RegExp(`^${site.packageIdPattern}$`);
  /** Bodies longer than this are not looked into (a decrypt request is a few keys). */
  const MAX_PROBE_CHARS = 4096;
  /** Answers longer than this are not parsed for their verdict. */
  const MAX_VERDICT_CHARS = 65536;

  /** The same-site path of `url`, or null. */
  const pathOf = sameSitePath;

  /** `{keys, idKeys}` of a JSON object body holding a package-ID-shaped value, else null. */
  function probe(body) {
    if (typeof body !== 'string' || !body || body.length > MAX_PROBE_CHARS || body[0] !== '{') return null;
    let obj;
    try { obj = parse(body); } catch { return null; }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return null;
    const keys = Object.keys(obj).slice(0, 32);
    const idKeys = keys.filter((k) => typeof obj[k] === 'string' && ID_RE.test(obj[k]));
    return idKeys.length ? { keys, idKeys } : null;
  }

  /** Reports a candidate request with its answer's verdict only. */
  function reportSent(path, probed, sentAt, text) {
    const answer = typeof text === 'string' && text.length <= MAX_VERDICT_CHARS ? jsonOrNull(text) : null;
    const verdict = answer && typeof answer === 'object'
      ? { ok: answer.success === true, code: Number.isSafeInteger(answer.code) ? answer.code : null, msg: typeof answer.msg === 'string' ? answer.msg.slice(0, 200) : '' }
      : { ok: null, code: null, msg: '' };
    port.postMessage({ kind: 'sent', payload: { path, keys: probed.keys, idKeys: probed.idKeys, sentAt, ...verdict } });
  }

  function jsonOrNull(text) {
    if (typeof text !== 'string' || !text) return null;
    try { return parse(text); } catch { return null; }
  }

  const pick = (obj, keys) => {
    const out = {};
    if (obj && typeof obj === 'object') for (const k of keys) if (k in obj) out[k] = obj[k];
    return out;
  };
  /** The numeric fields of an answer's `data` object (at most 16), or null when none. */
  function numbers(data) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
    const out = {};
    let n = 0;
    for (const k of Object.keys(data).slice(0, 32)) {
      const v = data[k];
      if (typeof v === 'number' && Number.isFinite(v) && k.length <= 64 && n < 16) { out[k] = v; n += 1; }
    }
    return n ? out : null;
  }

  // Small answers from paths the profile does not name, whose data carries numbers under
  // quota-like names (the profile's `quota.probe`), are offered as the quota endpoint: path and
  // numbers only. The core decides what they say; the privacy board confirms them.
  const QUOTA_PROBE = site.quota?.probe ? new RegExp(site.quota.probe, 'i') : null;
  const MAX_OFFER_CHARS = 4096;
  /** `answer`: the answer's text, or the object an XHR of responseType 'json' already parsed. */
  function offerQuota(path, answer) {
    if (typeof answer === 'string') {
      if (answer.length > MAX_OFFER_CHARS || answer[0] !== '{') return;
      answer = jsonOrNull(answer);
    }
    if (!answer || typeof answer !== 'object' || answer.success === false) return;
    const fields = numbers(answer.data);
    if (!fields || !Object.keys(fields).some((k) => QUOTA_PROBE.test(k))) return;
    port.postMessage({ kind: 'quotaOffer', payload: { path, fields } });
  }

  /** Answers passed on as text for the service worker to parse (see the header). */
  const LIST_KINDS = new Set(['orderPage', 'orderDetail']);
  /** Longer answers are not passed on: the worker's message limit would refuse them anyway. */
  const MAX_LIST_CHARS = 8 * 1024 * 1024;

  /** Reduces a small answer to what RedShip may know; null when there is nothing to report. */
  function summarize(kind, request, answer) {
    if (!answer || typeof answer !== 'object') return null;
    const ok = answer.success === true;
    const verdict = { ok, code: answer.code ?? null, msg: typeof answer.msg === 'string' ? answer.msg : '' };
    const data = answer.data;
    switch (kind) {
      case 'decrypt':
        // Plaintext name, phone and address are in `data`: deliberately not read.
        return { packageId: String(request?.package_id ?? ''), ...verdict };
      case 'quota': {
        // Every numeric field goes on: the core reads used and total by the words in their
        // names (the profile's `quota.answerKeys`), not by one guessed spelling.
        const fields = numbers(data);
        return ok && fields ? { fields, ...(typeof data.date === 'string' ? { date: data.date } : {}) } : null;
      }
      case 'deliver':
        return { packageId: String(request?.package_id ?? ''), expressCompanyCode: String(request?.express_company_code ?? ''), expressNo: String(request?.express_no ?? ''), ...verdict };
      case 'couriers':
        return ok && Array.isArray(data)
          ? { couriers: data.map((c) => ({ code: String(c?.express_company_code ?? ''), name: String(c?.express_company_name ?? '') })) }
          : null;
      default:
        return null;
    }
  }

  // Reports run as tasks of their own: an answer's listeners (the page's re-render among them) run
  // in one task, and RedShip's reading and posting must not lengthen it.
  const later = (fn) => setTimer(() => { try { fn(); } catch { /* never disturb the page */ } }, 0);

  /** `sentAt`: when the page sent the request (a list answer shows the platform no earlier). */
  function report(kind, requestBody, answerText, sentAt) {
    const request = jsonOrNull(requestBody) || {};
    if (LIST_KINDS.has(kind)) {
      if (typeof answerText !== 'string' || !answerText || answerText.length > MAX_LIST_CHARS) return;
      // The request body is a few bytes (page, size, status filter): it is reduced here.
      const reduced = pick(request, ['page_no', 'page_size', 'status']);
      const left = answers.leave(answerText);
      port.postMessage(left ? { kind, request: reduced, left, sentAt } : { kind, request: reduced, text: answerText, sentAt });
      return;
    }
    const summary = summarize(kind, request, jsonOrNull(answerText));
    if (summary) port.postMessage({ kind, payload: summary });
  }

  // Decrypt answers that have arrived but whose timer has not looked yet (see below) are reported
  // before any other answer. The page asks for its quota right after a decrypt answer, and that
  // quota answer already counts the decrypt: reported first, it would make the ledger take the
  // decrypt for one made after the number the page showed, and count it twice.
  let reportPolled = () => {};
  const reportSoon = (kind, body, text, sentAt) => later(() => { reportPolled(); report(kind, body, text, sentAt); });

  const origFetch = window.fetch;
  if (typeof origFetch === 'function') {
    window.fetch = function fetch(input, init) {
      const sentAt = clock();
      const promise = origFetch.apply(this, arguments);
      try {
        const url = typeof input === 'string' ? input : input?.url ?? String(input);
        const kind = kindOf(url);
        if (kind) {
          const bodyPromise = typeof init?.body === 'string' ? Promise.resolve(init.body)
            : input instanceof Request ? input.clone().text().catch(() => '') : Promise.resolve('');
          promise.then((res) => Promise.all([bodyPromise, res.clone().text()]))
            .then(([body, text]) => reportSoon(kind, body, text, sentAt), () => {});
        } else {
          const path = pathOf(url);
          const probed = path && typeof init?.body === 'string' ? probe(init.body) : null;
          if (probed) {
            promise.then((res) => res.clone().text())
              .then((text) => later(() => reportSent(path, probed, sentAt, text)), () => {});
          } else if (path && QUOTA_PROBE) {
            // Only small JSON answers are read (a declared length, when there is one, says so).
            promise.then((res) => {
              const type = res.headers.get('content-type') || '';
              const length = Number(res.headers.get('content-length') || 0);
              if (!type.includes('json') || length > MAX_OFFER_CHARS) return null;
              return res.clone().text();
            }).then((text) => { if (text) later(() => offerQuota(path, text)); }, () => {});
          }
        }
      } catch { /* never disturb the page */ }
      return promise;
    };
  }

  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    const answerText = (xhr) => (xhr.responseType === 'json' ? JSON.stringify(xhr.response)
      : (xhr.responseType === '' || xhr.responseType === 'text') ? xhr.responseText : '');

    // Decrypt answers are not listened for but looked for. A listener runs inside the task that
    // delivers the answer, the same task in which the page re-renders its list for it (often
    // about 50 ms with 500 rows), and even a tenth of a millisecond there can make that task
    // long. So sent decrypt requests are checked from timer tasks of their own, every POLL_MS
    // while any is in flight (a person cannot click 查看 faster), and once more when the page is
    // left, so a decrypt answered just before is still reported. Other answers keep `loadend`:
    // a fill run waits on the deliver answer, and the list answers arrive with renders far over
    // 50 ms anyway.
    const POLLED = new Set(['decrypt']);
    const POLL_MS = 20;
    /** A request still unanswered after this long is looked at less often (SLOW_POLL_MS). */
    const QUICK_FOR_MS = 3000;
    const SLOW_POLL_MS = 250;
    /** Sent, not yet reported: xhr → {kind, body, sentAt}. */
    const inFlight = new Map();
    /** Answered (`loadend`), not yet read and reported: xhr → its report (see `send`). */
    const unread = new WeakMap();
    let pollTimer = 0;
    const sweep = () => {
      for (const [xhr, { kind, body }] of inFlight) {
        // DONE: answered (or failed: an empty text reports nothing). UNSENT again: aborted.
        if (xhr.readyState !== 4 && xhr.readyState !== 0) continue;
        inFlight.delete(xhr);
        if (xhr.readyState === 4) {
          try { report(kind, body, answerText(xhr)); } catch { /* never disturb the page */ }
        }
      }
    };
    const poll = () => {
      pollTimer = 0;
      sweep();
      if (!inFlight.size) return;
      const now = clock();
      const quick = [...inFlight.values()].some((r) => now - r.sentAt < QUICK_FOR_MS);
      pollTimer = setTimer(poll, quick ? POLL_MS : SLOW_POLL_MS);
    };
    window.addEventListener('pagehide', sweep, true);
    reportPolled = sweep;

    XHR.prototype.open = function (method, url) {
      try { unread.get(this)?.(); } catch { /* never disturb the page */ }
      const sent = inFlight.get(this);
      if (sent) {
        // Opened again for another request: an answer not yet reported is read now, while it is
        // still there, and reported in a task of its own.
        inFlight.delete(this);
        if (this.readyState === 4) {
          const text = answerText(this);
          later(() => report(sent.kind, sent.body, text));
        }
      }
      try { this.__redshipKind = kindOf(url); } catch { this.__redshipKind = null; }
      try { this.__redshipPath = this.__redshipKind ? null : pathOf(url); } catch { this.__redshipPath = null; }
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function (body) {
      const kind = this.__redshipKind;
      const text = typeof body === 'string' ? body : '';
      if (kind && POLLED.has(kind)) {
        inFlight.set(this, { kind, body: text, sentAt: clock() });
        if (pollTimer) clearTimer(pollTimer);
        pollTimer = setTimer(poll, POLL_MS);
      } else if (kind) {
        const sentAt = clock();
        // The answer is read in the report's own task, not in the page's `load` task: an answer
        // the page asked as 'json' would be stringified there (hundreds of KB for a list). If
        // the page opens this request object again first, `open` reads it before it is reset.
        this.addEventListener('loadend', () => {
          const xhr = this;
          const run = () => {
            if (unread.get(xhr) !== run) return;
            unread.delete(xhr);
            reportPolled();
            report(kind, text, answerText(xhr), sentAt);
          };
          unread.set(xhr, run);
          later(run);
        });
      } else if (this.__redshipPath) {
        try {
          const probed = probe(text);
          if (probed) {
            const path = this.__redshipPath;
            const sentAt = clock();
            this.addEventListener('loadend', () => {
              const answer = answerText(this);
              later(() => reportSent(path, probed, sentAt, answer));
            });
          } else if (QUOTA_PROBE) {
            const path = this.__redshipPath;
            this.addEventListener('loadend', () => {
              // A parsed answer is looked into as it is (stringifying a large one would cost).
              const answer = this.responseType === 'json' ? this.response
                : this.responseType === '' || this.responseType === 'text' ? this.responseText : null;
              if (answer && (typeof answer !== 'string' || answer.length <= MAX_OFFER_CHARS)) later(() => offerQuota(path, answer));
            });
          }
        } catch { /* never disturb the page */ }
      }
      return send.apply(this, arguments);
    };
  }
})();
