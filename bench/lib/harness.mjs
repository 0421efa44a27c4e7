// Opens the bench harness page (bench/page) of an extension in a raw-CDP browser and calls it.
import { attach, evaluate } from './cdp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens chrome-extension://<id>/__bench/bench.html; resolves {call(expr), sessionId, targetId}. */
export async function openHarness(cdp, extensionId) {
  const url = `chrome-extension://${extensionId}/__bench/bench.html`;
  let targetId;
  for (let i = 0; ; i++) {
    try {
      ({ targetId } = await cdp.send('Target.createTarget', { url }));
      break;
    } catch (e) {
      if (i > 50) throw e;
      await sleep(200); // the extension may still be loading
    }
  }
  const sessionId = await attach(cdp, targetId);
  for (let i = 0; i < 200; i++) {
    const ready = await evaluate(cdp, sessionId, 'globalThis.benchReady === true').catch(() => false);
    if (ready) break;
    if (i === 199) throw new Error(`the bench page of ${extensionId} did not load`);
    await sleep(100);
  }
  return {
    targetId,
    sessionId,
    /** Evaluates an expression in the page (promises awaited), e.g. `bench.ping({...})`. */
    call: (expr, timeoutMs) => evaluate(cdp, sessionId, expr, timeoutMs),
  };
}
