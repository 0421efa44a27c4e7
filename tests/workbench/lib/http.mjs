// HTTP plumbing for the replica: JSON bodies and answers in the platform's envelope, static files
// with the strict CSP every page carries, and the SPA fallback for the app routes (its page carries
// the shape served in a `<meta name="replica-shape">`, so the SPA's tabs send that shape's codes
// without an inline script or an extra request, and the ship dialog's test mode, when one is set,
// in a `<meta name="replica-dialog">`; a decrypt moved to another path in a `<meta
// name="replica-decrypt">`; rows drawn without 发货 in a `<meta name="replica-no-ship">`).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tabCodes } from './shape.mjs';

/** The CSP of every page (SPEC: like a real site; no inline script). */
export const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const VUE = [
  fileURLToPath(new URL('../../../node_modules/vue/dist/vue.runtime.esm-browser.prod.js', import.meta.url)),
].find(existsSync);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Reads a JSON request body (empty body -> {}); throws on malformed JSON. */
export async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > 20_000_000) throw new Error('body too large');
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : {};
}

/** Sends `body` as JSON with `status`. */
export function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The platform envelope for success. */
export const ok = (data) => ({ code: 0, success: true, msg: '成功', data });
/** The platform envelope for a failure. */
export const fail = (code, msg) => ({ code, success: false, msg, data: null });

async function sendFile(res, file, type, transform) {
  let body = await readFile(file);
  if (transform) body = Buffer.from(transform(body.toString('utf8')), 'utf8');
  res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' });
  res.end(body);
}

/** The `<meta>` that tells the SPA the shape served and the status codes its tabs send. */
function shapeMeta(shape) {
  const { pending, shipped } = tabCodes(shape);
  return `<meta name="replica-shape" content="${shape}" data-pending="${pending.join(',')}" data-shipped="${shipped.join(',')}">`;
}

/**
 * The `<meta>` that tells the SPA how its ship dialog renders (`/__test/dialog-mode`), or nothing
 * in the default mode. IDs are package IDs the hook was given: attribute-escaped all the same.
 */
function dialogMeta(mode) {
  if (!mode?.rebuild && !mode?.swap) return '';
  const esc = (s) => String(s).replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const swap = mode.swap ? ` data-swap-for="${esc(mode.swap.package_id)}" data-swap-to="${esc(mode.swap.show_package_id)}"` : '';
  return `\n  <meta name="replica-dialog" content="${mode.rebuild ? 'rebuild' : 'normal'}"${swap}>`;
}

/** Where the decrypt endpoint is by default (SPEC's guess). */
export const DEFAULT_DECRYPT_PATH = '/api/edith/fulfillment/package/receiver/decrypt';
let decryptAt = DEFAULT_DECRYPT_PATH;

/** The path the replica's decrypt answers on now (`POST /__test/decrypt-path`). */
export function decryptPath() { return decryptAt; }

/** Moves the decrypt to `path` (an `/api/` path; null or '' = back to the default). */
export function setDecryptPath(path) {
  const p = path ? String(path) : DEFAULT_DECRYPT_PATH;
  if (!/^\/api\/[A-Za-z0-9_\-/]+$/.test(p)) throw new Error(`decrypt path "${p.slice(0, 80)}" is not an /api/ path`);
  decryptAt = p;
  return decryptAt;
}

/** The `<meta>` that tells the SPA where its decrypt is, when it was moved (else nothing). */
function decryptMeta() {
  return decryptAt === DEFAULT_DECRYPT_PATH ? '' : `\n  <meta name="replica-decrypt" content="${decryptAt}">`;
}

/** How today's quota is told (`POST /__test/quota-form`): null = SPEC's guessed path and
 *  fields with the statistic block; else {path, board} — the quota answered at another path
 *  with other field names ({useNum, allNum, date}), and the board drawn as 'cards' (value above
 *  its caption, no statistic class) or 'sentence' (one line of text). */
let quotaForm = null;
const BOARDS = ['statistic', 'cards', 'sentence'];

/** The quota form now. */
export function quotaFormNow() { return quotaForm; }

/** Sets the quota form (`{path?, board?}`; empty = back to the default). */
export function setQuotaForm(body) {
  const path = body?.path ? String(body.path) : null;
  const board = body?.board ? String(body.board) : 'statistic';
  if (path && !/^\/api\/[A-Za-z0-9_\-/]+$/.test(path)) throw new Error(`quota path "${path.slice(0, 80)}" is not an /api/ path`);
  if (!BOARDS.includes(board)) throw new Error(`board must be one of ${BOARDS.join(', ')}`);
  quotaForm = path || board !== 'statistic' ? { path, board } : null;
  return quotaForm ?? { path: null, board: 'statistic' };
}

/** The `<meta>` that tells the SPA its quota form, when not the default. */
function quotaMeta() {
  if (!quotaForm) return '';
  return `\n  <meta name="replica-quota" content="${quotaForm.board}"${quotaForm.path ? ` data-path="${quotaForm.path}"` : ''}>`;
}

/** The `<meta>` naming rows drawn without their 发货 button (`/__test/ship-button`), or nothing. */
function hideShipMeta(ids) {
  return ids?.length ? `\n  <meta name="replica-no-ship" content="${ids.join(',')}">` : '';
}

/** Serves the SPA shell, its static files and vendored Vue; returns false when not a page path. */
export async function serveStatic(req, res, path, { shape = 'seen', dialog = null, hideShip = [] } = {}) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/' || path === '/app-order' || path === '/app-order/') {
    res.writeHead(302, { location: '/app-order/order/query' });
    res.end();
    return true;
  }
  if (path.startsWith('/app-order/')) {
    await sendFile(res, join(PUBLIC, 'index.html'), TYPES['.html'], (html) => html.replace('</head>', `  ${shapeMeta(shape)}${dialogMeta(dialog)}${decryptMeta()}${quotaMeta()}${hideShipMeta(hideShip)}\n</head>`));
    return true;
  }
  if (path === '/static/vendor/vue.js') {
    await sendFile(res, VUE, TYPES['.js']);
    return true;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return true;
  }
  if (path.startsWith('/static/')) {
    const rel = normalize(decodeURIComponent(path.slice('/static/'.length)));
    const file = join(PUBLIC, rel);
    if (!file.startsWith(PUBLIC) || rel.startsWith('..') || !existsSync(file) || !TYPES[extname(file)]) return false;
    await sendFile(res, file, TYPES[extname(file)]);
    return true;
  }
  return false;
}
