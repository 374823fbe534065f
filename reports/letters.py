"""The letters that open owners' accounts (开通通知书), and the CSV for the company's own mass
message. One A5 page per owner, sorted by building (``issue_codes`` sorts), each with the
community, the unit, the login name, the code in large type, its expiry, the address to open
and a QR code of it.

The letter goes under a door: the owner's name and mobile number are masked on it (the owner
knows them; a neighbour picking it up learns nothing). The CSV holds them in full: it is for the
company's SMS platform and must be handled like the roster it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from data_access.accounts.activation import IssuedCode, shown
from data_access.accounts.privacy import mask_name, mask_phone
from i18n import translate
from reports.fonts import register_pdf_font


def letters_pdf(
    codes: Sequence[IssuedCode], *, community: str, base_url: str, time_zone: str, lang: str = "zh"
) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = register_pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A5)
    canvas.setTitle(translate("letters.title", lang, community=community))
    width, height = A5
    link = base_url or translate("letters.no_link", lang)
    for issued in codes:
        y = height - 22 * mm
        canvas.setFont(font, 16)
        canvas.drawString(18 * mm, y, translate("letters.title", lang, community=community))
        canvas.setFont(font, 10)
        for text in (
            translate(
                "letters.to",
                lang,
                unit="、".join(issued.units) or "—",
                name=mask_name(issued.display_name),
            ),
            translate("letters.intro", lang),
            translate("letters.login", lang, login=_shown_login(issued, lang)),
        ):
            y -= 9 * mm
            canvas.drawString(18 * mm, y, text)
        y -= 16 * mm
        canvas.setFont(font, 26)
        canvas.drawString(18 * mm, y, shown(issued.code))
        canvas.setFont(font, 10)
        expires = issued.expires_at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(time_zone))
        for text in (
            translate("letters.expires", lang, date=f"{expires:%Y-%m-%d %H:%M}"),
            translate("letters.open", lang, link=link),
            translate("letters.steps", lang),
            translate("letters.keep_safe", lang),
        ):
            y -= 9 * mm
            canvas.drawString(18 * mm, y, text)
        if base_url:
            qr = QrCodeWidget(base_url)
            x0, y0, x1, y1 = qr.getBounds()
            size = 32 * mm
            drawing = Drawing(
                size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0]
            )
            drawing.add(qr)
            renderPDF.draw(drawing, canvas, width - 18 * mm - size, 18 * mm)
        canvas.showPage()
    if not codes:
        canvas.setFont(font, 12)
        canvas.drawString(18 * mm, height - 30 * mm, translate("letters.none", lang))
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _shown_login(issued: IssuedCode, lang: str) -> str:
    """The login name as the letter prints it: a mobile number masked (the owner knows it)."""
    if issued.username == issued.phone and issued.phone:
        return translate("letters.your_mobile", lang, masked=mask_phone(issued.phone))
    return issued.username


def letters_csv(codes: Sequence[IssuedCode], *, base_url: str, time_zone: str) -> bytes:
    """UTF-8 with BOM (Excel opens it right): name, mobile, units, login, code, expiry, link."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "手机号", "房号", "登录名", "开通码", "有效期至", "登录地址"])
    for issued in codes:
        expires = issued.expires_at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(time_zone))
        writer.writerow([
            _safe(issued.display_name), issued.phone, _safe("、".join(issued.units)),
            issued.username, shown(issued.code), f"{expires:%Y-%m-%d %H:%M}", base_url,
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    """A cell Excel will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
