// The warehouse round trip (issue 26, item 3), end to end on the replica with the real extension:
// page the list so RedShip knows the orders, export them from the transit page, let the warehouse
// type its couriers and numbers into the export's empty 快递公司 / 快递单号 columns and save the
// file the way Excel or WPS does (tests/fixtures/warehouse_fill.py: a GBK CSV; the XLSX opened
// and saved with openpyxl; the same saved as Excel 97-2003 with xlwt), import that file as is on
// the ship page (no column picked by hand, every row ok), and ship: the platform (the replica's
// /__test/log) receives each order exactly once with its courier and number.
import { test } from 'node:test';
import { shipSession } from './lib/ship-run.mjs';
import { WRITERS, roundTrip } from './lib/roundtrip.mjs';

shipSession();

const skip = WRITERS ? false : 'python3 with openpyxl and xlwt is not available (pip install openpyxl xlwt)';

test('the CSV export, filled in and saved by Excel as GBK CSV, imports as is and ships every row once', { skip, timeout: 300_000 }, async () => {
  await roundTrip({ first: 1, exportTestid: 'export-csv', exportName: 'export.csv', saved: 'filled-gbk.csv', everyLine: true, mime: 'text/csv' });
});

test('the XLSX export, filled in and saved (openpyxl), imports as is and ships every row once', { skip, timeout: 300_000 }, async () => {
  await roundTrip({ first: 11, exportTestid: 'export-xlsx', exportName: 'export.xlsx', saved: 'filled.xlsx', everyLine: false,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
});

test('the XLSX export saved as Excel 97-2003 (.xls, xlwt) imports as is and ships every row once', { skip, timeout: 300_000 }, async () => {
  await roundTrip({ first: 21, exportTestid: 'export-xlsx', exportName: 'export.xlsx', saved: 'filled.xls', everyLine: true, mime: 'application/vnd.ms-excel' });
});
