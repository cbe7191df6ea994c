"""The authenticator set-up QR code: the picture drawn is exactly the code qrcode builds."""

import re

import qrcode

from portal.accounts.qr import QUIET_ZONE, qr_svg

URI = (
    "otpauth://totp/Provider%20Portal%3Apriya.shah%40horizon-demo.example"
    "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP&algorithm=SHA1&digits=6&period=30"
    "&issuer=Provider%20Portal"
)


def _drawn_cells(svg: str) -> set[tuple[int, int]]:
    path = re.search(r'<path fill="#000" d="([^"]*)"', svg)
    assert path is not None
    cells: set[tuple[int, int]] = set()
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.group(1)):
        cells.update((int(x) + step, int(y)) for step in range(int(width)))
    # Every command in the path was understood: nothing is drawn that the test did not read.
    assert re.fullmatch(r"(M\d+ \d+h(\d+)v1h-\2z)*", path.group(1))
    return cells


def test_every_dark_module_and_only_those_are_drawn() -> None:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(URI)
    code.make(fit=True)
    matrix = code.get_matrix()
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}

    svg = str(qr_svg(URI, label="QR code for your authenticator app"))

    assert _drawn_cells(svg) == expected
    size = len(matrix)
    assert f'viewBox="0 0 {size} {size}"' in svg
    # The quiet zone stays light on every side.
    assert all(QUIET_ZONE <= x < size - QUIET_ZONE for x, _ in expected)
    assert all(QUIET_ZONE <= y < size - QUIET_ZONE for _, y in expected)


def test_the_picture_has_an_escaped_text_alternative() -> None:
    svg = str(qr_svg(URI, label='Code for O\'Brien & Sons <script>alert("x")</script>'))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="')
    assert "<script>" not in svg
    assert "O&#39;Brien &amp; Sons &lt;script&gt;" in svg
