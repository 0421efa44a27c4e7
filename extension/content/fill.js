// The ship filler (content script, isolated world): carries out the run the service worker's
// journal hands out, one order at a time, like a person would — find the row (paging through
// the list), open its 发货 dialog, check the dialog shows the same package ID, pick the courier
// by its visible name, enter the number so the app receives it, then leave it for the user
// (`fill`) or press 确定 and wait for the page's answer (`ship`).
//
// Safety: the worker records `confirming` before 确定 is pressed; the page's answer (the
// deliver answer, a toast, the row's status) decides the outcome; no answer means `noAnswer`
// and the worker then asks for a row check, never a blind retry. A dialog showing another
// order is never typed into. A route change or a re-sorted list stops the run safely.
(() => {
  const R = globalThis.RedShip;
  const D = globalThis.RedShipFillDom;
  if (!R || !D) return;
  const site = R.site;
  const OPEN_MS = 12000; // the dialog loads its detail and courier list
  const ANSWER_MS = 20000; // the page answers a shipment
  const SETTLE_MS = 90000; // a shipment still in flight after that, before its status is read
  let running = false;
  let listFilter = null; // statuses the list shows (from the last order page answer)
  const delivered = new Map(); // packageId -> {ok, msg, at}: the page's answers to 确定
  const listed = new Map(); // packageId -> {status, at}: the platform's status in list answers
  const clicked = new Map(); // packageId -> when 确定 was pressed in this page

  R.onHook('deliver', (p) => {
    if (typeof p?.packageId === 'string') delivered.set(p.packageId, { ok: p.ok === true, msg: String(p.msg || ''), at: Date.now() });
  });
  // The shop's name renders after the first answers may arrive: wait briefly for it, so records
  // are not filed under the site's host.
  async function shopName() {
    for (let i = 0; i < 20 && R.shop() === location.host; i++) await D.sleep(100);
    return R.shop();
  }
  R.onHook('couriers', async (p) => {
    if (!Array.isArray(p?.couriers)) return;
    R.send('ship.couriers', { shop: await shopName(), couriers: p.couriers.slice(0, 500) }).catch(() => {});
  });
  R.onHook('orderPage', async (p) => {
    listFilter = Array.isArray(p?.request?.status) ? p.request.status.map(Number) : null;
    for (const x of Array.isArray(p?.packages) ? p.packages : []) {
      if (R.isPackageId(x?.packageId)) listed.set(x.packageId, { status: Number(x.status), at: Date.now() });
    }
    const packages = (Array.isArray(p?.packages) ? p.packages : [])
      .filter((x) => R.isPackageId(x?.packageId))
      .map((x) => ({ packageId: x.packageId, waiting: site.status.waiting.includes(Number(x.status)) }));
    if (packages.length) R.send('ship.seen', { shop: await shopName(), packages: packages.slice(0, 1000) }).catch(() => {});
  });

  /** Sends to the worker, retrying while it restarts. */
  async function send(type, payload) {
    for (let i = 0; ; i++) {
      try {
        return await R.send(type, payload);
      } catch (e) {
        if (i >= 6 || !['ExtensionUnavailable', 'NoAnswer'].includes(e.name)) throw e;
        await D.sleep(400 * (i + 1));
      }
    }
  }

  const event = (ev) => send('ship.event', { event: ev });
  const STOP = Symbol('stop');
  async function stop(reason) {
    await event({ type: 'stop', reason });
    return STOP;
  }
  const onList = () => location.pathname.startsWith(site.routes.orderListPrefix);
  const waitingOnly = () => Array.isArray(listFilter) && listFilter.length > 0 && listFilter.every((s) => site.status.waiting.includes(s));

  /**
   * The dialog shows order `id` and no other order: every other ID it shows must also be on
   * the order's own row (e.g. an order number of the same shape).
   */
  const showsOnly = (modal, id, rowIds) => {
    const shown = D.idsIn(modal);
    return shown.includes(id) && shown.every((x) => x === id || rowIds.includes(x));
  };
  const sameDialog = (modal, id, rowIds) => modal.isConnected && D.visible(modal) && showsOnly(modal, id, rowIds);

  async function cancelDialog(modal) {
    if (!modal?.isConnected) return;
    const cancel = D.buttonIn(modal, site.text.cancel);
    if (cancel) D.press(cancel);
    else document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await D.waitFor(() => !modal.isConnected || !D.visible(modal), 3000);
  }

  /** Lets an open dialog finish what it is doing (a shipment in flight), then closes it. */
  async function settleDialog() {
    const modal = D.shipDialog();
    if (!modal) return;
    await D.waitFor(() => !modal.isConnected || D.buttonIn(modal, site.text.confirm), SETTLE_MS, 100);
    await cancelDialog(modal);
  }

  const newToast = (baseline, kinds) => D.toasts().find((t) => !baseline.has(t.el) && kinds.includes(t.kind)) || null;

  async function fillOne(a) {
    const id = a.packageId;
    const result = async (outcome) => { await event({ type: 'result', packageId: id, outcome }); };
    await settleDialog();
    const row = await D.findRowPaging(id);
    if (!onList()) return stop('route-changed');
    if (!row) return result({ kind: 'skipped', reason: 'not-on-list', message: `订单列表中找不到 ${id}（not on the order list）` });
    const ship = D.shipButton(row);
    if (!ship) return result({ kind: 'skipped', reason: 'not-waiting', message: '该订单没有「发货」按钮：可能已发货或已取消（no 发货 button: shipped or cancelled）' });
    // From here on the page must stay put: any route change stops the run at once.
    const route = location.href;
    const moved = () => location.href !== route || !onList();
    const MOVED = { moved: true };
    const until = (fn, ms, every) => D.waitFor(() => (moved() ? MOVED : fn()), ms, every);
    row.scrollIntoView({ block: 'center' });
    const rowIds = D.idsIn(row);
    if (!row.isConnected || !rowIds.includes(id)) return stop('list-changed');
    const baseline = new Set(D.toasts().map((t) => t.el));
    D.press(ship);
    const modal = await until(() => D.dialogReady(D.shipDialog()) || newToast(baseline, ['error']), OPEN_MS);
    if (modal === MOVED) return stop('route-changed');
    if (!modal) return result({ kind: 'noAnswer' });
    if (!(modal instanceof Element)) return result({ kind: 'failed', message: modal.text });
    if (!showsOnly(modal, id, rowIds)) {
      const shown = D.idsIn(modal).filter((x) => x !== id);
      await cancelDialog(modal);
      if (!row.isConnected || !D.idsIn(row).includes(id)) return stop('list-changed');
      // Failed, not skipped: the order still waits to ship and the merchant must look at it.
      return result({
        kind: 'failed',
        message: `发货对话框显示的是 ${shown.join('、') || '（无）'}，不是 ${id}：未填写（the dialog showed another order; not filled）`,
      });
    }
    const picked = await D.pickCourier(modal, a.courierName);
    if (!sameDialog(modal, id, rowIds) || moved()) return stop(moved() ? 'route-changed' : 'dialog-closed');
    if (!picked.ok) {
      await cancelDialog(modal);
      return result({ kind: 'failed', message: `对话框的物流公司列表里没有「${a.courierName}」（courier not offered in the dialog）` });
    }
    const typed = await D.enterNumber(modal, a.number);
    if (!sameDialog(modal, id, rowIds) || moved()) return stop(moved() ? 'route-changed' : 'dialog-closed');
    if (!typed) {
      await cancelDialog(modal);
      return result({ kind: 'failed', message: '运单号没能填入对话框（the number did not reach the dialog）' });
    }
    if (a.mode === 'fill') {
      await result({ kind: 'filled' });
      // The user checks and presses 确定 (or 取消); the next order waits for that.
      const after = await until(() => !modal.isConnected || !D.visible(modal), 12 * 3600 * 1000, 300);
      return after === MOVED ? stop('route-changed') : undefined;
    }
    // Recorded (and saved by the worker) before the click: a restart now checks, never refills.
    await event({ type: 'confirming', packageId: id });
    const confirm = D.buttonIn(modal, site.text.confirm);
    if (!sameDialog(modal, id, rowIds) || moved() || !confirm) return stop(moved() ? 'route-changed' : 'dialog-closed');
    const toastBase = new Set(D.toasts().map((t) => t.el));
    delivered.delete(id);
    const clickedAt = Date.now();
    clicked.set(id, clickedAt);
    D.press(confirm);
    const outcome = await until(() => {
      const d = delivered.get(id);
      if (d && d.at >= clickedAt) return d.ok ? { kind: 'shipped' } : { kind: 'failed', message: d.msg || '发货失败' };
      // A toast does not name its order: ignore toasts once another order's answer came in.
      const others = [...delivered].some(([k, v]) => k !== id && v.at >= clickedAt);
      const t = others ? null : newToast(toastBase, ['success', 'error']);
      if (t) return t.kind === 'success' ? { kind: 'shipped' } : { kind: 'failed', message: t.text };
      const r = D.findRow(id);
      if (!modal.isConnected && r && !D.shipButton(r)) return { kind: 'shipped' };
      return null;
    }, ANSWER_MS, 40);
    // No answer (or moved away): the outcome is unknown and will be checked. The dialog is left
    // alone — its request may still be in flight — and the check waits for it to settle.
    await result(outcome && outcome !== MOVED ? outcome : { kind: 'noAnswer' });
    if (outcome === MOVED) return stop('route-changed');
    if (outcome && modal.isConnected && D.visible(modal)) await cancelDialog(modal);
    return undefined;
  }

  /** The platform's status for `id` from a list answer received after 确定 was pressed. */
  function freshStatus(id) {
    const s = listed.get(id);
    return s && s.at > (clicked.get(id) ?? 0) ? s.status : null;
  }

  /** Makes the page load its list again (another page, then back), for fresh statuses. */
  async function reloadList(id) {
    const pages = [...D.pageItems().keys()];
    if (pages.length < 2) return;
    const here = D.currentPage() ?? 1;
    await D.gotoPage(here === 1 ? 2 : 1);
    await D.findRowPaging(id);
  }

  /**
   * Reads the status of an order whose 确定 may have been pressed. Only the platform's answer
   * counts: the deliver answer, or the order's status in a list answer that arrived after the
   * click (a reload or a page change brings one). "Still waiting" from a stale row is not
   * trusted — that case is reported unknown, so the order is never filled again blindly.
   */
  async function checkOne(id) {
    await settleDialog();
    let status;
    if (delivered.get(id)?.ok && delivered.get(id).at >= (clicked.get(id) ?? 0)) status = 'shipped';
    else {
      if (freshStatus(id) === null) await reloadList(id);
      const fresh = freshStatus(id);
      const row = D.findRow(id) || await D.findRowPaging(id);
      if (fresh !== null) {
        if (site.status.waiting.includes(fresh)) status = 'waiting';
        else if ([...site.status.shipped, ...site.status.completed].includes(fresh)) status = 'shipped';
        else status = 'absent';
      } else if (row && !D.shipButton(row)) status = 'shipped'; // the page itself marked it shipped
      // Gone from a fresh list of waiting orders after 确定 was pressed: it no longer waits.
      else if (!row && waitingOnly() && [...listed.values()].some((s) => s.at > (clicked.get(id) ?? 0))) status = 'shipped';
      else status = 'absent';
    }
    await event({ type: 'checked', packageId: id, status });
  }

  async function loop() {
    if (running) return;
    running = true;
    try {
      await D.waitFor(() => D.listRows().length > 0 || !onList(), 20000);
      for (;;) {
        if (!onList()) { await stop('route-changed'); break; }
        const { action } = await send('ship.next', { visible: D.visibleIds() });
        if (action.kind === 'fill') {
          if ((await fillOne(action)) === STOP) break;
        } else if (action.kind === 'check') {
          await checkOne(action.packageId);
        } else break;
      }
    } catch (e) {
      console.warn('RedShip: the fill run stopped:', e?.name, e?.message);
    } finally {
      running = false;
    }
  }

  R.onCommand('ship.wake', () => { loop(); return { started: true }; });

  // A reload or a new page: resume the run this tab owns.
  const poll = async () => send('ship.poll', { shop: await shopName(), url: location.href })
    .then((r) => { if (r?.active) loop(); })
    .catch(() => {});
  if (document.readyState === 'complete') poll(); else window.addEventListener('load', poll, { once: true });
})();
