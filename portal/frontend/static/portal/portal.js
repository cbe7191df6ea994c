// Start the GOV.UK Frontend components (password reveal, character count, conditional reveal).
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";
import { initUploads } from "./uploads.js";
import { initLocationPickers } from "./location-picker.js";

initAll();
initSessionTimeout(document.querySelector('[data-module="session-timeout"]'));
initUploads();
initLocationPickers();

// GOV.UK Frontend marks radios that reveal a question with aria-expanded, which ARIA does not
// allow on a radio (https://github.com/alphagov/govuk-frontend/issues/979); accessibility
// audits flag it. The revealed question follows the radio in reading order, so removing the
// attribute loses nothing. GOV.UK sets it again on every change, so remove it after them.
function removeAriaExpandedFromRadios() {
  for (const radio of document.querySelectorAll(".govuk-radios__input[aria-expanded]")) {
    radio.removeAttribute("aria-expanded");
  }
}
removeAriaExpandedFromRadios();
document.addEventListener("click", removeAriaExpandedFromRadios);
document.addEventListener("change", removeAriaExpandedFromRadios);
window.addEventListener("pageshow", removeAriaExpandedFromRadios);
