// sw/ship.js — tracking numbers: import and preview (computed by the core), the fill run and its
// journal. The workbench tab's content script drives the run step by step (`ship.step`: the last
// action's outcome and the next order in one message; `ship.event`: an intent to press 确定);
// every step goes through the core's journal and is saved before the content script acts on it,
// so a page reload, a navigation or a worker restart resumes where it stopped and never ships an
// order twice. A step saves only what it changed (the core's write-ahead log, a few hundred
// bytes); the whole run record is saved now and then, off the content script's path, and after a
// restart the log is folded back into it (core `ShipJournal.open`, exactly once). The live run
// stays in the core's memory between steps: a step crosses only its events and its answer.
//
// Ship mode waits between orders at the run's pace (sw/ship/pace.js): each step hands the core a
// random value and answers the wait it computes (`waitMs`); the filler waits in the page.
//
// Records: `ship/current` {v, runId, updatedAtMs}; `ship/run/<id>` {v, shop, tabId, updatedAtMs,
// run: the core's FillRun}; `ship/wal/<id>`: the core's RunLog (what changed since that record
// was saved whole); `ship/<shop>/used` {v, updatedAtMs, numbers: [{number, packageId,
// shipped}]}; `ship/<shop>/dialog-parts`: the ship dialog parts the last run found (the core's
// selfcheck PartsRecord: booleans and a count). The list's orders and the platform's couriers,
// for validation: sw/ship/context.js.
import { core, office } from './core.js';
import { register, broadcast, sendToTab, exclusive } from './router.js';
import * as store from './store.js';
import { onVaultEvent } from './vault/engine.js';
import { codeOf } from './vault/storage.js';
import { warnStorageFull } from './quota/signals.js';
import { validationContext as contextWith, listSeen } from './ship/context.js';
import { paceSettings, randomU32 } from './ship/pace.js';
import * as order from './order.js';
import { fromBase64 } from '../common/base64.js';

const CURRENT = 'ship/current';
const runKey = (id) => `ship/run/${id}`;
const walKey = (id) => `ship/wal/${id}`;
const usedKey = (shop) => `ship/${shop}/used`;
const partsKey = (shop) => `ship/${shop}/dialog-parts`;

const named = (name, message) => Object.assign(new Error(message), { name });

/** Everything validation needs for `shop`, with the numbers the live run has used so far. */
const validationContext = async (shop, rows = null) => contextWith(shop, await usedWithLive(shop), rows?.map((r) => r.packageId) ?? null);

/** Numbers already used on orders of `shop` (shipped or filled by RedShip): [{number, packageId}]. */
export async function usedNumbers(shop) {
  const rec = await store.get(usedKey(shop));
  return (rec?.numbers || []).map(({ number, packageId }) => ({ number, packageId }));
}

/** The last fill run of `shop`, for the self-check: {done, failed, parts (the dialog parts it
 *  found, the core's record, or null)}, or null when it has none. */
export async function lastRunFacts(shop) {
  const cur = await liveRun();
  if (!cur || cur.rec.shop !== shop) return null;
  const { counts, runId } = cur.journal.report();
  const parts = await store.get(partsKey(shop));
  return { done: counts.shipped + counts.filled, failed: counts.failed, parts: parts?.runId === runId ? parts : null };
}

/** The shop of the workbench tab RedShip last talked to (foundation's status record). */
async function lastContact() {
  const status = await store.get('status');
  return status?.lastContact || null;
}

async function shopOrFail() {
  const contact = await lastContact();
  if (!contact?.shop) throw named('ImportError', '请先打开小红书商家工作台的订单列表（open the workbench order list first）');
  return contact.shop;
}

const cleanRows = (rows) => rows.map((r) => ({
  row: Number.isSafeInteger(r?.row) ? r.row : 0,
  packageId: String(r?.packageId ?? '').slice(0, 64),
  courier: String(r?.courier ?? '').slice(0, 64),
  number: String(r?.number ?? '').slice(0, 64),
}));

register('ship.import', async (p) => {
  const shop = await shopOrFail();
  if (!['paste', 'csv', 'xlsx'].includes(p.source)) throw named('ImportError', `unknown source ${p.source}`);
  const req = { source: p.source, ...(await validationContext(shop)) };
  if (p.source === 'paste') req.text = p.text ?? '';
  else req.bytes = fromBase64(p.bytes ?? '');
  if (p.sheet) req.sheet = p.sheet;
  // Every import (a paste, a CSV, a workbook: .xlsx, .xls and .ods all come as source 'xlsx') is
  // read by the office module, loaded on first use: the parsers are kept out of the main module.
  const view = (await office()).shipImport(req);
  return { ...view, listPages: await listSeen(shop) };
});

register('ship.sheets', async (p) => (await office()).shipSheets({ bytes: fromBase64(p.bytes) }));

register('ship.revalidate', async (p) => {
  const shop = await shopOrFail();
  const rows = cleanRows(p.rows);
  const view = (await office()).shipRevalidate({ rows, ...(await validationContext(shop, rows)) });
  return { ...view, listPages: await listSeen(shop) };
});

// The live run: {rec, journal}. `journal` (the core's ShipJournal) holds the live run, the record
// with its log folded in, and that log; `rec.run` is only the run as last saved whole. Set only
// after a save succeeded, and by a load only when nothing was saved while it read (a load racing
// a step must not put an older run back). The glue frees old journals.
let live = null;
let saves = 0;
onVaultEvent((event) => {
  if (event === 'locked' || event === 'restored') { live = null; saves += 1; }
});

/** The current run record with its run live (read whole from the journal), or null. */
async function currentRecord() {
  const cur = await liveRun();
  return cur && { ...cur.rec, run: cur.journal.run(false) };
}

/** The current run as {rec, journal} (see `live`), or null. */
async function liveRun() {
  const cur = await store.get(CURRENT);
  if (!cur?.runId) return null;
  if (live?.rec.run.runId === cur.runId) return live;
  const seen = saves;
  const got = await store.getMany([runKey(cur.runId), walKey(cur.runId)]);
  const rec = got[runKey(cur.runId)];
  if (!rec) return null;
  const logged = got[walKey(cur.runId)] ?? null;
  const journal = core.ShipJournal.open({ run: rec.run, log: logged });
  const loaded = { rec, journal };
  if (seen === saves) {
    live = loaded;
    // A log found after a restart is folded into the record by one whole save.
    if (logged) checkpointSoon();
  }
  return loaded;
}

/**
 * Saves `rec` whole, its run the journal's live one (with `staged`, as the staged step leaves
 * it: that step is made live once saved), with the used numbers, and drops the log, in one write.
 */
async function saveWhole(rec, journal, { staged = false } = {}) {
  const changes = { [runKey(rec.run.runId)]: rec, [walKey(rec.run.runId)]: null };
  const used = await mergeUsed(rec.shop, rec.run);
  if (used) changes[usedKey(rec.shop)] = used;
  saves += 1;
  await store.put(changes);
  if (staged) journal.commit();
  journal.savedWhole();
  stalled = null;
  live = { rec, journal };
}

let checkpointing = false;
/** Saves the live run whole once the step being answered is out (the queue keeps the order). */
function checkpointSoon() {
  if (checkpointing) return;
  checkpointing = true;
  setTimeout(() => exclusive(async () => {
    checkpointing = false;
    if (live) await saveWhole({ ...live.rec, run: live.journal.run(false), updatedAtMs: Date.now() }, live.journal);
  }).catch((e) => console.warn('RedShip: saving the fill run whole failed; its log keeps it:', e?.name, e?.message)), 0);
}

/** The used numbers of `shop`, with those of the live run not merged into the record yet (the
 *  core's one rule, `shipUsedMerge`, also used when a run is saved whole). */
async function usedWithLive(shop) {
  const rec = (await store.get(usedKey(shop))) ?? null;
  const current = await liveRun();
  if (current?.rec.shop !== shop) return rec?.numbers || [];
  const merged = core.shipUsedMerge(rec, { run: current.journal.run(false), nowMs: Date.now() });
  return (merged ?? rec)?.numbers || [];
}

// Why the run is not moving, when the ship page could not tell otherwise: 'storageFull' from a
// step the disk refused until a step is saved again (the content script takes the run up again).
let stalled = null;

/** What the ship page shows of the journal's live run: run state, progress, report, `waiting`. */
function stateView(journal, progress) {
  if (!journal) return { run: null };
  const report = journal.report();
  return {
    run: { runId: report.runId, mode: report.mode, state: report.state, stopReason: report.stopReason ?? null },
    progress: progress || report.progress,
    report,
    waiting: report.state === 'running' ? stalled : null,
  };
}

/**
 * Applies journal events to the current run (alone, in order) in one core call, saves what
 * changed (the log) once, tells the pages. All or nothing: an event the journal refuses throws
 * and nothing is saved. With `confirm` (ship mode), the intent to press 确定 for that order is
 * recorded in the same save if the events hand it out (`confirmed`): the content script opened
 * its dialog before asking. With `lookahead`, the answer also names the fill action expected
 * after the one handed out (`ahead`).
 */
function applyEvents(events, tabId = null, { confirm = null, lookahead = false } = {}) {
  return exclusive(async () => {
    const current = await liveRun();
    if (!current) throw named('FillError', '没有进行中的填写任务（no fill run）');
    const { rec, journal } = current;
    if (tabId !== null && rec.tabId !== tabId && !(await tabGone(rec.tabId))) {
      // Another workbench tab owns this run: it must not act on it.
      return { action: { kind: 'wait' }, progress: null };
    }
    const adopted = tabId !== null && rec.tabId !== tabId;
    // Staged in the journal; made live only once saved (a failed save leaves the run as it was).
    const view = journal.step({ events, confirm, lookahead, random: randomU32(), nowMs: Date.now() });
    if (view.changed || adopted) {
      if (adopted) {
        // The owner tab is in the record itself.
        await saveWhole({ ...rec, tabId, run: journal.run(true), updatedAtMs: Date.now() }, journal, { staged: true });
      } else {
        saves += 1;
        await store.put({ [walKey(rec.run.runId)]: view.log });
        journal.commit();
        stalled = null;
        live = { rec: { ...rec, updatedAtMs: Date.now() }, journal };
        if (view.checkpoint) checkpointSoon();
      }
      showProgress(journal, view.progress);
    }
    return { action: view.action, progress: view.progress, confirmed: view.confirmed, ahead: view.ahead, waitMs: view.waitMs };
  });
}

const applyEvent = (event, tabId = null) => applyEvents([event], tabId);

// The ship page's progress follows the run; the report behind it is computed once the answer to
// the content script has gone out, only for the latest state when several come at once, and at
// most every PROGRESS_MS while the run works (each one re-renders the page's report table).
const PROGRESS_MS = 250;
let shown = null;
let shownAt = 0;
function showProgress(journal, progress) {
  const first = !shown;
  shown = { journal, progress };
  if (first) {
    const wait = journal.state() === 'running' ? Math.max(0, shownAt + PROGRESS_MS - Date.now()) : 0;
    setTimeout(() => {
      const { journal: latest, progress: p } = shown;
      shown = null;
      shownAt = Date.now();
      broadcast('ship.progress', stateView(latest, p));
    }, wait);
  }
}

async function tabGone(tabId) {
  if (tabId === null || tabId === undefined) return true;
  try { await chrome.tabs.get(tabId); return false; } catch { return true; }
}

/** The used-numbers record with this run's shipped and filled numbers added, or null if unchanged. */
async function mergeUsed(shop, run) {
  return core.shipUsedMerge((await store.get(usedKey(shop))) ?? null, { run, nowMs: Date.now() });
}

/** Tells the run's tab to work (it also polls on load, so a missed wake is harmless). */
function wake(tabId) {
  if (tabId === null || tabId === undefined) return;
  sendToTab(tabId, 'ship.wake', {}).catch(() => {});
}

register('ship.start', async (p) => {
  if (p.mode !== 'fill' && p.mode !== 'ship') throw named('FillError', `unknown mode ${p.mode}`);
  const contact = await lastContact();
  if (!contact?.shop || (await tabGone(contact.tabId))) {
    throw named('FillError', '请先在浏览器中打开小红书商家工作台的订单列表（open the workbench order list first）');
  }
  const started = await exclusive(async () => {
    const old = await currentRecord();
    const changes = {};
    if (old) {
      // An idle run is cancelled in its own journal; a working one is refused (the core's rule).
      const run = core.shipJournalReplace({ run: old.run, nowMs: Date.now() });
      // Saved whole with its log folded in, before it stops being the current run.
      changes[runKey(run.runId)] = { ...old, run, updatedAtMs: Date.now() };
      changes[walKey(run.runId)] = null;
      const used = await mergeUsed(old.shop, run);
      if (used) changes[usedKey(old.shop)] = used;
    }
    const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { pace } = await paceSettings();
    const rows = cleanRows(p.rows);
    // The plan validates the rows once more: the office module's, as the import and the preview.
    const planned = (await office()).shipFillPlan({ runId, mode: p.mode, rows, pace, nowMs: Date.now(), ...(await validationContext(contact.shop, rows)) });
    const view = core.shipJournalApply({ run: planned, event: { type: 'start' }, nowMs: Date.now() });
    // `start` on a fresh run hands out its first item: keep the run started but unassigned,
    // the content script asks `next` itself and gets that same item again (phase opening).
    const next = { v: 1, shop: contact.shop, tabId: contact.tabId, updatedAtMs: Date.now(), run: view.run };
    saves += 1;
    await store.put({ ...changes, [CURRENT]: { v: 1, runId, updatedAtMs: Date.now() }, [runKey(runId)]: next });
    live = { rec: next, journal: core.ShipJournal.open({ run: view.run }) };
    return live;
  });
  const state = stateView(started.journal);
  broadcast('ship.progress', state);
  wake(started.rec.tabId);
  return state;
}, { queued: false });

register('ship.control', async (p) => {
  const type = { pause: 'pause', resume: 'start', cancel: 'cancel' }[p.action];
  if (!type) throw named('FillError', `unknown action ${p.action}`);
  await applyEvent({ type });
  const cur = await liveRun();
  if (type === 'start') wake(cur?.rec.tabId);
  return stateView(cur?.journal);
}, { queued: false });

// Also says when a running run's workbench tab is gone (the page asks again while nothing moves).
register('ship.state', async () => {
  const cur = await liveRun();
  const view = stateView(cur?.journal);
  if (view.run?.state === 'running' && !view.waiting && (await tabGone(cur.rec.tabId))) view.waiting = 'workbench';
  return view;
});

register('ship.reportCsv', async (p) => {
  const rec = await currentRecord();
  if (!rec) throw named('FillError', '没有填写记录（no run to export）');
  // The office module writes the CSV (rarely used: kept out of the module every start compiles).
  const csv = (await office()).shipReportCsv({ run: rec.run, lang: p.lang === 'en' ? 'en' : 'zh' });
  return { name: `redship-report-${rec.run.runId}.csv`, csv };
});

register('ship.poll', async (p, ctx) => {
  const cur = await liveRun();
  if (!cur || cur.journal.state() !== 'running') return { active: false };
  const { rec } = cur;
  const mine = rec.tabId === ctx.tabId || (rec.shop === p.shop && (await tabGone(rec.tabId)));
  return { active: mine };
}, { queued: false });

/** What the filler found of one dialog (booleans and a count), as the core takes it. */
const cleanParts = (p) => ({
  select: p.select === true, input: p.input === true, confirm: p.confirm === true,
  options: Number.isSafeInteger(p.options) && p.options >= 0 ? Math.min(p.options, 10000) : null,
});

/**
 * The content script's events as the journal takes them. A row with no 发货 control at all is a
 * fact for the orders domain, whose core words the skip (status unclear for an order it thought
 * waiting); what the filler found of the dialogs (`parts`) is kept for the self-check, off the
 * step's path.
 */
async function fromContent(raw) {
  const events = [];
  const parts = [];
  for (const { parts: found, ...e } of raw.map(contentEvent)) {
    if (found && typeof found === 'object') parts.push(cleanParts(found));
    if (e.type === 'result' && e.outcome?.kind === 'skipped' && e.outcome.reason === 'no-ship-button') {
      const shop = (await liveRun())?.rec.shop;
      // Not worded (the orders domain failed): the filler's own skip stands; it ships nothing either way.
      const outcome = shop ? await exclusive(() => order.noShipButton(shop, e.packageId)).catch(() => null) : null;
      events.push(outcome ? { ...e, outcome } : e);
    } else events.push(e);
  }
  if (parts.length) {
    recordParts(parts).catch((e) => console.warn('RedShip: dialog parts not recorded:', e?.name, e?.message));
  }
  return events;
}

/** Adds the dialog parts `seen` to the live run's shop record (the core's; written when new). */
async function recordParts(seen) {
  const cur = await liveRun();
  if (!cur) return;
  const key = partsKey(cur.rec.shop);
  const runId = cur.rec.run.runId;
  await exclusive(async () => {
    const next = core.selfcheckDialogParts((await store.get(key)) ?? null, { runId, seen, nowMs: Date.now() });
    if (next) {
      await store.put({ [key]: next });
      broadcast('selfcheck', { shop: cur.rec.shop });
    }
  });
}

/** The journal events the content script may send (start, pause and cancel are the page's). */
const CONTENT_EVENTS = new Set(['confirming', 'withdraw', 'result', 'checked', 'stop']);
function contentEvent(event) {
  if (!CONTENT_EVENTS.has(event?.type)) throw named('FillError', 'unknown fill event');
  if (JSON.stringify(event).length > 65536) throw named('FillError', 'fill event larger than 65536 characters');
  return event;
}

// One message per step of the run: the events that settle the content script's last action
// (its outcome, a withdrawn intent, a stop), then `next` — so the outcome and the next order
// cost one round trip and one save.
register('ship.step', async (p, ctx) => {
  const visible = p.visible.filter((v) => typeof v === 'string').slice(0, 2000);
  const events = await fromContent(p.events);
  return applyEvents([...events, { type: 'next', visible }], ctx.tabId, { confirm: p.confirm ?? null, lookahead: true })
    .catch(toldIfFull);
}, { queued: false });

// A single event the content script needs saved before it acts (confirming) or shown at once
// (a filled dialog left for the user).
register('ship.event', async (p, ctx) => applyEvent((await fromContent([p.event]))[0], ctx.tabId).catch(toldIfFull), { queued: false });

/** A step not saved for a full disk waits (the page takes the run up again): the user is told why. */
async function toldIfFull(e) {
  if (codeOf(e) === 'StorageFull') {
    await warnStorageFull();
    if (!stalled) {
      stalled = 'storageFull';
      broadcast('ship.progress', stateView((await liveRun())?.journal));
    }
  }
  throw e;
}
