// `./build.sh bench` — RedShip's benchmarks, each a ratio against a baseline measured in the same
// run, on the same machine, in the same browser (machines here are shared and noisy). Prints one
// table, writes bench/results.json and rewrites the README's Performance section. --no-readme is
// a trial: neither is written, its results go to target/bench-results.json.
//
//   node bench/run.mjs [--only import,coldstart,page,fill,vault,size,memory,scale] [--quick] [--no-readme]
//
// A row whose feature has not landed prints `pending: <what is missing>` (never a figure). Exit
// status: 0 when every row measured or is pending, goals met or not (the table says); 1 when a
// row could not be measured because the bench itself failed.
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BENCH, ROOT, OUT, DIST, machine } from './lib/env.mjs';
import { judge, consoleTable, readmeSection, writeReadme } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

const ROWS = ['import', 'coldstart', 'page', 'fill', 'vault', 'size', 'memory', 'scale'];

function args(argv) {
  const o = { only: ROWS, quick: false, readme: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-readme') o.readme = false;
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a.startsWith('--only=')) o.only = a.slice(7).split(',');
    else throw new Error(`unknown argument ${a} (--only ROWS, --quick, --no-readme)`);
  }
  for (const r of o.only) if (!ROWS.includes(r)) throw new Error(`unknown row "${r}" (${ROWS.join(', ')})`);
  return o;
}

const clean = (e) => {
  const out = { ...e };
  for (const k of ['ours', 'baseline', 'ratio']) if (typeof out[k] === 'number') out[k] = round(out[k], k === 'ratio' ? 3 : 2);
  if (out.samples) out.samples = Object.fromEntries(Object.entries(out.samples).map(([k, v]) => [k, v.map((x) => round(x, 2))]));
  return out;
};

async function main() {
  const opts = args(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const m = machine();
  console.log(`RedShip bench — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.chromium}, load ${m.loadAverage.join('/')}`);
  console.log(`measuring ${DIST}`);
  const started = Date.now();
  const fresh = [];
  let broken = false;
  for (const id of ROWS.filter((r) => opts.only.includes(r))) {
    const t0 = Date.now();
    process.stdout.write(`▶ ${id} … `);
    try {
      const mod = await import(`./rows/${id}.mjs`);
      const entries = await mod.run({ quick: opts.quick });
      for (const e of entries) fresh.push(judge({ row: id, status: e.pending && e.ours == null ? 'pending' : 'measured', ...e }));
      console.log(`${Math.round((Date.now() - t0) / 1000)} s`);
    } catch (e) {
      broken = true;
      console.log('failed');
      console.error(e?.stack || e);
      fresh.push(judge({ row: id, id, figure: id, status: 'error', error: e?.message || String(e), goal: null }));
    }
  }
  // --only: keep the other rows' latest figures so the table stays whole.
  // A trial run (--no-readme) leaves the committed figures alone: its results go under target/.
  const resultsPath = opts.readme ? join(BENCH, 'results.json') : join(ROOT, 'target/bench-results.json');
  const keptPath = join(BENCH, 'results.json');
  let entries = fresh;
  if (opts.only.length < ROWS.length && existsSync(keptPath)) {
    const old = JSON.parse(readFileSync(keptPath, 'utf8')).entries || [];
    const keep = old.filter((e) => !opts.only.includes(e.row));
    entries = ROWS.flatMap((r) => (opts.only.includes(r) ? fresh : keep).filter((e) => e.row === r));
  }
  const misses = entries.filter((e) => e.pass === false).map((e) => ({ figure: e.figure, why: e.why || 'see the note' }));
  console.log('');
  console.log(consoleTable(entries));
  for (const x of misses) console.log(`  ✗ ${x.figure}: ${x.why}`);
  const results = { machine: m, seconds: Math.round((Date.now() - started) / 1000), entries: entries.map(clean) };
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, JSON.stringify(results, null, 1) + '\n');
  if (opts.readme) writeReadme(join(ROOT, 'README.md'), readmeSection(entries, m, misses));
  console.log(`\nwrote ${relative(ROOT, resultsPath)}${opts.readme ? ' and the README Performance section' : ''} (${results.seconds} s)`);
  process.exitCode = broken ? 1 : 0;
}

main().catch((e) => { console.error(e?.stack || e); process.exitCode = 1; });
