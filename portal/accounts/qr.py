"""The authenticator set-up QR code, drawn as inline SVG (no image request, no third party)."""

import re
from base64 import b32encode
from binascii import unhexlify

from markupsafe import Markup, escape

from portal.accounts.qr_matrix import qr_rows

# Modules of light margin around the code; scanners need some, and the page adds its own space.
QUIET_ZONE = 2
DRAWN_SIZE_PX = 200
DARK_RUN = re.compile("1+")


def qr_svg(data: str, *, label: str) -> Markup:
    """`data` as a QR code (error correction M, the smallest version that holds it, the mask
    qrcode would choose), each row's dark runs drawn as one rectangle. qrcode itself spent
    about 12 ms of CPU a code choosing the mask module by module; `qr_rows` does it with
    whole-matrix integer operations."""
    rows = qr_rows(data)
    size = len(rows) + 2 * QUIET_ZONE
    return Markup(  # noqa: S704 (numbers we drew and an escaped label)
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{DRAWN_SIZE_PX}" height="{DRAWN_SIZE_PX}" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(_dark_runs(rows))}"/></svg>'
    )


def _dark_runs(rows: list[str]) -> list[str]:
    """One closed rectangle path for each horizontal run of dark modules."""
    return [
        f"M{start + QUIET_ZONE} {y}h{end - start}v1h-{end - start}z"
        for y, row in enumerate(rows, start=QUIET_ZONE)
        for start, end in map(re.Match.span, DARK_RUN.finditer(row))
    ]


def manual_key(hex_key: str) -> str:
    """The secret as base32 in groups of four, for typing into an app by hand."""
    encoded = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))
