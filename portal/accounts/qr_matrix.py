"""A QR code's modules, worked out with whole-matrix integer operations.

The `qrcode` library places the data and scores each of the eight mask patterns module by
module in Python (about 12 ms for an authenticator URI: most of the set-up page's CPU). Here
the matrix is one integer, bit `row * size + column` set for a dark module, so placing a mask
is one XOR and each penalty rule a few shifts, ANDs and popcounts. The result is qrcode's own
(error correction M, the smallest version that fits, the same mask chosen, ties going to the
lower-numbered mask as in qrcode, whose scoring leaves the format bits light):
tests/accounts/test_qr_matrix.py compares the two over many inputs and every version.
qrcode still supplies the segmenting of the data and its tables.
"""

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Final

from qrcode import constants, exceptions, util
from qrcode.base import rs_blocks

ERROR_CORRECTION: Final = constants.ERROR_CORRECT_M
# How qrcode splits data into numeric, alphanumeric and byte segments (`add_data`'s default).
SEGMENT_MINIMUM: Final = 20
MASK_RULES: Final = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)


def qr_rows(data: str) -> list[str]:
    """The code's rows, top to bottom, each a string of "1" (dark) and "0" (light), no border."""
    layout, placed = _layout_and_data(data)
    mask = min(
        range(8),
        key=lambda pattern: (_penalty(layout, _test_matrix(layout, placed, pattern)), pattern),
    )
    matrix = layout.final_fixed[mask] | (placed ^ layout.masks[mask])
    size = layout.size
    flat = format(matrix, f"0{size * size}b")[::-1]
    return [flat[start : start + size] for start in range(0, size * size, size)]


def mask_penalties(data: str) -> list[int]:
    """Each mask pattern's penalty score as qrcode reckons it (for the tests)."""
    layout, placed = _layout_and_data(data)
    return [_penalty(layout, _test_matrix(layout, placed, mask)) for mask in range(8)]


# --- The data as codewords --------------------------------------------------------------------


def _layout_and_data(data: str) -> tuple["_Layout", int]:
    segments = list(util.optimal_data_chunks(data, minimum=SEGMENT_MINIMUM))
    version = _smallest_version(segments)
    layout = _layout(version)
    return layout, layout.place(_codewords(segments, version))


def _segment_bits(segment: util.QRData) -> int:
    length = len(segment.data)
    if segment.mode == util.MODE_NUMBER:
        return length // 3 * 10 + (0, 4, 7)[length % 3]
    if segment.mode == util.MODE_ALPHA_NUM:
        return length // 2 * 11 + length % 2 * 6
    return length * 8


def _smallest_version(segments: list[util.QRData]) -> int:
    """qrcode's `best_fit`: the length fields grow with the version, so look again if they did."""
    start = 1
    while True:
        sizes = util.mode_sizes_for_version(start)
        needed = sum(4 + sizes[segment.mode] + _segment_bits(segment) for segment in segments)
        version = bisect_left(util.BIT_LIMIT_TABLE[ERROR_CORRECTION], needed, start)
        if version == 41:
            raise exceptions.DataOverflowError()
        if util.mode_sizes_for_version(version) is sizes:
            return version
        start = version


class _Bits:
    """A bit string kept as one integer, most significant bit first."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, number: int, length: int) -> None:
        self.value = (self.value << length) | number
        self.length += length


_ALPHANUMERIC_VALUES: Final = {char: value for value, char in enumerate(util.ALPHA_NUM)}


def _codewords(segments: list[util.QRData], version: int) -> list[int]:
    bits = _Bits()
    for segment in segments:
        content = segment.data
        bits.put(segment.mode, 4)
        bits.put(len(content), util.length_in_bits(segment.mode, version))
        if segment.mode == util.MODE_NUMBER:
            for start in range(0, len(content), 3):
                digits = content[start : start + 3]
                bits.put(int(digits), util.NUMBER_LENGTH[len(digits)])
        elif segment.mode == util.MODE_ALPHA_NUM:
            for start in range(0, len(content) - 1, 2):
                pair = _ALPHANUMERIC_VALUES[content[start]] * 45
                bits.put(pair + _ALPHANUMERIC_VALUES[content[start + 1]], 11)
            if len(content) % 2:
                bits.put(_ALPHANUMERIC_VALUES[content[-1]], 6)
        else:
            bits.put(int.from_bytes(content, "big"), 8 * len(content))
    blocks = rs_blocks(version, ERROR_CORRECTION)
    capacity = sum(block.data_count for block in blocks) * 8
    # Terminator (up to four zeros), zeros to a whole byte, then the alternating pad bytes.
    bits.put(0, min(capacity - bits.length, 4))
    bits.put(0, -bits.length % 8)
    for index in range((capacity - bits.length) // 8):
        bits.put(util.PAD1 if index % 2 else util.PAD0, 8)
    stream = bits.value.to_bytes(capacity // 8, "big")

    data_blocks: list[bytes] = []
    error_blocks: list[bytes] = []
    offset = 0
    for block in blocks:
        block_data = stream[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(block_data)
        error_blocks.append(_error_correction(block_data, block.total_count - block.data_count))
    return _interleaved(data_blocks) + _interleaved(error_blocks)


def _interleaved(blocks: list[bytes]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[index] for index in range(longest) for block in blocks if index < len(block)]


def _galois_tables() -> tuple[list[int], list[int]]:
    """Powers and logarithms of 2 in GF(256) with QR's polynomial x^8 + x^4 + x^3 + x^2 + 1."""
    powers, logarithms = [0] * 255, [0] * 256
    value = 1
    for exponent in range(255):
        powers[exponent] = value
        logarithms[value] = exponent
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return powers, logarithms


_POWERS, _LOGARITHMS = _galois_tables()


def _times(left: int, right: int) -> int:
    if not left or not right:
        return 0
    return _POWERS[(_LOGARITHMS[left] + _LOGARITHMS[right]) % 255]


@cache
def _generator_multiples(degree: int) -> tuple[int, ...]:
    """For each byte value f, f times the Reed-Solomon generator of this degree (without its
    leading 1), packed into one integer: the long division then takes one shift and one XOR
    per data byte."""
    generator = [1]
    for root in range(degree):
        factor = _POWERS[root]
        shifted = [*generator, 0]
        for index, coefficient in enumerate(generator):
            shifted[index + 1] ^= _times(coefficient, factor)
        generator = shifted
    tail = generator[1:]
    return tuple(
        int.from_bytes(bytes(_times(value, coefficient) for coefficient in tail), "big")
        for value in range(256)
    )


def _error_correction(block: bytes, degree: int) -> bytes:
    multiples = _generator_multiples(degree)
    top_shift = 8 * (degree - 1)
    keep = (1 << top_shift) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder & keep) << 8) ^ multiples[(remainder >> top_shift) ^ byte]
    return remainder.to_bytes(degree, "big")


# --- The matrix of a version --------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """What depends on the version alone: the fixed patterns, where the data goes, the masks
    and the bit masks the penalty rules use."""

    size: int
    # The fixed patterns as qrcode scores masks: format and version information left light.
    scored_fixed: int
    # The fixed patterns of the finished code, for each mask (its format information differs).
    final_fixed: tuple[int, ...]
    # Each mask's dark modules among the data modules.
    masks: tuple[int, ...]
    data_capacity: int
    # For each character of the placed string (most significant bit first), which data bit
    # it takes (the index past the data bits takes a light module).
    picker: Callable[[str], tuple[str, ...]]
    not_last_column: int
    not_last_row: int
    first_row: int
    finder_starts_in_row: int
    finder_starts_in_column: int
    everything: int

    def place(self, codewords: list[int]) -> int:
        """The codewords' bits in the zigzag order, unmasked; remainder bits light."""
        stream = format(int.from_bytes(bytes(codewords), "big"), f"0{8 * len(codewords)}b")
        stream += "0" * (self.data_capacity - len(stream) + 1)
        return int("".join(self.picker(stream)), 2)


def _test_matrix(layout: _Layout, placed: int, mask: int) -> int:
    return layout.scored_fixed | (placed ^ layout.masks[mask])


@cache
def _layout(version: int) -> _Layout:
    size = version * 4 + 17
    fixed: dict[tuple[int, int], bool] = {}

    def finder(top: int, left: int) -> None:
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= top + r < size and 0 <= left + c < size:
                    ring = (0 <= r <= 6 and c in {0, 6}) or (0 <= c <= 6 and r in {0, 6})
                    fixed[top + r, left + c] = ring or (2 <= r <= 4 and 2 <= c <= 4)

    finder(0, 0)
    finder(size - 7, 0)
    finder(0, size - 7)
    centres = util.pattern_position(version)
    for row in centres:
        for column in centres:
            if (row, column) in fixed:
                continue
            for r in range(-2, 3):
                for c in range(-2, 3):
                    fixed[row + r, column + c] = max(abs(r), abs(c)) != 1
    for index in range(8, size - 8):
        fixed.setdefault((index, 6), index % 2 == 0)
        fixed.setdefault((6, index), index % 2 == 0)
    information = [*_format_cells(size), (size - 8, 8)]
    if version >= 7:
        information += _version_cells(size)
    for cell in information:
        fixed[cell] = False

    def bit(row: int, column: int) -> int:
        return 1 << (row * size + column)

    scored_fixed = sum(bit(*cell) for cell, dark in fixed.items() if dark)
    version_bits = 0
    if version >= 7:
        number = util.BCH_type_number(version)
        cells = _version_cells(size)
        version_bits = sum(bit(*cells[i]) for i in range(36) if number >> (i % 18) & 1)
    always = scored_fixed | version_bits | bit(size - 8, 8)
    final_fixed = []
    for mask in range(8):
        information_bits = util.BCH_type_info((ERROR_CORRECTION << 3) | mask)
        cells = _format_cells(size)
        final_fixed.append(
            always | sum(bit(*cells[i]) for i in range(30) if information_bits >> (i % 15) & 1)
        )

    order = _zigzag(size, fixed)
    data_cells = set(order)
    masks = tuple(sum(bit(r, c) for r, c in data_cells if rule(r, c)) for rule in MASK_RULES)
    position = {cell: index for index, cell in enumerate(order)}
    # Most significant character first: the cell with the highest bit number.
    picker = itemgetter(
        *(position.get(divmod(index, size), len(order)) for index in range(size * size - 1, -1, -1))
    )
    every_column = sum(1 << (r * size) for r in range(size))
    return _Layout(
        size=size,
        scored_fixed=scored_fixed,
        final_fixed=tuple(final_fixed),
        masks=masks,
        data_capacity=len(order),
        picker=picker,
        not_last_column=every_column * ((1 << (size - 1)) - 1),
        not_last_row=(1 << (size * (size - 1))) - 1,
        first_row=(1 << size) - 1,
        finder_starts_in_row=every_column * ((1 << (size - 10)) - 1),
        finder_starts_in_column=(1 << (size * (size - 10))) - 1,
        everything=(1 << (size * size)) - 1,
    )


def _format_cells(size: int) -> list[tuple[int, int]]:
    """Where qrcode writes format bits 0-14 down column 8, then bits 0-14 along row 8."""
    down = [(i, 8) for i in range(6)] + [(7, 8), (8, 8)]
    down += [(size - 15 + i, 8) for i in range(8, 15)]
    across = [(8, size - 1 - i) for i in range(8)] + [(8, 7)]
    across += [(8, 14 - i) for i in range(9, 15)]
    return down + across


def _version_cells(size: int) -> list[tuple[int, int]]:
    """Version bits 0-17 in the top-right block, then 0-17 in the bottom-left one."""
    top_right = [(i // 3, i % 3 + size - 11) for i in range(18)]
    return top_right + [(column, row) for row, column in top_right]


def _zigzag(size: int, fixed: dict[tuple[int, int], bool]) -> list[tuple[int, int]]:
    """The data cells in placement order: up and down two columns at a time from the right,
    stepping over the vertical timing pattern."""
    order = []
    upwards = True
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        rows = range(size - 1, -1, -1) if upwards else range(size)
        for row in rows:
            for column in (right, right - 1):
                if (row, column) not in fixed:
                    order.append((row, column))
        upwards = not upwards
    return order


# --- The penalty rules --------------------------------------------------------------------


def _penalty(layout: _Layout, matrix: int) -> int:
    size = layout.size
    # Bit i set when module i is the same colour as its right-hand (or lower) neighbour.
    across = ~(matrix ^ (matrix >> 1)) & layout.not_last_column
    down = ~(matrix ^ (matrix >> size)) & layout.not_last_row

    # Runs of five or more of one colour: (length - 2) each, which is one point for each
    # five-module window in the run plus two for the run's start.
    windows_across = across & (across >> 1) & (across >> 2) & (across >> 3)
    step = 2 * size
    windows_down = down & (down >> size) & (down >> step) & (down >> (step + size))
    run_starts_across = windows_across & (((~across & layout.everything) << 1) | 1)
    run_starts_down = windows_down & (((~down & layout.everything) << size) | layout.first_row)
    runs = windows_across.bit_count() + windows_down.bit_count()
    runs += 2 * (run_starts_across.bit_count() + run_starts_down.bit_count())

    # 2x2 blocks of one colour: 3 each.
    blocks = 3 * (across & (across >> size) & down).bit_count()

    # 1:1:3:1:1 finder-like patterns with four light modules on one side: 40 each.
    light = ~matrix & layout.everything
    finder_like = _finder_like(matrix, light, 1, layout.finder_starts_in_row)
    finder_like += _finder_like(matrix, light, size, layout.finder_starts_in_column)

    # Distance of the dark share from half, in steps of 5%, exactly as qrcode computes it.
    percent = float(matrix.bit_count()) / (size**2)
    balance = int(abs(percent * 100 - 50) / 5) * 10
    return runs + blocks + 40 * finder_like + balance


def _finder_like(dark: int, light: int, step: int, starts: int) -> int:
    """How many places 10111010000 or 00001011101 begins, reading with this stride."""

    def dark_at(offset: int) -> int:
        return dark >> (offset * step)

    def light_at(offset: int) -> int:
        return light >> (offset * step)

    shared = starts & light_at(1) & dark_at(4) & light_at(5) & dark_at(6) & light_at(9)
    if not shared:
        return 0
    forwards = dark & dark_at(2) & dark_at(3) & light_at(7) & light_at(8) & light_at(10)
    backwards = light & light_at(2) & light_at(3) & dark_at(7) & dark_at(8) & dark_at(10)
    return (shared & (forwards | backwards)).bit_count()
