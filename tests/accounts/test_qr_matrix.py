"""The QR matrix worked out with integer operations is qrcode's own: the same version, the
same penalty for each of the eight masks (so the same mask chosen, ties included) and the same
modules, for authenticator URIs, data of every segment kind and every version from 1 to 40."""

import random
import string

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode import util

from portal.accounts.qr_matrix import ERROR_CORRECTION, mask_penalties, qr_rows

ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"


def _qrcode_answer(data: str) -> tuple[int, list[int], list[str]]:
    """qrcode's version, its penalty for each mask (scored as `best_mask_pattern` scores them)
    and the finished matrix."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
    code.add_data(data)
    code.make(fit=True)
    rows = ["".join("1" if dark else "0" for dark in row) for row in code.modules]
    penalties = []
    for mask in range(8):
        code.makeImpl(True, mask)
        penalties.append(util.lost_point(code.modules))
    return code.version, penalties, rows


def _assert_same_as_qrcode(data: str) -> int:
    version, penalties, rows = _qrcode_answer(data)
    assert mask_penalties(data) == penalties
    assert qr_rows(data) == rows
    return version


def _totp_uri(chooser: random.Random) -> str:
    secret = "".join(chooser.choice(string.ascii_uppercase + "234567") for _ in range(32))
    name = "".join(
        chooser.choice(string.ascii_lowercase + ".-") for _ in range(chooser.randint(3, 40))
    )
    return (
        f"otpauth://totp/Provider%20Portal%3A{name}%40example.org?secret={secret}"
        "&algorithm=SHA1&digits=6&period=30&issuer=Provider%20Portal"
    )


def test_authenticator_uris_match_qrcode() -> None:
    chooser = random.Random(17)
    versions = {_assert_same_as_qrcode(_totp_uri(chooser)) for _ in range(60)}
    assert len(versions) >= 2  # names of different lengths reach different versions


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_matches_qrcode(version: int) -> None:
    # Lower-case letters go in byte mode: fill this version nearly to its capacity.
    length_field = 8 if version < 10 else 16
    length = (util.BIT_LIMIT_TABLE[ERROR_CORRECTION][version] - 4 - length_field) // 8
    chooser = random.Random(version)
    data = "".join(chooser.choice(string.ascii_lowercase) for _ in range(length))

    assert _assert_same_as_qrcode(data) == version


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=string.digits, min_size=1, max_size=60),
            st.text(alphabet=ALPHANUMERIC, min_size=1, max_size=60),
            st.text(min_size=1, max_size=40),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_mixed_segments_match_qrcode(parts: list[str]) -> None:
    # Numeric, alphanumeric and byte runs side by side, split into segments as qrcode splits them.
    _assert_same_as_qrcode("".join(parts))


def test_too_much_data_is_refused_as_qrcode_refuses_it() -> None:
    data = "x" * 2400  # more than version 40 holds at error correction M
    with pytest.raises(ValueError, match="expected 1 to 40"):  # qrcode's own version check
        _qrcode_answer(data)
    with pytest.raises(qrcode.exceptions.DataOverflowError):
        qr_rows(data)
