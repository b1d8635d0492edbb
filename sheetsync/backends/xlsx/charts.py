"""Native .xlsx charts for owned tabs: the drawing and chart parts (DrawingML) that
draw a model.ChartSpec, generated as text so identical syncs give identical bytes.

The parts are named after the sheet they belong to (sheetsync_sheet7.xml), so a
later sync finds, replaces or drops exactly the ones it made.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from sheetsync import formats
from sheetsync.backends.xlsx.xmltext import xml_text
from sheetsync.formats import column_letter
from sheetsync.model import ChartSpec, OutputTable

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_DRAWING = NS_R + "/drawing"
REL_CHART = NS_R + "/chart"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_REL_ID = "sheetsyncDrawing"
PREFIX = "sheetsync_"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CHART_COLUMNS = 9  # width of a chart, in columns
CHART_ROWS = 18  # height of a chart, in rows; charts on one tab are stacked


@dataclass(frozen=True)
class ChartParts:
    """What a sheet's charts need in the package: new or replaced parts, and the
    content type of each part that is not a .rels file."""

    parts: dict[str, bytes]
    content_types: dict[str, str]


def drawing_element(table: OutputTable) -> str:
    """The <drawing> element closing a sheet that has charts ("" when it has none)."""
    return f'<drawing r:id="{DRAWING_REL_ID}"/>' if table.charts else ""


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def our_parts(sheet_part: str, names: Sequence[str]) -> set[str]:
    """The drawing and chart parts an earlier sync made for this sheet."""
    stem = posixpath.splitext(posixpath.basename(sheet_part))[0]
    base = posixpath.dirname(posixpath.dirname(sheet_part))
    drawing = posixpath.join(base, "drawings", f"{PREFIX}{stem}.xml")
    charts = posixpath.join(base, "charts", f"{PREFIX}{stem}_")
    found = {n for n in names if n in (drawing, rels_of(drawing))}
    return found | {n for n in names if n.startswith(charts) and n.endswith(".xml")}


def chart_parts(sheet_part: str, table: OutputTable, tables: Sequence[OutputTable]) -> ChartParts:
    """Sheet rels, drawing, drawing rels and one chart part per spec of the table."""
    stem = posixpath.splitext(posixpath.basename(sheet_part))[0]
    base = posixpath.dirname(posixpath.dirname(sheet_part))
    drawing = posixpath.join(base, "drawings", f"{PREFIX}{stem}.xml")
    charts = [
        posixpath.join(base, "charts", f"{PREFIX}{stem}_{n}.xml")
        for n in range(1, len(table.charts) + 1)
    ]
    parts = {
        rels_of(sheet_part): _rels([(DRAWING_REL_ID, REL_DRAWING, _relative(drawing, sheet_part))]),
        drawing: _drawing(table.charts),
        rels_of(drawing): _rels(
            [(f"rId{n}", REL_CHART, _relative(c, drawing)) for n, c in enumerate(charts, 1)]
        ),
    }
    for part, spec in zip(charts, table.charts, strict=True):
        parts[part] = chart_xml(spec, table, tables).encode("utf-8")
    types = {drawing: CT_DRAWING} | dict.fromkeys(charts, CT_CHART)
    return ChartParts(parts, types)


def _relative(target: str, source: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))


def _rels(relations: Sequence[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f'<Relationship Id="{rel_id}" Type="{kind}" Target={quoteattr(target)}/>'
        for rel_id, kind, target in relations
    )
    return f'{XML_HEAD}<Relationships xmlns="{NS_PKG}">{body}</Relationships>'.encode()


# ------------------------------------------------------------------ drawing


def _anchor(spec: ChartSpec, number: int) -> str:
    column, row = _cell(spec.anchor)
    row += (number - 1) * (CHART_ROWS + 2)
    corner = "<xdr:{0}><xdr:col>{1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{2}</xdr:row>"
    corner += "<xdr:rowOff>0</xdr:rowOff></xdr:{0}>"
    return (
        '<xdr:twoCellAnchor editAs="oneCell">'
        + corner.format("from", column, row)
        + corner.format("to", column + CHART_COLUMNS, row + CHART_ROWS)
        + '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="{number + 1}" name={quoteattr(spec.title)}/><xdr:cNvGraphicFramePr/>'
        '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{NS_C}"><c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" '
        f'r:id="rId{number}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
        "<xdr:clientData/></xdr:twoCellAnchor>"
    )


def _drawing(specs: Sequence[ChartSpec]) -> bytes:
    anchors = "".join(_anchor(spec, n) for n, spec in enumerate(specs, 1))
    return (
        f'{XML_HEAD}<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{anchors}</xdr:wsDr>'.encode()
    )


def _cell(ref: str) -> tuple[int, int]:
    """0-based (column, row) of an A1 cell reference."""
    letters = "".join(c for c in ref if c.isalpha()).upper()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return column - 1, int(ref[len(letters) :]) - 1


# ------------------------------------------------------------------ chart


def _range(title: str, column: int, first: int, last: int) -> str:
    quoted = "'" + title.replace("'", "''") + "'"
    letter = column_letter(column)
    if first == last:
        return f"{quoted}!${letter}${first}"
    return f"{quoted}!${letter}${first}:${letter}${last}"


def _text_cache(values: Sequence[object]) -> str:
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{xml_text(str(v))}</c:v></c:pt>'
        for i, v in enumerate(values)
        if v is not None
    )
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache>'


def _number(value: object, kind: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if kind == "money":
        return formats.money_text(int(value))
    return repr(float(value))


def _number_cache(values: Sequence[object], kind: str) -> str:
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{text}</c:v></c:pt>'
        for i, v in enumerate(values)
        if (text := _number(v, kind)) is not None
    )
    return (
        f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{len(values)}"/>'
        f"{points}</c:numCache>"
    )


def _series(spec: ChartSpec, source: OutputTable, number: int, header: str) -> str:
    """One series: its name, categories and values as references plus cached values."""
    last = spec.rows + 1
    category = source.header.index(spec.category)
    column = source.header.index(header)
    rows = source.rows[: spec.rows]
    marker = '<c:marker><c:symbol val="none"/></c:marker>' if spec.kind == "line" else ""
    tail = '<c:smooth val="0"/>' if spec.kind == "line" else ""
    invert = '<c:invertIfNegative val="0"/>' if spec.kind == "bar" else ""
    return (
        f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
        f"<c:tx><c:strRef><c:f>{escape(_range(source.title, column, 1, 1))}</c:f>"
        f"{_text_cache([header])}</c:strRef></c:tx>{invert}{marker}"
        f"<c:cat><c:strRef><c:f>{escape(_range(source.title, category, 2, last))}</c:f>"
        f"{_text_cache([r[category] for r in rows])}</c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{escape(_range(source.title, column, 2, last))}</c:f>"
        f"{_number_cache([r[column] for r in rows], source.kinds[column])}</c:numRef></c:val>"
        f"{tail}</c:ser>"
    )


def _axes(spec: ChartSpec, currency: str) -> str:
    number_format = "0%" if spec.percent else formats.money_format(currency).replace(".00", "")
    return (
        '<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:tickLblPos val="low"/><c:crossAx val="1002"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        f'<c:numFmt formatCode={quoteattr(number_format)} sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="1001"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx>'
    )


def _plot(spec: ChartSpec, source: OutputTable) -> str:
    series = "".join(_series(spec, source, n, h) for n, h in enumerate(spec.values))
    axes = '<c:axId val="1001"/><c:axId val="1002"/>'
    if spec.kind == "bar":
        return (
            '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
            f'<c:varyColors val="0"/>{series}<c:gapWidth val="150"/>{axes}</c:barChart>'
        )
    return (
        '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
        f'{series}<c:marker val="1"/>{axes}</c:lineChart>'
    )


def chart_xml(spec: ChartSpec, table: OutputTable, tables: Sequence[OutputTable]) -> str:
    """The c:chartSpace part drawing `spec`, whose data come from its source table."""
    source = next((t for t in tables if t.title == spec.source), table) if spec.source else table
    title = (
        f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{xml_text(spec.title)}</a:t></a:r>"
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
    )
    return (
        f'{XML_HEAD}<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
        f'<c:roundedCorners val="0"/><c:chart>{title}<c:plotArea><c:layout/>'
        f"{_plot(spec, source)}{_axes(spec, table.currency)}</c:plotArea>"
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
