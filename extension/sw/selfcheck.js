// The site self-check (站点自检), service-worker side: keeps today's record of what the order
// answers showed per shop (the core's ListRecord), takes the page's word that its list shows
// rows no answer accounted for, and answers the popup's line, the options page's details and
// the diagnostic report. Every judgement is the core's (selfcheck/*); this file gathers the other
// domains' facts (quota's page facts, the ship domain's courier list, the last run and the ship
// dialog parts it found, the orders whose list row disagrees about 发货) and stores the record.
//
// Record: `selfcheck/<shop>/lists` — counts, field names and types, status pairs; no buyer data.
import { core, office, siteVersion } from './core.js';
import { register, broadcast } from './router.js';
import * as store from './store.js';
import * as quota from './quota.js';
import * as ship from './ship.js';
import * as order from './order.js';
import { setAlarmCheck } from './quota/signals.js';

const listsKey = (shop) => `selfcheck/${encodeURIComponent(shop)}/lists`;

/** Adds one order answer's facts (`TransitLive.ingest`'s `view.facts`) to `shop`'s record. */
export async function recordAnswer(shop, facts) {
  if (!facts) return;
  const rec = await store.get(listsKey(shop));
  const next = core.selfcheckRecordAnswer(rec ?? null, { facts, nowMs: Date.now() });
  const wasUnread = Boolean(rec?.unread);
  await store.put({ [listsKey(shop)]: next });
  if (wasUnread && !next.unread) {
    // Readable again: the badge goes back to the number (the quota domain redraws it).
    broadcast('selfcheck', { shop });
    if (typeof quota.todayQuota === 'function') {
      const q = await quota.todayQuota(shop).catch(() => null);
      if (q) await chrome.action.setBadgeText({ text: String(q.remaining) });
    }
  }
}

register('selfcheck.unread', async (p) => {
  const rec = await store.get(listsKey(p.shop));
  const next = core.selfcheckRecordUnread(rec ?? null, { rows: p.rows, atMs: p.atMs, nowMs: Date.now() });
  await store.put({ [listsKey(p.shop)]: next });
  broadcast('selfcheck', { shop: p.shop });
  await showAlarm(p.shop);
  return null;
});

/** The shop a page asks about: the one named, else the workbench's last. */
async function shopOf(asked) {
  if (asked) return asked;
  const status = await store.get('status').catch(() => null);
  return status?.lastContact?.shop ?? null;
}

/** Everything the self-check looks at for `shop`. */
async function inputFor(shop) {
  const [lists, couriers, page, dialog, rowUnclear] = await Promise.all([
    store.get(listsKey(shop)),
    store.get(`ship/${shop}/couriers`),
    typeof quota.pageFacts === 'function' ? quota.pageFacts(shop).catch(() => null) : null,
    ship.lastRunFacts(shop).catch(() => null),
    // Orders whose row on the list disagrees with the answers about 发货 (the transit snapshot's).
    order.rowUnclear(shop).catch(() => null),
  ]);
  return {
    profileVersion: siteVersion,
    coreVersion: core.version(),
    lists: lists ?? null,
    couriers: Array.isArray(couriers?.couriers) ? couriers.couriers.length : null,
    page: page ?? null,
    dialog,
    boardReadAtMs: page?.shown?.source === 'board' ? page.shown.atMs : null,
    // The order list's help: what the profile's selectors found there (sw/list-help.js writes it).
    listHelp: (await store.get(`selfcheck/${encodeURIComponent(shop)}/listHelp`).catch(() => null)) ?? null,
    rowUnclear: Number.isSafeInteger(rowUnclear) ? rowUnclear : null,
  };
}

/** The self-check of `shop` → {level, lines} (the core's view). */
export async function selfcheckOf(shop) {
  return core.selfcheckView(await inputFor(shop));
}

/** True when `shop`'s self-check says the quota figures may be wrong (the core's `countsDoubtful`):
 *  the badge then says `?` rather than a number that may be wrong. */
export async function alarming(shop) {
  if (!shop) return false;
  try {
    // Asked by every badge update (each decrypt): only the facts that can make the figures
    // doubtful and that the quota view does not already carry (its own silent clicks put `?` on
    // the badge), so the quota dashboard is not computed a second time here. A failed ship run
    // is red on the self-check but leaves the count right.
    const lists = await store.get(listsKey(shop));
    const input = { profileVersion: siteVersion, coreVersion: core.version(), lists: lists ?? null };
    return core.selfcheckView(input).countsDoubtful === true;
  } catch {
    return false;
  }
}

// The quota badge asks before it shows a number.
setAlarmCheck(alarming);

/** Puts `?` on the badge while `shop`'s self-check is red. */
async function showAlarm(shop) {
  if (await alarming(shop)) {
    await chrome.action.setBadgeText({ text: '?' });
    await chrome.action.setBadgeBackgroundColor({ color: '#d93025' });
    await chrome.action.setTitle({ title: chrome.i18n.getMessage('selfcheckBadgeTitle') || 'RedShip: ?' });
  }
}

register('selfcheck.view', async (p) => {
  const shop = await shopOf(p.shop);
  if (!shop) return { shop: null, view: null };
  return { shop, view: await selfcheckOf(shop) };
});

register('selfcheck.report', async (p) => {
  const shop = await shopOf(p.shop);
  const input = shop ? await inputFor(shop) : { profileVersion: siteVersion, coreVersion: core.version() };
  // The report is written by the office module (asked for by a button: kept out of the main one).
  return { shop, text: (await office()).selfcheckReport(input, Date.now()) };
});
