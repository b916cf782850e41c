"""The chart of a run, as a PNG: p50/p95/p99 latency per hop and for the whole loop, and each
process's CPU per closed case."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only
from matplotlib import pyplot

SERIES = (("p50", "#4c72b0"), ("p95", "#dd8452"), ("p99", "#c44e52"))
Groups = list[tuple[str, dict[str, float]]]


def save_chart(path: Path, groups: Groups, title: str, cpu_ms: dict[str, float]) -> str:
    """Write the chart; returns what drew it."""
    figure, (axes, cpu_axes) = pyplot.subplots(
        1, 2, figsize=(15, 5), gridspec_kw={"width_ratios": [2, 1]}
    )
    width = 0.27
    for i, (name, color) in enumerate(SERIES):
        xs = [g + (i - 1) * width for g in range(len(groups))]
        axes.bar(xs, [f[name] for _, f in groups], width, label=name, color=color)
    axes.set_xticks(range(len(groups)), [label for label, _ in groups], rotation=15)
    axes.set_ylabel("milliseconds")
    axes.set_title(title)
    axes.legend()
    names = list(cpu_ms)
    cpu_axes.barh(names, [cpu_ms[n] for n in names], color="#55a868")
    cpu_axes.invert_yaxis()
    cpu_axes.set_xlabel("CPU ms per closed case")
    cpu_axes.set_title(f"CPU per closed case: {sum(cpu_ms.values()):.0f} ms in all")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return "matplotlib"
