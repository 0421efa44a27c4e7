// list-help-pins: the list help's marks and hints (content/list-help.js draws them in its shadow
// root), each beside the 查看 control it belongs to, placed by that control's box in document
// coordinates and shown only near the view. Reads the page's layout and writes only our own
// elements: every box is read before any pin moves, so a placement lays the page out at most once.
// Classic script, isolated world; exposes `globalThis.RedShipListHelpPins.create(site)`.
(() => {
  if (globalThis.RedShipListHelpPins) return;

  /** Whether a box is laid out at all (a hidden control's box has no size). */
  const sized = (b) => Boolean(b) && b.width > 0 && b.height > 0;

  /** The pins of one list (one per page): `site` is the site profile (its `dom.modal`). */
  function create(site) {
    /** Pins: control → {el, kind, id, nth, text, left, top, display} — our marks and hints, each
     *  beside its control (the row's `nth`), with the place last written (a redraw keeps the pins
     *  that did not change). */
    let pins = new Map();
    /** Places the pins: every box read first (`measure`), then every change written (`apply`),
     *  so the page is laid out at most once per placement (a write between two reads would lay
     *  it out again for each pin). */
    function place() {
      apply(measure());
    }
    /** Pins further than this (in view heights) above or below the view are not shown: a 500-row
     *  list with 300 marks lays out and paints the few near the view, not 300 (scrolling places
     *  them again, once per frame). */
    const NEAR_VIEWS = 1;
    /** From this many pins on, only the boxes near the view are read (see `measure`). */
    const SEARCH_FROM = 24;
    /** The boxes of the pins' controls (null: not shown, or far from the view), in the pins'
     *  order. The pins follow the rows' order, which on a list runs down the page: the first
     *  control near the view is found by halving, and boxes are read from there until they lie
     *  below it — a few dozen box reads for 300 marks, not 300 (2.4 ms a placement, measured, at
     *  every draw and every scrolled frame). Where the boxes read do not run down in order (a
     *  hidden control, controls laid out across or upwards), every box is read, as always. */
    function measure() {
      const controls = [...pins.keys()];
      const n = controls.length;
      const out = { boxes: new Array(n).fill(null), scrollX: window.scrollX, scrollY: window.scrollY, height: window.innerHeight };
      if (!n || modalOpen()) return out;
      const probed = new Map(); // index → box, every box read so far
      const probe = (i) => {
        if (!probed.has(i)) probed.set(i, controls[i].isConnected ? controls[i].getBoundingClientRect() : null);
        return probed.get(i);
      };
      const everyBox = () => {
        for (let i = 0; i < n; i++) out.boxes[i] = probe(i);
        return out;
      };
      if (n < SEARCH_FROM) return everyBox();
      const margin = out.height * NEAR_VIEWS;
      // The first pin whose box reaches down to the near zone (its bottom at or below its top edge).
      if (![0, n - 1].every((i) => sized(probe(i)))) return everyBox();
      let lo = 0;
      let hi = n; // every pin before `lo` ends above the zone; the one at `hi` (if any) reaches it
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const b = probe(mid);
        if (!sized(b)) return everyBox();
        if (b.bottom < -margin) lo = mid + 1;
        else hi = mid;
      }
      // The pins read while halving must run down the page in order, else the halving meant nothing.
      let last = -Infinity;
      for (const i of [...probed.keys()].sort((a, b) => a - b)) {
        if (probed.get(i).top < last - 1) return everyBox();
        last = probed.get(i).top;
      }
      // From there down until a box lies below the zone; one out of order: every box.
      let prev = lo > 0 ? probe(lo - 1) : null;
      if (!sized(prev)) prev = null;
      for (let i = lo; i < n; i++) {
        const b = probe(i);
        if (!sized(b)) continue; // a hidden control: not shown, the walk goes on
        if (prev && b.top < prev.top - 1) return everyBox();
        prev = b;
        out.boxes[i] = b;
        if (b.top > out.height + margin) break;
      }
      return out;
    }
    function apply({ boxes, scrollX, scrollY, height }) {
      const margin = height * NEAR_VIEWS;
      let i = 0;
      for (const pin of pins.values()) {
        const box = boxes[i++];
        const shown = sized(box) && box.bottom >= -margin && box.top <= height + margin;
        const display = shown ? '' : 'none';
        if (pin.display !== display) pin.el.style.display = pin.display = display;
        if (!shown) continue;
        const left = `${box.right + scrollX + 4}px`;
        const top = `${box.top + scrollY + box.height / 2}px`;
        if (pin.left !== left) pin.el.style.left = pin.left = left;
        if (pin.top !== top) pin.el.style.top = pin.top = top;
      }
    }
    // The page's own dialog (ship, …) sits over the list: our pins hide meanwhile.
    const modalOpen = () => [...document.querySelectorAll(site.dom.modal)].some((m) => m.getClientRects().length > 0);

    /** One mark or hint (made directly: a 500-row list draws up to a few hundred at once). */
    function makePin(kind, id, text) {
      const el = document.createElement('span');
      el.className = `pin ${kind}`;
      el.setAttribute('data-testid', `list-help-${kind}`);
      el.setAttribute('data-package-id', id);
      el.textContent = text;
      return el;
    }

    /**
     * Sets the pins for `rows` ([{id, controls}], the rows' order): `decide(id)` gives a row's
     * {kind, text}, or null for none. A pin whose control, kind and text stay is kept, also when
     * its row was rendered anew (`id`'s `nth` control: a 500-row list re-renders every row, and
     * making 300 marks again each time was most of the help's work on the page). Returns the pins'
     * elements in order.
     */
    function rebuild(rows, decide) {
      const before = pins;
      pins = new Map();
      const used = new Set();
      // The pins of controls no longer in the page, by order and place: `id`'s `nth` control.
      const spare = new Map();
      for (const [control, pin] of before) if (!control.isConnected) spare.set(`${pin.id} ${pin.nth}`, pin);
      for (const { id, controls } of rows) {
        const want = decide(id);
        if (!want) continue;
        const { kind, text } = want;
        controls.forEach((control, nth) => {
          const old = before.get(control) ?? spare.get(`${id} ${nth}`);
          if (old && old.kind === kind && old.id === id && old.text === text && !used.has(old) && !pins.has(control)) {
            old.nth = nth;
            used.add(old);
            pins.set(control, old);
            return;
          }
          pins.set(control, { el: makePin(kind, id, text), kind, id, nth, text, left: '', top: '', display: '' });
        });
      }
      return [...pins.values()].map((p) => p.el);
    }

    return {
      rebuild,
      measure,
      apply,
      place,
      /** How many pins there are. */
      size: () => pins.size,
      /** Forgets every pin (their elements go with the layer). */
      clear: () => { pins = new Map(); },
    };
  }

  globalThis.RedShipListHelpPins = { create };
})();
