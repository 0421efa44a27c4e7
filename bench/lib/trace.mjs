// Chrome tracing on one page (CDP Tracing domain) and the long-task analysis of the page's
// renderer main thread: which tasks ran over 50 ms, and how much of each was the extension's
// script (top-level FunctionCall / EvaluateScript / listener events whose script URL is
// chrome-extension://…: its hook's XHR listener, its content scripts' message handlers).

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', '__metadata'];

/** Starts tracing on a Playwright CDP session; returns `stop()` → trace events. */
export async function startTrace(cdp) {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' } });
  return async () => {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    const { stream } = await done;
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream, size: 4 * 1024 * 1024 });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : parsed.traceEvents;
  };
}

const urlOf = (e) => e.args?.data?.url || e.args?.data?.scriptName || e.args?.data?.stackTrace?.[0]?.url || '';
const SCRIPT_EVENTS = new Set(['FunctionCall', 'EvaluateScript', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'v8.callFunction']);

/** The trace time (µs) of the first `console.timeStamp(label)` in `events`, or null. */
export function markAt(events, label) {
  return events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === label)?.ts ?? null;
}

/**
 * Long tasks of the page's main thread (the renderer thread that ran `pageOrigin`'s scripts),
 * only of the tasks that began in `[from, to)` (trace µs; the whole trace by default).
 * → {tasks: n, long: [{ms, extMs}], caused: n (long only because of the extension), maxExtMs,
 *    files: {file: extension script ms}}
 */
export function longTasks(events, pageOrigin, limitMs = 50, { from = -Infinity, to = Infinity } = {}) {
  const threads = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') threads.set(`${e.pid}:${e.tid}`, true);
  }
  let main = null;
  for (const e of events) {
    if (e.name === 'FunctionCall' || e.name === 'EvaluateScript') {
      const key = `${e.pid}:${e.tid}`;
      if (threads.has(key) && urlOf(e).startsWith(pageOrigin)) { main = key; break; }
    }
  }
  if (!main) return { tasks: 0, long: [], caused: 0, maxExtMs: 0, found: false };
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.ts >= from && e.ts < to);
  // Top-level tasks only: Chrome nests RunTask inside ThreadControllerImpl::RunTask.
  const tasks = [];
  for (const t of onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
    const last = tasks[tasks.length - 1];
    if (!last || t.ts >= last.ts + last.dur) tasks.push(t);
  }
  const scripts = onMain.filter((e) => SCRIPT_EVENTS.has(e.name) && urlOf(e).startsWith('chrome-extension://')).sort((a, b) => a.ts - b.ts);
  // Extension script time by file (outermost events only).
  const byFile = {};
  let outerEnd = 0;
  for (const sEv of scripts) {
    if (sEv.ts < outerEnd) continue;
    outerEnd = sEv.ts + (sEv.dur || 0);
    const file = urlOf(sEv).replace(/^chrome-extension:\/\/[^/]+\//, '');
    byFile[file] = (byFile[file] || 0) + (sEv.dur || 0) / 1000;
  }
  const long = [];
  let maxExtMs = 0;
  let caused = 0;
  let j = 0;
  for (const t of tasks) {
    const end = t.ts + t.dur;
    let ext = 0;
    let coveredTo = 0;
    while (j < scripts.length && scripts[j].ts < t.ts) j++;
    for (let k = j; k < scripts.length && scripts[k].ts < end; k++) {
      const sc = scripts[k];
      const a = Math.max(sc.ts, coveredTo);
      const b = Math.min(sc.ts + (sc.dur || 0), end);
      if (b > a) { ext += b - a; coveredTo = b; } // nested events are counted once
    }
    const ms = t.dur / 1000;
    const extMs = ext / 1000;
    maxExtMs = Math.max(maxExtMs, extMs);
    if (ms > limitMs) {
      long.push({ ms: Math.round(ms), extMs: Math.round(extMs * 10) / 10 });
      if (extMs > 0 && (ms - extMs <= limitMs || extMs > limitMs)) caused++;
    }
  }
  const files = Object.fromEntries(Object.entries(byFile).sort((a, b) => b[1] - a[1]).map(([f, ms]) => [f, Math.round(ms * 10) / 10]));
  return { tasks: tasks.length, long, caused, maxExtMs: Math.round(maxExtMs * 10) / 10, files, found: true };
}
