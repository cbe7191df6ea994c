"""The forms a page offers, read from its HTML as a browser would submit them: each form's
action, method, fields and submit buttons (tests/test_every_form_bad_input.py fills them)."""

from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

# Inputs a person types into (a browser sends what was typed, whatever the type says).
TYPED = frozenset(
    {"text", "email", "tel", "number", "search", "password", "url", "date", "textarea", "select"}
)
CHOSEN = frozenset({"radio", "checkbox"})


@dataclass(frozen=True)
class Control:
    kind: str  # an input's type, or "textarea", "select", "button"
    name: str
    value: str


@dataclass
class PageForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    @property
    def buttons(self) -> list[Control]:
        """What submits the form: its submit buttons (a named one sends its value)."""
        return [c for c in self.controls if c.kind in {"submit", "button"}]

    @property
    def hidden(self) -> list[Control]:
        return [c for c in self.controls if c.kind == "hidden" and c.name != "csrfmiddlewaretoken"]

    def filled(self, typed: str, *, button: Control, tamper_hidden: bool) -> dict[str, list[str]]:
        """What the browser sends with `typed` in every field a person fills in (the same
        value as a choice, which no radio or checkbox offers; nothing chosen when it is
        empty), the hidden fields as the page wrote them (or `typed`, tampered) and
        `button` pressed."""
        data: dict[str, list[str]] = {}
        for control in self.controls:
            if control.kind == "hidden":
                keep = control.name == "csrfmiddlewaretoken" or not tamper_hidden
                value: str | None = control.value if keep else typed
            elif control.kind in TYPED:
                value = typed
            elif control.kind in CHOSEN:
                value = typed or None
            else:
                value = None  # buttons (only the pressed one is sent) and files
            if value is not None:
                data.setdefault(control.name, []).append(value)
        if button.name:
            data.setdefault(button.name, []).append(button.value)
        return data


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._open = False
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: unescape(value or "") for key, value in attrs}
        if tag == "form":
            self.forms.append(PageForm(found.get("action", ""), found.get("method", "get").lower()))
            self._open = True
        elif self._open and tag in {"input", "textarea", "select", "button"}:
            kind = found.get("type", "text").lower() if tag == "input" else tag
            if tag == "button" and found.get("type", "submit").lower() != "submit":
                return  # a button that only runs script
            if found.get("name") or kind in {"submit", "button"}:
                control = Control(kind, found.get("name", ""), found.get("value", ""))
                self.forms[-1].controls.append(control)
                if tag == "textarea":
                    self._textarea = control

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            # A textarea's value is its text (the parser has undone its escaping).
            controls = self.forms[-1].controls
            controls[-1] = Control("textarea", self._textarea.name, controls[-1].value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str) -> list[PageForm]:
    reader = _FormReader()
    reader.feed(html)
    return reader.forms
