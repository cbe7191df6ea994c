"""Email addresses in one canonical form, so every comparison, limit and lookup agrees.

Many spellings reach the same mailbox: a long s (U+017F) or a full-width e (U+FF45) is
delivered as "s" or "e", and upper case is ignored by every mail service people use. If the portal
compared the spellings as typed, each would get its own code limits and could be invited
as a different person. So, before anything compares or stores an address:

- NFKC folds compatibility characters (long s, full-width and mathematical letters, the
  full-width at sign) into the ordinary ones;
- the part before the @ is lower-cased and must then be ASCII (Django's validator and
  SMTP delivery support nothing else);
- the domain goes through IDNA 2008 with the UTS 46 mapping (the `idna` package) and is
  kept as ASCII ("xn--" labels for internationalised names), so one domain has one form;
- a part that mixes alphabets (Latin with Cyrillic, say) is refused: a look-alike of an
  ordinary address is either a typing accident or an attempt to pass for someone else.

The canonical form is pure ASCII, which also makes it safe in any header.
"""

import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

INVALID_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class AddressError(ValueError):
    """An address that cannot be made canonical. `code` is "invalid" or "mixed_scripts"."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# Letters of these scripts are written together in one word (Japanese mixes Han, Hiragana
# and Katakana; Chinese and Korean mix Han with Bopomofo or Hangul; each may add Latin).
# This is Unicode's "highly restrictive" profile (UTS 39, section 5.2).
_MAY_MIX = (
    frozenset({"Latin", "Han", "Hiragana", "Katakana"}),
    frozenset({"Latin", "Han", "Bopomofo"}),
    frozenset({"Latin", "Han", "Hangul"}),
)
# Unicode names letters by their script ("LATIN SMALL LETTER A", "CYRILLIC SMALL LETTER A");
# a few blocks are named otherwise.
_NAMED_OTHERWISE = {"CJK": "Han", "KATAKANA-HIRAGANA": None}


def _script(character: str) -> str | None:
    """The script a letter belongs to; None for what is not a letter (digits, "-", ".")."""
    if not unicodedata.category(character).startswith("L"):
        return None
    first_word = unicodedata.name(character, "UNNAMED").split(" ", 1)[0]
    if first_word in _NAMED_OTHERWISE:
        return _NAMED_OTHERWISE[first_word]
    return first_word.title()


def scripts_mixed(text: str) -> list[str]:
    """The scripts `text` mixes in a way people do not write (empty when it does not)."""
    found = {script for script in map(_script, text) if script}
    if len(found) < 2 or any(found <= allowed for allowed in _MAY_MIX):
        return []
    return sorted(found, key=lambda script: (script != "Latin", script))


def _mixed_message(scripts: list[str]) -> str:
    named = " and ".join([", ".join(scripts[:-1]), scripts[-1]])
    return (
        f"The email address mixes {named} letters, which can look alike. "
        "Type it again using letters from one alphabet"
    )


def _refuse_mixed(text: str) -> None:
    scripts = scripts_mixed(text)
    if scripts:
        raise AddressError(_mixed_message(scripts), code="mixed_scripts")


def _ascii_domain(domain: str) -> str:
    lowered = domain.lower()
    if lowered.isascii() and "xn--" not in lowered:
        return lowered  # the common case: nothing for IDNA to do (the validator checks it)
    try:
        ascii_domain = idna.encode(domain, uts46=True, std3_rules=True).decode()
        # Check the labels as people read them, even when typed as "xn--" already.
        for label in idna.decode(ascii_domain).split("."):
            _refuse_mixed(label)
    except idna.IDNAError as error:
        raise AddressError(INVALID_MESSAGE, code="invalid") from error
    return ascii_domain


def canonical_email(raw: str) -> str:
    """The one form of an address that the portal compares, limits, looks up and stores.
    Raises AddressError for something that is not a usable address."""
    folded = unicodedata.normalize("NFKC", raw or "").strip()
    local, at, domain = folded.rpartition("@")
    if not at or not local or not domain:
        raise AddressError(INVALID_MESSAGE, code="invalid")
    local = unicodedata.normalize("NFKC", local.lower())
    _refuse_mixed(local)
    address = f"{local}@{_ascii_domain(domain.rstrip('.'))}"
    if not local.isascii():
        raise AddressError(INVALID_MESSAGE, code="invalid")
    try:
        validate_email(address)
    except ValidationError as error:
        raise AddressError(INVALID_MESSAGE, code="invalid") from error
    return address


def normalise_email(raw: str) -> str:
    """The canonical form when there is one; otherwise the text folded the same way as far
    as it goes (lookups with it find nothing, since only canonical addresses are stored)."""
    try:
        return canonical_email(raw)
    except AddressError:
        return unicodedata.normalize(
            "NFKC", unicodedata.normalize("NFKC", raw or "").strip().lower()
        )
