// observe-orders: hands the order list/detail answers the workbench page receives (summaries from
// the page-world hook, see content/hook-main.js) and its successful shipments to the service
// worker, which collects pending packages for the transit warehouse. Buyer fields are masked in
// the core before anything is stored; this script only forwards, in arrival order, and never
// reads the DOM for buyer data.
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

  function forward(kind) {
    return (payload) => {
      const packages = Array.isArray(payload?.packages) ? payload.packages : null;
      if (!packages) return;
      // The list request (page, status filter) lets the core notice packages that left.
      const answer = { total: payload.total ?? null, packages };
      if (payload.request && typeof payload.request === 'object') answer.request = payload.request;
      chain = chain
        .then(async () => R.send('orders.ingest', { shop: await shopName(), kind, answer }))
        .then((res) => {
          if (res?.rejected?.length) console.warn('RedShip: packages not collected:', res.rejected);
        }, (e) => console.warn('RedShip: could not collect orders:', e.name, e.message));
    };
  }

  R.onHook('orderPage', forward('orderPage'));
  R.onHook('orderDetail', forward('orderDetail'));
  // A package the page just shipped leaves the list at once (a pending-tab list never shows it
  // again, and the page may only update its row locally).
  R.onHook('deliver', (payload) => {
    if (payload?.ok !== true || !R.isPackageId(payload.packageId)) return;
    chain = chain
      .then(async () => R.send('orders.shipped', { shop: await shopName(), packageId: payload.packageId }))
      .catch((e) => console.warn('RedShip: could not record a shipment:', e.name, e.message));
  });
})();
