// Entry of the popup's release lines (popup/release-lines.js), loaded beside popup.js so the
// dashboard's own module stays as it is.
import { mountReleaseLines } from './release-lines.js';

void mountReleaseLines(document.getElementById('release-lines'));
