// Options: quota section (written by its domain; see docs/EXTENSION.md).
/** Renders the section into `container`. */
export function mount(container) { void container; }
