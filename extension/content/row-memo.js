// row-memo: what the content scripts read off the order list's rows, read once per change of a
// row. A 500-row list is re-read by list-help (after each re-render) and observe-order (every
// 2 s): reading every row's text each time cost the page tens of milliseconds per render and
// per decrypt click. Here one MutationObserver, on while an order-list route is shown, drops the
// memo of a row whenever anything inside it changes (nodes, text, or the attributes the profile's
// selectors read, found in the profile), so a memo always says what a fresh read would say; list-help
// is told that the list changed FOLLOW_MS after a batch, from a timer of ours (no script of ours
// runs in the page's own re-render tasks, see below). Off the list routes nothing is watched and
// nothing is kept: every read is fresh.
//
// Classic script, isolated world; exposes `globalThis.RedShipRowMemo` (no page state, no rules).
(() => {
  const site = globalThis.REDSHIP_SITE;
  if (!site || globalThis.RedShipRowMemo) return;
  const ROW = site.dom.row;
  // The attributes the profile's selectors read (`.x` reads class, `#x` id, `[name…]` name), taken
  // from the profile itself: a selector corrected to read another attribute is watched too.
  const selectors = JSON.stringify(site.dom);
  const ATTRS = new Set(['class', ...[...selectors.matchAll(/\[\s*([\w-]+)/g)].map((m) => m[1])]);
  if (/#[A-Za-z_-]/.test(selectors)) ATTRS.add('id');
  const WATCH = { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: [...ATTRS] };
  const onList = () => location.pathname.startsWith(site.routes.orderListPrefix);

  let memo = new WeakMap(); // row element → {} the readers fill
  let batches = 0; // mutation batches seen while watching
  let observer = null;
  let alarm = null; // arms the listeners' timer (see below)
  let observed = null; // the <body> watched
  const listeners = new Set(); // called after each batch that added, removed or changed text
  // The observers' callbacks run inside the page's task that changed the DOM (a 500-row
  // re-render, a 查看 click's re-render), so both are native functions and no script of ours runs
  // there (a script callback counted as ours in that task made two 50 ms tasks long in the bench's
  // 100 clicks). The memo's is the array's own push: `push(records, observer)` also pushes the
  // observer, so only arrays are records, applied when a reader reads or by the listeners' timer.
  // The second observer's is setTimeout bound to `tick`: each batch arms one timer, FOLLOW_MS on
  // (a timer that looked every FOLLOW_MS while the list was shown ran 5 tasks a second for nothing).
  const delivered = [];
  const deliver = Array.prototype.push.bind(delivered);
  const ALARM = { childList: true, subtree: true, characterData: true };
  /** Applies the records delivered and not yet applied. */
  function applyDelivered() {
    if (!delivered.length) return;
    for (const x of delivered.splice(0)) if (Array.isArray(x)) drop(x);
  }
  /** The listeners are told this long after a batch (a render's batches come as one). */
  const FOLLOW_MS = 200;
  let followTimer = 0;

  /** Drops the memo of every row (and row around it) a record touched; tells the listeners. */
  function drop(records) {
    let content = false;
    let last = null;
    for (const r of records) {
      if (r.type !== 'attributes') content = true;
      if (r.target === last) continue; // a row's patch makes several records on one node
      last = r.target;
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      for (let row = el?.closest(ROW); row; row = row.parentElement?.closest(ROW)) memo.delete(row);
    }
    batches += 1;
    if (content) for (const fn of listeners) fn();
  }

  /** True while the memo holds: on a list route, watched, every change so far applied. */
  function watching() {
    const body = document.body;
    if (!onList() || !body) {
      observer?.disconnect();
      alarm?.disconnect();
      observer = alarm = observed = null;
      delivered.length = 0;
      return false;
    }
    if (observed !== body) {
      observer?.disconnect();
      alarm?.disconnect();
      delivered.length = 0;
      memo = new WeakMap(); // nothing was watched meanwhile: start over
      batches += 1;
      observer = new MutationObserver(deliver);
      observer.observe(body, WATCH);
      alarm = new MutationObserver(setTimeout.bind(globalThis, tick, FOLLOW_MS));
      alarm.observe(body, ALARM);
      observed = body;
    } else {
      applyDelivered();
      const pending = observer.takeRecords(); // changes not delivered yet
      if (pending.length) drop(pending);
    }
    return true;
  }

  /** Applies what was delivered, which tells the listeners of any change. */
  function tick() {
    followTimer = 0;
    if (listeners.size) watching();
  }

  // Leaving the list (the workbench changes routes without loading) stops the watching at once;
  // coming back with a listener starts it.
  globalThis.navigation?.addEventListener('currententrychange', () => {
    if (!onList() || listeners.size) watching();
    if (listeners.size && onList() && !followTimer) followTimer = setTimeout(tick, FOLLOW_MS);
  });

  const fresh = () => ({});
  const kept = (row) => {
    let m = memo.get(row);
    if (!m) memo.set(row, (m = {}));
    return m;
  };

  const ID_RE = new RegExp(site.packageIdPattern, 'g');

  globalThis.RedShipRowMemo = Object.freeze({
    /** What the row's text shows, read once for every reader and kept in its memo `m`:
     *  {ids: the distinct package IDs in it, masked: whether it holds a `*`}. The text itself
     *  is not kept (500 rows' texts would stay in memory while the list is shown). */
    text(m, row) {
      if (!m.text) {
        const text = row.textContent || '';
        m.text = { ids: [...new Set(text.match(ID_RE) || [])], masked: text.includes('*') };
      }
      return m.text;
    },
    /** For one synchronous read of the list: `of(row)` → the memo object of `row`, where
     *  readers keep what they read of it under their own key; a new object when the row changed
     *  (or off the list routes, every time). The route is checked once here, not per row. */
    reader: () => (watching() ? kept : fresh),
    /** A number that changes whenever the page may have changed (for reads of more than rows);
     *  null off the list routes, where nothing is watched. */
    version: () => (watching() ? batches : null),
    /** `fn()` after each batch of changes under <body> that added, removed or changed text,
     *  while on a list route (one observer for every reader); `on` false stops it. */
    follow(fn, on) {
      if (on) listeners.add(fn); else listeners.delete(fn);
      if (on && watching() && !followTimer) followTimer = setTimeout(tick, FOLLOW_MS);
    },
  });
})();
