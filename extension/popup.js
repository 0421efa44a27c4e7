// The popup: today's decrypt quota for the active shop, as the service worker's core computed
// it — used / limit / remaining, the countdown to 00:00 China time, the forecast, a 7-day
// chart, today's decrypts, and which reason to give when applying for more. Nothing here
// decides a number; it only draws the DashboardView.
import { call, onBroadcast } from './common/rpc.js';
import { localize, t, chinaTime, countdown, lockedText } from './common/i18n.js';
import { el, svg, replace } from './common/dom.js';
import { mountSelfcheckLine } from './popup/selfcheck-line.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_WORKBENCH = 'https://ark.xiaohongshu.com';
let chosenShop = null;
let current = null; // the last answer of quota.dashboard
let ticker = 0;

localize();

/** Today in China time, for the footer (and the foundation's test hook). */
function showDay(day) {
  const node = $('core-day');
  node.dataset.day = day;
  node.textContent = t('commonToday', day);
}

function showError(e) {
  $('loading').hidden = true;
  const box = $('error');
  box.hidden = false;
  // Locked by the passphrase: say so plainly (counting goes on; unlocking is in the options).
  const locked = lockedText(e);
  box.dataset.locked = String(Boolean(locked));
  box.textContent = locked ?? t('commonError', e?.message || String(e));
}

function shopPicker(d) {
  const select = $('shop');
  select.hidden = d.shops.length < 2;
  replace(select, ...d.shops.map((id) => el('option', { value: id, selected: id === d.shop }, id)));
}

/** The 7-day chart: one bar per day (used), a dashed tick at that day's limit. */
function historyChart(bars) {
  const W = 340; const H = 120; const top = 14; const bottom = 18; const gap = 10;
  const slot = W / bars.length;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.used, b.limit)));
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t('quotaHistoryTitle') });
  bars.forEach((b, i) => {
    const x = i * slot + gap / 2;
    const w = slot - gap;
    const cls = ['bar', b.today && 'today', b.limit > 0 && b.used >= b.limit && 'full'].filter(Boolean).join(' ');
    chart.append(
      svg('rect', { class: cls, x, y: y(b.used), width: w, height: Math.max(0, y(0) - y(b.used)), 'data-day': b.day, 'data-used': b.used, 'data-limit': b.limit },
        svg('title', { text: t('quotaHistoryBar', [b.day, b.used, b.limit]) })),
      svg('line', { class: 'limit', x1: x - 2, x2: x + w + 2, y1: y(b.limit), y2: y(b.limit) }),
      svg('text', { x: x + w / 2, y: Math.max(10, y(b.used) - 3), 'text-anchor': 'middle', text: b.used }),
      svg('text', { x: x + w / 2, y: H - 5, 'text-anchor': 'middle', text: b.day.slice(5) }),
    );
  });
  return chart;
}

function logRows(log) {
  // i18n-keys: quotaOutcomeCharged quotaOutcomeRepeat quotaOutcomeRefused
  const word = { charged: 'quotaOutcomeCharged', repeat: 'quotaOutcomeRepeat', refused: 'quotaOutcomeRefused' };
  return [...log].reverse().map((r) => el('tr', {
    testid: 'quota-log-row', class: r.outcome, dataset: { packageId: r.packageId, charged: String(r.charged), outcome: r.outcome, via: r.via ?? 'request' },
  }, el('td', {}, chinaTime(r.atMs, true).slice(11)), el('td', {}, r.packageId), el('td', { class: 'result' }, t(word[r.outcome] || r.outcome))));
}

function sourceLine(v) {
  // i18n-keys: quotaSourceBoard quotaSourceApi quotaSourceRefusal quotaSourceTier quotaSourceUser quotaSourceDefault
  const key = `quotaSource${v.limitSource[0].toUpperCase()}${v.limitSource.slice(1)}`;
  const parts = [t(key, [v.limit])];
  if (v.pageShown) parts.push(t('quotaPageShown', [v.pageShown.used, chinaTime(v.pageShown.atMs)]));
  if (v.clockAdjusted) parts.push(t('quotaClockAdjusted', [v.clockAdjusted]));
  return parts.join(' · ');
}

function forecastLine(v) {
  const f = v.forecast;
  const now = v.remaining === 0 ? t('quotaForecastSpent')
    : f.etaMs ? t('quotaForecastEta', [chinaTime(f.etaMs).slice(11)]) : t('quotaForecastNone');
  return `${now} ${t('quotaTomorrow', [f.tomorrow.limit])}`;
}

function raiseBox(v, workbench) {
  const box = $('raise');
  box.hidden = !v.raise;
  if (!v.raise) return;
  const url = `${workbench || DEFAULT_WORKBENCH}${v.raise.route}`;
  // i18n-keys: quotaRaiseReason1 quotaRaiseReason2 quotaRaiseReason3 quotaRaiseReason4 quotaRaiseReason5
  replace(box,
    el('div', {}, t('quotaRaiseIntro', [v.raise.reason])),
    el('div', {}, el('strong', {}, t(v.raise.textKey))),
    el('a', { class: 'link', href: url, on: { click: (e) => { e.preventDefault(); chrome.tabs.create({ url }); } } }, t('quotaRaiseOpen')));
}

/** A 查看 click showed plain text but no decrypt got recorded: the numbers may be wrong (the
 * badge says `?`), and this box says which view, when, and where to check. */
function silentBox(v) {
  const silent = v.pageFacts?.silent ?? [];
  const box = $('silent');
  box.hidden = silent.length === 0;
  box.dataset.count = String(silent.length);
  if (!silent.length) return replace(box);
  const last = silent[silent.length - 1];
  return replace(box,
    el('strong', {}, t('quotaSilentTitle')),
    el('p', {}, t('quotaSilentMessage', [chinaTime(last.atMs, true).slice(11), last.packageId])),
    silent.length > 1 ? el('p', { class: 'muted' }, t('quotaSilentMore', [silent.length - 1])) : null);
}

function tick() {
  const v = current?.view;
  if (!v) return;
  const left = v.resetAtMs - Date.now();
  $('dashboard').querySelector('[data-testid="quota-reset"]').textContent = countdown(left);
  if (left <= 0) load(); // a new China day: the worker rolls the ledger over
}

function render(d) {
  current = d;
  $('loading').hidden = true;
  // The browser storage is full (nothing new is saved) or nearly: the numbers are shown, and
  // the box says what to do.
  // i18n-keys: quotaStorageFullTitle quotaStorageFullMessage quotaStorageLowTitle quotaStorageLowMessage
  const storage = { full: ['quotaStorageFullTitle', 'quotaStorageFullMessage'], low: ['quotaStorageLowTitle', 'quotaStorageLowMessage'] }[d.storage];
  $('error').hidden = !storage;
  $('error').dataset.storage = d.storage ?? '';
  if (storage) replace($('error'), el('strong', {}, t(storage[0])), el('p', {}, t(storage[1])));
  showDay(d.day);
  shopPicker(d);
  const v = d.view;
  $('empty').hidden = Boolean(v);
  $('dashboard').hidden = !v;
  if (!v) return;
  silentBox(v);
  const q = (id) => $('dashboard').querySelector(`[data-testid="${id}"]`);
  document.body.className = `popup level-${v.level}`;
  q('quota-used').textContent = String(v.used);
  q('quota-limit').textContent = String(v.limit);
  q('quota-remaining').textContent = String(v.remaining);
  $('source').textContent = sourceLine(v);
  $('forecast').textContent = forecastLine(v);
  raiseBox(v, d.workbench);
  replace($('history'), historyChart(v.history));
  replace($('log').tBodies[0], ...logRows(v.log));
  $('log').hidden = v.log.length === 0;
  $('log-empty').hidden = v.log.length > 0;
  tick();
  clearInterval(ticker);
  ticker = setInterval(tick, 1000);
}

// One request at a time; a change announced while one is on its way asks again after it, so
// the last change is never answered with numbers from before it.
let loading = null;
let again = false;
function load() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = call('quota.dashboard', chosenShop ? { shop: chosenShop } : {})
    .then(render, showError)
    .finally(() => {
      loading = null;
      if (again) {
        again = false;
        load();
      }
    });
  return loading;
}

$('shop').addEventListener('change', (e) => { chosenShop = e.target.value; load(); });
const openPage = (path) => chrome.tabs.create({ url: chrome.runtime.getURL(path) });
document.querySelector('[data-testid="open-ship"]').addEventListener('click', () => openPage('ship.html'));
document.querySelector('[data-testid="open-transit"]').addEventListener('click', () => openPage('transit.html'));
document.querySelector('[data-testid="open-options"]').addEventListener('click', () => chrome.runtime.openOptionsPage());

/** The footer: the core's version and when the workbench was last seen (foundation status). */
// The site self-check's one line (green / amber / red); pressing it opens the details.
mountSelfcheckLine($('selfcheck'));

call('status.get').then((s) => {
  showDay(s.day);
  $('core-version').textContent = t('commonCoreVersion', s.coreVersion);
  $('last-contact').textContent = s.lastContact ? t('commonLastContact', chinaTime(s.lastContact.atMs)) : t('commonNeverContacted');
}, () => {});

let pending = 0;
onBroadcast('quota', () => { clearTimeout(pending); pending = setTimeout(load, 150); });
load();
