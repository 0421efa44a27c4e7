// list-help: help on the workbench's order list (issue 26 item 5), drawn over the page, never in
// it. Beside a row's 查看 control, a small mark when that order was already decrypted today
// (viewing it again costs nothing); a quiet hint beside the 查看 controls when few decrypts are
// left; a compact corner chip with today's remaining decrypts (the popup's number), the
// self-check's state when it is not green, and links to the ship and transit pages.
//
// Thin: this script finds rows and 查看 controls with the site profile only (site-profile.json:
// dom.table, dom.row, dom.decryptControl, text.decrypt, the package-ID pattern), sends the IDs it
// saw and what it found (counts) to the worker (`listHelp.view`), and draws the answer. Which
// orders were decrypted today, the remaining count, the hint and whether the profile matched are
// the core's. When the profile's selectors do not match, nothing is drawn (the self-check says so).
//
// The page is left as it is: everything lives in one shadow root on a zero-size host appended to
// <html> (outside <body>, out of flow), the marks and hints placed over the controls by their
// boxes (content/list-help-pins.js), with `pointer-events: none` except the chip itself. No
// listener here prevents, stops or delays a page event: clicks, scrolls and mutations are only
// observed (passive).
(() => {
  const R = globalThis.RedShip;
  const Memo = globalThis.RedShipRowMemo;
  const Pins = globalThis.RedShipListHelpPins;
  if (!R || !Memo || !Pins || globalThis.__redshipListHelp) return;
  globalThis.__redshipListHelp = true;
  const site = R.site;
  const ID_RE = new RegExp(site.packageIdPattern, 'g');
  const DEBOUNCE_MS = 250;
  const PUSH_MS = 200;
  const MAX_IDS = 1000;
  const english = () => !(chrome.i18n.getUILanguage?.() || 'zh-CN').toLowerCase().startsWith('zh');
  // i18n-keys: listHelpMark listHelpHint listHelpHintNone listHelpRemaining listHelpLegend
  // i18n-keys: listHelpShip listHelpTransit listHelpCollapse listHelpExpand listHelpSelfcheck listHelpTitle
  const msg = (key, subs) => chrome.i18n.getMessage(key, subs) || key;

  // The shop's name as the page shows it; the top bar may be missing a moment while it re-renders.
  let knownShop = null;
  function shop() {
    const s = R.shop();
    if (s !== location.host) knownShop = s;
    return knownShop ?? s;
  }
  const onList = () => location.pathname.startsWith(site.routes.orderList);

  // ── reading the list (site profile only) ───────────────────────────────────────────────────
  const idsIn = (text) => new Set(text.match(ID_RE) || []);
  const isDecryptControl = (el) => el.getAttribute('title') === site.text.decrypt
    || (el.textContent || '').trim() === site.text.decrypt;

  /** The 查看 controls of a row: elements the profile names whose text or title is 查看, the
   *  outermost of any nested pair (an icon inside its button). */
  function controlsOf(row) {
    const found = [...row.querySelectorAll(site.dom.decryptControl)].filter(isDecryptControl);
    return found.filter((el) => !found.some((other) => other !== el && other.contains(el)));
  }

  /** What one row shows: its package ID (null unless exactly one), masked or not, its controls. */
  function readRow(tr, memo) {
    const { ids, masked } = Memo.text(memo, tr);
    if (ids.length !== 1) return { id: null };
    return { id: ids[0], masked, controls: controlsOf(tr) };
  }

  /** {rows: [{id, controls}], counts: {idsShown, rows, controls, masked}} of the page now. A row
   *  is read again only when it changed since (content/row-memo.js). `idsShown` (package IDs
   *  anywhere on the page) tells the self-check why no row was found, so the whole page's text
   *  is read only then, and only when `withIds`. */
  function scan(withIds = true) {
    const table = document.querySelector(site.dom.table);
    const rows = [];
    let masked = 0;
    const memoOf = Memo.reader();
    for (const tr of table ? table.querySelectorAll(site.dom.row) : []) {
      const memo = memoOf(tr);
      const row = (memo.listHelp ??= readRow(tr, memo));
      if (!row.id) continue;
      if (row.masked) masked += 1;
      rows.push(row);
    }
    const controls = rows.reduce((n, r) => n + r.controls.length, 0);
    const idsShown = withIds && !rows.length ? idsIn(document.body?.textContent || '').size : 0;
    return { rows, counts: { idsShown, rows: rows.length, controls, masked } };
  }

  // ── drawing (one shadow root, over the page) ───────────────────────────────────────────────
  let host = null;
  let root = null;
  let layer = null; // marks and hints, absolutely placed in document coordinates
  const STYLE = `
    :host { all: initial; }
    .layer { position: absolute; left: 0; top: 0; width: 0; height: 0; pointer-events: none;
      contain: size layout style; will-change: transform; }
    .pin { position: absolute; transform: translateY(-50%); white-space: nowrap; pointer-events: none;
      font: 11px/16px system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; border-radius: 8px; padding: 0 6px; }
    .mark { background: #e8f5e9; color: #1e7b34; border: 1px solid #a5d6a7; }
    .hint { background: #fff8e1; color: #8a6d00; border: 1px solid #ffe082; }
    .chip { position: fixed; left: 12px; bottom: 12px; pointer-events: auto; max-width: 300px;
      font: 12px/18px system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; color: #333;
      background: #fff; border: 1px solid #e5e5e5; border-left: 3px solid #ff2442; border-radius: 8px;
      box-shadow: 0 2px 8px rgba(0,0,0,.12); padding: 6px 8px; }
    .chip[data-collapsed="true"] { padding: 2px 6px; }
    .head { display: flex; align-items: center; gap: 6px; }
    .brand { color: #ff2442; font-weight: 600; }
    .num { font-weight: 700; font-size: 14px; }
    .line { margin-top: 4px; }
    .warn { color: #8a6d00; } .error { color: #c62828; }
    .muted { color: #888; }
    button { font: inherit; cursor: pointer; border: 1px solid #ddd; background: #fafafa; color: #333;
      border-radius: 4px; padding: 0 6px; line-height: 18px; }
    button.link { border: none; background: none; color: #1565c0; padding: 0; text-decoration: underline; }
    .toggle { margin-left: auto; padding: 0 5px; }
  `;

  function ensureHost() {
    if (host?.isConnected) return;
    host = document.createElement('div');
    host.setAttribute('data-redship', 'list-help');
    // Zero size, out of flow, outside <body>: nothing of the page moves.
    host.style.cssText = 'all:initial;position:absolute;left:0;top:0;width:0;height:0;overflow:visible;z-index:2147483000;pointer-events:none;';
    root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    layer = document.createElement('div');
    layer.className = 'layer';
    root.append(style, layer);
    document.documentElement.append(host);
  }

  function clear() {
    pins.clear();
    host?.remove();
    host = root = layer = null;
  }

  const node = (tag, attrs = {}, ...children) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') el.textContent = v;
      else if (k === 'onClick') el.addEventListener('click', v);
      else if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    }
    el.append(...children.filter(Boolean));
    return el;
  };


  /** Our marks and hints over the rows' 查看 controls (content/list-help-pins.js). */
  const pins = Pins.create(site);

  let collapsed = false;
  let view = null;
  let chipShown = ''; // what the chip showed when draw() last drew it

  function chip() {
    const en = english();
    const toggle = node('button', {
      class: 'toggle', 'data-testid': 'list-help-toggle', title: msg(collapsed ? 'listHelpExpand' : 'listHelpCollapse'),
      text: collapsed ? '+' : '–',
      onClick: () => {
        collapsed = !collapsed;
        drawChip();
        R.send('listHelp.collapse', { collapsed }).catch((e) => console.warn('RedShip: the chip state was not saved:', e?.name, e?.message));
      },
    });
    const num = node('span', { class: 'num', 'data-testid': 'list-help-remaining', text: String(view.remaining) });
    const head = node('div', { class: 'head' },
      node('span', { class: 'brand', text: 'RedShip' }),
      collapsed ? num : node('span', {}, document.createTextNode(`${msg('listHelpRemaining')} `), num, node('span', { class: 'muted', text: ` / ${view.limit}` })),
      toggle);
    const box = node('div', {
      class: 'chip', 'data-testid': 'list-help-chip', 'data-remaining': view.remaining, 'data-limit': view.limit,
      'data-collapsed': collapsed, 'data-selfcheck': view.selfcheck?.level ?? 'unknown', title: msg('listHelpTitle'),
    }, head);
    if (collapsed) return box;
    const sc = view.selfcheck;
    if (sc && sc.level !== 'ok') {
      box.append(node('div', { class: `line ${sc.level === 'error' ? 'error' : 'warn'}`, 'data-testid': 'list-help-selfcheck' },
        node('button', { class: 'link', text: msg('listHelpSelfcheck'), onClick: () => open('options') }),
        document.createTextNode(` ${en ? sc.textEn : sc.textZh}`)));
    }
    box.append(
      node('div', { class: 'line muted', text: msg('listHelpLegend') }),
      node('div', { class: 'line' },
        node('button', { 'data-testid': 'list-help-open-ship', text: msg('listHelpShip'), onClick: () => open('ship') }),
        document.createTextNode(' '),
        node('button', { 'data-testid': 'list-help-open-transit', text: msg('listHelpTransit'), onClick: () => open('transit') })));
    return box;
  }
  function open(page) {
    R.send('listHelp.open', { page }).catch((e) => console.warn('RedShip: could not open the page:', e?.name, e?.message));
  }
  function drawChip() {
    if (!root) return;
    root.querySelector('.chip')?.remove();
    root.append(chip());
  }

  /** Draws the worker's answer over the rows just read (pins that did not change are kept: see
   *  `rebuild` in content/list-help-pins.js). */
  function draw(found) {
    const decrypted = new Set(view.decrypted);
    const hintText = view.remaining > 0 ? msg('listHelpHint', [String(view.remaining)]) : msg('listHelpHintNone');
    const markText = msg('listHelpMark');
    const els = pins.rebuild(found.rows, (id) => {
      if (decrypted.has(id)) return { kind: 'mark', text: markText };
      return view.hint ? { kind: 'hint', text: hintText } : null;
    });
    // The controls are measured before anything of ours changes (the page's layout is read as
    // it is, not laid out again for our pins). The layer holds the pins in the rows' order; it is
    // rebuilt only when that changed.
    const boxes = pins.measure();
    ensureHost();
    const now = layer.children;
    if (els.length !== now.length || els.some((el, i) => now[i] !== el)) layer.replaceChildren(...els);
    pins.apply(boxes);
    // The chip is drawn again only when what it shows changed.
    const chipShows = JSON.stringify([view.remaining, view.limit, view.selfcheck, collapsed, english()]);
    if (chipShows !== chipShown || !root.querySelector('.chip')) drawChip();
    chipShown = chipShows;
  }

  // ── asking the worker, when the list changes ───────────────────────────────────────────────
  let timer = 0;
  let timerAt = 0; // when the armed timer fires
  let dueAt = 0; // when the refresh is due
  let running = false;
  let pending = false;
  let enabled = true;
  let ask = false; // the next refresh asks the worker even if the rows look the same
  let asked = ''; // what the last question carried: rows re-rendered alike are only re-pinned
  let askedAt = 0;
  /** The chip's self-check state is not pushed: a re-render asks again after this long. */
  const STALE_MS = 30_000;
  /** Refreshes after `ms`; `fresh`: the ledger or settings may have changed (always ask). The
   *  last call wins, as with a timer reset per call, but a render's many mutation batches only
   *  move `dueAt`: the one timer waits on when it fires before that. */
  function schedule(ms = DEBOUNCE_MS, fresh = false) {
    ask ||= fresh;
    dueAt = performance.now() + ms;
    if (timer && timerAt <= dueAt) return;
    clearTimeout(timer);
    timerAt = dueAt;
    timer = setTimeout(due, ms);
  }
  function due() {
    timer = 0;
    const wait = dueAt - performance.now();
    if (wait > 1) {
      timerAt = dueAt;
      timer = setTimeout(due, wait);
      return;
    }
    refresh();
  }
  async function refresh() {
    if (running) { pending = true; return; }
    running = true;
    try {
      if (!onList()) { clear(); return; }
      const found = scan();
      const ids = [...new Set(found.rows.map((r) => r.id))].slice(0, MAX_IDS);
      // A page that changes its text all the time (a countdown) re-renders often: the same rows
      // are re-pinned with the last answer, and the worker is asked only about something new.
      const question = JSON.stringify([shop(), ids, found.counts]);
      if (!ask && question === asked && view && enabled && Date.now() - askedAt < STALE_MS) { draw(found); return; }
      ask = false;
      asked = question;
      askedAt = Date.now();
      let answer;
      try {
        answer = await R.send('listHelp.view', { shop: shop(), packageIds: ids, counts: found.counts });
      } catch (e) {
        // Locked vault, a worker restarting: nothing drawn rather than something stale.
        if (!R.isTransient(e)) console.warn('RedShip: list help unavailable:', e?.name, e?.message);
        asked = '';
        view = null;
        clear();
        return;
      }
      enabled = answer?.enabled === true;
      follow();
      if (!enabled || !answer.draw) { view = null; clear(); return; }
      view = answer;
      collapsed = answer.collapsed === true;
      // The rows may have changed while the worker answered: draw over the page as it is now
      // (only rows changed meanwhile are read again).
      draw(scan(false));
    } finally {
      running = false;
      if (pending) { pending = false; schedule(); }
    }
  }

  // Re-renders of the list: the row memo's MutationObserver on <body> (content/row-memo.js)
  // while the list route is shown and the help is on (a 500-row render makes many records; each
  // batch only moves the refresh's due time).
  const changed = () => schedule();
  let observing = false;
  function follow() {
    const want = onList() && enabled && Boolean(document.body);
    if (want !== observing) Memo.follow(changed, want);
    observing = want;
  }

  // Pins follow the page's scrolling and resizing (one placement per frame).
  let frame = 0;
  const placeSoon = () => { if (!frame && pins.size()) frame = requestAnimationFrame(() => { frame = 0; pins.place(); }); };
  window.addEventListener('scroll', placeSoon, { capture: true, passive: true });
  window.addEventListener('resize', placeSoon, { passive: true });

  // A decrypt the worker recorded (it tells the tabs that asked), the settings changed, a
  // decrypt answer or a 查看 click seen, the tab shown again: ask again.
  // The worker's pushes come in bursts (two reports per 查看 click, clicks one after another):
  // a burst is one question and one redraw, PUSH_MS after its last push.
  R.onCommand('listHelp.refresh', () => { schedule(PUSH_MS, true); return null; });
  R.onHook('decrypt', () => schedule(800, true));
  document.addEventListener('click', (e) => {
    const el = e.target?.nodeType === 1 ? e.target : e.target?.parentElement;
    if (!el || !onList()) return;
    const sel = site.dom.decryptControl;
    for (let c = el.closest(sel), i = 0; c && i < 4; c = c.parentElement?.closest(sel), i++) {
      if (isDecryptControl(c)) { schedule(1500, true); return; }
    }
  }, { capture: true, passive: true });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') schedule(0, true); });
  globalThis.navigation?.addEventListener('currententrychange', () => { follow(); schedule(0, true); });
  window.addEventListener('popstate', () => schedule(0, true));

  const start = () => { follow(); schedule(0, true); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
})();
