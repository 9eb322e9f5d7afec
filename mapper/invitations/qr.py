"""A QR code of an invitation's link, made locally."""

from __future__ import annotations

from ..errors import ValidationError


def qr_code(link: str, kind: str = "svg") -> bytes:
    """A QR code of ``link`` as PNG or SVG bytes, made locally (segno, pure Python)."""
    import io

    import segno

    if kind not in ("png", "svg"):
        raise ValidationError("QR code format {kind!r} is not png or svg", field="kind", kind=kind)
    buffer = io.BytesIO()
    code = segno.make(link, error="m")
    if kind == "png":
        code.save(buffer, kind="png", scale=8, border=4)
    else:
        code.save(buffer, kind="svg", scale=8, border=4, xmldecl=False)
    return buffer.getvalue()
