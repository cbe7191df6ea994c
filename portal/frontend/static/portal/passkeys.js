// Passkey forms: when the form is sent, ask the browser for the passkey (SimpleWebAuthn's
// browser library does the WebAuthn call and its data conversions), put its answer (or the
// name of the error it met) into the form's hidden fields, and send the form on. The server
// checks the answer and explains any error, so this script shows no messages of its own.

const library = window.SimpleWebAuthnBrowser;

async function askTheBrowser(form) {
  const options = JSON.parse(form.dataset.passkeyOptions);
  if (!library || !library.browserSupportsWebAuthn()) {
    throw Object.assign(new Error("Passkeys are not supported"), { name: "NotSupportedError" });
  }
  if (form.dataset.passkeyCeremony === "register") {
    return library.startRegistration({ optionsJSON: options });
  }
  return library.startAuthentication({ optionsJSON: options });
}

function errorName(error) {
  // SimpleWebAuthn keeps the browser's own DOMException as the cause.
  const cause = error && error.cause;
  return (cause && cause.name) || (error && error.name) || "UnknownError";
}

function enhance(form) {
  let asking = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (asking) {
      return; // a second press while the browser's own dialog is open
    }
    const typed = form.querySelectorAll("input:not([type=hidden])");
    if ([...typed].some((input) => !input.value.trim())) {
      form.submit(); // let the server say what is missing before the browser is asked
      return;
    }
    asking = true;
    try {
      const answer = await askTheBrowser(form);
      form.elements.namedItem("credential").value = JSON.stringify(answer);
    } catch (error) {
      form.elements.namedItem("browser_error").value = errorName(error);
    }
    form.submit();
  });
}

for (const form of document.querySelectorAll("form[data-passkey-ceremony]")) {
  enhance(form);
}
