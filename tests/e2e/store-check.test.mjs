// The store check (tools/check-store.mjs, run by `./build.sh package`) fails loudly: a zip that
// breaks each offline rule is refused with every problem named, where and what; the built zip
// and kit pass (once `./build.sh package` made the pictures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ROOT } from './lib/chromium.mjs';
import { checkStore, remoteCode } from '../../tools/check-store.mjs';

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

test('a zip that breaks the stores\' rules is refused, naming each problem', () => {
  const dist = mkdtempSync(join(tmpdir(), 'redship-store-bad-'));
  try {
    const ext = join(dist, 'extension');
    cpSync(join(DIST, 'extension'), ext, { recursive: true });
    const m = JSON.parse(readFileSync(join(ext, 'manifest.json'), 'utf8'));
    m.description = 'x'.repeat(133);
    m.permissions = [...m.permissions, 'tabs'];
    m.manifest_version = 2;
    writeFileSync(join(ext, 'manifest.json'), JSON.stringify(m));
    cpSync(join(ext, m.icons[16]), join(ext, m.icons[48])); // a 16×16 picture where the 48 goes
    appendFileSync(join(ext, 'popup.js'), '\nconst run = new Function("return 1");\n');
    appendFileSync(join(ext, 'options.html'), '\n<script src="https://cdn.example.com/x.js"></script>\n');
    const zip = join(dist, `redship-${version}.zip`);
    execFileSync('python3', ['-c', 'import os,sys,zipfile\nz=zipfile.ZipFile(sys.argv[2],"w")\nfor d,_,fs in os.walk(sys.argv[1]):\n  for f in fs: p=os.path.join(d,f); z.write(p, os.path.relpath(p, sys.argv[1]))', ext, zip]);
    const problems = checkStore(dist, zip).join('\n');
    for (const want of [/manifest_version is 2, must be 3/, /description.*133 characters, the limit is 132/, /icon48\.png: is 16×16, must be 48×48/,
      /popup\.js: remote code: new Function\(/, /options\.html: remote code: a <script> loaded from another site/,
      /asks for tabs, which README\.md's permission list does not name/, /no screenshot of 1280×800/, /no promo-tile-small\.png/]) {
      assert.match(problems, want);
    }
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('what the rules do not count as remote code', () => {
  // The worker's wasm needs 'wasm-unsafe-eval' and WebAssembly.instantiate; a method named eval is not eval.
  assert.deepEqual(remoteCode("WebAssembly.instantiate(bytes); x.eval(1); const evaluate = 1; // 'wasm-unsafe-eval'"), []);
  assert.equal(remoteCode('setTimeout("alert(1)", 5)').length, 1);
  assert.equal(remoteCode("import x from 'https://example.com/m.js'").length, 1);
});

test('the built zip and kit pass', { skip: !existsSync(join(DIST, 'store/promo-tile-small.png')) && 'no pictures yet: ./build.sh package makes them' }, () => {
  assert.deepEqual(checkStore(DIST), []);
});
