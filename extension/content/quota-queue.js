// quota-queue: the road of the quota reports (observe-quota's decrypts, refusals, quota numbers
// and board readings) to the service worker. A decrypt seen must be a decrypt counted, so:
// - reports go in order, one message at a time, retried while the worker restarts;
// - a report the worker could not save (its storage full — it has told the user — or a write
//   failing), or that went unanswered through all the retries, is held and sent again, oldest
//   first, every HOLD_MS until saved; later ones queue behind it, so the order holds. The ledger
//   drops an exact repeat of a delivery, so sending one again never counts twice. Only a refusal
//   (a report the worker will never take) is dropped, with a warning;
// - reports that come within GATHER_MS of one another, or while one is on its way, go together in
//   one `quota.batch` (a 查看 click makes three): each message and its answer is work on the
//   page's main thread.
//
// Classic script, isolated world, after bridge.js; exposes `globalThis.RedShipQuotaQueue` (no
// rules: what a report says is observe-quota's, what it counts is the core's).
(() => {
  const R = globalThis.RedShip;
  if (!R || globalThis.RedShipQuotaQueue) return;
  let chain = Promise.resolve();

  // Held deliveries, oldest first: [type, payload, done, queuedAtMs].
  const HOLD_MS = 15000;
  const held = [];
  let holdTimer = 0;
  const unsaved = (e) => e?.name === 'VaultError' && (e.code === 'StorageFull' || e.code === 'StorageError');

  /** What became of a delivery the worker did not take: 'unsaved' (to hold) or 'refused'. */
  function failed(type, e) {
    // Out of reach for long, but still installed (not reloaded away from this page): later.
    if (unsaved(e) || (R.isTransient(e) && chrome.runtime?.id)) return 'unsaved';
    console.warn(`RedShip: ${type} was not recorded:`, e?.name, e?.message);
    return 'refused';
  }

  /** At most this many deliveries go in one batch (the catalogue's limit for `quota.batch`). */
  const BATCH_MAX = 32;
  /** When the worker last took a delivery (observe-quota's `pageDecrypt`: a queue that moves is not silent). */
  let answeredAt = 0;

  /** Sends the oldest held deliveries, several in one batch when several wait (retried while the
   *  worker is (re)starting): [{result: 'sent' | 'unsaved' | 'refused', answer}], in order, one
   *  per delivery the worker got to; it stops at the first it could not save. */
  let batches = true; // false once the worker refused a batch: one at a time from then on
  async function sendSome() {
    const items = held.slice(0, batches ? BATCH_MAX : 1);
    if (items.length === 1) {
      const [type, payload] = items[0];
      try {
        return [{ result: 'sent', answer: await R.sendRetrying(type, payload) }];
      } catch (e) {
        return [{ result: failed(type, e), answer: null }];
      }
    }
    let res;
    try {
      res = await R.sendRetrying('quota.batch', { items: items.map(([type, payload]) => ({ type, payload })) });
    } catch (e) {
      // The batch as a whole: the worker out of reach (held), or the batch refused — then its
      // deliveries go again one at a time, each taken or refused on its own.
      if (failed('quota.batch', e) === 'unsaved') return [{ result: 'unsaved', answer: null }];
      batches = false;
      return sendSome();
    }
    const out = [];
    for (const [i, r] of (Array.isArray(res?.results) ? res.results : []).slice(0, items.length).entries()) {
      if (r?.ok) out.push({ result: 'sent', answer: r.data ?? null });
      else out.push({ result: failed(items[i][0], Object.assign(new Error(r?.error?.message || 'failed'), { name: r?.error?.name || 'Error', code: r?.error?.code ?? null })), answer: null });
    }
    return out;
  }

  // A 查看 click makes three reports within about 150 ms (the decrypt answer, the quota answer
  // the page asks right after, the row turning plain): the first waits GATHER_MS for the others,
  // so they go as one message. Leaving the page sends at once what waits.
  const GATHER_MS = 200;
  let gatherTimer = 0;
  let gatherWake = null;
  const gather = (ms) => new Promise((resolve) => {
    gatherWake = resolve;
    gatherTimer = setTimeout(resolve, ms);
  });
  const gatherNow = () => { clearTimeout(gatherTimer); gatherWake?.(); };
  window.addEventListener('pagehide', gatherNow, true);

  /** Sends what is held, oldest first, until one still cannot be saved. */
  function flush() {
    chain = chain.then(async () => {
      clearTimeout(holdTimer);
      holdTimer = 0;
      while (held.length) {
        const wait = GATHER_MS - (Date.now() - held[0][3]);
        if (wait > 0 && held.length < BATCH_MAX) await gather(wait);
        gatherWake = null;
        const results = await sendSome();
        for (const { result, answer } of results) {
          if (result === 'unsaved') {
            holdTimer ||= setTimeout(flush, HOLD_MS);
            return;
          }
          if (result === 'sent') answeredAt = Date.now();
          const [, , done] = held.shift();
          done?.(result, answer);
        }
        // A batch answer that names none of its deliveries: one at a time from then on.
        if (!results.length) batches = false;
      }
    });
    return chain;
  }

  /** Queues a delivery behind any held one and sends what waits, in order; `done(result)` once
   *  it was sent ('sent') or refused ('refused'). */
  function deliver(type, payload, done) {
    held.push([type, payload, done, Date.now()]);
    if (held.length >= BATCH_MAX) gatherNow();
    return flush();
  }

  globalThis.RedShipQuotaQueue = Object.freeze({
    /** Queues a report `type` (`quota.decrypt`, `quota.read`, …) behind any held one and sends
     *  what waits, in order; `done(result, answer)` once it was sent ('sent', with the worker's
     *  answer) or refused ('refused'). */
    deliver,
    /** When the worker last took a report (ms since the epoch; 0: not yet). */
    answeredAt: () => answeredAt,
    /** True while reports wait for the worker to be able to save them. */
    holding: () => Boolean(holdTimer),
  });
})();
