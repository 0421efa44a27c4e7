// Checks the store listing kit and the store zip against the rules that can be checked offline
// (Edge Add-ons and the Chrome Web Store): `node tools/check-store.mjs [dist]`, run by
// `./build.sh package`. Every problem is listed, naming the file and what is wrong; any problem
// exits 1.
//  - the kit: store/listing.json (both languages: name, short and long description, what each
//    permission is for), store/PRIVACY.md, the screenshots (1280×800 and 640×400) and the small
//    promo tile (440×280) in dist/store/;
//  - the zip (unpacked to a temporary folder, as a reviewer gets it): Manifest V3, name, version,
//    description within the length limits in every locale, the icons 16/32/48/128 present as PNGs
//    of those sizes, the privacy page, no remote code (no http(s) script or module URL, no eval,
//    no new Function, no 'unsafe-eval' in the content security policy) and the permissions equal
//    to the README's list.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Limits the stores state (characters). */
export const LIMITS = { name: 75, shortName: 12, description: 132, short: 132, long: 10_000 };
const ICON_SIZES = [16, 32, 48, 128];
let problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

/** Width and height of a PNG file's first frame, or null when it is not a PNG. */
export function pngSize(bytes) {
  const sig = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== sig || bytes.subarray(12, 16).toString() !== 'IHDR') return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The permissions the README's privacy section lists (backquoted, in the line "…申请了 … 的权限"). */
export function readmePermissions(text) {
  const start = text.indexOf('扩展只申请了');
  if (start < 0) return null;
  const end = text.indexOf('的权限', start);
  if (end < 0) return null;
  return [...text.slice(start, end).matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** Every path of a text file of `dir` that a browser may run (js, mjs, html). */
function scripts(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(m?js|html)$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Remote code and string evaluation in one shipped file's text. */
export function remoteCode(text) {
  const found = [];
  const rules = [
    [/<script[^>]+src\s*=\s*["']?(https?:)?\/\//i, 'a <script> loaded from another site'],
    [/\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?\s*["'`](https?:)?\/\//, 'a module imported from another site'],
    [/\bimportScripts\s*\(\s*["'`](https?:)?\/\//, 'importScripts from another site'],
    [/(^|[^.\w$])eval\s*\(/, 'eval('],
    [/\bnew\s+Function\s*\(/, 'new Function('],
    [/(^|[^.\w$])Function\s*\(\s*["'`]/, 'Function("…") (string evaluation)'],
    [/\bset(?:Timeout|Interval)\s*\(\s*["'`]/, 'setTimeout/setInterval with a string'],
  ];
  for (const [re, what] of rules) {
    const m = re.exec(text);
    if (m) found.push(`${what} at character ${m.index}`);
  }
  return found;
}

function checkKit(DIST) {
  const listingFile = join(ROOT, 'store/listing.json');
  if (!existsSync(listingFile)) return problem('store/listing.json', 'missing');
  let listing;
  try { listing = JSON.parse(readFileSync(listingFile, 'utf8')); } catch (e) { return problem('store/listing.json', `not JSON (${e.message})`); }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'extension/manifest.json'), 'utf8'));
  const perms = [...(manifest.permissions || []), ...(manifest.host_permissions || [])];
  for (const lang of ['zh_CN', 'en']) {
    const l = listing.languages?.[lang];
    const where = `store/listing.json languages.${lang}`;
    if (!l) { problem(where, 'missing'); continue; }
    if (!l.name || l.name.length > LIMITS.name) problem(`${where}.name`, `needs 1–${LIMITS.name} characters (has ${l.name?.length ?? 0})`);
    if (!l.short || l.short.length > LIMITS.short) problem(`${where}.short`, `needs 1–${LIMITS.short} characters (has ${l.short?.length ?? 0})`);
    const long = Array.isArray(l.long) ? l.long.join('\n') : '';
    if (long.length < 200 || long.length > LIMITS.long) problem(`${where}.long`, `needs 200–${LIMITS.long} characters as an array of lines (has ${long.length})`);
    if (!l.singlePurpose) problem(`${where}.singlePurpose`, 'missing');
    for (const p of perms) if (!l.permissions?.[p]) problem(`${where}.permissions`, `says nothing about "${p}" (the manifest asks for it)`);
    for (const p of Object.keys(l.permissions || {})) if (!perms.includes(p)) problem(`${where}.permissions`, `explains "${p}", which the manifest does not ask for`);
  }
  const privacy = join(ROOT, 'store/PRIVACY.md');
  if (!existsSync(privacy)) problem('store/PRIVACY.md', 'missing');
  else {
    const text = readFileSync(privacy, 'utf8');
    for (const p of perms) if (!text.includes(`\`${p}\``)) problem('store/PRIVACY.md', `does not say what "${p}" is for`);
    if (!text.includes('## 中文') || !text.includes('## English')) problem('store/PRIVACY.md', 'needs a "## 中文" and a "## English" section');
  }
  const shots = join(DIST, 'store');
  const images = existsSync(shots) ? readdirSync(shots).filter((f) => f.endsWith('.png')) : [];
  const sized = images.map((f) => [f, pngSize(readFileSync(join(shots, f)))]);
  for (const [w, h] of listing.images?.screenshots?.sizes ?? [[1280, 800], [640, 400]]) {
    const n = sized.filter(([f, s]) => f.startsWith('screenshot-') && s && s[0] === w && s[1] === h).length;
    if (n < 1) problem(relative(ROOT, shots) || shots, `no screenshot of ${w}×${h} (run tools/store-shots.mjs)`);
  }
  const [tw, th] = listing.images?.promoTile?.size ?? [440, 280];
  const tile = sized.find(([f]) => f === 'promo-tile-small.png');
  if (!tile) problem(relative(ROOT, shots) || shots, 'no promo-tile-small.png (run tools/store-shots.mjs)');
  else if (!tile[1] || tile[1][0] !== tw || tile[1][1] !== th) problem(`${relative(ROOT, shots)}/promo-tile-small.png`, `is ${tile[1]?.join('×') ?? 'not a PNG'}, must be ${tw}×${th}`);
  for (const [f, s] of sized) if (f.startsWith('screenshot-') && !s) problem(`${relative(ROOT, shots)}/${f}`, 'not a PNG');
}

function message(dir, locale, value) {
  const m = /^__MSG_(\w+)__$/.exec(value || '');
  if (!m) return value;
  const file = join(dir, '_locales', locale, 'messages.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8'))[m[1]]?.message;
}

function checkZip(zip) {
  const dir = mkdtempSync(join(tmpdir(), 'redship-store-check-'));
  try {
    execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir]);
    const where = relative(ROOT, zip);
    const mfile = join(dir, 'manifest.json');
    if (!existsSync(mfile)) return problem(where, 'no manifest.json at the top of the zip');
    const m = JSON.parse(readFileSync(mfile, 'utf8'));
    if (m.manifest_version !== 3) problem(`${where} manifest.json`, `manifest_version is ${m.manifest_version}, must be 3`);
    if (!/^\d+(\.\d+){0,3}$/.test(m.version || '')) problem(`${where} manifest.json`, `version "${m.version}" is not 1–4 dot-separated numbers`);
    const locales = existsSync(join(dir, '_locales')) ? readdirSync(join(dir, '_locales')) : [];
    if (m.default_locale && !locales.includes(m.default_locale)) problem(`${where} manifest.json`, `default_locale "${m.default_locale}" has no _locales/${m.default_locale}`);
    for (const locale of locales.length ? locales : [null]) {
      const say = (v) => (locale ? message(dir, locale, v) : v);
      for (const [field, limit] of [['name', LIMITS.name], ['short_name', LIMITS.shortName], ['description', LIMITS.description]]) {
        if (m[field] === undefined && field === 'short_name') continue;
        const text = say(m[field]);
        if (!text) problem(`${where} manifest.json ${field}`, `empty or not found in _locales/${locale}`);
        else if ([...text].length > limit) problem(`${where} manifest.json ${field} (${locale})`, `${[...text].length} characters, the limit is ${limit}: "${text}"`);
      }
    }
    for (const size of ICON_SIZES) {
      const rel = m.icons?.[size];
      if (!rel) { problem(`${where} manifest.json icons`, `no ${size}×${size} icon`); continue; }
      const file = join(dir, rel);
      if (!existsSync(file)) { problem(`${where} ${rel}`, 'missing'); continue; }
      const s = pngSize(readFileSync(file));
      if (!s || s[0] !== size || s[1] !== size) problem(`${where} ${rel}`, `is ${s ? s.join('×') : 'not a PNG'}, must be ${size}×${size}`);
    }
    for (const rel of Object.values(m.action?.default_icon || {})) if (!existsSync(join(dir, rel))) problem(`${where} ${rel}`, 'action icon missing');
    if (!existsSync(join(dir, 'privacy.html'))) problem(where, 'no privacy.html (the privacy policy page)');
    const csp = m.content_security_policy?.extension_pages || '';
    if (/'unsafe-eval'|https?:/.test(csp)) problem(`${where} manifest.json content_security_policy`, `allows remote or evaluated code: ${csp}`);
    for (const file of scripts(dir)) {
      for (const found of remoteCode(readFileSync(file, 'utf8'))) problem(`${where} ${relative(dir, file)}`, `remote code: ${found}`);
    }
    const readme = readmePermissions(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const asked = [...(m.permissions || []), ...(m.host_permissions || []), ...(m.optional_permissions || [])];
    if (!readme) problem('README.md', 'no permission list found (the 隐私声明 line "扩展只申请了 `…`、… 的权限")');
    else {
      const missing = asked.filter((p) => !readme.includes(p));
      const extra = readme.filter((p) => !asked.includes(p));
      if (missing.length) problem(`${where} manifest.json`, `asks for ${missing.join(', ')}, which README.md's permission list does not name`);
      if (extra.length) problem('README.md', `lists ${extra.join(', ')}, which the store build's manifest does not ask for`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every problem of the kit (pictures in `dist`/store) and of the zip (default: this version's in
 * `dist`), as "where: what" lines; empty when all is well.
 */
export function checkStore(dist, zip = join(dist, `redship-${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}.zip`)) {
  problems = [];
  checkKit(dist);
  if (!existsSync(zip)) problem(relative(ROOT, zip), 'missing: build first');
  else checkZip(zip);
  return problems;
}

function main() {
  const DIST = resolve(process.argv[2] || process.env.REDSHIP_DIST || join(ROOT, 'dist'));
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const zip = join(DIST, `redship-${version}.zip`);
  const problems = checkStore(DIST, zip);
  if (problems.length) {
    console.error(`store check FAILED (${problems.length}):\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`store check passed: ${relative(ROOT, zip)} and the kit (store/, ${relative(ROOT, join(DIST, 'store'))}/)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
