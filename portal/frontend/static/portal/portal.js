// Start the GOV.UK Frontend components (password reveal, character count, conditional reveal).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
