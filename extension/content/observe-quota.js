// observe-quota: tells the service worker about every decrypt the page spends and every quota
// number the workbench shows, so the ledger counts exactly what the platform counts.
//
// Sources (all read, never called or changed):
// - the page-world hook's `decrypt` summaries: package ID + success or refusal. The plaintext
//   name, phone and address never reach this script (the hook drops them) and nothing here
//   reads the decrypted cells of the page;
// - its `quota` summaries: the numeric fields of the platform's own quota answer, and of small
//   answers from other paths whose field names look like a quota (offered as the quota
//   endpoint; the core decides, and the privacy board confirms);
// - the privacy board (隐私保护) itself: the text of blocks that name the quota (the profile's
//   words), read by the core in the forms a person writes.
// - what the page shows after the merchant clicks a row's 查看 control (text 查看, or an icon
//   whose title is 查看): when that row's buyer fields (found again by its package ID: rows
//   re-render) turn from masked (`*` in them) to plain, that is a decrypt of the package; a
//   toast (or the platform's refusal words) while the row stays masked is a refusal. Only
//   "masked or not" is checked: no buyer text is read into a message, stored or logged. When a
//   row turned plain and its decrypt was not recorded within a few seconds, the worker is told
//   (`quota.silent`) so the badge shows `?` instead of a number that may be wrong. The words
//   and timings are the core's (`quota.pageRules`).
// The reports go to the worker through the quota queue (content/quota-queue.js): in order,
// retried, held while the worker cannot save them, several in one message.
(() => {
  const R = globalThis.RedShip;
  const Memo = globalThis.RedShipRowMemo;
  const Queue = globalThis.RedShipQuotaQueue;
  if (!R || !Memo || !Queue || globalThis.__redshipObserveQuota) return;
  globalThis.__redshipObserveQuota = true;
  const site = R.site;
  const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
  const { deliver } = Queue;


  // The shop's name as the page shows it; while the top bar re-renders it may be missing for a
  // moment, and the host is no shop: keep the last name seen so counts never split in two.
  let knownShop = null;
  function shop() {
    const s = R.shop();
    if (s !== location.host) knownShop = s;
    return knownShop ?? s;
  }

  // ── decrypt answers ──────────────────────────────────────────────────────────────────────
  R.onHook('decrypt', (p) => {
    const atMs = Date.now();
    const packageId = typeof p.packageId === 'string' ? p.packageId.trim().slice(0, 64) : '';
    if (!packageId) {
      console.warn('RedShip: a decrypt answer without a package ID was ignored');
      return;
    }
    const ok = p.ok === true;
    const msg = typeof p.msg === 'string' ? p.msg : '';
    const quotaSpent = !ok && msg.includes(site.text.quotaSpent);
    deliver('quota.decrypt', { shop: shop(), packageId, ok, quotaSpent, atMs });
  });

  // ── decrypts seen on the page ────────────────────────────────────────────────────────────
  const ID_RE = new RegExp(site.packageIdPattern, 'g');
  const CODE_RE = /-200070\d/;
  const POLL_MS = 100;
  /** A toast is a refusal only if the row is still masked this long after it (a success toast
   *  may come just before the plain text). */
  const TOAST_GRACE_MS = 300;
  let rules = { refusalTexts: [site.text.quotaSpent], settleMs: 6000, silentMs: 5000 };
  let rulesAsked = false;
  /** The decrypt endpoint the core learned for this shop (its answers are decrypt answers). */
  let learnedPath = null;
  const takePath = (p) => { if (typeof p === 'string' && p.startsWith('/')) learnedPath = p; };
  function askRules() {
    if (rulesAsked) return;
    rulesAsked = true;
    R.sendRetrying('quota.pageRules', { shop: shop() }).then((r) => {
      if (r && Array.isArray(r.refusalTexts) && Number.isSafeInteger(r.settleMs) && Number.isSafeInteger(r.silentMs)) rules = r;
      takePath(r?.decryptPath);
    }, () => { rulesAsked = false; });
  }

  // Requests the page sent whose body held a package ID (the hook's `sent`: path, key names,
  // the answer's verdict; never a value), kept for SENT_KEEP_MS: the candidates of the decrypt
  // endpoint when a row turns plain.
  const SENT_KEEP_MS = 30000;
  const KNOWN_PATHS = new Set(Object.values(site.api));
  const sentLog = [];
  const names = (v) => (Array.isArray(v) ? v.filter((k) => typeof k === 'string' && k.length <= 64).slice(0, 32) : []);
  /** Recent 查看 clicks {id, atMs}, newest last: a learned path's answer belongs to the latest. */
  const clicks = [];
  R.onHook('sent', (p) => {
    if (typeof p.path !== 'string' || p.path.length > 200 || !Number.isFinite(p.sentAt)) return;
    const now = Date.now();
    while (sentLog.length && (now - sentLog[0].sentAt > SENT_KEEP_MS || sentLog.length > 50)) sentLog.shift();
    sentLog.push({ path: p.path, keys: names(p.keys), idKeys: names(p.idKeys), sentAt: p.sentAt });
    if (p.path !== learnedPath || typeof p.ok !== 'boolean') return;
    // The learned endpoint answered: a decrypt answer of the package last clicked just before.
    const click = clicks.filter((c) => c.atMs <= p.sentAt + 50 && p.sentAt - c.atMs <= rules.settleMs).at(-1);
    if (!click) return;
    const msg = typeof p.msg === 'string' ? p.msg : '';
    deliver('quota.decrypt', { shop: shop(), packageId: click.id, ok: p.ok, quotaSpent: !p.ok && msg.includes(site.text.quotaSpent), atMs: now });
  });

  /** The candidates of a decrypt clicked at `atMs`: requests sent since, not of a known kind. */
  function sentSince(atMs) {
    return sentLog.filter((r) => r.sentAt >= atMs - 50 && !KNOWN_PATHS.has(r.path)).slice(-8)
      .map(({ path, keys, idKeys }) => ({ path, keys, idKeys }));
  }

  /** The 查看 control the click landed in (its text, or its title), or null. Every click on the
   *  page comes here: it stops at the first ancestor whose text is longer than a control's. */
  function decryptControl(target) {
    let el = target?.nodeType === 1 ? target : target?.parentElement;
    for (let i = 0; el && el !== document.body && i < 6; el = el.parentElement, i++) {
      if (el.getAttribute('title') === site.text.decrypt) return el;
      if (el.childElementCount > 4) return null;
      const text = (el.textContent || '').trim();
      if (text === site.text.decrypt) return el;
      if (text.length > 16) return null;
    }
    return null;
  }

  /** The row of a control: its nearest ancestor whose text shows exactly one package ID. */
  function rowOf(control) {
    for (let el = control.parentElement; el && el !== document.body; el = el.parentElement) {
      const ids = new Set((el.textContent || '').match(ID_RE) || []);
      if (ids.size === 1) return { row: el, id: [...ids][0] };
      if (ids.size > 1) return null;
    }
    return null;
  }

  /** The index of the row's child holding `control` (the buyer's cell), or -1. */
  function cellIndex(row, control) {
    let el = control;
    while (el && el.parentElement !== row) el = el.parentElement;
    return el ? [...row.children].indexOf(el) : -1;
  }

  const masked = (el) => (el?.textContent || '').includes('*');

  /** The row showing `id` now (the clicked one if it is still there), or null. The list's rows
   *  are read through the row memo (content/row-memo.js): a poll that looks for a re-rendered
   *  row reads again only the rows that changed, not the text of all of them. */
  function findRow(w) {
    if (w.row.isConnected && (w.row.textContent || '').includes(w.id)) return w.row;
    const memoOf = Memo.reader();
    for (const tr of document.querySelectorAll(site.dom.row)) {
      const { ids } = Memo.text(memoOf(tr), tr);
      if (ids.length === 1 && ids[0] === w.id) return (w.row = tr);
    }
    return null;
  }

  /** The buyer part of the row: the clicked cell when it showed the masked fields, else the row. */
  function buyerPart(w, row) {
    const cell = w.cell >= 0 ? row.children[w.cell] : null;
    return cell || row;
  }

  const watches = new Map(); // packageId → {id, row, cell, atMs, toast}
  let pollTimer = 0;
  let toastObserver = null;

  /** A toast or the platform's refusal words added to the page: given to the latest watch. */
  function toastText(node) {
    if (node.nodeType !== 1) return null;
    const toast = node.matches(site.dom.toast) ? node : node.querySelector(site.dom.toast);
    const text = ((toast || node).textContent || '').trim();
    if (toast) return text.slice(0, 200);
    // Another element: only the platform's words themselves, never the text around them.
    return text.length <= 200 ? rules.refusalTexts.find((t) => text.includes(t)) ?? null : null;
  }
  // The toast observer's callback is an array's own (native) push, as in content/row-memo.js: a
  // 查看 click's re-render (often about 50 ms with 500 rows) runs no script of ours; the records
  // are read in the poll's task, and before a new click is followed (each toast goes to the watch
  // that was the latest when it came).
  const toastRecords = [];
  const toastDelivered = Array.prototype.push.bind(toastRecords);
  function readToasts() {
    if (toastObserver) toastRecords.push(toastObserver.takeRecords());
    for (const x of toastRecords.splice(0)) if (Array.isArray(x)) onMutations(x);
  }
  function onMutations(records) {
    for (const r of records) {
      for (const node of r.addedNodes) {
        const text = toastText(node);
        if (text === null) continue;
        const latest = [...watches.values()].filter((w) => !w.toast).at(-1);
        if (latest) latest.toast = { text, atMs: Date.now() };
      }
    }
  }

  function pageDecrypt(w, ok, toast) {
    const payload = { shop: shop(), packageId: w.id, ok, atMs: w.atMs };
    if (!ok && toast) {
      payload.msg = toast.text;
      const code = CODE_RE.exec(toast.text);
      if (code) payload.code = Number(code[0]);
    }
    if (!ok) {
      deliver('quota.pageDecrypt', payload);
      return;
    }
    // Plain text shown: the decrypt must be recorded within silentMs, else the worker is told.
    // Waiting behind earlier deliveries that the worker is taking one after another (clicks
    // faster than it records them) is not "not recorded": the wait goes on while the queue
    // moves; a queue that stands (a delivery held, a worker that does not answer) is.
    let settled = false;
    let timer = 0;
    const silent = () => {
      if (settled) return;
      const now = Date.now();
      const answeredAt = Queue.answeredAt();
      if (!Queue.holding() && now - answeredAt < rules.silentMs && answeredAt > w.atMs) {
        timer = setTimeout(silent, rules.silentMs - (now - answeredAt));
        return;
      }
      settled = true;
      const report = { shop: payload.shop, packageId: w.id, atMs: w.atMs };
      R.sendRetrying('quota.silent', report).catch(() => deliver('quota.silent', report));
    };
    timer = setTimeout(silent, rules.silentMs);
    const sent = sentSince(w.atMs);
    if (sent.length) payload.sent = sent;
    deliver('quota.pageDecrypt', payload, (result, answer) => {
      if (result === 'sent') {
        settled = true;
        clearTimeout(timer);
        takePath(answer?.decryptPath);
      } else {
        clearTimeout(timer);
        silent();
      }
    });
  }

  function poll() {
    pollTimer = 0;
    readToasts();
    const now = Date.now();
    for (const w of [...watches.values()]) {
      const row = findRow(w);
      const stillMasked = row ? masked(buyerPart(w, row)) : true;
      if (row && !stillMasked) {
        watches.delete(w.id);
        pageDecrypt(w, true);
      } else if (w.toast && now - w.toast.atMs >= TOAST_GRACE_MS) {
        watches.delete(w.id);
        pageDecrypt(w, false, w.toast);
      } else if (now - w.atMs > rules.settleMs) {
        watches.delete(w.id); // neither plain nor refused: nothing seen
      }
    }
    if (watches.size) pollTimer = setTimeout(poll, POLL_MS);
    else { toastObserver?.disconnect(); toastObserver = null; toastRecords.length = 0; }
  }

  document.addEventListener('click', (e) => {
    try {
      const control = decryptControl(e.target);
      if (!control) return;
      const found = rowOf(control);
      if (!found || watches.has(found.id)) return;
      const cell = cellIndex(found.row, control);
      const w = { id: found.id, row: found.row, cell, atMs: Date.now(), toast: null };
      // Only a masked row can be decrypted; the clicked cell is the buyer's when it is masked.
      if (!masked(buyerPart(w, found.row))) {
        if (!masked(found.row)) return;
        w.cell = -1;
      }
      askRules();
      readToasts(); // toasts of earlier clicks go to their watches, not to this one
      watches.set(w.id, w);
      clicks.push({ id: w.id, atMs: w.atMs });
      if (clicks.length > 20) clicks.shift();
      if (!toastObserver) {
        toastObserver = new MutationObserver(toastDelivered);
        toastObserver.observe(document.body, { childList: true, subtree: true });
      }
      if (!pollTimer) pollTimer = setTimeout(poll, POLL_MS);
    } catch (err) {
      console.warn('RedShip: a 查看 click was not followed:', err?.name, err?.message);
    }
  }, true);

  // ── the platform's quota answer, and answers offered as one ─────────────────────────────
  // Numbers only, with their field names: the core reads used and total by the names.
  const fieldsOf = (f) => {
    const out = {};
    if (f && typeof f === 'object') for (const [k, v] of Object.entries(f).slice(0, 16)) if (Number.isFinite(v) && k.length <= 64) out[k] = v;
    return Object.keys(out).length ? out : null;
  };
  R.onHook('quota', (p) => {
    const fields = fieldsOf(p.fields);
    if (!fields) return;
    const payload = { shop: shop(), source: 'api', atMs: Date.now(), fields };
    if (typeof p.date === 'string' && DAY_RE.test(p.date)) payload.day = p.date;
    deliver('quota.read', payload);
  });
  const offered = new Map(); // path → what it last said, so a page polling it is not re-sent
  R.onHook('quotaOffer', (p) => {
    const fields = fieldsOf(p.fields);
    if (!fields || typeof p.path !== 'string' || !p.path.startsWith('/') || p.path.length > 200) return;
    const key = JSON.stringify(fields);
    const last = offered.get(p.path);
    if (last && last.key === key && Date.now() - last.atMs < 60_000) return;
    offered.set(p.path, { key, atMs: Date.now() });
    deliver('quota.read', { shop: shop(), source: 'answer', atMs: Date.now(), path: p.path, fields });
  });

  // ── the privacy board, read from the page ────────────────────────────────────────────────
  // Blocks whose text names the quota (the profile's `quota.boardWords`) and holds a number go
  // to the core as text, which reads them in the forms a person writes (已用 3 / 20, 剩余 17 次,
  // 共 20 次 …); the text is read there and never stored. The statistic blocks first; without
  // them, the smallest elements that name the quota.
  const WORDS = Object.values(site.quota?.boardWords || {}).flat().filter((w) => typeof w === 'string' && w.length > 1);
  const MAX_BLOCK_CHARS = 400;
  const namesQuota = (text) => /[0-9０-９]/.test(text) && WORDS.some((w) => text.includes(w));
  const clean = (text) => text.replace(/\s+/g, ' ').trim();

  /** The blocks' texts that name the quota, or []. */
  function boardTexts() {
    const blocks = [...document.querySelectorAll(site.dom.statistic)]
      .map((el) => clean(el.textContent || '')).filter((t) => t.length <= MAX_BLOCK_CHARS && namesQuota(t));
    if (blocks.length) return [...new Set(blocks)].slice(0, 3);
    const found = [];
    const walk = (el) => {
      const text = el.textContent || '';
      if (!namesQuota(text)) return false;
      let inner = false;
      for (const child of el.children) inner = walk(child) || inner;
      if (!inner && text.length <= MAX_BLOCK_CHARS) found.push(clean(text));
      return inner || text.length <= MAX_BLOCK_CHARS;
    };
    if (document.body) walk(document.body);
    // The smallest elements that hold a label with a number (a card `已用` | `3` as a whole).
    return [...new Set(found)].slice(0, 6);
  }

  let lastBoard = '';
  let timer = 0;
  function scanBoard() {
    timer = 0;
    if (!location.pathname.startsWith(site.routes.privacy)) return;
    // Cards apart (已用 3 | 总额度 20) are read together: the core takes each number with the
    // label just before it, and numbers that disagree read as nothing.
    const text = boardTexts().join('\n').slice(0, MAX_BLOCK_CHARS);
    if (!text || text === lastBoard) return;
    lastBoard = text;
    deliver('quota.read', { shop: shop(), source: 'board', atMs: Date.now(), text });
  }

  // Watching the whole document costs the page: a 500-row list render makes tens of thousands of
  // mutation records, each handed to this script. So the observer runs only while the privacy
  // board's route is shown; the workbench changes routes without loading (history API), which
  // the Navigation API reports to every world. Without that API it watches all the time.
  const onPrivacy = () => location.pathname.startsWith(site.routes.privacy);
  const observer = new MutationObserver(() => {
    if (!timer && onPrivacy()) timer = setTimeout(scanBoard, 300);
  });
  let observing = false;
  function follow() {
    const want = !globalThis.navigation || onPrivacy();
    if (want && !observing) observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    if (!want && observing) observer.disconnect();
    observing = want;
    if (want) scanBoard();
  }
  const start = () => {
    globalThis.navigation?.addEventListener('currententrychange', follow);
    follow();
  };
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start, { once: true });
})();
