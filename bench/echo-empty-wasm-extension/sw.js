// Cold-start diagnostic (not a baseline): the echo worker that first fetches and compiles an
// empty wasm module (the 8-byte header), from the package as the real module is fetched. Its
// difference to the echo worker is what loading any wasm file costs before a byte of code.
const ready = WebAssembly.compileStreaming(fetch(new URL('./pkg/empty.wasm', import.meta.url)));

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  ready.then(() => sendResponse({ ok: true, data: msg }), (e) => sendResponse({ ok: false, error: String(e) }));
  return true;
});
