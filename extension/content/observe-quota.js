// observe-quota: tells the service worker about every decrypt the page spends and every quota
// number the workbench shows, so the ledger counts exactly what the platform counts.
//
// Sources (all read, never called or changed):
// - the page-world hook's `decrypt` summaries: package ID + success or refusal. The plaintext
//   name, phone and address never reach this script (the hook drops them) and nothing here
//   reads the decrypted cells of the page;
// - its `quota` summaries: the platform's own {date, daily_quota, used} answer;
// - the privacy board (隐私保护) itself, as a fallback when no answer was seen: a `d-statistic`
//   block whose text says 已用 and shows "used / total".
// Messages go out one at a time, in order, and are retried while the worker restarts, and kept
// and sent again while it cannot save them (a full disk), so a decrypt seen is a decrypt counted
// (the ledger drops an exact repeat of the same delivery).
(() => {
  const R = globalThis.RedShip;
  if (!R || globalThis.__redshipObserveQuota) return;
  globalThis.__redshipObserveQuota = true;
  const site = R.site;
  const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
  let chain = Promise.resolve();


  // The shop's name as the page shows it; while the top bar re-renders it may be missing for a
  // moment, and the host is no shop: keep the last name seen so counts never split in two.
  let knownShop = null;
  function shop() {
    const s = R.shop();
    if (s !== location.host) knownShop = s;
    return knownShop ?? s;
  }
  const count = (v) => {
    const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  };

  // Deliveries the worker could not save (its storage full — it has told the user — or a write
  // failing), or did not answer through all the retries, wait here, oldest first, and go again
  // every HOLD_MS until saved; later ones queue behind them, so the order holds. The ledger drops
  // an exact repeat of a delivery, so sending one again never counts twice. Only a refusal (a
  // report the worker will never take) is dropped, with a warning.
  const HOLD_MS = 15000;
  const held = [];
  let holdTimer = 0;
  const unsaved = (e) => e?.name === 'VaultError' && (e.code === 'StorageFull' || e.code === 'StorageError');

  /** Sends one delivery, retrying while the worker is (re)starting: 'sent', 'unsaved' (to hold) or 'refused'. */
  async function sendOne(type, payload) {
    try {
      await R.sendRetrying(type, payload);
      return 'sent';
    } catch (e) {
      // Out of reach for long, but still installed (not reloaded away from this page): later.
      if (unsaved(e) || (R.isTransient(e) && chrome.runtime?.id)) return 'unsaved';
      console.warn(`RedShip: ${type} was not recorded:`, e?.name, e?.message);
      return 'refused';
    }
  }

  /** Sends what is held, oldest first, until one still cannot be saved. */
  function flush() {
    chain = chain.then(async () => {
      clearTimeout(holdTimer);
      holdTimer = 0;
      while (held.length) {
        if ((await sendOne(...held[0])) === 'unsaved') {
          holdTimer ||= setTimeout(flush, HOLD_MS);
          return;
        }
        held.shift();
      }
    });
    return chain;
  }

  /** Queues a delivery behind any held one and sends what waits, in order. */
  function deliver(type, payload) {
    held.push([type, payload]);
    return flush();
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

  // ── the platform's quota answer ──────────────────────────────────────────────────────────
  let lastAnswer = null; // {used, dailyQuota} as the page's last quota answer said
  R.onHook('quota', (p) => {
    const used = count(p.used);
    const dailyQuota = count(p.daily_quota);
    if (used === undefined && dailyQuota === undefined) return;
    lastAnswer = { used, dailyQuota };
    const payload = { shop: shop(), source: 'api', atMs: Date.now() };
    if (typeof p.date === 'string' && DAY_RE.test(p.date)) payload.day = p.date;
    if (used !== undefined) payload.used = used;
    if (dailyQuota !== undefined) payload.dailyQuota = dailyQuota;
    deliver('quota.shown', payload);
  });

  // ── the privacy board, read from the page ────────────────────────────────────────────────
  const PAIR_RE = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

  /** `{used, dailyQuota}` from a statistic block saying 已用 … "a / b", or null. */
  function readBoard() {
    for (const block of document.querySelectorAll(site.dom.statistic)) {
      const text = block.textContent || '';
      if (!text.includes(site.text.quotaUsedLabel) || !text.includes(site.text.quotaTotalLabel)) continue;
      // The used count comes first when the label names 已用 before 额度.
      const usedFirst = text.indexOf(site.text.quotaUsedLabel) < text.indexOf(site.text.quotaTotalLabel);
      for (const el of block.querySelectorAll('*')) {
        const m = PAIR_RE.exec(el.textContent || '');
        if (!m) continue;
        const [a, b] = [Number(m[1]), Number(m[2])];
        return usedFirst ? { used: a, dailyQuota: b } : { used: b, dailyQuota: a };
      }
    }
    return null;
  }

  let lastBoard = '';
  let timer = 0;
  function scanBoard() {
    timer = 0;
    if (!location.pathname.startsWith(site.routes.privacy)) return;
    const board = readBoard();
    if (!board) return;
    const key = `${board.used}/${board.dailyQuota}`;
    if (key === lastBoard) return;
    lastBoard = key;
    // The board shows the quota answer the page received: when the hook saw that same answer,
    // it has been recorded already (at its own, earlier time).
    if (lastAnswer && lastAnswer.used === board.used && lastAnswer.dailyQuota === board.dailyQuota) return;
    deliver('quota.shown', { shop: shop(), source: 'board', atMs: Date.now(), ...board });
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
