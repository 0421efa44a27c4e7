// The cold-start baseline: the least an MV3 extension's module service worker can do to answer
// a message. It answers in RedShip's envelope so the bench page treats both alike.
chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  sendResponse({ ok: true, data: msg });
  return false;
});
