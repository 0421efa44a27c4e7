// The one typed message catalogue between RedShip's parts. Every message is
// `{type, payload}`; each type says who may send it (`content`: our content script on an
// allowed workbench origin; `page`: our own extension pages) and the payload's shape. The
// service worker validates every incoming message against this table before anything runs;
// the core validates the data again when it deserialises it.
//
// Field specs: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any', with
// '?' for optional, and an optional max size: 'string:64' (characters), 'array:10000' (items).
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
const QUOTA = {};

// ── orders / transit ────────────────────────────────────────────────────────────────────────
const TRANSIT = {};

// ── ship (tracking import and fill) ─────────────────────────────────────────────────────────
const SHIP = {};

// ── vault ───────────────────────────────────────────────────────────────────────────────────
const VAULT = {};

/** Every message type the service worker accepts. */
export const CATALOGUE = Object.freeze({ ...STATUS, ...QUOTA, ...TRANSIT, ...SHIP, ...VAULT });

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
      return value && typeof value === 'object' && !Array.isArray(value) ? null : `"${name}" must be an object`;
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
