"""Inline SVG charts for the HTML report: no scripts, no fonts, no external references.

Charts are built as strings here rather than in the template because their geometry is
arithmetic. Every text that can come from a vendor, the strategy or a translation passes through
:func:`markupsafe.escape`, and the functions return :class:`markupsafe.Markup` so the template
inserts them as they are. Each chart carries a <title> and a <desc> for screen readers, and the
report puts the same numbers in a table next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from zahnrad.textsafe import visible


def _esc(value: object) -> Markup:
    """Escaped for SVG/HTML, with control characters and bidi overrides shown, not obeyed."""
    return escape(visible(value))

#: Okabe–Ito palette: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK = "#1f2328"
MUTED = "#6b7280"
GRID = "#d0d7de"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'


def _svg(width: float, height: float, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px" role="img" {FONT} font-size="12">'
        f"<title>{_esc(title)}</title><desc>{_esc(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: object, *, anchor: str = "start", size: int | None = None,
          fill: str = INK, weight: str | None = None, extra: str = "") -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"'
    if size:
        attrs += f' font-size="{size}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}{extra}>{_esc(text)}</text>"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    fmt: Callable[[float | None], str],
    unknown: str = "?",
) -> Markup:
    """Horizontal grouped bars on 0–100: one group per vendor, one bar per series (aspect)."""
    label_w, plot_w, bar_h, gap = 190, 430, 11, 12
    legend_h = 26
    group_h = len(series) * bar_h + gap
    height = legend_h + len(groups) * group_h + 26
    width = label_w + plot_w + 60
    body: list[str] = []
    x = label_w
    for k, name in enumerate(series):  # legend
        body.append(f'<rect x="{x}" y="6" width="11" height="11" fill="{PALETTE[k % len(PALETTE)]}"/>')
        body.append(_text(x + 15, 16, name))
        x += 22 + 7 * len(name)
    top = legend_h
    for tick in range(0, 101, 25):
        tx = label_w + plot_w * tick / 100
        body.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 20}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(tx, height - 6, tick, anchor="middle", fill=MUTED))
    for i, group in enumerate(groups):
        y0 = top + i * group_h
        body.append(_text(label_w - 8, y0 + len(series) * bar_h / 2 + 4, _clip(group, 30),
                          anchor="end"))
        for k, _ in enumerate(series):
            v = values[i][k]
            y = y0 + k * bar_h
            if v is None:
                body.append(_text(label_w + 4, y + bar_h - 2, unknown, fill=MUTED, size=10))
                continue
            w = plot_w * max(0.0, min(100.0, v)) / 100
            body.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 2}" '
                        f'fill="{PALETTE[k % len(PALETTE)]}"><title>{_esc(group)} · '
                        f"{_esc(series[k])}: {_esc(fmt(v))}</title></rect>")
            body.append(_text(label_w + w + 4, y + bar_h - 3, fmt(v), size=10, fill=MUTED))
    desc = "; ".join(
        f"{g}: " + ", ".join(f"{s} {fmt(values[i][k])}" for k, s in enumerate(series))
        for i, g in enumerate(groups)
    )
    return _svg(width, height, title, desc, body)


def share_bars(rows: Sequence[tuple[str, float, str]], *, title: str,
               fmt: Callable[[float], str]) -> Markup:
    """Horizontal bars of a 0–1 share per vendor, with a note (e.g. the rank interval) after it."""
    label_w, plot_w, row_h = 190, 360, 22
    height = len(rows) * row_h + 24
    width = label_w + plot_w + 170
    body: list[str] = []
    for tick in (0, 0.5, 1):
        tx = label_w + plot_w * tick
        body.append(f'<line x1="{tx:.1f}" y1="0" x2="{tx:.1f}" y2="{height - 18}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(tx, height - 4, fmt(tick), anchor="middle", fill=MUTED))
    for i, (name, share, note) in enumerate(rows):
        y = i * row_h + 4
        body.append(_text(label_w - 8, y + 12, _clip(name, 30), anchor="end"))
        w = plot_w * max(0.0, min(1.0, share))
        body.append(f'<rect x="{label_w}" y="{y:.1f}" width="{max(w, 1.5):.1f}" height="15" '
                    f'fill="{PALETTE[0] if i == 0 else PALETTE[4]}"/>')
        body.append(_text(label_w + w + 6, y + 12, f"{fmt(share)}  {note}", fill=MUTED))
    desc = "; ".join(f"{n}: {fmt(s)} {note}" for n, s, note in rows)
    return _svg(width, height, title, desc, body)


@dataclass
class GoalRange:
    label: str
    weight: float
    lower: float | None  # first place changes below this weight (None: never)
    upper: float | None  # … above this weight (None: never)


def stability(rows: Sequence[GoalRange], *, title: str, fmt: Callable[[float], str]) -> Markup:
    """Per goal, the range of its weight (0–1) within which first place stays: a band and a dot."""
    label_w, plot_w, row_h = 260, 380, 26
    height = len(rows) * row_h + 26
    width = label_w + plot_w + 40
    body: list[str] = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        tx = label_w + plot_w * tick
        body.append(f'<line x1="{tx:.1f}" y1="0" x2="{tx:.1f}" y2="{height - 20}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(tx, height - 5, fmt(tick), anchor="middle", fill=MUTED))
    for i, r in enumerate(rows):
        y = i * row_h + 6
        lo = 0.0 if r.lower is None else r.lower
        hi = 1.0 if r.upper is None else r.upper
        body.append(_text(label_w - 8, y + 12, _clip(r.label, 42), anchor="end"))
        body.append(f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="6" fill="#f3d6d6"/>')
        body.append(f'<rect x="{label_w + plot_w * lo:.1f}" y="{y + 3}" '
                    f'width="{max(plot_w * (hi - lo), 1.5):.1f}" height="10" fill="#9fd3b4"/>')
        cx = label_w + plot_w * r.weight
        body.append(f'<circle cx="{cx:.1f}" cy="{y + 8}" r="5" fill="{INK}"/>')
    desc = "; ".join(
        f"{r.label}: {fmt(r.weight)} (" + (fmt(r.lower) if r.lower is not None else "0") + "–"
        + (fmt(r.upper) if r.upper is not None else "1") + ")" for r in rows
    )
    return _svg(width, height, title, desc, body)


@dataclass
class Point:
    label: str
    cost: float
    total: float
    active: bool  # False: knocked out (drawn hollow, not compared)


def _nice_max(v: float) -> float:
    """A round axis maximum at or above v (1, 2, 2.5 or 5 times a power of ten)."""
    if v <= 0:
        return 1.0
    mag = 10 ** len(str(int(v))) / 10
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * mag:
            return m * mag
    return 10 * mag


def value_scatter(points: Sequence[Point], *, title: str, x_label: str, y_label: str,
                  money: Callable[[float], str], best_ratio: float | None,
                  best_label: str, legend_title: str = "") -> Markup:
    """Total (y) against total cost of ownership (x); the dashed line is the best value ratio.

    Every point on a line through the origin has the same points per euro, so vendors above the
    dashed line would beat the best price-performance, vendors below it do not. Knocked-out
    vendors are drawn hollow and marked ✕ in the legend.
    """
    left, bottom, plot_w, plot_h = 70, 46, 520, 300
    width = left + plot_w + 250
    height = max(plot_h + bottom + 16, 40 + 17 * len(points))
    xmax = _nice_max(max((p.cost for p in points), default=1.0) * 1.05)
    body: list[str] = []

    def px(c: float) -> float:
        return left + plot_w * c / xmax

    def py(t: float) -> float:
        return 10 + plot_h * (1 - t / 100)

    for k in range(5):
        xv = xmax * k / 4
        body.append(f'<line x1="{px(xv):.1f}" y1="10" x2="{px(xv):.1f}" y2="{py(0):.1f}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(px(xv), py(0) + 16, money(xv), anchor="middle", fill=MUTED, size=11))
        yv = 25 * k
        body.append(f'<line x1="{left}" y1="{py(yv):.1f}" x2="{left + plot_w}" y2="{py(yv):.1f}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(left - 6, py(yv) + 4, yv, anchor="end", fill=MUTED, size=11))
    body.append(_text(left + plot_w / 2, height - 4, x_label, anchor="middle"))
    body.append(_text(14, 10 + plot_h / 2, y_label, anchor="middle",
                      extra=f' transform="rotate(-90 14 {10 + plot_h / 2:.0f})"'))
    if best_ratio:
        # total = ratio × cost / 1000, clipped to the plot
        c_end = min(xmax, 100 * 1000 / best_ratio)
        body.append(f'<line x1="{px(0):.1f}" y1="{py(0):.1f}" x2="{px(c_end):.1f}" '
                    f'y2="{py(best_ratio * c_end / 1000):.1f}" stroke="{PALETTE[2]}" '
                    f'stroke-dasharray="6 4" stroke-width="1.5"/>')
        body.append(_text(px(c_end) + 4, py(best_ratio * c_end / 1000) + 4, best_label,
                          fill=PALETTE[2], size=11))
    # numbered markers and a legend: labels beside crowded points would overprint each other
    legend_x = left + plot_w + 24
    body.append(_text(legend_x, 14, legend_title, weight="600", size=11))
    for i, p in enumerate(points, start=1):
        x, y = px(p.cost), py(p.total)
        colour = PALETTE[0] if p.active else MUTED
        tip = f"<title>{_esc(p.label)}: {_esc(money(p.cost))}, {p.total:.1f}</title>"
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{colour if p.active else "white"}" '
                    f'stroke="{colour}" stroke-width="1.5" fill-opacity="0.85">{tip}</circle>')
        body.append(_text(x, y + 3.5, i, anchor="middle", size=9, weight="600",
                          fill="white" if p.active else MUTED))
        ly = 16 + 17 * i
        body.append(f'<circle cx="{legend_x + 7}" cy="{ly - 4}" r="7" '
                    f'fill="{colour if p.active else "white"}" stroke="{colour}" stroke-width="1.5"/>')
        body.append(_text(legend_x + 7, ly - 0.5, i, anchor="middle", size=8, weight="600",
                          fill="white" if p.active else MUTED))
        body.append(_text(legend_x + 20, ly, _clip(p.label, 30) + ("" if p.active else " ✕"),
                          size=11, fill=INK if p.active else MUTED))
    desc = "; ".join(f"{p.label}: {money(p.cost)}, {p.total:.1f}" for p in points)
    return _svg(width, height, title, desc, body)
