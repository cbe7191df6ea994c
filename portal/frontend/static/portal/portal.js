// Start the GOV.UK Frontend components (password reveal, character count, conditional reveal).
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initSessionTimeout(document.querySelector('[data-module="session-timeout"]'));
