"""Tagged PDF (PDF/UA-1): marked content while reportlab draws, the structure tree after the build.

While the story is drawn, every flowable is bracketed by marked content (`BDC … EMC`) with a
marked-content id (MCID) on its page, and recorded under a structure `Element`: a `Tagged`
wrapper does this for paragraphs and charts, a `TableTagger` (a `Table(renderCB=…)`) for each
table cell. Page furniture, table rules and backgrounds are artifacts. `write_structure` then
adds the structure tree, the ParentTree, the language, title display and the PDF/UA
identification to the finished file with pikepdf, deterministically.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.paragraph import FragLine, ParaLines

HEADING_TAGS = {"title": "H1", "h1": "H2", "h2": "H3"}
_HEAD_STYLE = "cell_head"
_CELL_LANGUAGE = "structure_language"


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: its page (0-based) and its MCID there."""

    page: int
    mcid: int


@dataclass(eq=False)
class Element:
    """A structure element; `parent` None means: under whatever is open when first drawn."""

    tag: str
    parent: Element | None = None
    alt: str | None = None
    lang: str | None = None
    scope: str | None = None
    kids: list[Element | MarkedContent] = field(default_factory=list)
    attached: bool = False


class StructureRecorder:
    """The structure tree as it is drawn: elements attach in reading (drawing) order."""

    def __init__(self) -> None:
        self.root = Element("Document", attached=True)
        self._open: list[Element] = [self.root]
        self._next_mcid: dict[int, int] = {}

    def attach(self, element: Element) -> None:
        """Put `element` (and its parents) into the tree, after what is there already."""
        if element.attached:
            return
        parent = element.parent or self._open[-1]
        self.attach(parent)
        element.parent, element.attached = parent, True
        parent.kids.append(element)

    def push(self, element: Element) -> None:
        """Open a grouping element (a table, a row): what is drawn next goes under it."""
        self.attach(element)
        self._open.append(element)

    def pop(self) -> None:
        """Close the innermost grouping element."""
        self._open.pop()

    def begin(self, canv: Canvas, element: Element) -> None:
        """Start marked content of `element` on the canvas's current page."""
        self.attach(element)
        page = canv.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        element.kids.append(MarkedContent(page, mcid))
        canv.addLiteral(f"/{element.tag} <</MCID {mcid}>> BDC")

    @staticmethod
    def end(canv: Canvas) -> None:
        """End the marked content begun last."""
        canv.addLiteral("EMC")


@contextmanager
def artifact(canv: Canvas, kind: str | None = None) -> Iterator[None]:
    """Mark what is drawn inside as an artifact (page furniture when `kind` is `Pagination`)."""
    canv.addLiteral(f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC")
    yield
    canv.addLiteral("EMC")


def recorder_of(canv: Canvas) -> StructureRecorder:
    """Return the structure recorder a tagged canvas carries."""
    return canv.structure  # type: ignore[attr-defined, no-any-return]


def tagged_canvas(base: type[Canvas], recorder: StructureRecorder) -> type[Canvas]:
    """Return a canvas class that records its structure in `recorder` (as `structure`)."""

    class TaggedCanvas(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.structure = recorder

    return TaggedCanvas


class Tagged(Flowable):
    """A flowable drawn as marked content of one structure element; its split pieces too."""

    def __init__(self, flowable: Flowable, element: Element) -> None:
        self.__dict__["_flowable"] = flowable
        self.__dict__["element"] = element

    def __getattr__(self, name: str) -> Any:
        """Forward what the wrapper does not have to the wrapped flowable."""
        return getattr(self.__dict__["_flowable"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Set attributes (frame bookkeeping) on the wrapped flowable."""
        setattr(self._flowable, name, value)

    def __delattr__(self, name: str) -> None:
        """Delete attributes from the wrapped flowable."""
        delattr(self._flowable, name)

    def wrapOn(self, canv: Canvas, aw: float, ah: float) -> tuple[float, float]:
        """Wrap the wrapped flowable."""
        return self._flowable.wrapOn(canv, aw, ah)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Wrap the wrapped flowable."""
        return self._flowable.wrap(aw, ah)

    def minWidth(self) -> float:
        """Return the wrapped flowable's minimum width."""
        return self._flowable.minWidth()

    def splitOn(self, canv: Canvas, aw: float, ah: float) -> list[Flowable]:
        """Split the wrapped flowable; each piece stays under the same element."""
        return [Tagged(piece, self.element) for piece in self._flowable.splitOn(canv, aw, ah)]

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Split the wrapped flowable; each piece stays under the same element."""
        return [Tagged(piece, self.element) for piece in self._flowable.split(aw, ah)]

    def getKeepWithNext(self) -> bool:
        """Return whether the wrapped flowable keeps with the next one."""
        return self._flowable.getKeepWithNext()

    def getSpaceBefore(self) -> float:
        """Return the wrapped flowable's space before."""
        return self._flowable.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        """Return the wrapped flowable's space after."""
        return self._flowable.getSpaceAfter()

    def isIndexing(self) -> bool:
        """Return whether the wrapped flowable is an index."""
        return self._flowable.isIndexing()

    def identity(self, maxLen: int | None = None) -> str:
        """Return the wrapped flowable's identity (for reportlab's messages)."""
        return self._flowable.identity(maxLen)

    def drawOn(self, canv: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Draw the wrapped flowable as marked content of the element."""
        space_line_ends(self._flowable)
        recorder = recorder_of(canv)
        recorder.begin(canv, self.element)
        self._flowable.drawOn(canv, x, y, _sW)
        recorder.end(canv)


def figure(drawing: Drawing, alt: str) -> Tagged:
    """Return a chart tagged as a Figure whose alternative text is `alt`."""
    return Tagged(drawing, Element("Figure", alt=alt))


def in_language(flowable: Flowable, tag: str, lang: str | None) -> Tagged:
    """Return a flowable tagged `tag`, with its own language when `lang` is given."""
    return Tagged(flowable, Element(tag, lang=lang))


def space_line_ends(flowable: object, last_too: bool = False) -> None:
    """Let a wrapped paragraph's lines end in a space, so that its tagged text keeps its words.

    reportlab draws no space where it breaks a line. A trailing space changes nothing on the
    page: each line's position was worked out when the paragraph was wrapped. Lines ending in
    a hyphen are kept as they are.
    """
    if not isinstance(flowable, Paragraph) or getattr(flowable, "_spaced", False):
        return
    para = getattr(flowable, "blPara", None)
    if para is None:
        return
    lines = para.lines
    count = len(lines) if last_too else len(lines) - 1
    for index in range(count):
        lines[index] = _spaced_line(lines[index])
    flowable.__dict__["_spaced"] = True


def _space_after_wrap(flowable: object, last_too: bool) -> None:
    """Let a table cell's paragraph space its line ends each time it is wrapped (cells re-wrap)."""
    if not isinstance(flowable, Paragraph) or "wrap" in flowable.__dict__:
        return
    wrap_plainly = flowable.wrap

    def wrap(available_width: float, available_height: float) -> tuple[float, float]:
        size = wrap_plainly(available_width, available_height)
        flowable.__dict__.pop("_spaced", None)
        space_line_ends(flowable, last_too)
        return size

    flowable.__dict__["wrap"] = wrap


def _spaced_line(line: Any) -> Any:
    """Return one laid-out line whose last word ends in a space (or the line as it was)."""
    if isinstance(line, tuple):
        extra, words = line
        if not words or words[-1].endswith(("-", "\u00ad", " ")):
            return line
        return (extra, [*words[:-1], words[-1] + " "])
    if (
        isinstance(line, ParaLines | FragLine)
        and line.words
        and hasattr(line.words[-1], "text")
        and not line.words[-1].text.endswith(("-", "\u00ad", " "))
    ):
        line.words[-1] = line.words[-1].clone(text=line.words[-1].text + " ")
    return line


class TableTagger:
    """A `Table(renderCB=…)` that tags each cell: TH (scope Column) for header rows, else TD.

    `layout` tables (boxes, side by side) become a Div: their cells are a P each, or, when a
    cell holds a table or a tagged flowable (a chart), nothing of their own. A split table keeps
    one Table element; on later pages the repeated header rows are artifacts.
    """

    def __init__(self, element: Element, layout: bool = False) -> None:
        self.element = element
        self.layout = layout
        self._started = False
        self._continued = False
        self._row_artifact = False
        self._cell_tagged = False

    def __call__(self, table: Table, command: str, *args: Any) -> None:
        """Run the callback for one of the table's drawing steps."""
        getattr(self, command)(table, *args)

    def startTable(self, table: Table) -> None:
        """Open the table's element (the same one for every part of a split)."""
        self._continued, self._started = self._started, True
        recorder_of(table.canv).push(self.element)

    def endTable(self, table: Table) -> None:
        """Close the table's element."""
        recorder_of(table.canv).pop()

    def startBG(self, table: Table) -> None:
        """Begin the backgrounds (or rules), an artifact."""
        table.canv.addLiteral("/Artifact BMC")

    def endBG(self, table: Table) -> None:
        """End the backgrounds (or rules)."""
        table.canv.addLiteral("EMC")

    startLines = startBG
    endLines = endBG

    def startRow(self, table: Table, row: int) -> None:
        """Open a row: a TR, or an artifact when it repeats the header on a later page."""
        repeated = self._continued and row < _repeat_rows(table)
        self._row_artifact = repeated and not self.layout
        if self._row_artifact:
            table.canv.addLiteral("/Artifact <</Type /Pagination>> BDC")
        elif not self.layout:
            recorder_of(table.canv).push(Element("TR"))

    def endRow(self, table: Table) -> None:
        """Close the row."""
        if self._row_artifact:
            table.canv.addLiteral("EMC")
        elif not self.layout:
            recorder_of(table.canv).pop()

    def startCell(self, table: Table, row: int, column: int, value: object, *_rest: Any) -> None:
        """Begin the cell's marked content: TH or TD (P in a layout table)."""
        self._cell_tagged = not self._row_artifact and not (self.layout and _tags_itself(value))
        if not self._cell_tagged:
            return
        paragraphs = value if isinstance(value, list | tuple) else [value]
        for position, item in enumerate(paragraphs):
            _space_after_wrap(item, last_too=position < len(paragraphs) - 1)
        element = self._cell_element(table, row, column, value)
        recorder_of(table.canv).begin(table.canv, element)

    def endCell(self, table: Table) -> None:
        """End the cell's marked content."""
        if self._cell_tagged:
            recorder_of(table.canv).end(table.canv)

    def _cell_element(self, table: Table, row: int, column: int, value: object) -> Element:
        """Return the cell's element: P in a layout table, TH in a header row or first column.

        A row's first cell names the row (TH, scope Row), as in the HTML twin; the rest are
        TD. A cell in another language (see `cell_in_language`) carries its language.
        """
        if self.layout:
            return Element("P")
        if _is_header_row(table._cellvalues[row]):
            return Element("TH", scope="Column")
        items = value if isinstance(value, list | tuple) else [value]
        lang = next((getattr(i, _CELL_LANGUAGE, None) for i in items), None)
        return Element("TH", lang=lang, scope="Row") if column == 0 else Element("TD", lang=lang)


def cell_in_language(paragraph: Paragraph, lang: str | None) -> Paragraph:
    """Return a table cell's paragraph marked to be tagged with its own language (if given)."""
    setattr(paragraph, _CELL_LANGUAGE, lang)
    return paragraph


def _repeat_rows(table: Table) -> int:
    repeat = table.repeatRows
    return repeat if isinstance(repeat, int) else max(repeat) + 1


def _tags_itself(value: object) -> bool:
    """Return whether a layout cell holds what tags itself: a table or a tagged flowable."""
    items = value if isinstance(value, list | tuple) else [value]
    return any(isinstance(item, Table | Tagged) for item in items)


def _is_header_row(cells: Sequence[object]) -> bool:
    """Return whether a row is a header row: its first cell is set in a header style."""
    first = cells[0]
    if isinstance(first, list | tuple):
        first = first[0] if first else None
    return isinstance(first, Paragraph) and first.style.name.startswith(_HEAD_STYLE)


def tag_table(table: Table) -> Table:
    """Give a table its tagging callback: a data table when its first row is a header row."""
    layout = not _is_header_row(table._cellvalues[0])
    table._renderCB = TableTagger(Element("Div" if layout else "Table"), layout=layout)
    for row in table._cellvalues:
        for value in row:
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, Table):
                    tag_table(item)
    return table


def tagged_story(story: Sequence[Flowable]) -> list[Flowable]:
    """Return the story with every flowable tagged: headings, paragraphs, lists, tables.

    Paragraph styles say the role (`title` H1, `h1` H2, `h2` H3, `bullet` a list item, the rest
    P); flowables already `Tagged` keep their element; a chart that is not tagged is an error,
    since it would have no alternative text.
    """
    tagged: list[Flowable] = []
    current_list: Element | None = None
    for flowable in story:
        if isinstance(flowable, Paragraph) and flowable.style.name == "bullet":
            current_list = current_list or Element("L")
            item = Element("LI", parent=current_list)
            tagged.append(Tagged(flowable, Element("LBody", parent=item)))
            continue
        if isinstance(flowable, Paragraph):
            tagged.append(Tagged(flowable, Element(HEADING_TAGS.get(flowable.style.name, "P"))))
        elif isinstance(flowable, Table):
            tagged.append(tag_table(flowable))
        elif isinstance(flowable, KeepTogether):
            flowable._content = tagged_story(flowable._content)
            tagged.append(flowable)
        elif isinstance(flowable, Drawing):
            raise ValueError("a chart must be tagged as a figure with alternative text")
        else:
            tagged.append(flowable)
        if not isinstance(flowable, Spacer):
            current_list = None
    return tagged


# --- the structure tree, written after the build ------------------------------------------------


def write_structure(pdf_bytes: bytes, root: Element, lang: str, title: str) -> bytes:
    """Return the PDF with its structure tree, ParentTree, language and PDF/UA identification."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = list(pdf.pages)
        parents: dict[int, list[pikepdf.Object | None]] = {i: [] for i in range(len(pages))}
        tree_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = _struct(pdf, root, tree_root, pages, parents)
        tree_root.K = document
        tree_root.ParentTree = pdf.make_indirect(
            pikepdf.Dictionary(Nums=_parent_tree_nums(pdf, parents))
        )
        tree_root.ParentTreeNextKey = len(pages)
        for index, page in enumerate(pages):
            page.obj.StructParents = index
            page.obj.Tabs = pikepdf.Name.S
        _mark_catalog(pdf, tree_root, lang)
        _write_xmp(pdf, lang, title)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _struct(
    pdf: pikepdf.Pdf,
    element: Element,
    parent: pikepdf.Object,
    pages: list[pikepdf.Page],
    parents: dict[int, list[pikepdf.Object | None]],
) -> pikepdf.Object:
    """Return `element` as an indirect structure element, its kids and ParentTree slots filled."""
    node = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + element.tag))
    )
    node.P = parent
    if element.alt is not None:
        node.Alt = pikepdf.String(element.alt)
    if element.lang:
        node.Lang = pikepdf.String(element.lang)
    if element.scope:
        node.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name("/" + element.scope))
    first_page = next(_pages_of(element), None)
    if first_page is not None:
        node.Pg = pages[first_page].obj
    kids = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(_struct(pdf, kid, node, pages, parents))
            continue
        slots = parents[kid.page]
        slots.extend([None] * (kid.mcid + 1 - len(slots)))
        slots[kid.mcid] = node
        if kid.page == first_page:
            kids.append(kid.mcid)
        else:
            kids.append(
                pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[kid.page].obj, MCID=kid.mcid)
            )
    node.K = pikepdf.Array(kids) if len(kids) != 1 else kids[0]
    return node


def _pages_of(element: Element) -> Iterator[int]:
    """Yield the pages of an element's own marked content, in order."""
    for kid in element.kids:
        if isinstance(kid, MarkedContent):
            yield kid.page


def _parent_tree_nums(
    pdf: pikepdf.Pdf, parents: dict[int, list[pikepdf.Object | None]]
) -> pikepdf.Array:
    nums = pikepdf.Array()
    for page, slots in sorted(parents.items()):
        if None in slots:
            raise ValueError(f"page {page + 1}: a marked-content id without a structure element")
        nums.append(page)
        nums.append(pdf.make_indirect(pikepdf.Array(slots)))
    return nums


def _mark_catalog(pdf: pikepdf.Pdf, tree_root: pikepdf.Object, lang: str) -> None:
    root = pdf.Root
    root.StructTreeRoot = tree_root
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    root.Lang = pikepdf.String(lang)
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def _write_xmp(pdf: pikepdf.Pdf, lang: str, title: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*has no XMP equivalent")
            meta.load_from_docinfo(pdf.docinfo)
        meta["dc:title"] = title
        meta["dc:language"] = [lang]
        meta["pdfuaid:part"] = "1"
