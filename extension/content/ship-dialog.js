// The ship dialog, for the filler: found, read and filled as a person would, and found again after
// a re-render. Pages built from components may replace a dialog's elements on any change (a
// select re-rendered after a choice, the whole dialog rebuilt from state; SPEC.md: never key on
// an element staying the same node), so a step holds on to no node: `track` finds the order's
// dialog again by the package ID it shows — the visible `.d-modal` with a courier picker and a
// number field — before each step, and what a step left (the courier the picker shows, the
// number field's value) is read back from the nodes there now. Classic script, isolated world,
// after ship-dom.js; exposes `globalThis.RedShipShipDialog` for content/ship.js.
(() => {
  const site = globalThis.REDSHIP_SITE;
  const D = globalThis.RedShipShipDom;
  if (!site || !D || globalThis.RedShipShipDialog) return;
  const { dom, text } = site;
  const { norm, visible, waitFor, press } = D;
  const squash = (s) => String(s ?? '').replace(/[\s*:：]/g, '');
  // A dialog a re-render took out may be shown again a moment later (rebuilt after a transition
  // or a reload of its own state): how long it is looked for before it counts as gone.
  const REFIND_MS = 2000;

  /** The ship dialog: the last visible `.d-modal` that has a number input or courier picker. */
  function shipDialog() {
    // Controls first, style last: reading style while a dialog loads would lay the page out.
    const modals = [...document.querySelectorAll(dom.modal)].reverse();
    return modals.find((m) => (m.querySelector(dom.select) || m.querySelector(dom.input) || norm(m.textContent).includes(text.numberLabel)) && visible(m)) || null;
  }

  /** The dialog is loaded when it shows a package ID and both controls. */
  function dialogReady(modal) {
    return modal && D.idsIn(modal).length > 0 && modal.querySelector(dom.select) && modal.querySelector(dom.input) ? modal : null;
  }

  /**
   * The dialog shows order `id` and no other order: every other ID it shows must also be on
   * the order's own row (e.g. an order number of the same shape).
   */
  function showsOnly(modal, id, rowIds) {
    const shown = D.idsIn(modal);
    return shown.includes(id) && shown.every((x) => x === id || rowIds.includes(x));
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

  // The controls last found in each dialog, while they are still inside it: the checks that
  // read both values back run after every step, and a re-render that replaces one takes it out.
  const found = new WeakMap(); // modal -> {select, input}
  function control(modal, key, find) {
    const c = found.get(modal) || {};
    if (!c[key] || !modal.contains(c[key])) {
      c[key] = find(modal);
      found.set(modal, c);
    }
    return c[key];
  }

  function courierSelect(modal) {
    return control(modal, 'select', (m) => labelled(m, text.courierLabel, dom.select) || m.querySelector(dom.select));
  }

  function numberInput(modal) {
    return control(modal, 'input', (m) => labelled(m, text.numberLabel, dom.input)
      || [...m.querySelectorAll(dom.input)].find((i) => (i.placeholder || '').includes(text.numberLabel))
      || (m.querySelectorAll(dom.input).length === 1 ? m.querySelector(dom.input) : null));
  }

  /** The dialog's courier picker shows `name` (exactly: 中通 is not 中通快运). */
  const courierShown = (modal, name) => norm(courierSelect(modal)?.textContent) === name;
  /** The dialog's number field holds `number`. */
  const numberShown = (modal, number) => numberInput(modal)?.value === number;
  /** The dialog shows both, and its 确定 can be pressed: that button, else null. */
  const confirmIn = (modal, name, number) => (courierShown(modal, name) && numberShown(modal, number) ? D.buttonIn(modal, text.confirm) : null);

  /**
   * Opens the courier picker and clicks the option whose visible name is `name`. `dialog`: the
   * dialog, or a function giving it as it is now (a re-render may replace the picker while it
   * opens, or drop the choice): the choice is read back from the picker shown then, and made
   * again (three rounds at most). {ok, name: what the picker shows then} or {ok: false, why, names?};
   * `options`: how many options the opened list offered (for the self-check), when it was opened.
   */
  async function pickCourier(dialog, name) {
    const now = typeof dialog === 'function' ? dialog : () => dialog;
    const selectNow = () => { const m = now(); return m ? courierSelect(m) : null; };
    const all = () => [...document.querySelectorAll(`${dom.popover} ${dom.option}`)];
    let options; // how many the list offered, once opened
    for (let round = 0; round < 3; round++) {
      const select = selectNow();
      if (!select) return { ok: false, why: now() ? 'no-select' : 'gone', options };
      if (norm(select.textContent) === name) return { ok: true, name, options };
      let list = all().filter(visible); // a picker already open (the dialog's check just read style)
      for (let attempt = 0; attempt < 2 && !list.length && select.isConnected; attempt++) {
        // The options the press renders are this picker's: told apart without reading style,
        // which would lay out the page the popover was just added to. A picker kept in the page
        // and shown again renders none new, and is told apart by style. The pick is checked on
        // the picker's own text afterwards either way.
        const before = new Set(all());
        const opened = () => {
          const fresh = all().filter((o) => !before.has(o));
          return fresh.length ? fresh : all().filter(visible);
        };
        press(select);
        list = (await waitFor(() => { const l = opened(); return l.length ? l : null; }, 3000, [select, ...document.querySelectorAll(dom.popover)])) || [];
      }
      if (!list.length) {
        if (!select.isConnected) continue; // re-rendered while it opened: the new picker is opened
        return { ok: false, why: 'no-options', options: 0 };
      }
      options = list.length;
      const want = squash(name).toUpperCase();
      const option = list.find((o) => norm(o.textContent) === name) || list.find((o) => squash(o.textContent).toUpperCase() === want);
      if (!option) {
        document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        return { ok: false, why: 'no-option', names: list.map((o) => norm(o.textContent)), options };
      }
      if (!option.isConnected) continue;
      const label = norm(option.textContent);
      press(option);
      const chosen = await waitFor(() => { const t = norm(selectNow()?.textContent); return t.includes(label) ? t : null; }, 3000, [select]);
      if (chosen) return { ok: true, name: chosen, options };
      // Not shown by the picker there now: a re-render dropped the choice, or closed the picker
      // under the press. Picked again.
    }
    return { ok: false, why: 'not-selected', options };
  }

  /**
   * Enters `value` so the app's state receives it: native setter, then input and change (what
   * `v-model` and its lazy form listen to). `dialog` as for pickCourier. `focus`: the field is
   * focused first and left after, as a person's typing would, for a dialog the merchant checks
   * and confirms (fill mode). A run that presses 确定 itself does not move the page's focus:
   * focusing a text field makes the browser lay out the whole page (a 500-row list) there and
   * then, about 2 ms per order.
   */
  async function enterNumber(dialog, value, { focus = false } = {}) {
    const now = typeof dialog === 'function' ? dialog : () => dialog;
    const modal = now();
    const input = modal && numberInput(modal);
    if (!input) return false;
    if (focus) input.focus({ preventScroll: true });
    const proto = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    if (focus) input.blur();
    // The app re-renders from its own state after the events: once that has run, the field shown
    // then (the same node, or the one a re-render put in its place) must hold the value.
    await D.afterRender();
    const after = now();
    return Boolean(after) && numberShown(after, value);
  }

  /** Closes `modal` as a person would: 取消, else Escape; resolves once it is gone or hidden. */
  async function cancelDialog(modal) {
    if (!modal?.isConnected) return;
    const cancel = D.buttonIn(modal, text.cancel);
    if (cancel) press(cancel);
    else document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await waitFor(() => !modal.isConnected || !visible(modal), 3000, [modal]);
  }

  /**
   * Follows the dialog of order `id` (opened showing it: `first`) through re-renders. `now()`:
   * the dialog showing the order now — the one last found while it is in the page and still shows
   * the order (no style read), else a visible loaded ship dialog that shows it — or null (gone,
   * or showing another order). `now({shown: true})`: also not hidden (reads style).
   */
  function track(id, rowIds, first) {
    let held = first;
    function now({ shown = false } = {}) {
      if (held.isConnected && showsOnly(held, id, rowIds) && (!shown || visible(held))) return held;
      const found = [...document.querySelectorAll(dom.modal)].reverse()
        .find((m) => m !== held && dialogReady(m) && showsOnly(m, id, rowIds) && visible(m));
      if (!found) return null;
      held = found;
      D.watch(found); // its attribute and text changes wake the waits from now on
      return found;
    }
    /** `now()`, given REFIND_MS to come back; null when it does not. `until`: the filler's wait
     *  (it ends at once, with a non-element, when the page moved away). */
    async function present(until) {
      const m = await until(() => now(), REFIND_MS, [held]);
      return m instanceof Element ? m : null;
    }
    return { now, present, get modal() { return held; } };
  }

  /**
   * One round of filling the tracked dialog: enters what the dialog, as it is now, does not show
   * — courier `name`, then `number` — and reads both back from the dialog then. `present()`: the
   * dialog now, looked for a moment if a re-render took it out, or null (gone, moved away, or
   * showing another order). `courierFor(names)`: the dialog's own name for the planned courier
   * among the names its picker offers, or null. Returns {modal, name (as the picker shows it),
   * kept (both shown)}, {modal, why: 'courier'} when the courier cannot be picked, or {why: 'gone'};
   * each with `options`, how many options the picker's list offered when it was opened.
   */
  async function enter(dlg, name, number, { present, courierFor, focus = false }) {
    let modal = await present();
    if (!modal) return { why: 'gone' };
    let options;
    if (!courierShown(modal, name)) {
      let picked = await pickCourier(dlg.now, name);
      options = picked.options;
      if (!picked.ok && picked.names?.length && dlg.now()) {
        // The dialog names the courier its own way (中通速递 for 中通快递): the core says which.
        const shown = await courierFor(picked.names);
        if (typeof shown === 'string' && shown !== name) picked = await pickCourier(dlg.now, shown);
        options = picked.options ?? options;
      }
      modal = await present();
      if (!modal) return { why: 'gone', options };
      if (!picked.ok) return { modal, why: 'courier', options };
      name = picked.name;
    }
    if (!numberShown(modal, number)) {
      await enterNumber(dlg.now, number, { focus });
      modal = await present();
      if (!modal) return { why: 'gone', options };
    }
    return { modal, name, kept: courierShown(modal, name) && numberShown(modal, number), options };
  }

  /**
   * Resolves once no dialog showing the tracked order is shown (the merchant pressed 确定 or 取消
   * in fill mode), or with `until`'s MOVED. A dialog a re-render takes out is back within a
   * moment: gone means gone for that moment too. `until(fn, ms, watch)`: the filler's wait.
   */
  async function closed(dlg, until, ms) {
    for (;;) {
      const gone = await until(() => !dlg.now({ shown: true }), ms, [dlg.modal]);
      if (gone !== true) return gone;
      const back = await until(() => dlg.now({ shown: true }), 600, [dlg.modal]);
      if (!back || !(back instanceof Element)) return back || true;
    }
  }

  /**
   * Which parts of the ship dialog `modal` has, for the self-check: booleans, never page data
   * (`options` comes from opening the picker: `enter`).
   */
  function partsOf(modal) {
    return {
      select: Boolean(courierSelect(modal)), input: Boolean(numberInput(modal)),
      confirm: Boolean(D.buttonIn(modal, text.confirm, true)), options: null,
    };
  }

  globalThis.RedShipShipDialog = Object.freeze({
    REFIND_MS, shipDialog, dialogReady, showsOnly, courierSelect, numberInput, courierShown, numberShown, confirmIn,
    pickCourier, enterNumber, cancelDialog, track, enter, closed, partsOf,
  });
})();
