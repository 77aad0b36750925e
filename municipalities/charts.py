"""Key figures over time as charts: pygal draws the SVG on the server.

The chart is an `<img>` with a data: address (the CSP allows data: images), so the page holds
no inline script or style: pygal's JavaScript is switched off (`js=[]`, and the config script it
writes all the same is taken out of the SVG) and its styles stay inside the image. The image's text alternative names every value, and the data table stands
beside it on the page.
"""

import base64

import pygal
from django.template.defaultfilters import floatformat
from lxml import etree

WIDTH, HEIGHT = 640, 320


def figure_chart(series) -> tuple[str, str]:
    """(the chart as a data: address, its text alternative) for one FigureSeries."""
    chart = pygal.Line(
        js=[],
        width=WIDTH,
        height=HEIGHT,
        explicit_size=True,
        disable_xml_declaration=False,
        show_legend=len(series.groups) > 1,
        legend_at_bottom=True,
        title=series.figure_type.name,
        x_title=None,
        print_values=False,
        dots_size=4,
    )
    chart.x_labels = series.periods
    rows = series.table()
    parts = []
    for index, (gender, age) in enumerate(series.groups):
        label = " ".join(filter(None, [str(gender), age]))
        points = [float(cells[index].value) if cells[index] else None for _p, cells, _s in rows]
        chart.add(label, points)
        described = ", ".join(
            f"{period} {floatformat(cells[index].value, '-2')}"
            for period, cells, _s in rows
            if cells[index]
        )
        parts.append(f"{label}: {described}")
    alt = f"{series.figure_type.name}. " + "; ".join(parts)
    return _data_uri(chart.render()), alt


def _data_uri(svg: bytes) -> str:
    root = etree.fromstring(svg)
    for script in list(root.iter("{http://www.w3.org/2000/svg}script")):
        script.getparent().remove(script)
    encoded = base64.b64encode(etree.tostring(root, encoding="utf-8")).decode()
    return f"data:image/svg+xml;base64,{encoded}"
