// The ship filler's page adapter: finds order rows, the ship dialog, its courier picker and
// number input, toasts and pagination by what SPEC.md says the workbench has (`d-` classes,
// visible texts from the site profile, the package-ID pattern) — never by layout or hashed
// classes. Acting helpers set values the way the app's own code receives them. Classic script,
// isolated world; exposes `globalThis.RedShipFillDom` for content/fill.js.
(() => {
  const site = globalThis.REDSHIP_SITE;
  if (!site || globalThis.RedShipFillDom) return;
  const { dom, text } = site;
  const idRe = new RegExp(site.packageIdPattern, 'g');

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  const squash = (s) => String(s ?? '').replace(/[\s*:：]/g, '');

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

  /** The ship dialog: the last visible `.d-modal` that has a number input or courier picker. */
  function shipDialog() {
    // Controls first, style last: reading style while a dialog loads would lay the page out.
    const modals = [...document.querySelectorAll(dom.modal)].reverse();
    return modals.find((m) => (m.querySelector(dom.select) || m.querySelector(dom.input) || norm(m.textContent).includes(text.numberLabel)) && visible(m)) || null;
  }

  /** The dialog is loaded when it shows a package ID and both controls. */
  function dialogReady(modal) {
    return modal && idsIn(modal).length > 0 && modal.querySelector(dom.select) && modal.querySelector(dom.input) ? modal : null;
  }

  /** The smallest ancestor (inside `modal`) of the element labelled `label` that holds `sel`. */
  function labelled(modal, label, sel) {
    const want = squash(label);
    const labels = [...modal.querySelectorAll('*')].filter((e) => e.children.length <= 2 && squash(e.textContent) === want);
    for (const l of labels) {
      for (let a = l.parentElement; a && modal.contains(a); a = a.parentElement) {
        const hit = a.querySelector(sel);
        if (hit) return hit;
      }
    }
    return null;
  }

  function courierSelect(modal) {
    return labelled(modal, text.courierLabel, dom.select) || modal.querySelector(dom.select);
  }

  function numberInput(modal) {
    return labelled(modal, text.numberLabel, dom.input)
      || [...modal.querySelectorAll(dom.input)].find((i) => (i.placeholder || '').includes(text.numberLabel))
      || (modal.querySelectorAll(dom.input).length === 1 ? modal.querySelector(dom.input) : null);
  }

  /** Opens the courier picker and clicks the option whose visible name is `name`. */
  async function pickCourier(modal, name) {
    const select = courierSelect(modal);
    if (!select) return { ok: false, why: 'no-select' };
    if (norm(select.textContent) === name) return { ok: true };
    const all = () => [...document.querySelectorAll(`${dom.popover} ${dom.option}`)];
    let list = all().filter(visible); // a picker already open (the dialog's check just read style)
    for (let attempt = 0; attempt < 2 && !list.length; attempt++) {
      // The options the press renders are this picker's: told apart without reading style,
      // which would lay out the page the popover was just added to. A picker kept in the page
      // and shown again renders none new, and is told apart by style. The pick is checked on
      // the select's own text afterwards either way.
      const before = new Set(all());
      const opened = () => {
        const now = all();
        const fresh = now.filter((o) => !before.has(o));
        return fresh.length ? fresh : now.filter(visible);
      };
      press(select);
      list = (await waitFor(() => { const l = opened(); return l.length ? l : null; }, 3000, [select, ...document.querySelectorAll(dom.popover)])) || [];
    }
    if (!list.length) return { ok: false, why: 'no-options' };
    const want = squash(name).toUpperCase();
    const option = list.find((o) => norm(o.textContent) === name) || list.find((o) => squash(o.textContent).toUpperCase() === want);
    if (!option) {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      return { ok: false, why: 'no-option', names: list.map((o) => norm(o.textContent)) };
    }
    press(option);
    const chosen = await waitFor(() => norm(select.textContent).includes(name), 3000, [select]);
    return chosen ? { ok: true } : { ok: false, why: 'not-selected' };
  }

  /**
   * Enters `value` so the app's state receives it: native setter, then input and change (what
   * `v-model` and its lazy form listen to). `focus`: the field is focused first and left after,
   * as a person's typing would, for a dialog the merchant checks and confirms (fill mode). A
   * run that presses 确定 itself does not move the page's focus: focusing a text field makes
   * the browser lay out the whole page (a 500-row list) there and then, about 2 ms per order.
   */
  async function enterNumber(modal, value, { focus = false } = {}) {
    const input = numberInput(modal);
    if (!input) return false;
    if (focus) input.focus({ preventScroll: true });
    const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    if (focus) input.blur();
    // The app re-renders from its own state after the events: once that has run, the field must
    // still show the value (an app that re-rendered without it would have put its own back).
    await afterRender();
    return (input.isConnected ? input : numberInput(modal))?.value === value;
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

  /** Closes `modal` as a person would: 取消, else Escape; resolves once it is gone or hidden. */
  async function cancelDialog(modal) {
    if (!modal?.isConnected) return;
    const cancel = buttonIn(modal, text.cancel);
    if (cancel) press(cancel);
    else document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await waitFor(() => !modal.isConnected || !visible(modal), 3000, [modal]);
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

  globalThis.RedShipFillDom = Object.freeze({
    sleep, norm, waitFor, wake: recheck, visible, idsIn, listRows, visibleIds, findRow, findRowPaging, shipButton, shipControl, bringIntoView,
    pageItems, currentPage, gotoPage, reloadList, cancelDialog,
    buttonIn, press, shipDialog, dialogReady, pickCourier, enterNumber, numberInput, toasts, toastMarks,
  });
})();
