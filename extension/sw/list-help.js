// Help on the order list (issue 26 item 5), service-worker side: answers the list script
// (content/list-help.js) with what to draw — which of the package IDs on its rows were decrypted
// today, today's remaining decrypts (the popup's number), whether the quiet hint shows, the
// self-check's state when it is not green, and whether the corner chip is collapsed — and opens
// RedShip's pages for the chip's links. Every rule is the core's (quotaListHelp,
// selfcheckListHelpSeen); this file loads records, calls the core and saves what changed.
//
// Records: `selfcheck/<shop>/listHelp` (the core's ListHelpRecord: what the profile's selectors
// found, counts only) and `listHelp/chip` {v, collapsed, updatedAtMs}.
import { core } from './core.js';
import { register, broadcast, sendToTab } from './router.js';
import * as store from './store.js';
import { inputs } from './quota/records.js';
import { selfcheckOf } from './selfcheck.js';

const CHIP_KEY = 'listHelp/chip';
const seenKey = (shop) => `selfcheck/${encodeURIComponent(shop)}/listHelp`;
/** The pages the chip links to, by name: nothing else can be opened from a content script. */
const PAGES = { ship: 'ship.html', transit: 'transit.html', options: 'options.html' };

/** Tabs that asked lately, tabId → shop: told to ask again when the ledger or settings change.
 *  Lost when the worker stops; the script also asks again on re-renders, clicks and focus. */
const tabs = new Map();

/** The self-check's word for the chip: its level and, unless green, its first line that is not. */
async function selfcheckBrief(shop) {
  const view = await selfcheckOf(shop).catch(() => null);
  if (!view) return null;
  const line = view.lines.find((l) => l.level === view.level && view.level !== 'ok') ?? null;
  return { level: view.level, textZh: line?.textZh ?? '', textEn: line?.textEn ?? '' };
}

register('listHelp.view', async (p, ctx) => {
  const nowMs = Date.now();
  const ids = p.packageIds.filter((id) => typeof id === 'string' && id.length <= 64);
  const help = core.quotaListHelp({ ...(await inputs(p.shop, nowMs)), shop: p.shop, nowMs }, ids);
  if (ctx.tabId !== null) tabs.set(ctx.tabId, p.shop);
  const prev = await store.get(seenKey(p.shop));
  const seen = core.selfcheckListHelpSeen(prev ?? null, { enabled: help.enabled, counts: p.counts, nowMs });
  if (seen.changed) {
    await store.put({ [seenKey(p.shop)]: seen.record });
    broadcast('selfcheck', { shop: p.shop });
  }
  if (!seen.draw) return { ...help, draw: false, decrypted: [] };
  const [selfcheck, chip] = await Promise.all([selfcheckBrief(p.shop), store.get(CHIP_KEY)]);
  return { ...help, draw: true, selfcheck, collapsed: chip?.collapsed === true };
});

register('listHelp.collapse', async (p) => {
  await store.put({ [CHIP_KEY]: { v: 1, collapsed: p.collapsed, updatedAtMs: Date.now() } });
  return { collapsed: p.collapsed };
});

register('listHelp.open', async (p) => {
  if (!Object.hasOwn(PAGES, p.page)) throw Object.assign(new Error(`unknown page "${p.page}"`), { name: 'MessageError' });
  if (p.page === 'options') await chrome.runtime.openOptionsPage();
  else await chrome.tabs.create({ url: chrome.runtime.getURL(PAGES[p.page]) });
  return null;
}, { queued: false });

/** Pushes to one tab wait this long for more: a burst of reports (three per 查看 click, clicks
 *  one after another) is one message to the page, not one per report. Each message is a task on
 *  the page's main thread, and the script waits for a burst's end anyway (its PUSH_MS). */
const PUSH_COALESCE_MS = 250;
const pushing = new Map(); // tabId → timer of the push due

/** The list help of `shop`'s tabs (every tab when `shop` is null) is out of date: they ask again. */
export function listHelpChanged(shop = null) {
  for (const [tabId, tabShop] of tabs) {
    if ((shop !== null && tabShop !== shop) || pushing.has(tabId)) continue;
    pushing.set(tabId, setTimeout(() => {
      pushing.delete(tabId);
      sendToTab(tabId, 'listHelp.refresh', {}).catch(() => tabs.delete(tabId));
    }, PUSH_COALESCE_MS));
  }
}
