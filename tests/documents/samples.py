"""Files of every accepted kind, and hostile ones, made here (no binary files in the repo)."""

import io
import struct
import zipfile

from portal.documents.clamd_daemon import eicar


def pdf(text: str = "Statement of purpose") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _zip(members: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"/>'
)


def _content_types(main: str, part: str) -> bytes:
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{main}"/></Types>'
    ).encode()


def docx(text: str = "Safeguarding policy") -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types(main, "word/document.xml")),
            ("_rels/.rels", _RELS),
            ("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>".encode()),
        ]
    )


def xlsx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types(main, "xl/workbook.xml")),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def docm() -> bytes:
    """A macro-enabled Word document: refused."""
    main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    return _zip(
        [
            ("[Content_Types].xml", _content_types(main, "word/document.xml")),
            ("word/document.xml", b"<w:document/>"),
            ("word/vbaProject.bin", b"\x00" * 64),
        ]
    )


def _opendocument(mimetype: str) -> bytes:
    return _zip(
        [
            ("mimetype", mimetype.encode()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
        ],
        stored_first=True,
    )


def odt() -> bytes:
    return _opendocument("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    return _opendocument("application/vnd.oasis.opendocument.spreadsheet")


def png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", 0x907753DE)
    idat_body = bytes.fromhex("789c63f8cfc0f01f0005000201")
    idat = struct.pack(">I", len(idat_body)) + b"IDAT" + idat_body + b"\x00\x00\x00\x00"
    iend = b"\x00\x00\x00\x00IEND\xaeB`\x82"
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


def jpeg() -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xdb\x00\x43\x00" + bytes(range(64)) + b"\xff\xd9"


def _cfb(stream_name: str) -> bytes:
    """A minimal OLE compound file (the container of .doc and .xls) holding one empty
    stream called `stream_name`: enough for libmagic to name the application."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # FAT in sector 0
    for index in range(1, 109):
        struct.pack_into("<I", header, 76 + index * 4, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * sector)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # FAT sector, directory end

    def entry(name: str, kind: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", raw, 116, 0xFFFFFFFE, 0)
        return bytes(raw)

    directory = entry("Root Entry", 5, 1) + entry(stream_name, 2, 0xFFFFFFFF)
    directory += bytes(128) * 2
    return bytes(header) + bytes(fat) + directory


def doc() -> bytes:
    return _cfb("WordDocument")


def xls() -> bytes:
    return _cfb("Workbook")


def text(body: str = "Our complaints policy.\nWe answer within 20 working days.\n") -> bytes:
    return body.encode()


def csv() -> bytes:
    return b"name,role\nAmira Khan,Registered manager\nJo Bell,Nominated individual\n"


def elf_program() -> bytes:
    """The start of a Linux program (an ELF executable header), padded."""
    header = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1)
    return header + bytes(64 - len(header)) + bytes(200)


def windows_program() -> bytes:
    stub = bytearray(b"MZ" + bytes(126))
    struct.pack_into("<I", stub, 0x3C, 0x80)
    return bytes(stub) + b"PE\x00\x00" + struct.pack("<HH", 0x14C, 1) + bytes(300)


def pdf_zip_polyglot() -> bytes:
    """A PDF with a ZIP archive (holding a program) appended: both readers accept it."""
    return pdf() + _zip([("run.exe", windows_program())])


def html_in_text() -> bytes:
    return b"Meeting notes\n\n<script>fetch('/steal?c='+document.cookie)</script>\n"


def eicar_file() -> bytes:
    return eicar()


def eicar_in_text() -> bytes:
    return b"Minutes of the board meeting\n" + eicar() + b"\n"
