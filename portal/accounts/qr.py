"""The authenticator set-up QR code, drawn as inline SVG (no image request, no third party)."""

from base64 import b32encode
from binascii import unhexlify

import qrcode
from markupsafe import Markup, escape

# Modules of light margin around the code; scanners need some, and the page adds its own space.
QUIET_ZONE = 2
DRAWN_SIZE_PX = 200


def qr_svg(data: str, *, label: str) -> Markup:
    """`data` as a QR code (error correction M, the smallest version that holds it), each row's
    dark runs drawn as one rectangle. qrcode's own SVG writer draws every module as its own
    square through several layers of objects: two fifths of the code's cost on the set-up
    page, for the same picture."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    return Markup(  # noqa: S704 (numbers we drew and an escaped label)
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{DRAWN_SIZE_PX}" height="{DRAWN_SIZE_PX}" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(_dark_runs(matrix))}"/></svg>'
    )


def _dark_runs(matrix: list[list[bool]]) -> list[str]:
    """One closed rectangle path for each horizontal run of dark modules."""
    runs = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return runs


def manual_key(hex_key: str) -> str:
    """The secret as base32 in groups of four, for typing into an app by hand."""
    encoded = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))
