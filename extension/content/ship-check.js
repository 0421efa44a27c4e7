// ship-check: the ship filler's two steps that settle what a run may have left behind — an open
// ship dialog (let a shipment in flight finish, then close it) and the status of an order whose
// 确定 may have been pressed and whose outcome did not reach the worker (the journal then hands
// out a check, never a refill). Only the platform's answers count here: the deliver answer, a
// list answer requested after the click, or the row's 发货 control; never a stale row.
// Classic script, isolated world; exposes `globalThis.RedShipShipCheck` for content/ship.js.
(() => {
  const R = globalThis.RedShip;
  const D = globalThis.RedShipShipDom;
  const A = globalThis.RedShipShipAnswers;
  const F = globalThis.RedShipShipDialog;
  if (!R || !D || !A || !F || globalThis.RedShipShipCheck) return;
  const site = R.site;
  const SETTLE_MS = 90000; // a shipment still in flight after that, before its status is read
  const LIST_READ_MS = 10000; // a list answer the page received is read by the worker

  /**
   * Lets an open dialog finish what it is doing, then closes it. Only a dialog whose 确定 was
   * pressed here and not yet answered may have a shipment in flight: it gets SETTLE_MS, until its
   * 确定 can be pressed again or it is gone. Any other (left by a stopped run, or the merchant's
   * own) is closed at once, even where the page keeps 确定 disabled while the form is incomplete.
   * The dialog is read again each time: a re-render may have replaced it meanwhile.
   */
  async function settleDialog() {
    const modal = F.shipDialog();
    if (!modal) return;
    if (D.idsIn(modal).some(A.inFlight)) {
      await D.waitFor(() => { const m = F.shipDialog(); return !m || D.buttonIn(m, site.text.confirm); }, SETTLE_MS, [modal]);
    }
    await F.cancelDialog(modal.isConnected ? modal : F.shipDialog());
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
    if (A.answered(id)?.ok) status = 'shipped';
    else {
      // A page opened after the click (a new tab, a reload) has rows drawn from its own first list
      // answer, which may still be on its way through the worker: that answer is a fresh one.
      if (A.freshStatus(id) === null) await D.waitFor(() => A.listAnswers() > 0 && R.listsReading() === 0, LIST_READ_MS);
      if (A.freshStatus(id) === null) await D.reloadList(id);
      const fresh = A.freshStatus(id);
      // The row is looked for (through the pages) only when no fresh list answers for it.
      const row = fresh === null ? await D.findRowPaging(id) : null;
      if (fresh !== null) {
        if (fresh === 'waiting') status = 'waiting';
        else if (fresh === 'shipped') status = 'shipped';
        else status = 'unclear'; // listed, but neither waiting nor shipped (cancelled, or its status unclear)
      } else if (row) {
        // No 发货 control left: the page itself marked it shipped. One still there, enabled or
        // not, is a row drawn before the click or one the page will not ship: it cannot say.
        status = D.shipControl(row) ? 'unclear' : 'shipped';
      }
      // Gone from a fresh list of waiting orders after 确定 was pressed: it no longer waits.
      else if (!row && A.waitingListSince(id)) status = 'shipped';
      else status = 'absent';
    }
    return [{ type: 'checked', packageId: id, status }];
  }

  globalThis.RedShipShipCheck = Object.freeze({ settleDialog, checkOne });
})();
