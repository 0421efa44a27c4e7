// Ship mode's pace, set the way a merchant sets it: the options page's select, whose change goes
// through the worker to the core's settings and is saved. The fill tests run at 'fast' (the
// default waits 1–3 s between orders); the benchmark uses it too, to measure the engine alone.
const lastSet = new WeakMap(); // browser context → the pace this helper last saved there

/** Saves `pace` ('person' | 'fast') on the options page of the extension in `context`. */
export async function setPace(context, extensionId, pace) {
  if (lastSet.get(context) === pace) return;
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.getByTestId('ship-pace').selectOption(pace);
    await page.locator(`[data-testid="ship-pace"][data-saved="${pace}"]`).waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
  lastSet.set(context, pace);
}
