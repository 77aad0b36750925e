"""The record text of an annual report: what its approvers approve (networks/minutes/record.py
makes the canonical text and its checksum from it, as for minutes)."""

from networks.minutes.pdf import rich_text_lines


def report_record(report) -> dict:
    return {
        "title": report.title,
        "year": report.year,
        "chapters": [
            {
                "number": block.value["number"],
                "heading": block.value["heading"],
                "text": rich_text_lines(block.value.get("body")),
                "figures": block.value.get("figures") or "",
            }
            for block in report.chapters
        ],
        "economy": [block.value.get("data") for block in report.economy],
        "figures": report.figures,
        "figures_computed_at": (
            report.figures_computed_at.isoformat() if report.figures_computed_at else ""
        ),
        "approvers": sorted(p.get_full_name() or p.email for p in report.approvers.all()),
    }
