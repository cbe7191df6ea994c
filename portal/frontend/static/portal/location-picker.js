// The location picker (portal/register/location_picker.py) works without script: its search
// box submits the form and the page comes back with results. With script, the search box
// becomes an accessible autocomplete (the accessible-autocomplete package, served from our
// static files): suggestions as you type, announced to screen readers, and choosing one adds
// that location to what is chosen. Adding is still a form submit (a picker step), so what is
// chosen lives in one place: the form.
const MIN_LENGTH = 2;

function escapeHtml(text) {
  const holder = document.createElement("div");
  holder.textContent = text;
  return holder.innerHTML;
}

// Replace a text box with an accessible autocomplete asking `url` for suggestions.
// `inputValue` is what a chosen suggestion puts in the box; `onConfirm` is called with it.
function autocomplete(input, url, { inputValue, onConfirm }) {
  const wrapper = document.createElement("div");
  wrapper.className = "portal-location-picker__autocomplete";
  input.parentNode.insertBefore(wrapper, input);
  const { id, name, value } = input;
  const focus = input.hasAttribute("autofocus");
  const describedBy = input.getAttribute("aria-describedby");
  input.remove();
  let latestQuery = "";
  window.accessibleAutocomplete({
    element: wrapper,
    id,
    name,
    defaultValue: value,
    minLength: MIN_LENGTH,
    showNoOptionsFound: true,
    tNoResults: () => "No locations found",
    source(query, populate) {
      // Answers can arrive out of order: only the one for what is typed now is shown.
      latestQuery = query;
      fetch(`${url}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((body) => {
          if (query === latestQuery) populate(body.results);
        })
        .catch(() => populate([]));
    },
    templates: {
      inputValue: (result) => (result && inputValue(result)) || "",
      suggestion: (result) =>
        escapeHtml(typeof result === "string" ? result : `${result.label} (${result.id})`),
    },
    onConfirm,
  });
  const enhanced = document.getElementById(id);
  if (enhanced && describedBy) {
    const own = enhanced.getAttribute("aria-describedby") || "";
    enhanced.setAttribute("aria-describedby", `${own} ${describedBy}`.trim());
  }
  if (enhanced && focus) enhanced.focus();
}

function enhance(picker) {
  const input = picker.querySelector('input[name="location_search"]');
  const url = picker.dataset.searchUrl;
  if (!input || !url || !input.form) return;
  const form = input.form;
  autocomplete(input, url, {
    inputValue: (result) => result.label,
    onConfirm(result) {
      if (!result || !result.id) return;
      const step = document.createElement("input");
      step.type = "hidden";
      step.name = "location_picker";
      step.value = `add:${result.id}`;
      form.appendChild(step);
      form.submit();
    },
  });
}

// A list filtered by location (the history of notifications) with too many locations for a
// select: its text box searches by name, town, postcode or ID when the filter form is sent.
// With script, suggestions as you type; choosing one puts its name in the box. Nothing is
// sent until the person sends the filter form.
function enhanceSearch(holder) {
  const input = holder.querySelector("input[type=text]");
  const url = holder.dataset.searchUrl;
  if (!input || !url) return;
  autocomplete(input, url, { inputValue: (result) => result.name || result.label, onConfirm() {} });
}

export function initLocationPickers() {
  if (typeof window.accessibleAutocomplete !== "function") return;
  for (const picker of document.querySelectorAll('[data-module="location-picker"]')) {
    enhance(picker);
  }
  for (const holder of document.querySelectorAll('[data-module="location-search"]')) {
    enhanceSearch(holder);
  }
}
