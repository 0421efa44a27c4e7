// Turns the rows' result entries into the printed table, bench/results.json and the README's
// Performance section (only the text between <!-- perf:start --> and <!-- perf:end -->).
import { readFileSync, writeFileSync } from 'node:fs';
import { round } from './stats.mjs';

/** Judges one entry: pass (boolean|null) and display strings. */
export function judge(e) {
  // A figure without a goal (goalKind 'none', e.g. the office module's size) is shown, not judged.
  if (e.status === 'pending' || e.status === 'error' || e.goalKind === 'none') return { ...e, pass: null };
  let pass;
  if (e.goalKind === 'max') pass = e.ours <= e.goal;
  else pass = Number.isFinite(e.ratio) && e.ratio <= e.goal;
  if (e.extraPass === false) pass = false;
  return { ...e, pass };
}

const fmtNum = (x, unit) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = Math.abs(x) >= 100 ? Math.round(x) : Math.abs(x) >= 10 ? round(x, 1) : round(x, 2);
  return `${v} ${unit}`;
};
const goalText = (e) => (e.goalKind === 'none' ? '—' : e.goalKind === 'max' ? `≤ ${e.goal} ${e.unit}` : `≤ ${e.goal}×`);
const mark = (e) => (e.status === 'pending' ? '…' : e.status === 'error' ? '!' : e.pass === null ? '' : e.pass ? '✓' : '✗');

/** Display cells of one entry. */
export function cells(e) {
  if (e.status === 'pending') return [e.figure, `pending: ${e.pending}`, '', '', goalText(e), mark(e)];
  if (e.status === 'error') return [e.figure, `error: ${String(e.error).split('\n')[0].slice(0, 160)}`, '', '', goalText(e), mark(e)];
  return [e.figure, fmtNum(e.ours, e.unit), fmtNum(e.baseline, e.unit), Number.isFinite(e.ratio) ? `${round(e.ratio, 2)}×` : '—', goalText(e), mark(e)];
}

const HEAD = ['Figure', 'Ours', 'Baseline', 'Ratio', 'Goal', ''];

/** The console table (monospace, CJK-safe enough: the figures are English). */
export function consoleTable(entries) {
  const rows = [HEAD, ...entries.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  const line = (r) => r.map((c, i) => c + ' '.repeat(w[i] - [...c].length)).join('  ');
  const out = [line(rows[0]), w.map((n) => '─'.repeat(n)).join('  '), ...rows.slice(1).map(line)];
  for (const e of entries) if (e.note) out.push(`  · ${e.figure}: ${e.note}`);
  return out.join('\n');
}

const md = (s) => String(s).replace(/\|/g, '\\|');

/** The README section's text. */
export function readmeSection(entries, machine, misses) {
  const lines = [];
  lines.push(`Latest \`./build.sh bench\` (${machine.date.slice(0, 16).replace('T', ' ')} UTC). Every "ours" is a median of repeated runs, measured in the same run, on the same machine and in the same browser as its baseline; ratio = ours ÷ baseline.`);
  lines.push('');
  lines.push('| Figure | Ours | Baseline | Ratio | Goal | |');
  lines.push('|---|---|---|---|---|---|');
  for (const e of entries) lines.push(`| ${cells(e).map(md).join(' | ')} |`);
  lines.push('');
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.os}; ${machine.chromium}; Node ${machine.node}; load average at start ${machine.loadAverage.join(' / ')}.`);
  lines.push('');
  const notes = entries.filter((e) => e.note);
  if (notes.length) {
    lines.push('How each figure is taken:');
    for (const e of notes) lines.push(`- **${md(e.figure)}** — ${md(e.note)}`);
    lines.push('');
  }
  if (misses.length) {
    lines.push('Goals not met, and why:');
    for (const m of misses) lines.push(`- **${md(m.figure)}** — ${md(m.why)}`);
    lines.push('');
  }
  lines.push('Reproduce: `./build.sh bench` (builds, then runs `node bench/run.mjs`; about 14 minutes on 2 cores). Some rows: `node bench/run.mjs --only coldstart,size` after a build (`--no-readme` leaves this section and `bench/results.json` alone). Rows: import, coldstart, page, fill, vault, size, memory, scale. Results: `bench/results.json`.');
  return lines.join('\n');
}

/** Replaces the text between the perf markers in README.md. */
export function writeReadme(path, section) {
  const text = readFileSync(path, 'utf8');
  const start = '<!-- perf:start -->';
  const end = '<!-- perf:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error('README.md has no perf:start/perf:end markers');
  writeFileSync(path, `${text.slice(0, a + start.length)}\n${section}\n${text.slice(b)}`);
}
