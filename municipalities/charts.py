"""Key figures over time as charts: pygal draws the SVG on the server.

The chart is an `<img>` with a data: address (the CSP allows data: images), so the page holds
no inline script or style: pygal's JavaScript is switched off (`js=[]`, and the config script it
writes all the same is taken out of the SVG) and its styles stay inside the image. The image's text alternative names every value, and the data table stands
beside it on the page.

Drawing takes pygal tens of milliseconds a chart, so a drawn chart is kept in the shared cache
under a digest of everything it is drawn from: the figure type, every period, group and value,
the language (the group labels and numbers are written in it) and who may see it. A changed
value is another key, so it is drawn afresh at once; what it replaced just expires. A figure
type for members only is drawn only for a reader the access rule let see it (the caller says,
`members`), and its entry is kept apart from every public one.
"""

import base64
import hashlib

import pygal
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import floatformat
from django.utils import translation
from lxml import etree

from .models import Visibility

WIDTH, HEIGHT = 640, 320


def figure_charts(series_list, *, members: bool) -> None:
    """Give each FigureSeries its `chart` (a data: address) and `chart_alt` (its text
    alternative), from the shared cache when drawn before from the same values: one round trip
    for all of them. `members`: whether the reader may see the figures for members only."""
    keys = {_key(series, members=members): series for series in series_list}
    kept = cache.get_many(list(keys))
    drawn = {}
    for key, series in keys.items():
        series.chart, series.chart_alt = kept.get(key) or drawn.setdefault(key, _draw(series))
    if drawn:
        cache.set_many(drawn, settings.PORTAL_FRAGMENT_CACHE_SECONDS)


def _key(series, *, members: bool) -> str:
    public = series.figure_type.visibility == Visibility.PUBLIC
    if not public and not members:
        raise PermissionDenied  # the caller read a figure the reader may not see
    inputs = repr(
        (
            series.figure_type.pk,
            series.figure_type.name,
            "public" if public else "members",
            translation.get_language(),
            series.groups,
            [
                (period, [cell and str(cell.value) for cell in cells])
                for period, cells, _s in series.table()
            ],
        )
    )
    return "municipalities:chart:" + hashlib.sha256(inputs.encode()).hexdigest()


def _draw(series) -> tuple[str, str]:
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
