"""A transcript as a PDF for the record (fpdf2, core fonts: Latin-1, which covers Swedish)."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF


def _latin1(text: str) -> str:
    """Core PDF fonts cover Latin-1 (å, ä, ö, é…); anything else (emoji) becomes '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf(data: dict[str, Any]) -> bytes:
    """Blocking: call in a thread."""
    doc = FPDF(format="A4")
    doc.set_auto_page_break(auto=True, margin=15)
    doc.add_page()
    doc.set_font("Helvetica", "B", 14)
    conv = data["conversation"]
    doc.cell(0, 8, _latin1(f"Kvarter – samtal {conv['id']}"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 9)
    header = [
        f"Stadsdel: {conv['room']}   Status: {conv['status']}   Skapat: {conv['created_at']}",
        f"Exporterat {data['exported_at']} av {data['exported_by']}. Skäl: {data['reason']}",
    ]
    report = data.get("report")
    if report:
        outcome = report.get("outcome") or "-"
        header.append(f"Rapport {report['id']}: {report['category']}, {report['priority']}, utfall: {outcome}")
    for line in header:
        doc.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    entries = [(m["created_at"], f"{m['author']['name']} ({m['author']['kind']})", m["body"]) for m in data["messages"]]
    entries += [(e["at"], "Händelse", f"{e['action']} {e['detail']}") for e in data["events"]]
    entries += [(h["created_at"], "Hänvisning", f"{h['kind']}: {h['card']['title']}") for h in data["handoffs"]]
    entries += [
        (n["created_at"], f"Anteckning, {n['author']['name']} (endast personal)", n["body"]) for n in data["notes"]
    ]
    for at, who, body in sorted(entries):
        doc.set_font("Helvetica", "B", 9)
        doc.multi_cell(0, 5, _latin1(f"{at}  {who}"), new_x="LMARGIN", new_y="NEXT")
        doc.set_font("Helvetica", "", 10)
        doc.multi_cell(0, 5, _latin1(body), new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)
    return bytes(doc.output())
