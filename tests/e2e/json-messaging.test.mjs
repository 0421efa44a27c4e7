// RedShip in a browser that sends extension messages as JSON: a Chromium older than 148 ignores
// the manifest's `message_serialization` (360 and QQ builds lag behind Chrome). This Chromium
// sends structured clones, which would let a message that only works as a clone (a Map, a typed
// array, a Blob) pass every other test: here the same build, without the key, collects the list,
// exports the transit CSV, imports the warehouse's file and ships every row once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openExtensionPage } from './lib/chromium.mjs';
import { S, shipSession } from './lib/ship-run.mjs';
import { WRITERS, roundTrip } from './lib/roundtrip.mjs';

shipSession({ jsonMessaging: true });

const skip = WRITERS ? false : 'python3 with openpyxl and xlwt is not available (pip install openpyxl xlwt)';

test('with JSON messaging, the warehouse round trip (list → CSV export → filled file → ship) ships every row once', { skip, timeout: 300_000 }, async () => {
  const page = await openExtensionPage(S.browser.context, S.browser.extensionId, 'popup.html');
  assert.equal(await page.evaluate(() => chrome.runtime.getManifest().message_serialization), undefined, 'the build sends JSON');
  await page.close();
  await roundTrip({ first: 31, exportTestid: 'export-csv', exportName: 'export.csv', saved: 'filled-gbk.csv', everyLine: true, mime: 'text/csv' });
});
