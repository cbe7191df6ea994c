// The "you will be signed out" warning (WCAG 2.2.1): a modal dialog that opens before the
// server's idle limit, moves focus into itself, is announced, and can extend the session
// with one action. The server enforces the limits whatever happens here.

function formatSeconds(total) {
  const seconds = Math.max(0, Math.round(total));
  if (seconds >= 120) return `${Math.ceil(seconds / 60)} minutes`;
  if (seconds >= 60) return "1 minute";
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-announce]");
  const form = dialog.querySelector("[data-extend-form]");
  const extendButton = dialog.querySelector("[data-extend]");
  const signOutButton = dialog.querySelector("[data-sign-out]");
  let deadline = 0; // when the server will sign us out (ms since epoch)
  let absoluteDeadline = 0;
  let openTimer = null;
  let tickTimer = null;
  let returnFocusTo = null;
  let lastAnnounced = null;

  function schedule(idleLeft, absoluteLeft) {
    const now = Date.now();
    absoluteDeadline = now + absoluteLeft * 1000;
    deadline = Math.min(now + idleLeft * 1000, absoluteDeadline);
    clearTimeout(openTimer);
    openTimer = setTimeout(open, Math.max(0, deadline - now - warningSeconds * 1000));
  }

  function remaining() {
    return (deadline - Date.now()) / 1000;
  }

  function tick() {
    const left = remaining();
    if (left <= 0) {
      signOut();
      return;
    }
    countdown.textContent = formatSeconds(left);
    // Announce at the start, each minute, and at 20 seconds: not every second.
    const bucket = left > 60 ? Math.ceil(left / 60) * 60 : left > 20 ? 60 : 20;
    if (bucket !== lastAnnounced) {
      lastAnnounced = bucket;
      announce.textContent = `You will be signed out in ${formatSeconds(left)}.`;
    }
  }

  function open() {
    // A page that swapped in a new <main> (uploads.js) has its own warning now.
    if (dialog.open || !dialog.isConnected) return;
    const cannotExtend = absoluteDeadline <= deadline + 1000;
    extendButton.hidden = cannotExtend;
    if (cannotExtend) {
      dialog.querySelector("#session-timeout-heading").textContent =
        "You will be signed out soon: you have been signed in for 12 hours";
    }
    returnFocusTo = document.activeElement;
    lastAnnounced = null;
    tick();
    dialog.showModal();
    (cannotExtend ? signOutButton : extendButton).focus();
    tickTimer = setInterval(tick, 1000);
  }

  function close() {
    clearInterval(tickTimer);
    if (dialog.open) dialog.close();
    announce.textContent = "";
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  }

  function signOut() {
    clearInterval(tickTimer);
    form.action = signOutButton.getAttribute("formaction");
    form.submit();
  }

  async function extend(event) {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      close();
      schedule(data.idle_left, data.absolute_left);
    } catch {
      form.submit(); // fall back to an ordinary post, which also extends the session
    }
  }

  extendButton.addEventListener("click", extend);
  // Escape means "I'm still here": the same as Stay signed in.
  dialog.addEventListener("cancel", extend);
  schedule(Number(dialog.dataset.idleLeft), Number(dialog.dataset.absoluteLeft));
}
