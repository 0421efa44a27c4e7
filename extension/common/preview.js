// The import preview as the boundary sends it (crate/bind/src/ship_preview.rs): laid out by
// column (package IDs and numbers as one line-separated text each, verdicts and fillable flags
// as one text of digits each), couriers and the courier cells as written by position in one
// table each, reasons and changed cells listed apart with their row's position. `previewRows`
// turns it into the row objects the ship page renders and edits.

const VERDICTS = ['ok', 'warning', 'error'];

/**
 * The rows of a preview view as objects, in source order: {index, row, packageId, courierCode,
 * courierName, number, verdict, fillable, reasons: [{code, level, message, messageEn}], raw:
 * {row, packageId, courier, number}} (`raw` is the row as the user gave it).
 */
export function previewRows(view) {
  const c = view.rows;
  const couriers = view.couriers || [];
  // Package IDs and numbers come as one text per column, joined by line breaks.
  const lines = (text) => (c.row.length ? text.split('\n') : []);
  const packageIds = lines(c.packageId);
  const numbers = lines(c.number);
  const out = c.row.map((row, index) => {
    const courier = couriers[c.courier[index]];
    const packageId = packageIds[index];
    const number = numbers[index];
    return {
      index, row, packageId, number,
      courierCode: courier ? courier.code : '',
      courierName: courier ? courier.name : '',
      verdict: VERDICTS[c.verdict.charCodeAt(index) - 48],
      fillable: c.fillable[index] === '1',
      reasons: [],
      raw: { row, packageId, courier: view.written[c.written[index]], number },
    };
  });
  for (const { at, ...reason } of view.reasons) out[at].reasons.push(reason);
  for (const g of view.given) Object.assign(out[g.at].raw, { packageId: g.packageId, number: g.number });
  return out;
}
