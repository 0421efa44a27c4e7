// The ship page: import tracking numbers (paste, CSV, XLSX), show the core's verdict for every
// row, let the user fix rows in place, then start the fill run and follow its progress and
// report. Everything shown is computed by the core in the service worker; nothing touches the
// workbench until the user presses start. Rows that failed only because their order had not been
// seen are checked again (by the core) when the worker learns orders; the pace a ship-mode run
// will keep is shown before it starts, and the pace it kept in its report.
import { call, onBroadcast } from './common/rpc.js';
import { t, localize, lockedText } from './common/i18n.js';
import { el, replace, download } from './common/dom.js';
import { previewRows } from './common/preview.js';
import { toBase64 } from './common/base64.js';

const $ = (id) => document.getElementById(id);
const zh = (chrome.i18n.getUILanguage?.() || 'zh').toLowerCase().startsWith('zh');
const msg = (r) => (zh ? r.message : r.messageEn || r.message);

let rows = []; // raw rows as the user gave or edited them: [{row, packageId, courier, number}]
let preview = null;
let runState = null;
let editing = -1;
let lastFile = null; // {name, b64}
let imports = 0; // imports so far: a check of older rows answered after an import is dropped
let listPages = null; // the 待发货 list pages RedShip read: {pages, lastTime, lastDay, today}
let pace = null; // the pace setting: {pace, choices: [{pace, minMs, maxMs}]}

/** Milliseconds as seconds for a label (1000 → 1, 2100 → 2.1). */
const secs = (ms) => String(Math.round(ms / 100) / 10);

function showError(box, e) {
  const node = $(box);
  node.hidden = !e;
  node.textContent = e ? lockedText(e) ?? (e.message || String(e)) : '';
}

// Workbooks go to the office module: .xlsx/.xlsm (RedShip's own reader), .xls and .ods (calamine);
// .xlsb is refused there with advice to save as .xlsx.
const sourceOf = (name) => (/\.(xlsx|xlsm|xls|xlsb|ods)$/i.test(name) ? 'xlsx' : 'csv');

async function doImport() {
  showError('import-error', null);
  imports += 1;
  const file = $('file').files[0];
  const text = $('paste').value;
  try {
    let view;
    if (file) {
      if (!lastFile || lastFile.name !== file.name || lastFile.size !== file.size) {
        lastFile = { name: file.name, size: file.size, b64: toBase64(await file.arrayBuffer()), sheet: '' };
      }
      const req = { source: sourceOf(file.name), bytes: lastFile.b64 };
      if (req.source === 'xlsx' && lastFile.sheet) req.sheet = lastFile.sheet;
      view = await call('ship.import', req);
    } else if (text.trim()) {
      lastFile = null;
      view = await call('ship.import', { source: 'paste', text });
    } else {
      throw new Error(t('shipNothingToImport'));
    }
    view = { ...view, rows: previewRows(view) };
    rows = view.rows.map((r) => r.raw);
    editing = -1;
    renderPreview(view);
  } catch (e) {
    showError('import-error', e);
    // A workbook whose sheet could not be read: offer its sheets so the user can pick one.
    if (lastFile && sourceOf(lastFile.name) === 'xlsx') {
      call('ship.sheets', { bytes: lastFile.b64 }).then((sheets) => renderSheets({ sheets, sheet: lastFile.sheet }), () => {});
    }
  }
}

async function revalidate() {
  const at = imports;
  try {
    const view = await call('ship.revalidate', { rows });
    if (at !== imports) return;
    renderPreview({ ...view, rows: previewRows(view) });
  } catch (e) {
    showError('import-error', e);
  }
}

function renderSheets(view) {
  const sheets = view.sheets || [];
  $('sheet-label').hidden = sheets.length < 2;
  replace($('sheet'), sheets.map((s) => el('option', { value: s, selected: s === view.sheet }, s)));
}

function renderPreview(view) {
  preview = view;
  $('preview').hidden = false;
  renderSheets(view);
  const c = view.counts;
  const summary = $('preview-summary');
  Object.assign(summary.dataset, { total: c.total, ok: c.ok, warning: c.warning, error: c.error, fillable: c.fillable });
  replace(summary, t('shipSummary', [c.total, c.ok, c.warning, c.error, c.fillable]));
  const facts = [];
  if (view.encoding) facts.push(t('shipEncoding', view.encoding));
  if (view.headerRow) facts.push(t('shipHeaderRow', view.headerRow));
  if (view.ignoredRows?.length) facts.push(t('shipIgnored', view.ignoredRows.length));
  $('preview-source').textContent = facts.join(' · ');
  if (view.listPages !== undefined) listPages = view.listPages;
  renderSeen();
  const onlyErrors = $('only-errors').checked;
  replace($('preview-body'), view.rows.map((r) => previewRow(r, onlyErrors)));
  updateButtons();
}

/** How many 待发货 pages RedShip has read and when; how many rows wait on an order not seen yet. */
function renderSeen() {
  const box = $('preview-seen');
  const v = listPages;
  const unseen = preview?.counts.unseen ?? 0;
  const parts = [];
  if (v?.pages) parts.push(t('shipListSeen', [v.pages, v.today ? v.lastTime : `${v.lastDay.slice(5)} ${v.lastTime}`]));
  else if (v) parts.push(t('shipListSeenNone'));
  if (unseen) parts.push(t('shipUnseen', unseen));
  box.textContent = parts.join(zh ? '；' : '; ');
  Object.assign(box.dataset, { pages: v?.pages ?? 0, unseen });
}

// The worker learnt orders (the merchant opened or paged the list): rows waiting only on an order
// not seen yet are checked again by the core, without pressing anything. One check at a time (a
// burst of pages asks once more at the end); a row being edited is checked when it is saved.
let checking = null;
let checkAgain = false;
function recheck() {
  if (checking) { checkAgain = true; return; }
  if (!preview?.counts.unseen || editing >= 0) return;
  checking = revalidate().finally(() => {
    checking = null;
    if (checkAgain) { checkAgain = false; recheck(); }
  });
}

/** The pace a ship-mode run started now keeps. */
function renderPace() {
  const box = $('fill-pace');
  const c = pace?.choices.find((x) => x.pace === pace.pace);
  if (!c) return;
  box.dataset.pace = pace.pace;
  // i18n-keys: shipPace_person shipPace_fast
  replace(box, t(`shipPace_${pace.pace}`, [secs(c.minMs), secs(c.maxMs)]), ' ',
    el('a', { href: 'options.html#ship-settings', target: '_blank' }, t('shipPaceChange')));
}

/** The pace the run kept (ship mode): its bounds and the average gap between shipments. */
function renderReportPace(p) {
  const box = $('report-pace');
  box.hidden = !p;
  if (!p) return;
  // i18n-keys: shipReportPace_person shipReportPace_fast
  const average = p.averageGapMs == null ? '' : t('shipReportPaceAverage', secs(p.averageGapMs));
  box.textContent = t(`shipReportPace_${p.pace}`, [secs(p.minMs), secs(p.maxMs)]) + average;
  Object.assign(box.dataset, { pace: p.pace, averageMs: p.averageGapMs ?? '', gaps: p.gaps });
}

function previewRow(r, onlyErrors) {
  const attrs = {
    testid: 'preview-row',
    class: `v-${r.verdict}`,
    dataset: { packageId: r.packageId, verdict: r.verdict, courier: r.courierCode, number: r.number, index: r.index },
    hidden: onlyErrors && r.verdict !== 'error',
  };
  if (editing === r.index) {
    const input = (field) => el('input', { value: rows[r.index][field] ?? '', dataset: { field } });
    const save = () => {
      const tr = $('preview-body').querySelector(`tr[data-index="${r.index}"]`);
      for (const i of tr.querySelectorAll('input[data-field]')) rows[r.index][i.dataset.field] = i.value;
      editing = -1;
      revalidate();
    };
    return el('tr', attrs,
      el('td', {}, String(r.row)), el('td', {}, input('packageId')), el('td', {}, input('courier')), el('td', {}, input('number')),
      el('td', {}), el('td', {},
        el('button', { class: 'primary', on: { click: save } }, t('shipSave')), ' ',
        el('button', { on: { click: () => { editing = -1; renderPreview(preview); } } }, t('shipCancelEdit'))));
  }
  const verdictText = { ok: t('shipVerdictOk'), warning: t('shipVerdictWarning'), error: t('shipVerdictError') }[r.verdict];
  return el('tr', attrs,
    el('td', {}, String(r.row)),
    el('td', { class: 'num' }, r.packageId || r.raw.packageId),
    el('td', {}, r.courierName || r.raw.courier),
    el('td', { class: 'num' }, r.number),
    el('td', {}, el('span', { class: `verdict ${r.verdict}` }, verdictText),
      r.reasons.length ? el('ul', { class: 'reasons' }, r.reasons.map((x) => el('li', { class: x.level }, msg(x)))) : null),
    el('td', {},
      el('button', { on: { click: () => { editing = r.index; renderPreview(preview); } } }, t('shipEdit')), ' ',
      el('button', { on: { click: () => { rows.splice(r.index, 1); revalidate(); } } }, t('shipRemove'))));
}

const active = () => runState?.run && !['done', 'cancelled'].includes(runState.run.state);

function updateButtons() {
  // A paused or stopped run is replaced by a new start; a working one must be paused first.
  const canStart = (preview?.counts.fillable ?? 0) > 0 && runState?.run?.state !== 'running';
  $('fill-start').disabled = !canStart;
  $('fill-pause').disabled = !active();
  $('fill-cancel').disabled = !active();
  const running = runState?.run?.state === 'running';
  $('fill-pause').textContent = running || !active() ? t('shipPause') : t('shipResume');
}

function renderRun(state) {
  runState = state;
  heardAt = Date.now();
  updateButtons();
  const progress = $('fill-progress');
  renderWaiting(state?.waiting ?? null);
  if (!state?.run) {
    Object.assign(progress.dataset, { done: 0, total: 0 });
    delete progress.dataset.runId;
    return;
  }
  const { run, report } = state;
  const c = report.counts;
  const done = c.shipped + c.filled + c.skipped + c.failed;
  const total = report.rows.length;
  Object.assign(progress.dataset, { done, total, state: run.state, runId: run.runId });
  $('fill-bar').max = Math.max(1, total);
  $('fill-bar').value = done;
  $('fill-count').textContent = `${done} / ${total}`;
  // i18n-keys: shipState_ready shipState_running shipState_paused shipState_stopped shipState_cancelled shipState_done
  // i18n-keys: shipStop_route_changed shipStop_dialog_closed shipStop_list_changed
  const stateText = t(`shipState_${run.state}`);
  const stopKey = `shipStop_${String(run.stopReason || '').replace(/-/g, '_')}`;
  const stopText = run.stopReason ? (chrome.i18n.getMessage(stopKey) || run.stopReason) : '';
  $('fill-state').textContent = stopText ? `${stateText}：${stopText}` : stateText;
  $('report').hidden = false;
  replace($('report-summary'), t('shipReportSummary', [c.shipped, c.filled, c.skipped, c.failed, c.pending]));
  renderReportPace(report.pace ?? null);
  renderReport(run.runId, report.rows);
}

/** Why a running run is not moving ('storageFull', 'workbench'), or nothing. */
function renderWaiting(waiting) {
  const box = $('fill-waiting');
  // i18n-keys: shipWaiting_storageFull shipWaiting_workbench
  box.hidden = !waiting;
  box.textContent = waiting ? t(`shipWaiting_${waiting}`) : '';
  if (waiting) $('fill-progress').dataset.waiting = waiting;
  else delete $('fill-progress').dataset.waiting;
}

// A running run that has said nothing for a while is asked about: the worker then says why it
// waits (its workbench tab closed, say), which no progress message would.
let heardAt = Date.now();
const QUIET_MS = 10_000;
setInterval(() => {
  if (runState?.run?.state !== 'running' || Date.now() - heardAt < QUIET_MS) return;
  heardAt = Date.now();
  call('ship.state').then(renderRun, () => {});
}, QUIET_MS / 2);

// The report table follows the run several times a second: rebuilt only when the run or its
// list of orders changes, otherwise only rows whose status or message changed are touched.
let shownReport = { key: '', rows: [] }; // rows: [{tr, status, note}] in report order

const noteOf = (r) => r.message || r.reason || '';

function reportCells(r) {
  const note = noteOf(r);
  // i18n-keys: shipStatus_shipped shipStatus_filled shipStatus_skipped shipStatus_failed shipStatus_pending
  return { note, status: el('td', { class: `status-${r.status}` }, t(`shipStatus_${r.status}`)), message: el('td', {}, note) };
}

function renderReport(runId, rows) {
  const key = `${runId}|${rows.map((r) => `${r.packageId}/${r.courierName}/${r.number}`).join(',')}`;
  if (key !== shownReport.key) {
    shownReport = { key, rows: [] };
    replace($('report-body'), rows.map((r) => {
      const { note, status, message } = reportCells(r);
      const tr = el('tr', { testid: 'report-row', dataset: { packageId: r.packageId, status: r.status } },
        el('td', { class: 'num' }, r.packageId), el('td', {}, r.courierName), el('td', { class: 'num' }, r.number), status, message);
      shownReport.rows.push({ tr, status: r.status, note });
      return tr;
    }));
    return;
  }
  rows.forEach((r, i) => {
    const shown = shownReport.rows[i];
    const note = noteOf(r);
    if (shown.status === r.status && shown.note === note) return;
    const cells = reportCells(r);
    shown.tr.dataset.status = r.status;
    shown.tr.children[3].replaceWith(cells.status);
    shown.tr.children[4].replaceWith(cells.message);
    Object.assign(shown, { status: r.status, note });
  });
}

async function control(action) {
  showError('fill-error', null);
  try {
    renderRun(await call('ship.control', { action }));
  } catch (e) {
    showError('fill-error', e);
  }
}

$('import-submit').addEventListener('click', doImport);
$('sheet').addEventListener('change', () => { if (lastFile) { lastFile.sheet = $('sheet').value; doImport(); } });
$('file').addEventListener('change', () => { lastFile = null; });
$('only-errors').addEventListener('change', () => preview && renderPreview(preview));
$('fill-start').addEventListener('click', async () => {
  showError('fill-error', null);
  $('fill-start').disabled = true;
  try {
    renderRun(await call('ship.start', { mode: $('fill-mode').value, rows }));
  } catch (e) {
    showError('fill-error', e);
    updateButtons();
  }
});
$('fill-pause').addEventListener('click', () => control(runState?.run?.state === 'running' ? 'pause' : 'resume'));
$('fill-cancel').addEventListener('click', () => control('cancel'));
$('report-export').addEventListener('click', async () => {
  try {
    const { name, csv } = await call('ship.reportCsv', { lang: zh ? 'zh' : 'en' });
    download(name, csv, 'text/csv;charset=utf-8');
  } catch (e) {
    showError('fill-error', e);
  }
});

onBroadcast('ship.progress', renderRun);
onBroadcast('order.known', (data) => {
  if (data?.listPages) { listPages = data.listPages; if (preview) renderSeen(); }
  recheck();
});
onBroadcast('ship.settings', (v) => { pace = v; renderPace(); });
localize();
call('ship.settings').then((v) => { pace = v; renderPace(); }, () => {});
call('ship.state').then(renderRun, (e) => showError('fill-error', e));
