// Pages with file questions work without script: the form posts the file, the server lists
// it, a reload shows its virus check. With script (progressive enhancement):
// - a chosen file is sent with XMLHttpRequest so the page can show how much has been sent
//   (a progress bar, and a percentage in a polite live region every quarter);
// - while a file is being checked, the page fetches itself every few seconds and swaps in
//   the parts marked data-poll-region, announcing each finished check politely.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

const POLL_EVERY_MS = 2500;
const POLL_FOR_MS = 5 * 60 * 1000; // then stop: a reload shows the state (the session can idle)

function announcer() {
  return document.getElementById("portal-file-announcer");
}

function say(message) {
  const region = announcer();
  if (region) region.textContent = message;
}

// Show the page the server answered with, as if it had been navigated to.
function showResponse(html, url) {
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const main = fresh.querySelector("main");
  if (!main) {
    window.location.assign(url);
    return;
  }
  document.querySelector("main").replaceWith(main);
  document.title = fresh.title;
  if (url && url !== window.location.href) window.history.replaceState(null, "", url);
  initAll({ scope: main });
  // The answer reset the server's idle timer: the new page's warning counts from now.
  initSessionTimeout(main.querySelector('[data-module="session-timeout"]'));
  initUploads(main);
  // Where a user of a screen reader expects to be: the errors, or the "uploaded" banner.
  const target = main.querySelector(".govuk-error-summary, .govuk-notification-banner, h1");
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

// Uploads on their way: while one is, the page's poll swaps nothing in. The answer to the
// upload replaces the whole page, and a poll answered meanwhile could show the new file
// first, inviting a next choice on a page about to be replaced (and that choice lost).
let uploadsSending = 0;
let uploadsStarted = 0;

function enhanceForm(form) {
  const progress = form.querySelector("[data-upload-progress]");
  if (!progress || form.dataset.uploadEnhanced) return;
  form.dataset.uploadEnhanced = "true";
  const bar = progress.querySelector("progress");
  const words = progress.querySelector("[data-upload-progress-text]");
  form.addEventListener("submit", (event) => {
    const inputs = [...form.querySelectorAll('input[type="file"]')];
    if (!inputs.some((input) => input.files && input.files.length)) return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    const controls = form.querySelectorAll('button, input[type="file"]');
    for (const control of controls) control.disabled = true;
    uploadsSending += 1;
    uploadsStarted += 1;
    progress.hidden = false;
    let lastSaid = -1;
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (sent) => {
      if (!sent.lengthComputable) return;
      const percent = Math.floor((sent.loaded / sent.total) * 100);
      bar.value = percent;
      const quarter = Math.floor(percent / 25);
      if (quarter !== lastSaid) {
        lastSaid = quarter;
        words.textContent = `Uploading: ${percent}% sent`;
      }
    });
    request.addEventListener("loadend", () => {
      uploadsSending -= 1;
    });
    request.addEventListener("load", () => {
      words.textContent = "Upload finished";
      showResponse(request.responseText, request.responseURL);
    });
    const failed = () => {
      progress.hidden = true;
      for (const control of controls) control.disabled = false;
      say("The file could not be sent. Check your connection and try again.");
    };
    request.addEventListener("error", failed);
    request.addEventListener("abort", failed);
    request.send(data);
  });
}

function fileStates(scope) {
  const states = new Map();
  for (const row of scope.querySelectorAll("[data-file-id]")) {
    states.set(row.dataset.fileId, { name: row.dataset.fileName, state: row.dataset.fileState });
  }
  return states;
}

const FINISHED = {
  clean: (name) => `${name} has been checked`,
  infected: (name) => `${name} contains a virus. Remove it`,
  failed: (name) => `${name} could not be checked. Remove it and upload it again`,
};

let polling = false;

function pollWhileChecking() {
  if (polling || !document.querySelector("[data-files-checking]")) return;
  polling = true;
  const stopAt = Date.now() + POLL_FOR_MS;
  const tick = async () => {
    if (Date.now() > stopAt || !document.querySelector("[data-files-checking]")) {
      polling = false;
      return;
    }
    const startedBefore = uploadsStarted;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      const html = response.ok ? await response.text() : "";
      const uploadMeanwhile = uploadsSending > 0 || uploadsStarted !== startedBefore;
      if (response.ok && response.url === window.location.href && !uploadMeanwhile) {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const before = fileStates(document);
        for (const region of document.querySelectorAll("[data-poll-region]")) {
          const replacement = fresh.getElementById(region.id);
          if (replacement && replacement.innerHTML !== region.innerHTML) {
            region.replaceWith(replacement);
            initAll({ scope: replacement });
          }
        }
        const news = [];
        for (const [id, now] of fileStates(document)) {
          const was = before.get(id);
          if (was && was.state === "pending" && FINISHED[now.state]) {
            news.push(FINISHED[now.state](now.name));
          }
        }
        if (news.length) say(`${news.join(". ")}.`);
      }
    } catch {
      // Offline for a moment: try again at the next tick.
    }
    window.setTimeout(tick, POLL_EVERY_MS);
  };
  window.setTimeout(tick, POLL_EVERY_MS);
}

export function initUploads(scope = document) {
  if (typeof XMLHttpRequest !== "undefined" && typeof FormData !== "undefined") {
    for (const form of scope.querySelectorAll("form[data-upload-form]")) enhanceForm(form);
  }
  pollWhileChecking();
}
