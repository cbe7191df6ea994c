"""Characters a page cannot show: C0 and C1 controls (tab, line feed and carriage return
aside) and Unicode's noncharacters. HTML forbids them, so a page that writes one back is
not valid HTML, and no one types them on purpose. Typed values shown again after an error
leave them out (`shown_back`); text that holds them is refused (`refuse_unshowable`), so
none is ever stored to break the pages that show it later."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
UNSHOWABLE = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARACTERS}]")

# Django's code for a CharField's refusal of NUL, which this refusal widens: a field's own
# message for it ("… must not contain invisible control characters") applies to both.
UNSHOWABLE_CODE = "null_characters_not_allowed"


def shown_back(value: Any) -> Any:
    """`value` as a page may write it back into a field: a string without the characters a
    page cannot show (anything else as it is)."""
    return UNSHOWABLE.sub("", value) if isinstance(value, str) else value


@deconstructible
class RefuseUnshowable:
    """A validator that refuses text holding a character a page cannot show."""

    # Pasting from a word processor or a PDF is how they usually arrive.
    message = "Remove the invisible control characters (they can come with copied text)"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and UNSHOWABLE.search(value):
            raise ValidationError(self.message, code=UNSHOWABLE_CODE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RefuseUnshowable)

    def __hash__(self) -> int:
        return hash(RefuseUnshowable)


refuse_unshowable = RefuseUnshowable()
