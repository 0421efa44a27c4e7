// observe-orders: hands the order list/detail answers the workbench page receives (their text,
// from the page-world hook, see content/hook-main.js) and its successful shipments to the service
// worker, which parses them off the page's thread and collects pending packages for the transit
// warehouse. Buyer fields are masked in the core before anything is stored; this script only
// forwards, in arrival order (retried while the worker restarts), and never reads the DOM for
// buyer data. The worker's answer carries
// the list's package IDs and statuses, which the bridge gives the tab's `orderPage` listeners.
(() => {
  const R = globalThis.RedShip;
  if (!R) return;
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
      const res = await R.sendRetrying('orders.ingest', { shop: await shopName(), kind, request, text });
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
  function shownIds() {
    const table = document.querySelector(site.dom.table);
    if (!table) return [];
    return [...new Set(table.textContent.match(new RegExp(site.packageIdPattern, 'g')) || [])];
  }
  setInterval(async () => {
    const ids = onList() ? shownIds() : [];
    if (!ids.length || ids.some((id) => read.has(id)) || R.listsReading() > 0) {
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
    chain = chain
      .then(async () => R.sendRetrying('orders.shipped', { shop: await shopName(), packageId: payload.packageId }))
      .catch((e) => console.warn('RedShip: could not record a shipment:', e.name, e.message));
  });
})();
