// observe-order: hands the order list/detail answers the workbench page receives (their text,
// from the page-world hook, see content/hook-main.js) and its successful shipments to the service
// worker, which parses them off the page's thread and collects pending packages for the transit
// warehouse. Buyer fields are masked in the core before anything is stored; this script only
// forwards, in arrival order (retried while the worker restarts), and never reads the DOM for
// buyer data (of the list's rows it reports only each package ID and whether the row has a 发货
// control). The worker's answer carries
// the list's package IDs and statuses, which the bridge gives the tab's `orderPage` listeners.
(() => {
  const R = globalThis.RedShip;
  const Memo = globalThis.RedShipRowMemo;
  if (!R || !Memo) return;
  let chain = Promise.resolve();

  // The shop name shows in the page's top bar; the first answer can arrive before it renders.
  // Wait a little for it (once per page) so one shop's orders are not split between its name
  // and the site's host; a page that never shows a name is then not slowed down again.
  let waited = false;
  async function shopName() {
    let name = R.shop();
    if (name !== location.host || waited) return name;
    for (let i = 0; i < 20 && name === location.host; i++) {
      await new Promise((r) => setTimeout(r, 100));
      name = R.shop();
    }
    waited = true;
    return name;
  }

  R.relayLists((kind, { request, text }) => {
    const done = chain.then(async () => {
      // The list request (page, status filter) lets the core notice packages that left.
      const res = await R.sendRetrying('order.ingest', { shop: await shopName(), kind, request, text });
      if (res?.error) console.warn('RedShip: could not collect orders:', res.error.name, res.error.message);
      if (res?.ingest?.rejected?.length) console.warn('RedShip: packages not collected:', res.ingest.rejected);
      for (const p of res?.summary?.packages || []) if (R.isPackageId(p?.packageId)) read.add(p.packageId);
      return res?.summary ?? null;
    });
    chain = done.catch(() => {}); // the bridge reports a failure; later answers still go
    return done;
  });
  // Silent failure made loud: the list shows rows with package IDs, yet none of them came in an
  // answer RedShip could read (the answers changed shape, or go to a path the profile does not
  // name). After a few seconds of that, the worker is told: its self-check turns red and the badge
  // says `?`. Only IDs are compared; no buyer text is read.
  const site = R.site;
  const read = new Set(); // package IDs the worker read from this page's answers
  const UNREAD_MS = 5000;
  let unreadSince = 0;
  let told = false;
  const onList = () => location.pathname.startsWith(site.routes.orderListPrefix);
  // The table's IDs are read again only when the page changed since (content/row-memo.js).
  let shown = { table: null, version: null, ids: [] };
  function shownIds() {
    const table = document.querySelector(site.dom.table);
    if (!table) return [];
    const version = Memo.version();
    if (version === null || table !== shown.table || version !== shown.version) {
      shown = { table, version, ids: [...new Set(table.textContent.match(new RegExp(site.packageIdPattern, 'g')) || [])] };
    }
    return shown.ids;
  }
  // The third "waiting to ship" signal: which rows of the list show a 发货 control. Each row's
  // package ID and that one fact (nothing else from the row; the selectors are the profile's, via
  // ship-dom.js) go to the worker, whose core compares it with what the answers said. Only rows
  // of packages the worker has read from this page's answers, once a row looked the same on two
  // scans in a row (a row mid-render is not), and again only when it changes; sent in the order
  // of the answers and shipments before them (a row the page just shipped has lost its 发货).
  const rowsSent = new Map(); // packageId -> shipControl last sent
  // Orders this page shipped: their rows lose 发货, which says nothing new (the worker knows), and
  // reporting them during a run would read the whole snapshot in the worker every few seconds.
  const shippedHere = new Set();
  let lastScan = new Map();
  /** [{id, ship}] of the list's rows showing one package ID, as ship-dom's `listRows` and
   *  `shipControl` read them; a row is read again only when it changed (content/row-memo.js). */
  function listFacts(D) {
    const out = [];
    const memoOf = Memo.reader();
    for (const table of document.querySelectorAll(site.dom.table)) {
      for (const row of table.querySelectorAll(site.dom.row)) {
        const memo = memoOf(row);
        const fact = (memo.order ??= readRow(D, row, memo));
        if (fact) out.push(fact);
      }
    }
    return out;
  }
  /** {id, ship} of a row, or false (no cell, or not exactly one package ID). */
  function readRow(D, row, memo) {
    const { ids } = Memo.text(memo, row);
    if (ids.length !== 1 || !row.querySelector('td')) return false;
    return { id: ids[0], ship: Boolean(D.shipControl(row)) };
  }
  /** Sends what changed; returns the rows' facts (package ID → 发货 shown), or null. */
  function scanRows() {
    const D = globalThis.RedShipShipDom;
    if (!D || !onList() || R.listsReading() > 0) {
      lastScan = new Map();
      return null;
    }
    const now = new Map();
    for (const { id, ship } of listFacts(D)) now.set(id, ship);
    const rows = [...now].filter(([id, ship]) => read.has(id) && lastScan.get(id) === ship && rowsSent.get(id) !== ship && (ship || !shippedHere.has(id)))
      .slice(0, 2000).map(([packageId, shipControl]) => ({ packageId, shipControl }));
    lastScan = now;
    if (!rows.length) return now;
    for (const r of rows) rowsSent.set(r.packageId, r.shipControl);
    chain = chain
      .then(async () => R.sendRetrying('order.rows', { shop: await shopName(), rows }))
      .catch((e) => {
        for (const r of rows) if (rowsSent.get(r.packageId) === r.shipControl) rowsSent.delete(r.packageId); // sent again
        console.warn('RedShip: list rows not recorded:', e?.name, e?.message);
      });
    return now;
  }

  setInterval(async () => {
    const facts = scanRows();
    // A row showing a package the worker read settles it: the table's whole text is read (for
    // the IDs anywhere in it) only when none does.
    const rowRead = Boolean(facts) && [...facts.keys()].some((id) => read.has(id));
    // An answer still being read settles it too, before the table's text is read for nothing.
    const ids = onList() && !rowRead && R.listsReading() === 0 ? shownIds() : [];
    if (rowRead || !ids.length || ids.some((id) => read.has(id)) || R.listsReading() > 0) {
      unreadSince = 0;
      told = false;
      return;
    }
    unreadSince ||= Date.now();
    if (told || Date.now() - unreadSince < UNREAD_MS) return;
    told = true;
    R.send('selfcheck.unread', { shop: await shopName(), rows: ids.length, atMs: unreadSince })
      .catch(() => { told = false; });
  }, 2000);

  // A package the page just shipped leaves the list at once (a pending-tab list never shows it
  // again, and the page may only update its row locally).
  R.onHook('deliver', (payload) => {
    if (payload?.ok !== true || !R.isPackageId(payload.packageId)) return;
    shippedHere.add(payload.packageId);
    chain = chain
      .then(async () => R.sendRetrying('order.shipped', { shop: await shopName(), packageId: payload.packageId }))
      .catch((e) => console.warn('RedShip: could not record a shipment:', e.name, e.message));
  });
})();
