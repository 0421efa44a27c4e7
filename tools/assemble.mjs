// Assembles the unpacked extension from extension/ and the wasm-bindgen output:
//   dist/extension/        production: host permission https://ark.xiaohongshu.com/* only
//   dist/extension-dev/    tests and demo: also http://127.0.0.1/* (the workbench replica)
//   dist/redship-<ver>.zip the production build, store-ready
// The service worker's module graph (sw.js, sw/, common/messages.js, the wasm glue) is bundled
// into one sw.js with esbuild: a cold start fetches and parses every module of the graph before
// any runs, about 20 files, and that alone was a third of the time to the first answer. The
// bundle is not minified (each part keeps its source path as a comment); the sources stay as
// they are, and sw/ is left out of the build.
// It also merges the per-domain string tables extension/i18n/*.json ({key: {zh_CN, en}}) into
// Chrome's _locales/<lang>/messages.json, failing on a key missing a language or defined twice.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mergeLocales } from './i18n.mjs';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'extension');
// REDSHIP_DIST lets an engineer build into a private folder while others test the shared one.
const DIST = resolve(process.env.REDSHIP_DIST || join(ROOT, 'dist'));
/** The hosts the development build adds so tests and the demo can run on the replica. */
export const DEV_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];

const pkgDir = resolve(process.argv[2] || join(ROOT, 'target/pkg'));
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** Bundles the worker entry `entry` (and every module it imports) into that one file. */
function bundleWorker(root, entry) {
  const file = join(root, entry);
  buildSync({
    entryPoints: [file], outfile: file, allowOverwrite: true, bundle: true, format: 'esm', absWorkingDir: root,
    // Chromium only (MV3); Chinese texts stay as they are, not \u escapes.
    target: 'chrome120', charset: 'utf8', legalComments: 'none', logLevel: 'warning',
  });
  // Only the worker imported these: the bundle holds them now.
  rmSync(join(root, 'sw'), { recursive: true, force: true });
}

function assemble(target, dev) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(SRC)) {
    if (entry === 'i18n' || entry === 'manifest.json') continue;
    cpSync(join(SRC, entry), join(target, entry), { recursive: true });
  }
  mkdirSync(join(target, 'pkg'), { recursive: true });
  for (const f of ['redship_wasm.js', 'redship_wasm_bg.wasm', 'redship_office.js', 'redship_office_bg.wasm']) {
    if (!existsSync(join(pkgDir, f))) throw new Error(`missing ${f} in ${pkgDir}: build the wasm first`);
    cpSync(join(pkgDir, f), join(target, 'pkg', f));
  }
  for (const [lang, messages] of Object.entries(mergeLocales())) {
    mkdirSync(join(target, '_locales', lang), { recursive: true });
    writeFileSync(join(target, '_locales', lang, 'messages.json'), JSON.stringify(messages, null, 1));
  }
  // Chrome injects a file once per frame even when two worlds list it, so the page-world hook
  // gets its own copy of the one site profile.
  cpSync(join(SRC, 'content/site-profile.js'), join(target, 'content/site-profile.main.js'));
  const manifest = JSON.parse(readFileSync(join(SRC, 'manifest.json'), 'utf8'));
  bundleWorker(target, manifest.background.service_worker);
  // The wasm glue is in the bundle now and no page imports it: the store build leaves the two
  // files out. The development build keeps them for the bench, whose harness page imports them.
  if (!dev) for (const f of ['redship_wasm.js', 'redship_office.js']) rmSync(join(target, 'pkg', f));
  manifest.version = version;
  if (dev) {
    manifest.name = `${manifest.name} (dev)`;
    manifest.host_permissions = [...manifest.host_permissions, ...DEV_HOSTS];
    for (const cs of manifest.content_scripts) cs.matches = [...cs.matches, ...DEV_HOSTS];
  }
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

assemble(join(DIST, 'extension'), false);
assemble(join(DIST, 'extension-dev'), true);

// Zip the production build with fixed timestamps and sorted names, so it is reproducible.
const zip = join(DIST, `redship-${version}.zip`);
rmSync(zip, { force: true });
execFileSync('python3', ['-c', `
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
names = sorted(os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs)
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in names:
        info = zipfile.ZipInfo(n.replace(os.sep, '/'), date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(src, n), 'rb') as fh:
            z.writestr(info, fh.read())
`, join(DIST, 'extension'), zip]);
console.log(`${DIST}: extension, extension-dev, redship-${version}.zip`);
