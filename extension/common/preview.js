// The import preview as the core sends it (crate/core/src/tracking/wire.rs): each row a short
// array, couriers by position in one table, a cell as given only where normalising changed it.
// `previewRows` turns it into the row objects the ship page renders and edits.

/**
 * The rows of a preview view as objects: {index, row, packageId, courierCode, courierName,
 * number, verdict, fillable, reasons: [{code, level, message, messageEn}], raw: {row,
 * packageId, courier, number}} (`raw` is the row as the user gave it).
 */
export function previewRows(view) {
  const couriers = view.couriers || [];
  return (view.rows || []).map(([row, packageId, number, c, verdict, fillable, given, reasons], index) => {
    const courier = couriers[c];
    return {
      index, row, packageId, number, verdict, fillable, reasons,
      courierCode: courier ? courier.code : '',
      courierName: courier ? courier.name : '',
      raw: { row, packageId: given[0] ?? packageId, courier: given[1], number: given[2] ?? number },
    };
  });
}
