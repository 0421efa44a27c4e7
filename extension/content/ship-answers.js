// What the page told the ship filler, as the page-world hook saw it: its answers to 确定 (the
// deliver call), the statuses in its order list answers (and when each list was requested), and
// the courier list its dialogs load. The filler asks here whether an order's 确定 has been
// answered and whether a list fresh enough to settle it has come. It also passes the couriers on
// to the worker (the orders a list showed, the worker keeps from the list answer it read).
// Classic script, isolated world; exposes `globalThis.RedShipShipAnswers` for content/ship.js.
(() => {
  const R = globalThis.RedShip;
  const D = globalThis.RedShipShipDom;
  if (!R || !D || globalThis.RedShipShipAnswers) return;
  let listWaitingOnly = false; // the last list asked for waiting orders only (the core read its filter)
  let listAnswers = 0; // list answers received: the rows may have changed since the last reading
  const delivered = new Map(); // packageId -> {ok, msg, at}: the page's answers to 确定
  const listed = new Map(); // packageId -> {state, at}: its state in the newest list, requested at `at`
  const clicked = new Map(); // packageId -> when 确定 was pressed in this page

  R.onHook('deliver', (p) => {
    if (typeof p?.packageId !== 'string') return;
    delivered.set(p.packageId, { ok: p.ok === true, msg: String(p.msg || ''), at: Date.now() });
    D.wake(); // an answer touches no node: whoever waits for it looks now
  });

  // The shop's name renders after the first answers may arrive: wait briefly for it, so records
  // are not filed under the site's host.
  async function shopName() {
    for (let i = 0; i < 20 && R.shop() === location.host; i++) await D.sleep(100);
    return R.shop();
  }

  // Every dialog loads the courier list: only a list that differs from the last one sent goes.
  let sentCouriers = '';
  R.onHook('couriers', async (p) => {
    if (!Array.isArray(p?.couriers)) return;
    const couriers = p.couriers.slice(0, 500);
    const text = JSON.stringify(couriers);
    if (text === sentCouriers) return;
    sentCouriers = text;
    R.send('ship.couriers', { shop: await shopName(), couriers }).catch(() => { sentCouriers = ''; });
  });

  R.onHook('orderPage', (p) => {
    listAnswers += 1;
    listWaitingOnly = p?.waitingOnly === true;
    // `state` is the core's reading of the code and the text through the site profile:
    // 'waiting', 'shipped', 'cancelled' or 'unclear'.
    for (const x of Array.isArray(p?.packages) ? p.packages : []) {
      if (!R.isPackageId(x?.packageId) || listed.get(x.packageId)?.at > p.sentAt) continue; // an older list, late
      listed.set(x.packageId, { state: String(x.state), at: p.sentAt });
    }
    // The worker keeps the orders the list showed itself (it read this answer): nothing goes back.
  });

  // A list answer read (or given up on) may be the one a wait is for.
  R.onHook('listsRead', () => D.wake());

  const pressedAt = (id) => clicked.get(id) ?? 0;
  /** The page's answer {ok, msg, at} to the last 确定 pressed here for `id`, once it has come. */
  function answered(id) {
    const d = delivered.get(id);
    return d && d.at >= pressedAt(id) ? d : null;
  }

  globalThis.RedShipShipAnswers = Object.freeze({
    shopName,
    /** How many list answers have come: the rows may have changed since a reading at another count. */
    listAnswers: () => listAnswers,
    /** Notes that 确定 is being pressed for `id` now (an older answer no longer counts); returns when. */
    pressing(id) {
      delivered.delete(id);
      const at = Date.now();
      clicked.set(id, at);
      return at;
    },
    /** 确定 was pressed in this page for `id` and the page has not answered it yet. */
    inFlight: (id) => clicked.has(id) && !answered(id),
    answered,
    /** The page answered 确定 for an order other than `id` since `since`: a toast may be its. */
    othersAnswered: (id, since) => [...delivered].some(([k, v]) => k !== id && v.at >= since),
    /**
     * `id`'s state in a list requested after its 确定 was pressed here, or null. An answer that
     * merely arrived after the click may have been asked for before it (the page reloads its list
     * after each shipment) and show the order still waiting when it is not.
     */
    freshStatus(id) {
      const s = listed.get(id);
      return s && s.at > pressedAt(id) ? s.state : null;
    },
    /** A list of waiting orders only was requested after `id`'s 确定: one it lacks no longer waits. */
    waitingListSince(id) {
      return listWaitingOnly && [...listed.values()].some((s) => s.at > pressedAt(id));
    },
  });
})();
