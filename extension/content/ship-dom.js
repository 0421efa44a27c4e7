// The ship filler's page adapter: finds order rows, buttons, toasts and pagination by what SPEC.md
// says the workbench has (`d-` classes, visible texts from the site profile, the package-ID
// pattern) — never by layout or hashed classes — and waits on the page's own changes; the ship
// dialog itself is content/ship-dialog.js. Classic script, isolated world; exposes
// `globalThis.RedShipShipDom` for content/ship-dialog.js, ship-answers.js and content/ship.js.
(() => {
  const site = globalThis.REDSHIP_SITE;
  if (!site || globalThis.RedShipShipDom) return;
  const { dom, text } = site;
  const idRe = new RegExp(site.packageIdPattern, 'g');

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

  // Waits react to the page instead of polling it: a waiter re-checks its condition after every
  // batch of DOM mutations (the app rendered), when `wake()` is called (a page answer arrived,
  // which touches no node), and on a slow timer as a backstop for changes that neither signals.
  //
  // Two observers, because what is watched costs the page: the order list re-renders hundreds of
  // rows per answer, and watching the whole document's attributes and texts made each render
  // create tens of thousands of records, each batch followed by every waiter's check (about a
  // quarter of the page's time per order in the fill benchmark). So the document is watched for
  // added and removed nodes only (a dialog, a popover, a toast or a row appearing or going), and
  // closely — attributes and texts too — only the elements a waiter names (the dialog it works in,
  // the courier picker, the list while it pages) and their ancestors' attributes (a dialog hidden
  // by its wrapper's style). Nothing here scans the document per batch.
  const BACKSTOP_MS = 250;
  const CLOSE = { childList: true, subtree: true, attributes: true, characterData: true };
  const waiters = new Set();
  let coarse = null;
  let close = null;
  let closely = new WeakSet(); // elements watched with CLOSE
  let upward = new WeakSet(); // ancestors watched for their own attributes

  /** Watches `el`'s subtree closely, and its ancestors' own attributes, until the waits end. */
  function watchClosely(el) {
    if (!close || !el?.isConnected || closely.has(el)) return;
    closely.add(el);
    close.observe(el, CLOSE);
    for (let a = el.parentElement; a && !closely.has(a) && !upward.has(a); a = a.parentElement) {
      upward.add(a);
      close.observe(a, { attributes: true });
    }
  }

  function recheck() {
    for (const w of [...waiters]) w.check();
  }

  // Both observers report the same batch of changes: the waiters look once, after both.
  let queued = false;
  function recheckSoon() {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      recheck();
    });
  }

  /** Stops watching (no waiter left): the page's changes cost nothing again. */
  function unobserve() {
    coarse?.disconnect();
    close?.disconnect();
    coarse = close = null;
    closely = new WeakSet();
    upward = new WeakSet();
  }

  /**
   * Resolves with `fn()`'s first truthy value, or null once `timeoutMs` has passed. `watch`:
   * elements whose attribute and text changes the condition reads (nodes added or removed
   * anywhere are seen without naming them).
   */
  function waitFor(fn, timeoutMs = 10000, watch = []) {
    const test = () => { try { return fn() || null; } catch { return null; } };
    const now = test();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (v) => {
        if (!waiters.delete(w)) return;
        clearTimeout(timer);
        clearInterval(backstop);
        if (!waiters.size) unobserve();
        resolve(v);
      };
      const w = { check: () => { const v = test(); if (v) done(v); } };
      const timer = setTimeout(() => done(test()), timeoutMs);
      const backstop = setInterval(w.check, BACKSTOP_MS);
      waiters.add(w);
      if (!coarse) {
        coarse = new MutationObserver(recheckSoon);
        coarse.observe(document.documentElement, { childList: true, subtree: true });
        close = new MutationObserver(recheckSoon);
      }
      for (const el of watch) watchClosely(el);
    });
  }

  /**
   * Resolves once the app has reacted to events just dispatched: component frameworks (Vue's
   * scheduler, React's batching) re-render from their state in a microtask queued during the
   * event, so a few microtask turns later the DOM shows what the app holds. (A macrotask would
   * also wait for the browser to lay out and paint the whole page.)
   */
  async function afterRender() {
    for (let i = 0; i < 3; i++) await new Promise((r) => queueMicrotask(r));
  }

  /**
   * Rendered and not hidden. `checkVisibility` needs only the page's style, where reading
   * client rects lays the whole page out (a 500-row list) again after every change.
   */
  function visible(el) {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
    if (!el.getClientRects().length) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  }

  /** Distinct package IDs in an element's text. */
  function idsIn(el) {
    const found = String(el?.textContent ?? '').match(idRe);
    if (!found) return [];
    return found.length === 1 ? found : [...new Set(found)];
  }

  /** Rows of the order tables that show a package ID: [{row, ids}]. */
  function listRows() {
    const out = [];
    for (const table of document.querySelectorAll(dom.table)) {
      for (const row of table.querySelectorAll(dom.row)) {
        if (!row.querySelector('td')) continue;
        const ids = idsIn(row);
        if (ids.length) out.push({ row, ids });
      }
    }
    return out;
  }

  const visibleIds = (rows = listRows()) => rows.flatMap((r) => r.ids);
  /** The row of `id` among `rows` (a `listRows()` just taken, to read the list once), or null. */
  const findRow = (id, rows = listRows()) => rows.find((r) => r.ids.includes(id) && r.row.isConnected)?.row || null;

  /** A `.d-button` inside `root` whose visible text is exactly `label` (also a disabled one with `any`). */
  function buttonIn(root, label, any = false) {
    return [...(root?.querySelectorAll(dom.button) || [])].find((b) => norm(b.textContent) === label && (any || !b.disabled)) || null;
  }
  /** The row's 发货 button, when it can be pressed. */
  const shipButton = (row) => buttonIn(row, text.ship);
  /** The row's 发货 button even while disabled: none at all means the page no longer offers it. */
  const shipControl = (row) => buttonIn(row, text.ship, true);

  /**
   * Scrolls `row` to the middle of the view, for a person who looks at each order (fill mode).
   * Shipping runs do not scroll: a click needs no scrolling, and repainting the scrolled list
   * cost the page more per order than anything else RedShip does there.
   */
  function bringIntoView(row) {
    row.scrollIntoView({ block: 'center' });
  }

  /** Clicks like a person: pointer and mouse events, then click. */
  function press(el) {
    const opts = { bubbles: true, cancelable: true, composed: true, view: window };
    el.dispatchEvent(new PointerEvent('pointerdown', opts));
    el.dispatchEvent(new MouseEvent('mousedown', opts));
    el.dispatchEvent(new PointerEvent('pointerup', opts));
    el.dispatchEvent(new MouseEvent('mouseup', opts));
    el.click();
  }

  /**
   * The toasts in the page now, shown or not, with their texts (Map el → text): what `toasts`
   * later passes over. Reads no style, so taking it does not lay the page out.
   */
  function toastMarks() {
    return new Map([...document.querySelectorAll(dom.toast)].map((el) => [el, norm(el.textContent)]));
  }

  /**
   * Visible toasts: [{el, kind: 'success'|'error'|'info', text}]. `except` (from `toastMarks`):
   * toasts already there are passed over before any style is read, unless the page reused the
   * element for another message (its text changed).
   */
  function toasts(except = null) {
    const out = [];
    for (const el of document.querySelectorAll(dom.toast)) {
      const t = norm(el.textContent);
      if (except?.get(el) === t || !visible(el)) continue;
      const cls = String(el.className);
      const kind = /success/.test(cls) || t.includes(text.shipSuccess) ? 'success' : /error|danger|fail|warn/.test(cls) ? 'error' : 'info';
      out.push({ el, kind, text: t });
    }
    return out;
  }

  // ── pagination ────────────────────────────────────────────────────────────────────────────
  const pagination = () => [...document.querySelectorAll(dom.pagination)].find(visible) || null;
  const disabled = (el) => el.disabled || el.getAttribute('aria-disabled') === 'true' || /disabled/.test(String(el.className));

  /** Page-number controls of the pagination: Map(n → element). */
  function pageItems() {
    const p = pagination();
    const out = new Map();
    if (!p) return out;
    for (const el of p.querySelectorAll('*')) {
      if (el.children.length) continue;
      const t = norm(el.textContent);
      if (/^\d{1,4}$/.test(t) && !el.closest(dom.select)) out.set(Number(t), el);
    }
    return out;
  }

  function currentPage() {
    for (const [n, el] of pageItems()) {
      for (let a = el; a && a !== pagination(); a = a.parentElement) {
        if (/active|current|selected/.test(String(a.className)) || a.getAttribute('aria-current')) return n;
      }
    }
    return null;
  }

  function nextControl() {
    const p = pagination();
    if (!p) return null;
    return [...p.querySelectorAll('*')].find((el) => {
      const t = norm(el.textContent);
      return el.getAttribute('title') === '下一页' || /next/i.test(String(el.className)) || el.getAttribute('aria-label')?.match(/next|下一页/i) || (!el.children.length && (t === '›' || t === '>' || t === '下一页'));
    }) || null;
  }

  /** Waits until the rows differ from `before` (a new page rendered) and stay put briefly. */
  async function waitRowsChange(before) {
    const key = () => visibleIds().join(',');
    // Rows reused for the next page change only their texts: the tables are watched closely.
    const changed = await waitFor(() => key() !== before && key() !== '', 15000, [...document.querySelectorAll(dom.table)]);
    if (!changed) return false;
    let last = key();
    for (let i = 0; i < 5; i++) {
      await sleep(80);
      if (key() !== last) { last = key(); i = 0; }
    }
    return true;
  }

  /** Goes to page `n` when a control for it is shown. */
  async function gotoPage(n) {
    const el = pageItems().get(n);
    if (!el) return false;
    if (currentPage() === n) return true;
    const before = visibleIds().join(',');
    press(el.closest('li,button,a') || el);
    return waitRowsChange(before);
  }

  async function nextPage() {
    const el = nextControl();
    if (!el || disabled(el.closest('li,button,a') || el)) return false;
    const before = visibleIds().join(',');
    press(el.closest('li,button,a') || el);
    return waitRowsChange(before);
  }

  /** Makes the page load its list again (another page, then back), for fresh statuses. */
  async function reloadList(id) {
    const pages = [...pageItems().keys()];
    if (pages.length < 2) return;
    const here = currentPage() ?? 1;
    await gotoPage(here === 1 ? 2 : 1);
    await findRowPaging(id);
  }

  /** Finds the row of `id`, paging from page 1 through the list when it is not on this page. */
  async function findRowPaging(id, rows = undefined) {
    const here = (rows && findRow(id, rows)) || findRow(id);
    if (here) return here;
    if (!pagination()) return null;
    const start = currentPage();
    if (start !== 1 && !(await gotoPage(1))) return null;
    for (let guard = 0; guard < 200; guard++) {
      const row = findRow(id);
      if (row) return row;
      if (!(await nextPage())) return null;
    }
    return null;
  }

  globalThis.RedShipShipDom = Object.freeze({
    sleep, norm, waitFor, wake: recheck, watch: watchClosely, afterRender, visible, idsIn, listRows, visibleIds, findRow, findRowPaging,
    shipButton, shipControl, bringIntoView, pageItems, currentPage, gotoPage, reloadList, buttonIn, press, toasts, toastMarks,
  });
})();
