// The ship filler (content script, isolated world): carries out the run the service worker's
// journal hands out, one order at a time, like a person would — find the row (paging through
// the list), open its 发货 dialog, check the dialog shows the same package ID, pick the courier
// by its visible name, enter the number so the app receives it, then leave it for the user
// (`fill`) or press 确定 and wait for the page's answer (`ship`).
//
// Speed: one message per order (`ship.step`: the last order's outcome, then the next order);
// every wait reacts to the page's own changes (ship-dom.js). In ship mode the worker's save of
// the 确定 intent runs while the dialog loads, and the order the worker said comes next (`ahead`)
// is opened and filled while the last outcome is being reported and saved; 确定 waits for the
// worker's answer, and if it hands out something else, that dialog is closed without 确定.
// Reading style makes the page lay itself out there and then, so the filler reads it only where
// it must: the dialog's visibility when it opens and before 确定, toasts when the deliver answer
// and the row have not settled the order; in ship mode the number field is not focused.
// Pace: in ship mode 确定 waits for the run's pace (`waitMs` from the worker, the core's wait
// from the last 确定), counted while the dialog is opened and filled.
//
// Safety: 确定 is pressed only after the worker has saved `confirming` for that order and the
// dialog still shows it; every way out before the click sends `withdraw`, so the order is as it
// was. The page's answer (the deliver answer, the row's status, a toast) decides the outcome; no
// answer means `noAnswer` and the worker then asks for a row check, never a blind retry. A dialog
// showing another order is never typed into. A route change or a re-sorted list stops the run.
//
// Re-renders (ship-dialog.js): a page may replace the dialog's elements on any change. Before each
// step the dialog is found again by the package ID it shows and both values are read back from it;
// one a re-render dropped is entered again. 确定 is pressed only in the dialog shown at that moment,
// showing this order and both values; one gone, or now showing another order, stops the run.
//
// What the page answered is kept by ship-answers.js; the page is read and acted on through
// ship-dom.js and ship-dialog.js; an open dialog is settled and an order's status read after a
// possible 确定 in ship-check.js. A loop ended by an error is taken up again (takeUpLater).
(() => {
  const R = globalThis.RedShip;
  const D = globalThis.RedShipShipDom;
  const A = globalThis.RedShipShipAnswers;
  const F = globalThis.RedShipShipDialog;
  const C = globalThis.RedShipShipCheck;
  if (!R || !D || !A || !F || !C) return;
  const site = R.site;
  const OPEN_MS = 12000; // the dialog loads its detail and courier list
  const ANSWER_MS = 20000; // the page answers a shipment
  const CLOSE_MS = 3000; // the page closes its dialog after a shipment
  const CONFIRM_MS = 3000; // the page enables 确定 once its own checks of the form pass
  const STALE_MS = 2500; // a reused dialog may show the last order until its own answer arrives
  const ROUNDS = 3; // a dialog that keeps dropping the values entered fails the order after that
  let running = false;
  let lastRead = null; // {answers, rows}: the list as last read whole (rowsFor)

  /** Sends to the worker, retrying while it restarts (the journal takes a repeated step). */
  const send = R.sendRetrying;

  const event = (ev) => send('ship.event', { event: ev });
  const onList = () => location.pathname.startsWith(site.routes.orderListPrefix);

  const newToast = (baseline, kinds) => D.toasts(baseline).find((t) => kinds.includes(t.kind)) || null;

  /**
   * Finds order `id`'s row on the list (among `rows`, the list just read, when given) and presses
   * its 发货 button: {opened} with what the dialog checks need, or {events} when there is nothing
   * to open (not on the list, no 发货). `show`: scroll the row into view first (fill mode).
   */
  async function open(id, rows = undefined, show = false) {
    const result = (outcome) => ({ events: [{ type: 'result', packageId: id, outcome }] });
    await C.settleDialog();
    const row = await D.findRowPaging(id, rows);
    if (!onList()) return { events: [{ type: 'stop', reason: 'route-changed' }] };
    if (!row) return result({ kind: 'skipped', reason: 'not-on-list', message: `订单列表中找不到 ${id}（not on the order list）` });
    const ship = D.shipButton(row);
    // No 发货 control at all is a fact for the worker, whose core words the skip (status unclear
    // for an order it thought waiting); a disabled one is a page that will not ship it now.
    if (!ship && !D.shipControl(row)) return result({ kind: 'skipped', reason: 'no-ship-button', message: '该行没有「发货」按钮（no 发货 button on its row）' });
    if (!ship) return result({ kind: 'skipped', reason: 'not-waiting', message: '该订单的「发货」按钮不可用：可能已发货或已取消（发货 disabled: shipped or cancelled）' });
    if (show) D.bringIntoView(row);
    const rowIds = D.idsIn(row);
    if (!row.isConnected || !rowIds.includes(id)) return { events: [{ type: 'stop', reason: 'list-changed' }] };
    const opened = { id, row, rowIds, route: location.href, toasts: D.toastMarks() };
    D.press(ship);
    return { opened };
  }

  /**
   * Fills the dialog `open` opened for action `a` and, in ship mode, presses 确定 and reads the
   * page's answer. `intent` is the save of `confirming` (the worker's answer to it), started as
   * the dialog began loading: 确定 is pressed only once it is saved, and not before `due` (the
   * run's pace: a time, or a promise of one). Returns the events that settle the order; every
   * way out before the click withdraws the intent, so the order is as it was.
   */
  async function fill(a, { row, rowIds, route, toasts: baseline }, intent, due = 0) {
    const id = a.packageId;
    const moved = () => location.href !== route || !onList();
    const MOVED = { moved: true };
    const until = (fn, ms, watch) => D.waitFor(() => (moved() ? MOVED : fn()), ms, watch);
    const before = async (events) => {
      if (!intent) return events;
      // The intent's save may still be in flight: the worker must see it before its withdrawal.
      const saved = await intent.then(() => true, () => false);
      return saved ? [{ type: 'withdraw', packageId: id }, ...events] : events;
    };
    let parts = null; // which dialog parts were found, for the self-check (booleans and a count)
    const withParts = (ev) => (parts ? { ...ev, parts } : ev);
    const result = (outcome) => before([withParts({ type: 'result', packageId: id, outcome })]);
    const stop = (reason) => before([{ type: 'stop', reason }]);
    // A dialog kept in the page and reused may show up at once with the last order's ID, before
    // its own answer arrives: one showing another order is given STALE_MS to change, and only
    // then is it taken as the dialog of another order. Dialogs already in the page may be shown
    // and filled without adding nodes: they are watched closely.
    let otherSince = 0;
    const modal = await until(() => {
      const m = F.dialogReady(F.shipDialog());
      if (m && (F.showsOnly(m, id, rowIds) || Date.now() - (otherSince ||= Date.now()) >= STALE_MS)) return m;
      return newToast(baseline, ['error']);
    }, OPEN_MS + STALE_MS, [...document.querySelectorAll(site.dom.modal)]);
    if (modal === MOVED) return stop('route-changed');
    if (!modal) {
      // A dialog of this order that never showed both controls: which ones it lacks is told.
      const partial = F.shipDialog();
      if (partial && F.showsOnly(partial, id, rowIds)) parts = F.partsOf(partial);
      return result({ kind: 'noAnswer' });
    }
    if (!(modal instanceof Element)) return result({ kind: 'failed', message: modal.text });
    if (!F.showsOnly(modal, id, rowIds)) {
      const shown = D.idsIn(modal).filter((x) => x !== id);
      await F.cancelDialog(modal);
      if (!row.isConnected || !D.idsIn(row).includes(id)) return stop('list-changed');
      // Failed, not skipped: the order still waits to ship and the merchant must look at it.
      return result({
        kind: 'failed',
        message: `发货对话框显示的是 ${shown.join('、') || '（无）'}，不是 ${id}：未填写（the dialog showed another order; not filled）`,
      });
    }
    // From here on the dialog is found again by the ID it shows before each step (`dlg.now()`, or
    // `present()`: given a moment to come back); none (gone, or showing another order) stops the run.
    const dlg = F.track(id, rowIds, modal);
    parts = F.partsOf(modal);
    const present = () => dlg.present(until);
    const changed = () => (moved() ? 'route-changed' : 'dialog-closed');
    const cancel = async () => F.cancelDialog(dlg.now({ shown: true }));
    const courierFor = (names) => R.send('ship.dialogCourier', { code: a.courierCode || '', name: a.courierName, names: names.slice(0, 200) }).catch(() => null);
    let name = a.courierName;
    let confirm = null; // the 确定 to press, of the dialog shown at that moment
    for (let round = 1; !confirm; round++) {
      const got = await F.enter(dlg, name, a.number, { present, courierFor, focus: a.mode === 'fill' });
      if (Number.isInteger(got.options)) parts.options = got.options;
      if (!got.modal) return stop(changed());
      if (got.why === 'courier') {
        await F.cancelDialog(got.modal);
        return result({ kind: 'failed', message: `对话框的物流公司列表里没有「${a.courierName}」（courier not offered in the dialog）` });
      }
      name = got.name;
      if (!got.kept) {
        if (round < ROUNDS) continue; // a re-render dropped a value: entered again
        await F.cancelDialog(got.modal);
        const numberKept = F.numberShown(got.modal, a.number);
        return result({ kind: 'failed', message: numberKept ? `对话框没有保留所选的「${name}」（the dialog did not keep the courier）` : '运单号没能填入对话框（the number did not reach the dialog）' });
      }
      if (a.mode === 'fill') {
        await event(withParts({ type: 'result', packageId: id, outcome: { kind: 'filled' } }));
        // The user checks and presses 确定 (or 取消); the next order waits for that.
        return (await F.closed(dlg, until, 12 * 3600 * 1000)) === MOVED ? [{ type: 'stop', reason: 'route-changed' }] : [];
      }
      try {
        await intent;
      } catch (e) {
        // Not saved (the worker refused it, e.g. the run was cancelled): never pressed.
        await cancel();
        throw e;
      }
      // The run's pace (the core's wait, through the worker): the dialog, filled, waits until
      // then; it is read again below, as it is then.
      const wait = (await due) - Date.now();
      if (wait > 0 && (await until(() => null, wait)) === MOVED) return stop('route-changed');
      // Pages may enable 确定 only once their own checks of the form pass, at once or a moment
      // later: it is waited for, in the dialog as it is each time, with both values shown. One
      // still disabled then means the page does not take this courier or number; the order
      // fails, unpressed, and the run goes on.
      const ready = await until(() => { const m = dlg.now(); return m && F.confirmIn(m, name, a.number); }, CONFIRM_MS, [dlg.modal]);
      if (ready === MOVED) return stop('route-changed');
      if (ready) {
        // Read again and pressed in one go, nothing between: the dialog shown now (not hidden),
        // showing this order, both values and its 确定. A re-render since: the next round; a
        // dialog that keeps changing under the click is not confirmed.
        const shown = dlg.now({ shown: true });
        confirm = shown && F.confirmIn(shown, name, a.number);
        if (confirm) break;
        if (round < ROUNDS) continue;
        return stop('dialog-closed');
      }
      const m = await present();
      if (!m) return stop(changed());
      if (!F.courierShown(m, name) || !F.numberShown(m, a.number)) {
        if (round < ROUNDS) continue;
      } else if (!D.buttonIn(m, site.text.confirm, true)) return stop(changed());
      await F.cancelDialog(m);
      return result({
        kind: 'failed',
        message: '「确定」一直不可用：页面没有接受这个快递公司或运单号，未发货（确定 stayed disabled: the page did not accept the courier or number; not shipped）',
      });
    }
    const toastBase = D.toastMarks();
    const clickedAt = A.pressing(id);
    // The only click on 确定; from here on the outcome is the page's answer or a check.
    D.press(confirm);
    // Signals that read no style come first: the deliver answer, then the dialog gone with the
    // order's own row showing no 发货 control at all (not even a disabled one) — in the change
    // that closes the dialog, before the page has laid itself out again (a re-render is no close).
    // Toasts need style.
    const rowShipped = (r) => r?.isConnected && D.idsIn(r).includes(id) && !D.shipControl(r);
    const outcome = await until(() => {
      const d = A.answered(id);
      if (d) return d.ok ? { kind: 'shipped' } : { kind: 'failed', message: d.msg || '发货失败' };
      const open = dlg.now();
      if (!open && rowShipped(row)) return { kind: 'shipped' };
      // A toast does not name its order: ignore toasts once another order's answer came in.
      const t = A.othersAnswered(id, clickedAt) ? null : newToast(toastBase, ['success', 'error']);
      if (t) return t.kind === 'success' ? { kind: 'shipped' } : { kind: 'failed', message: t.text };
      if (open) return null;
      return rowShipped(D.findRow(id)) ? { kind: 'shipped' } : null;
    }, ANSWER_MS, [dlg.modal]);
    // No answer (or moved away): the outcome is unknown and will be checked. The dialog is left
    // alone — its request may still be in flight — and the check waits for it to settle.
    const events = [withParts({ type: 'result', packageId: id, outcome: outcome && outcome !== MOVED ? outcome : { kind: 'noAnswer' } })];
    if (outcome === MOVED) return [...events, { type: 'stop', reason: 'route-changed' }];
    if (outcome?.kind === 'shipped') {
      // The page closes its dialog after a shipment: give it the chance before pressing 取消.
      await D.waitFor(() => !dlg.now({ shown: true }), CLOSE_MS, [dlg.modal]);
    }
    if (outcome) await cancel();
    return events;
  }

  /** One fill action: open the order's dialog, record the intent while it loads, fill it;
   *  确定 waits `waitMs` (the run's pace) from now. */
  async function fillOne(a, waitMs = 0) {
    const due = Date.now() + waitMs;
    const o = await open(a.packageId, undefined, a.mode === 'fill');
    if (!o.opened) return o.events;
    const intent = a.mode === 'ship' ? event({ type: 'confirming', packageId: a.packageId }) : null;
    intent?.catch(() => {}); // awaited before the click; a refusal is handled there
    return fill(a, o.opened, intent, due);
  }

  // The list's rows are read whole (every row's text) once per list answer, not once per order:
  // between answers the page shows the same orders. A row taken from that reading is used only
  // while it is in the page and still shows the order (checked on the row itself); otherwise the
  // list is read again. The package IDs sent to the worker are only its hint for what to hand
  // out next (orders on this page first).
  function rowsFor(id) {
    if (lastRead?.answers === A.listAnswers()) {
      const row = D.findRow(id, lastRead.rows);
      if (row && D.idsIn(row).includes(id)) return lastRead.rows;
    }
    lastRead = { answers: A.listAnswers(), rows: D.listRows() };
    return lastRead.rows;
  }

  const FINAL = new Set(['shipped', 'failed', 'skipped']);
  /** The events settle the last order for good (so the worker's `ahead` is what comes next). */
  const settledFor = (events) => events.length > 0 && events.every((e) => e.type === 'result' && FINAL.has(e.outcome?.kind));

  /** The worker handed out exactly the fill action `guess`. */
  const sameFill = (action, guess) => action?.kind === 'fill' && ['packageId', 'courierName', 'number', 'mode'].every((k) => action[k] === guess[k]);

  /**
   * Reports `events` and asks for the next action while already carrying out `guess`, the fill
   * action the worker said would come next (ship mode): its dialog is opened and filled while the
   * step is saved, and its 确定 intent is recorded in the same save if it is indeed handed out.
   * 确定 waits for that answer; if the worker hands out something else, the dialog is closed
   * without 确定. Returns the events that settle the action it carried out, or null when the
   * loop must act on `answer` itself.
   */
  async function stepAhead(events, guess, rows) {
    const id = guess.packageId;
    const step = send('ship.step', { events, visible: D.visibleIds(rows), confirm: id });
    const verdict = step.then((answer) => ({ answer, ours: sameFill(answer.action, guess) }));
    verdict.catch(() => {});
    // What 确定 waits for: the worker's word that the intent is saved (in the step, or asked
    // for now if the step could not record it). Not handed out: rejected, never pressed.
    const intent = verdict.then(({ answer, ours }) => {
      if (!ours) throw Object.assign(new Error('another action was handed out'), { name: 'NotHandedOut' });
      return answer.confirmed ? undefined : event({ type: 'confirming', packageId: id });
    });
    intent.catch(() => {});
    const due = verdict.then(({ answer }) => Date.now() + (answer.waitMs || 0), () => 0);
    let done;
    try {
      const o = await open(id, rows);
      if (o.opened) done = await fill(guess, o.opened, intent, due);
      else {
        // Nothing opened: a recorded intent is taken back with the outcome.
        const saved = await intent.then(() => true, () => false);
        done = saved ? [{ type: 'withdraw', packageId: id }, ...o.events] : o.events;
      }
    } catch (e) {
      done = e;
    }
    const { answer, ours } = await verdict;
    if (!ours) {
      await C.settleDialog(); // never confirmed: closed if a way out above left it open
      // A check of this very order: the worker recorded this step's intent on a first try whose
      // answer was lost (stopped before answering), then took the repeat. Nothing was pressed
      // here for that intent, so it is taken back and the order is filled as planned.
      if (answer.action?.kind === 'check' && answer.action.packageId === id) {
        return { ahead: null, events: [{ type: 'withdraw', packageId: id }] };
      }
      return { answer, events: null };
    }
    if (done instanceof Error) throw done;
    return { ahead: answer.ahead ?? null, events: done };
  }

  let failures = 0; // runs of the loop in a row that ended on an error

  async function loop() {
    if (running) return;
    running = true;
    let failed = false;
    try {
      await D.waitFor(() => D.listRows().length > 0 || !onList(), 20000);
      let events = []; // what settles the last action, sent with the request for the next one
      let ahead = null; // the fill action the worker expects to hand out after the last one
      for (;;) {
        if (!onList()) events.push({ type: 'stop', reason: 'route-changed' });
        let answer;
        const rows = ahead && settledFor(events) ? rowsFor(ahead.packageId) : null;
        if (rows && D.findRow(ahead.packageId, rows)) {
          const done = await stepAhead(events, ahead, rows);
          failures = 0;
          if (done.events) {
            events = done.events;
            ahead = done.ahead ?? null;
            continue;
          }
          answer = done.answer;
        } else {
          answer = await send('ship.step', { events, visible: D.visibleIds() });
          failures = 0;
        }
        const { action } = answer;
        ahead = answer.ahead ?? null;
        if (action.kind === 'fill') events = await fillOne(action, answer.waitMs || 0);
        else if (action.kind === 'check') events = await C.checkOne(action.packageId);
        else break;
      }
    } catch (e) {
      failed = true;
      console.warn('RedShip: the fill run stopped on an error; it is taken up again shortly:', e?.name, e?.message);
    } finally {
      running = false;
    }
    if (failed) takeUpLater();
  }

  // A loop ended by an error — the worker unreachable for longer than `send` retries, a step it
  // refused or could not save (a full disk) — is taken up again while the run is still running:
  // starting over loses nothing, since the journal hands out a check (never a refill) for an
  // order whose 确定 may have been pressed and whose outcome did not reach it. Waits grow, so a
  // lasting refusal does not spin; the run's own state (paused, stopped, done) ends the retries.
  let retryTimer = null;
  function takeUpLater() {
    failures += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => poll(true), Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
  }

  R.onCommand('ship.wake', () => { loop(); return { started: true }; });

  // A reload or a new page: resume the run this tab owns. `retrying`: a loop ended on an error;
  // a worker still out of reach is asked again later (not once the extension itself is gone).
  const poll = async (retrying = false) => send('ship.poll', { shop: await A.shopName(), url: location.href })
    .then((r) => { if (r?.active) loop(); })
    .catch(() => { if (retrying === true && chrome.runtime?.id) takeUpLater(); });
  if (document.readyState === 'complete') poll(); else window.addEventListener('load', () => poll(), { once: true });
})();
