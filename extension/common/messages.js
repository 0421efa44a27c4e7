// The one typed message catalogue between RedShip's parts. Every message is
// `{type, payload}`; each type says who may send it (`content`: our content script on an
// allowed workbench origin; `page`: our own extension pages) and the payload's shape. The
// service worker validates every incoming message against this table before anything runs;
// the core validates the data again when it deserialises it.
//
// Field specs: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any', with
// '?' for optional, and an optional max size: 'string:64' (characters), 'array:10000' (items),
// 'object:65536' (characters of its JSON). A whole message is at most MAX_MESSAGE_CHARS.
// Domain sections: each domain edits only its own section below.

/** @typedef {'content'|'page'} Origin */

// ── status (foundation) ─────────────────────────────────────────────────────────────────────
const STATUS = {
  /** A workbench tab's content script has loaded. Answer: {coreVersion, day, resetAtMs}. */
  'status.hello': { from: ['content'], payload: { url: 'string:2048', shop: 'string:64' } },
  /** Extension pages: what the worker knows. Answer: {coreVersion, day, resetAtMs, msUntilReset, lastContact}. */
  'status.get': { from: ['page'], payload: {} },
};

// ── quota ───────────────────────────────────────────────────────────────────────────────────
const QUOTA = {
  /** A decrypt answer the page received: which package, success or refusal (never plaintext).
   *  Answer: {outcome: 'charged'|'repeat'|'refused'|null, used, limit, remaining}. */
  'quota.decrypt': { from: ['content'], payload: { shop: 'string:64', packageId: 'string:64', ok: 'boolean', quotaSpent: 'boolean', atMs: 'integer' } },
  /** What the page showed after a 查看 click (`ok`: the row's buyer fields turned from masked to
   *  plain; else a refusal toast or the platform's words, `msg`) — never any buyer text; `atMs` is
   *  the click's time; `sent`: the requests the page sent in that moment, [{path, keys, idKeys}]
   *  (names only, never values). Answer as quota.decrypt, plus decryptPath (learned or null). */
  'quota.pageDecrypt': { from: ['content'], payload: { shop: 'string:64', packageId: 'string:64', ok: 'boolean', atMs: 'integer', msg: 'string?:200', code: 'integer?', sent: 'array?:8' } },
  /** A 查看 click that showed plain text but whose decrypt was not recorded within a few seconds:
   *  the badge shows `?` until the next decrypt is counted. Answer: {badge}. */
  'quota.silent': { from: ['content'], payload: { shop: 'string:64', packageId: 'string:64', atMs: 'integer' } },
  /** Several of the four reports above (quota.decrypt, pageDecrypt, silent, read) that queued on
   *  a page, in order: items [{type, payload}], each checked as if sent alone. Answer: {results:
   *  [{ok, data} | {ok: false, error}]}, one per report applied, ending at the first that failed. */
  'quota.batch': { from: ['content'], payload: { items: 'array:32' } },
  /** The words and timings for reading decrypts from the page (the core's) and the decrypt
   *  endpoint learned for the shop: {refusalTexts, settleMs, silentMs, decryptPath}. */
  'quota.pageRules': { from: ['content'], payload: { shop: 'string?:64' } },
  /** What the workbench showed of today's quota, for the core to read through the profile's
   *  words: `source` 'board' (a block of the page's text naming the quota, `text`: read, never
   *  stored), 'api' (the profile's quota answer, `fields`: its numeric fields) or 'answer' (a
   *  small answer from another path, `path`, whose field names look like a quota: offered as the
   *  quota endpoint). Answer: {used, limit, remaining}. */
  'quota.read': { from: ['content'], payload: { shop: 'string:64', source: 'string:8', day: 'string?:10', text: 'string?:400', path: 'string?:200', fields: 'object?:2048', atMs: 'integer' } },
  /** Popup: a shop's dashboard (default the last active shop). Answer: {shops, shop, view, day,
   *  workbench} with view = the core's DashboardView, or {shops: [], shop: null} before any. */
  'quota.dashboard': { from: ['page'], payload: { shop: 'string?:64' } },
  /** Options: {settings, defaults, shops, problems}. */
  'quota.settings.get': { from: ['page'], payload: {} },
  /** Options: validates (core) and saves the settings; answer: the saved settings. */
  'quota.settings.save': { from: ['page'], payload: { settings: 'object:65536' } },
  /** Options: forgets the recorded problems. */
  'quota.problems.clear': { from: ['page'], payload: {} },
};

// ── orders / transit ────────────────────────────────────────────────────────────────────────
const TRANSIT = {
  /** A list/detail answer the page received, as its text (`kind` orderPage | orderDetail; the
   *  list `request` {page_no, page_size, status}): the worker parses it as untrusted input and
   *  collects it. Answer: {summary: {total, request, packages: [{packageId, status}]} | null,
   *  ingest: {accepted, added, updated, removed, rejected: [{index, packageId, reason}], pending}
   *  | null, error: {name, message} | null}. */
  'order.ingest': { from: ['content'], payload: { shop: 'string:64', kind: 'string:16', request: 'object?:4096', text: 'string:8388608' } },
  /** The page shipped a package (the ship endpoint answered success): it leaves the list.
   *  Answer: {removed}. */
  'order.shipped': { from: ['content'], payload: { shop: 'string:64', packageId: 'string:40' } },
  /** Rows of the list as they stand: [{packageId, shipControl}] (whether the row has a 发货
   *  control; nothing else). The core compares it with the answers: an order they call waiting
   *  whose row has none is status unclear until its row shows one again.
   *  Answer: {marked, cleared, ignored, changed} | null. */
  'order.rows': { from: ['content'], payload: { shop: 'string:64', rows: 'array:2000' } },
  /** transit.html: everything the page shows. `shop` defaults to the latest collected shop;
   *  `remaining` overrides today's remaining decrypts (else the quota ledger's number).
   *  Answer: {shops, shop, view, plan, remaining, remainingSource, templates}. */
  'transit.view': { from: ['page'], payload: { shop: 'string?:64', remaining: 'integer?', limit: 'integer?' } },
  /** Route for a SKU (remembered) or one order; `route` null clears. Answer: route counts. */
  'transit.setRoute': { from: ['page'], payload: { shop: 'string:64', scope: 'string:8', skuId: 'string?:128', packageId: 'string?:40', route: 'string?:16' } },
  /** Moves several orders at once (the planner's suggestion). Answer: route counts. */
  'transit.setRoutes': { from: ['page'], payload: { shop: 'string:64', packageIds: 'array:10000', route: 'string:16' } },
  /** The seller's edits of one order before export. Answer: the edits. */
  'transit.edit': { from: ['page'], payload: { shop: 'string:64', packageId: 'string:40', upstreamPlatform: 'string?:200', upstreamOrderNo: 'string?:200', inboundTracking: 'string?:200', notes: 'string?:200' } },
  /** Export: `format` csv | xlsx. Answer: {fileName, mime, base64, rows, packages, packageIds}. */
  'transit.export': { from: ['page'], payload: { shop: 'string:64', format: 'string:8', templateId: 'string?:40', routes: 'array?:3', packageIds: 'array?:10000' } },
  /** Templates: list; save (`template` = {id, name, columns: [{field, header}]}); delete; select.
   *  Answer: {templates, selected, fields}. */
  'transit.templates': { from: ['page'], payload: {} },
  'transit.templateSave': { from: ['page'], payload: { template: 'object:65536' } },
  'transit.templateDelete': { from: ['page'], payload: { id: 'string:40' } },
  'transit.templateSelect': { from: ['page'], payload: { id: 'string:40' } },
};

// ── ship (tracking import and fill) ─────────────────────────────────────────────────────────
const SHIP = {
  /** Page: import rows. `bytes` is the file as base64. Answer: the core's preview view. */
  'ship.import': { from: ['page'], payload: { source: 'string:8', text: 'string?:4000000', bytes: 'string?:16000000', sheet: 'string?:256' } },
  /** Page: a workbook's sheet names (base64 bytes). Answer: [name]. */
  'ship.sheets': { from: ['page'], payload: { bytes: 'string:16000000' } },
  /** Page: validate edited rows again. Answer: preview view. */
  'ship.revalidate': { from: ['page'], payload: { rows: 'array:20000' } },
  /** Page: plan a run from the confirmed rows and start it. Answer: ship state. */
  'ship.start': { from: ['page'], payload: { mode: 'string:8', rows: 'array:20000' } },
  /** Page: pause | resume | cancel the current run. Answer: ship state. */
  'ship.control': { from: ['page'], payload: { action: 'string:16' } },
  /** Page: the current run's state and report. */
  'ship.state': { from: ['page'], payload: {} },
  /** Pages: ship mode's pace setting; with `pace` ('person' | 'fast') it is changed first.
   *  Answer {pace, default, choices: [{pace, minMs, maxMs}]}. */
  'ship.settings': { from: ['page'], payload: { pace: 'string?:16' } },
  /** Page: the current run's report as CSV text. */
  'ship.reportCsv': { from: ['page'], payload: { lang: 'string?:8' } },
  /** Content: a workbench page loaded; answer {active} when it should resume a run. */
  'ship.poll': { from: ['content'], payload: { shop: 'string:64', url: 'string:2048' } },
  /** Content: the events that settle the filler's last action (result, checked, withdraw, stop),
   *  then the next action; `confirm`: the order whose dialog it is opening, to record the intent
   *  to press 确定 for it if it is the one handed out. Answer {action, progress, confirmed, ahead,
   *  waitMs}: `waitMs`, the run's pace, is how long to wait before pressing 确定 for the action. */
  'ship.step': { from: ['content'], payload: { events: 'array:4', visible: 'array:2000', confirm: 'string?:64' } },
  /** Content: one journal event saved before it acts (confirming) or shown at once (a filled
   *  dialog). Answer {action, progress, confirmed}. */
  'ship.event': { from: ['content'], payload: { event: 'object:65536' } },
  /** Content: the name under which a ship dialog offers a planned courier (`names`: the options
   *  it shows); answer the name, or null when it offers it under none (or two). */
  'ship.dialogCourier': { from: ['content'], payload: { code: 'string:64', name: 'string:64', names: 'array:200' } },
  /** Content: the platform's courier list as the page received it. */
  'ship.couriers': { from: ['content'], payload: { shop: 'string:64', couriers: 'array:500' } },
};

// ── selfcheck (站点自检) ──────────────────────────────────────────────────────────────────────
const SELFCHECK = {
  /** Content: the order list shows `rows` rows with package IDs, and no answer of the page gave
   *  RedShip a package for them (since `atMs`). Answer null. */
  'selfcheck.unread': { from: ['content'], payload: { shop: 'string:64', rows: 'integer', atMs: 'integer' } },
  /** Pages: the self-check of a shop (default the workbench's last). Answer {shop, view: {level, lines}}. */
  'selfcheck.view': { from: ['page'], payload: { shop: 'string?:64' } },
  /** Pages: the diagnostic report (no buyer data, no order IDs, no tracking numbers). Answer {shop, text}. */
  'selfcheck.report': { from: ['page'], payload: { shop: 'string?:64' } },
};

// ── list help (the order list's marks and chip, content/list-help.js) ────────────────────────
const LIST_HELP = {
  /** Content: what to draw on the order list for the package IDs on its rows; `counts`: what the
   *  site profile's selectors found {idsShown, rows, controls, masked} (numbers only). Answer:
   *  {enabled, draw, shop, day, used, limit, remaining, hintAt, hint, decrypted: [packageId],
   *  selfcheck: {level, textZh, textEn} | null, collapsed} (the last two only when `draw`). */
  'listHelp.view': { from: ['content'], payload: { shop: 'string:64', packageIds: 'array:1000', counts: 'object:512' } },
  /** Content: the corner chip was collapsed or opened; remembered. Answer {collapsed}. */
  'listHelp.collapse': { from: ['content'], payload: { collapsed: 'boolean' } },
  /** Content: open one of RedShip's pages (`page` ship | transit | options) in a new tab. */
  'listHelp.open': { from: ['content'], payload: { page: 'string:16' } },
};

// ── vault ───────────────────────────────────────────────────────────────────────────────────
const VAULT = {
  /** Lock state, mode, queued count, quarantine list, storage use, settings (null while locked). */
  'vault.status': { from: ['page'], payload: {} },
  /** Locks now (a passphrase must be set). Answer: status. */
  'vault.lock': { from: ['page'], payload: {} },
  /** Unlocks; a wrong passphrase is VaultError "WrongPassphrase: …". Answer: status. */
  'vault.unlock': { from: ['page'], payload: { passphrase: 'string:1024' } },
  /** Sets the first passphrase; `lockNow` locks right after. Answer: status. */
  'vault.setPassphrase': { from: ['page'], payload: { passphrase: 'string:1024', lockNow: 'boolean?' } },
  /** Changes the passphrase (re-wraps the key only). Answer: status. */
  'vault.changePassphrase': { from: ['page'], payload: { oldPassphrase: 'string:1024', passphrase: 'string:1024' } },
  /** Removes the passphrase (back to the device key). Answer: status. */
  'vault.removePassphrase': { from: ['page'], payload: { passphrase: 'string:1024' } },
  /** Saves settings. Answer: status. */
  'vault.settings': { from: ['page'], payload: { retentionDays: 'integer?', autoLockMinutes: 'integer?' } },
  /** Makes a backup. Answer: {fileName, text, count}. */
  'vault.backupExport': { from: ['page'], payload: { passphrase: 'string:1024' } },
  /** Restores a backup (replaces all data, all or nothing). Answer: {count, createdMs}. */
  'vault.backupImport': { from: ['page'], payload: { text: 'string:15000000', passphrase: 'string:1024' } },
  /** Deletes one quarantined record. Answer: status. */
  'vault.quarantineDelete': { from: ['page'], payload: { quarantineKey: 'string:256' } },
  /** Frees space with the user's consent: old history. Answer: {removed}. */
  'vault.pruneHistory': { from: ['page'], payload: { olderThanDays: 'integer' } },
};

// ── release ─────────────────────────────────────────────────────────────────────────────────
const RELEASE = {
  /** Extension pages: the version, the data format (version, date), the line on what changed
   *  after an update (until dismissed) and the records a newer RedShip wrote. Answer:
   *  {version, format: {version, date}, notice: {version, previous, zh, en} | null, newer: [{storageKey, found}]}. */
  'release.get': { from: ['page'], payload: {} },
  /** The popup's line on what changed was dismissed. Answer: {dismissed: version | null}. */
  'release.dismiss': { from: ['page'], payload: {} },
};

/** Every message type the service worker accepts. */
export const CATALOGUE = Object.freeze({ ...STATUS, ...QUOTA, ...TRANSIT, ...SHIP, ...SELFCHECK, ...LIST_HELP, ...VAULT, ...RELEASE });

/** Upper bound on one message's JSON size (a 10,000-row XLSX as base64 fits). */
export const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

function checkField(name, spec, value) {
  const [typeSpec, maxSpec] = spec.split(':');
  const optional = typeSpec.endsWith('?');
  const type = optional ? typeSpec.slice(0, -1) : typeSpec;
  const max = maxSpec ? Number(maxSpec) : Infinity;
  if (value === undefined || value === null) return optional ? null : `"${name}" is missing`;
  switch (type) {
    case 'any': return null;
    case 'string':
      if (typeof value !== 'string') return `"${name}" must be text`;
      return value.length > max ? `"${name}" is longer than ${max} characters` : null;
    case 'number': return Number.isFinite(value) ? null : `"${name}" must be a number`;
    case 'integer': return Number.isSafeInteger(value) ? null : `"${name}" must be a whole number`;
    case 'boolean': return typeof value === 'boolean' ? null : `"${name}" must be true or false`;
    case 'array':
      if (!Array.isArray(value)) return `"${name}" must be a list`;
      return value.length > max ? `"${name}" has more than ${max} items` : null;
    case 'object':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return `"${name}" must be an object`;
      // For objects the bound is on their JSON size (characters).
      return Number.isFinite(max) && JSON.stringify(value).length > max ? `"${name}" is larger than ${max} characters` : null;
    default: return `"${name}" has an unknown spec "${spec}"`;
  }
}

/**
 * Checks a message against the catalogue for a sender of `origin`.
 * @param {unknown} msg
 * @param {Origin|null} origin
 * @returns {{ok: true, type: string, payload: object} | {ok: false, error: string}}
 */
export function validateMessage(msg, origin) {
  if (!origin) return { ok: false, error: 'sender is not RedShip on an allowed page' };
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return { ok: false, error: 'not a RedShip message' };
  for (const key of Object.keys(msg)) {
    if (key !== 'type' && key !== 'payload') return { ok: false, error: `unexpected top-level field "${key.slice(0, 64)}"` };
  }
  let size;
  try { size = JSON.stringify(msg).length; } catch { return { ok: false, error: 'the message is not plain data' }; }
  if (size > MAX_MESSAGE_CHARS) return { ok: false, error: `the message is larger than ${MAX_MESSAGE_CHARS} characters` };
  const entry = Object.hasOwn(CATALOGUE, msg.type) ? CATALOGUE[msg.type] : null;
  if (!entry) return { ok: false, error: `unknown message type "${msg.type.slice(0, 64)}"` };
  if (!entry.from.includes(origin)) return { ok: false, error: `"${msg.type}" may not come from ${origin}` };
  const payload = msg.payload ?? {};
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, error: `"${msg.type}": payload must be an object` };
  for (const key of Object.keys(payload)) {
    if (!Object.hasOwn(entry.payload, key)) return { ok: false, error: `"${msg.type}": unexpected field "${key.slice(0, 64)}"` };
  }
  for (const [name, spec] of Object.entries(entry.payload)) {
    const problem = checkField(name, spec, payload[name]);
    if (problem) return { ok: false, error: `"${msg.type}": ${problem}` };
  }
  return { ok: true, type: msg.type, payload };
}
