"""How far annotators agree: span F1, Krippendorff's αu, sentence-level κ and α (no UI).

:func:`compute_agreement` reads the annotations of several annotators on the same articles and
returns an :class:`AgreementReport`; :func:`report_json` and :func:`report_table` are what
``newsmark agree`` prints (the JSON keys are documented in ``docs/formats.md``). A figure that is
undefined (a tag nobody used, a coefficient whose chance agreement is total) is ``None``.

Which articles count. An annotator has *coded* an article when they have an annotation in it or
marked it done. A pair's span figures use the articles both of them coded; αu and the
sentence-level figures, which need every annotator on every unit, use the articles all the
compared annotators coded. Articles left out are named in the warnings.

**Pairwise span agreement**, for annotators ``a`` and ``b``, per tag and pooled (``"*"``: the
counts of every tag added up, a micro average). ``precision`` treats ``b`` as the reference:

- *strict*: a span of ``a`` matches one of ``b`` with the same start, end and tag (one-to-one);
- *lenient*: any overlap with the same tag, matched one-to-one, largest overlap first (ties:
  the pair whose boundaries are closer, then text order);
- *overlap*: overlap-weighted, as SemEval-2020 Task 11 scores span identification (Da San
  Martino et al. 2019, "Fine-grained analysis of propaganda in news articles"):
  ``P = (1/|A|) Σ_a |a ∩ B| / |a|`` and ``R = (1/|B|) Σ_b |b ∩ A| / |b|``, where ``B`` (``A``)
  is the union of the other annotator's spans of the same tag. When an annotator's spans of one
  tag do not overlap each other (as in SemEval's data) this is exactly the task's sum over
  same-tag pairs; the union keeps it within [0, 1] when they nest. Its ``matched`` counts the
  spans of ``a`` that overlap some span of ``b``; ``a_only`` and ``b_only`` the spans that
  overlap none.

F1 is ``2PR / (P + R)`` (0 when both are 0); when only one annotator used a tag, P or R is
undefined and F1 is 0; when neither did, all three are undefined.

**Krippendorff's αu** (Krippendorff 1995, "On the reliability of unitizing continuous data";
2004, *Content Analysis*, 2nd ed., §12.4), per tag: the continuum is the compared articles laid
end to end (code points), each annotator's spans of the tag are units (spans of one annotator
that overlap are joined: αu has no nesting) and the rest gaps. Observed disagreement sums, over
every pair of annotators and every unit–unit pair that overlaps, the squared differences of
their starts and of their ends, and for a unit lying inside the other's gap its squared length;
expected disagreement is the same over every possible placement. The pooled ``"*"`` is
``1 - ΣD_o / ΣD_e`` over the tags (Krippendorff 2004's αu over all categories).

**Sentence-level coding**: the unit is a sentence (:func:`tui.sentences.sentence_spans`, outside
boilerplate), the value whether an annotator's spans of the tag touch it. Cohen's κ for each
pair, Fleiss' κ and Krippendorff's α (nominal, computed by the ``krippendorff`` package) for
all the annotators together; ``"*"`` takes every (sentence, tag) as one unit.

**Disagreements**: per article, the annotations of every annotator who coded it form clusters of
overlapping spans; a cluster costs the number of code points on which the annotators' tag sets
differ, and clusters that cost nothing are agreement, not listed.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .layout import display_text
from .model import Annotation, Article
from .sentences import sentence_spans

__all__ = [
    "ALL_TAGS",
    "AgreementReport",
    "Figure",
    "PairFigures",
    "UnitizedAlpha",
    "cohen_kappa",
    "compute_agreement",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "lenient_matches",
    "overlap_coverage",
    "report_json",
    "report_table",
    "strict_matches",
    "unitized_alpha",
]

#: The tag name of pooled figures (every tag together).
ALL_TAGS = "*"

#: Below this many spans of a tag (all compared annotators together), its figures get a warning.
FEW_SPANS = 10
#: Below this many sentences in common, the sentence-level figures get a warning.
FEW_SENTENCES = 50
#: A tag on fewer than this share of the sentences (or more than 1 minus it) is rare enough for
#: κ and α to be low while the annotators nearly always agree (the κ paradox).
RARE_SHARE = 0.10
#: A rare tag whose κ (or α) is this far below the observed agreement gets the paradox warning.
PARADOX_GAP = 0.2
#: Figures are rounded to this many decimals in the JSON and the table.
DECIMALS = 4

Interval = tuple[int, int]


# --------------------------------------------------------------------------------------------
# Span matching


@dataclass(frozen=True)
class Figure:
    """Precision, recall and F1 (None when undefined) with the counts behind them."""

    precision: float | None
    recall: float | None
    f1: float | None
    matched: int
    a_only: int
    b_only: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``precision, recall, f1, matched, a_only, b_only``."""
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
            "matched": self.matched,
            "a_only": self.a_only,
            "b_only": self.b_only,
        }


def _f1(precision: float | None, recall: float | None, a_total: int, b_total: int
        ) -> float | None:
    if a_total == 0 and b_total == 0:
        return None
    if precision is None or recall is None:
        return 0.0  # one annotator used the tag, the other did not: no agreement at all
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _counted_figure(matched: int, a_total: int, b_total: int) -> Figure:
    precision = matched / a_total if a_total else None
    recall = matched / b_total if b_total else None
    return Figure(precision, recall, _f1(precision, recall, a_total, b_total), matched,
                  a_total - matched, b_total - matched)


def strict_matches(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """How many spans of ``a`` have an identical span in ``b`` (one-to-one)."""
    return _split_identical(a, b)[0]


def _overlapping_pairs(a: Sequence[Interval], b: Sequence[Interval]) -> list[tuple[int, int, int]]:
    """``(overlap, i, j)`` for every ``a[i]`` and ``b[j]`` that share a code point.

    One sweep over both lists sorted by start, keeping the spans still open: linear in the
    spans plus the pairs found.
    """
    events = sorted(
        [(s, 0, i, e) for i, (s, e) in enumerate(a) if e > s]
        + [(s, 1, j, e) for j, (s, e) in enumerate(b) if e > s]
    )
    open_a: list[tuple[int, int, int]] = []  # (end, index, start)
    open_b: list[tuple[int, int, int]] = []
    pairs: list[tuple[int, int, int]] = []
    for start, side, index, end in events:
        if side == 0:
            open_b = [item for item in open_b if item[0] > start]
            for b_end, j, b_start in open_b:
                pairs.append((min(end, b_end) - max(start, b_start), index, j))
            open_a.append((end, index, start))
        else:
            open_a = [item for item in open_a if item[0] > start]
            for a_end, i, a_start in open_a:
                pairs.append((min(end, a_end) - max(start, a_start), i, index))
            open_b.append((end, index, start))
    return pairs


def lenient_matches(a: Sequence[Interval], b: Sequence[Interval]) -> list[tuple[int, int]]:
    """``(i, j)`` pairs matching ``a[i]`` to ``b[j]`` one-to-one: any overlap, largest first.

    Among equal overlaps the pair with the closer boundaries wins, then text order.
    """
    pairs = _overlapping_pairs(a, b)
    pairs.sort(key=lambda p: (-p[0], abs(a[p[1]][0] - b[p[2]][0]) + abs(a[p[1]][1] - b[p[2]][1]),
                              a[p[1]], b[p[2]], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matches = []
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append((i, j))
    return matches


def _union(spans: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering exactly the code points of ``spans``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def overlap_coverage(spans: Sequence[Interval], other: Sequence[Interval]) -> list[int]:
    """For each span, how many of its code points some span of ``other`` covers."""
    union = _union(other)
    starts = [s for s, _ in union]
    covered = []
    for start, end in spans:
        total = 0
        index = max(0, bisect_right(starts, start) - 1)
        while index < len(union) and union[index][0] < end:
            u_start, u_end = union[index]
            if u_end > start:
                total += min(end, u_end) - max(start, u_start)
            index += 1
        covered.append(total)
    return covered


@dataclass
class _Tally:
    """The counts of one pair on some spans, added up over articles (and tags)."""

    a_total: int = 0
    b_total: int = 0
    strict: int = 0
    lenient: int = 0
    a_touching: int = 0
    b_touching: int = 0
    a_weight: float = 0.0  # Σ |a ∩ B| / |a|
    b_weight: float = 0.0  # Σ |b ∩ A| / |b|

    def add(self, other: _Tally) -> None:
        self.a_total += other.a_total
        self.b_total += other.b_total
        self.strict += other.strict
        self.lenient += other.lenient
        self.a_touching += other.a_touching
        self.b_touching += other.b_touching
        self.a_weight += other.a_weight
        self.b_weight += other.b_weight

    def figures(self) -> tuple[Figure, Figure, Figure]:
        strict = _counted_figure(self.strict, self.a_total, self.b_total)
        lenient = _counted_figure(self.lenient, self.a_total, self.b_total)
        precision = self.a_weight / self.a_total if self.a_total else None
        recall = self.b_weight / self.b_total if self.b_total else None
        overlap = Figure(precision, recall, _f1(precision, recall, self.a_total, self.b_total),
                         self.a_touching, self.a_total - self.a_touching,
                         self.b_total - self.b_touching)
        return strict, lenient, overlap


def _split_identical(a: Sequence[Interval], b: Sequence[Interval]
                     ) -> tuple[int, list[Interval], list[Interval]]:
    """Pair identical spans one-to-one: ``(pairs, a's rest, b's rest)``."""
    counts = Counter(b)
    rest_a = []
    pairs = 0
    for span in a:
        if counts[span] > 0:
            counts[span] -= 1
            pairs += 1
        else:
            rest_a.append(span)
    return pairs, rest_a, sorted(counts.elements())


def _covered_weight(spans: Sequence[Interval], other: Sequence[Interval]) -> tuple[int, float]:
    """How many of ``spans`` some span of ``other`` touches, and Σ |span ∩ other| / |span|."""
    touching, weight = 0, 0.0
    for (start, end), covered in zip(spans, overlap_coverage(spans, other)):
        if covered:
            touching += 1
            weight += covered / (end - start)
    return touching, weight


def _tally(a: list[Interval], b: list[Interval]) -> _Tally:
    """Every count of the three span measures for one tag of one article."""
    tally = _Tally(a_total=len(a), b_total=len(b))
    if not a or not b:
        return tally
    identical, rest_a, rest_b = _split_identical(a, b)
    tally.strict = identical
    # Identical spans are what lenient matching pairs first anyway: their overlap is the whole
    # of both spans, which no other pair of either can exceed, and their boundaries are the
    # closest possible (a test checks this shortcut against lenient_matches). Most spans of
    # two annotators are identical, so only the rest needs the sweep and the sort.
    tally.lenient = identical + len(lenient_matches(rest_a, rest_b))
    # An identical span is covered whole by the other side.
    touching, weight = _covered_weight(rest_a, b)
    tally.a_touching, tally.a_weight = identical + touching, identical + weight
    touching, weight = _covered_weight(rest_b, a)
    tally.b_touching, tally.b_weight = identical + touching, identical + weight
    return tally


@dataclass(frozen=True)
class PairFigures:
    """The span agreement of annotators ``a`` and ``b`` on one tag (or ``"*"``)."""

    a: str
    b: str
    tag: str
    strict: Figure
    lenient: Figure
    overlap: Figure

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``a, b, tag, strict, lenient, overlap``."""
        return {"a": self.a, "b": self.b, "tag": self.tag, "strict": self.strict.to_dict(),
                "lenient": self.lenient.to_dict(), "overlap": self.overlap.to_dict()}


# --------------------------------------------------------------------------------------------
# Krippendorff's unitized alpha


@dataclass(frozen=True)
class UnitizedAlpha:
    """αu of one category: observed and expected disagreement, and ``1 - D_o / D_e``."""

    observed: float
    expected: float
    units: int

    @property
    def alpha(self) -> float | None:
        """None when undefined: no unit at all, or no expected disagreement."""
        if self.units == 0 or self.expected <= 0:
            return None
        return 1.0 - self.observed / self.expected


def _segments(units: Sequence[Interval], length: int) -> list[tuple[int, int, bool]]:
    """The continuum ``[0, length)`` cut into ``(start, end, is_unit)`` by disjoint units."""
    segments = []
    position = 0
    for start, end in units:
        if start > position:
            segments.append((position, start, False))
        segments.append((start, end, True))
        position = end
    if position < length:
        segments.append((position, length, False))
    return segments


def _observed_pair(first: list[tuple[int, int, bool]], second: list[tuple[int, int, bool]]
                   ) -> float:
    """Σ δ² over the segments of two annotators that intersect (one merge walk)."""
    total = 0.0
    i = j = 0
    while i < len(first) and j < len(second):
        s1, e1, unit1 = first[i]
        s2, e2, unit2 = second[j]
        if unit1 and unit2:
            # Two units that overlap: squared differences of their starts and their ends.
            total += (s1 - s2) ** 2 + (e1 - e2) ** 2
        elif unit1 and s2 <= s1 and e1 <= e2:
            total += (e1 - s1) ** 2  # a unit inside the other's gap
        elif unit2 and s1 <= s2 and e2 <= e1:
            total += (e2 - s2) ** 2
        if e1 <= e2:
            i += 1
        if e2 <= e1:
            j += 1
    return total


def unitized_alpha(units: Mapping[str, Sequence[Interval]], length: int) -> UnitizedAlpha:
    """Krippendorff's αu of one category on a continuum ``[0, length)`` (see the module doc).

    ``units`` maps every annotator (at least two; those with no unit too) to their units of the
    category; overlapping units of one annotator are joined first.
    """
    coders = [_union(spans) for spans in units.values()]
    m = len(coders)
    if m < 2 or length <= 0:
        return UnitizedAlpha(0.0, 0.0, 0)
    for spans in coders:
        if spans and (spans[0][0] < 0 or spans[-1][1] > length):
            raise ValueError(f"a unit lies outside the continuum [0, {length})")
    segments = [_segments(spans, length) for spans in coders]
    observed = 0.0
    for x in range(m):
        for y in range(x + 1, m):
            observed += _observed_pair(segments[x], segments[y])
    observed = 2 * observed / (m * (m - 1) * length * length)

    lengths = [end - start for spans in coders for start, end in spans]
    units_count = len(lengths)
    if units_count == 0:
        return UnitizedAlpha(observed, 0.0, 0)
    gaps = sorted(e - s for segs in segments for s, e, is_unit in segs if not is_unit)
    # Σ over gaps g with g >= l of (g - l + 1) = (Σ g) - (count) * (l - 1), from suffix sums.
    suffix = [0] * (len(gaps) + 1)
    for index in range(len(gaps) - 1, -1, -1):
        suffix[index] = suffix[index + 1] + gaps[index]
    numerator = 0
    for unit in lengths:
        first = bisect_left(gaps, unit)
        fitting = len(gaps) - first
        placements = suffix[first] - fitting * (unit - 1)
        # Exact integers: (N-1)(2l³ - 3l² + l) is a multiple of 3 (l(l-1)(2l-1) = 6 Σ k²).
        numerator += (units_count - 1) * (2 * unit**3 - 3 * unit**2 + unit) // 3
        numerator += unit * unit * placements
    denominator = m * length * (m * length - 1) - sum(unit * (unit - 1) for unit in lengths)
    expected = (2 / length) * numerator / denominator if denominator > 0 else 0.0
    return UnitizedAlpha(observed, expected, units_count)


def pooled_unitized_alpha(figures: Iterable[UnitizedAlpha]) -> float | None:
    """αu over all categories: ``1 - ΣD_o / ΣD_e`` over the categories that have units."""
    used = [figure for figure in figures if figure.units]
    expected = sum(figure.expected for figure in used)
    if not used or expected <= 0:
        return None
    return 1.0 - sum(figure.observed for figure in used) / expected


# --------------------------------------------------------------------------------------------
# Coding agreement


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's κ of two annotators' values on the same units (None when chance agreement is 1).

    The values may be any labels; numpy arrays are taken as they are (the sentence figures pass
    0/1 arrays of a hundred thousand units).
    """
    import numpy as np

    first, second = np.asarray(a), np.asarray(b)
    if first.shape != second.shape:
        raise ValueError("both annotators need a value for every unit")
    n = first.size
    if n == 0:
        return None
    observed = float(np.mean(first == second))
    values, index = np.unique(np.concatenate([first, second]), return_inverse=True)
    share_a = np.bincount(index[:n], minlength=len(values)) / n
    share_b = np.bincount(index[n:], minlength=len(values)) / n
    expected = float(np.dot(share_a, share_b))
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' κ from ``counts[unit][category]``: how many annotators chose each category.

    Every unit must have the same number (≥ 2) of annotators. None when chance agreement is 1.
    """
    import numpy as np

    table = np.asarray(counts, dtype=float)
    if table.size == 0:
        return None
    raters = table.sum(axis=1)
    if table.ndim != 2 or raters[0] < 2 or np.any(raters != raters[0]):
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of annotators on each unit")
    n = raters[0]
    agreement = float(np.mean(((table * table).sum(axis=1) - n) / (n * (n - 1))))
    shares = table.sum(axis=0) / table.sum()
    chance = float(np.dot(shares, shares))
    if chance >= 1:
        return None
    return (agreement - chance) / (1 - chance)


def krippendorff_alpha_nominal(values: Sequence[Sequence[float]]) -> float | None:
    """Krippendorff's α (nominal) of ``values[annotator][unit]`` (``nan`` for a missing value),
    computed by the ``krippendorff`` package. None when undefined (a single value in the data).
    """
    import krippendorff  # numpy comes with it: imported only when agreement is computed
    import numpy as np

    data = np.asarray(values, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] == 0:
        return None
    present = data[~np.isnan(data)]
    if present.size == 0 or np.unique(present).size < 2:
        return None
    try:
        alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(alpha) else alpha


# --------------------------------------------------------------------------------------------
# Disagreements


@dataclass(frozen=True)
class Disagreement:
    """A passage where annotators differ: the cluster of overlapping spans and its cost.

    ``cost`` is how many code points carry a different set of tags for some annotator;
    ``kind`` is ``"missing"`` (an annotator has nothing there), ``"tag"`` (everyone tagged it,
    with different tags) or ``"boundary"`` (same tags, different extents). ``versions`` maps
    each annotator who coded the article to their ``(tag, start, end, id)`` in the passage.
    """

    article_id: str
    start: int
    end: int
    cost: int
    kind: str
    text: str
    versions: dict[str, tuple[tuple[str, int, int, str], ...]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of one disagreement."""
        return {
            "start": self.start, "end": self.end, "cost": self.cost, "kind": self.kind,
            "text": self.text,
            "versions": {
                name: [{"tag": tag, "start": start, "end": end, "id": ident}
                       for tag, start, end, ident in spans]
                for name, spans in self.versions.items()
            },
        }


def disagreements(article: Article, spans: Mapping[str, Sequence[Annotation]]
                  ) -> list[Disagreement]:
    """The disagreements of one article among the annotators in ``spans`` (most costly first)."""
    names = list(spans)
    if len(names) < 2:
        return []
    everything = sorted(
        ((a.start, a.end, name, a) for name in names for a in spans[name] if a.end > a.start),
        key=lambda item: (item[0], -item[1]),
    )
    clusters: list[list[tuple[int, int, str, Annotation]]] = []
    reach = -1
    for item in everything:
        if clusters and item[0] < reach:
            clusters[-1].append(item)
            reach = max(reach, item[1])
        else:
            clusters.append([item])
            reach = item[1]
    disputed = _disputed_intervals(spans, names)
    disputed_starts = [s for s, _ in disputed]
    found = []
    for cluster in clusters:
        start = cluster[0][0]
        end = max(item[1] for item in cluster)
        cost = _length_within(disputed, disputed_starts, start, end)
        if cost == 0:
            continue  # everyone has the same tags on every character here: agreement
        tags_of = {name: {a.tag for _, _, who, a in cluster if who == name} for name in names}
        if any(not tags for tags in tags_of.values()):
            kind = "missing"
        elif len({frozenset(tags) for tags in tags_of.values()}) > 1:
            kind = "tag"
        else:
            kind = "boundary"
        versions = {
            name: tuple((a.tag, a.start, a.end, a.id) for _, _, who, a in cluster if who == name)
            for name in names
        }
        found.append(Disagreement(article.id, start, end, cost, kind,
                                  article.text[start:end], versions))
    found.sort(key=lambda d: (-d.cost, d.start))
    return found


def _intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """The code points in both of two sorted, disjoint interval lists."""
    out, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            out.append((start, end))
        if first[i][1] <= second[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """The code points of ``first`` not in ``second`` (both sorted and disjoint)."""
    out, j = [], 0
    for start, end in first:
        while j < len(second) and second[j][1] <= start:
            j += 1
        k, position = j, start
        while k < len(second) and second[k][0] < end:
            if second[k][0] > position:
                out.append((position, second[k][0]))
            position = max(position, second[k][1])
            k += 1
        if position < end:
            out.append((position, end))
    return out


def _disputed_intervals(spans: Mapping[str, Sequence[Annotation]], names: Sequence[str]
                        ) -> list[Interval]:
    """Where the annotators' sets of tags differ: for each tag, the characters some but not all
    of them cover, joined over the tags (sorted, disjoint)."""
    tags = {a.tag for name in names for a in spans[name]}
    disputed: list[Interval] = []
    for tag in tags:
        covers = [_union((a.start, a.end) for a in spans[name] if a.tag == tag)
                  for name in names]
        everyone = covers[0]
        for cover in covers[1:]:
            everyone = _intersect(everyone, cover)
        someone = _union(span for cover in covers for span in cover)
        disputed.extend(_subtract(someone, everyone))
    return _union(disputed)


def _length_within(intervals: Sequence[Interval], starts: Sequence[int], start: int, end: int
                   ) -> int:
    """How many code points of ``[start, end)`` the sorted, disjoint intervals cover."""
    total = 0
    index = max(0, bisect_right(starts, start) - 1)
    while index < len(intervals) and intervals[index][0] < end:
        total += max(0, min(end, intervals[index][1]) - max(start, intervals[index][0]))
        index += 1
    return total


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class ArticleRow:
    """One article of the per-article table."""

    article_id: str
    title: str
    outlet: str
    coders: tuple[str, ...]
    annotations: dict[str, int]
    sentences: int
    strict_f1: float | None
    lenient_f1: float | None
    overlap_f1: float | None
    disagreements: list[Disagreement]

    @property
    def disputed(self) -> int:
        """Code points in dispute, over all of the article's disagreements."""
        return sum(d.cost for d in self.disagreements)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of one article."""
        return {
            "article_id": self.article_id, "title": self.title, "outlet": self.outlet,
            "coders": list(self.coders), "annotations": self.annotations,
            "sentences": self.sentences,
            "strict_f1": _round(self.strict_f1), "lenient_f1": _round(self.lenient_f1),
            "overlap_f1": _round(self.overlap_f1), "disputed": self.disputed,
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass
class SentenceFigures:
    """Sentence-level coding agreement over the articles every annotator coded."""

    annotators: tuple[str, ...]
    articles: int
    units: int
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    pairs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object ``sentence``."""
        return {"annotators": list(self.annotators), "articles": self.articles,
                "units": self.units, "tags": self.tags, "pairs": self.pairs}


@dataclass
class AgreementReport:
    """Everything ``newsmark agree`` prints."""

    annotators: tuple[str, ...]
    tags: tuple[str, ...]
    pairs: list[PairFigures]
    alpha_u: dict[str, float | None]
    alpha_u_articles: int
    sentence: SentenceFigures
    articles: list[ArticleRow]
    warnings: list[str]
    against: str | None = None

    def pair(self, a: str, b: str, tag: str = ALL_TAGS) -> PairFigures | None:
        """The figures of one pair and tag, if computed."""
        for figures in self.pairs:
            if (figures.a, figures.b, figures.tag) == (a, b, tag):
                return figures
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: exactly ``pairs, alpha_u, sentence, articles``."""
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "alpha_u": {tag: _round(value) for tag, value in self.alpha_u.items()},
            "sentence": self.sentence.to_dict(),
            "articles": [row.to_dict() for row in self.articles],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def compute_agreement(
    articles: Sequence[Article],
    annotations: Iterable[Annotation],
    *,
    tags: Sequence[str],
    annotators: Sequence[str],
    coded: Mapping[str, set[str]] | None = None,
    against: str | None = None,
) -> AgreementReport:
    """The agreement of ``annotators`` on ``articles`` (see the module docstring).

    ``annotations`` must already fit the articles' current texts (re-anchored; orphans left
    out). ``coded`` maps an annotator to the articles they marked done (an annotation counts
    as coding its article anyway). With ``against``, the pairs are each annotator against that
    one (``a`` = the annotator, ``b`` = ``against``), which joins the compared set.
    """
    names = list(dict.fromkeys(annotators))
    if against is not None:
        names = [name for name in names if name != against] + [against]
    if len(names) < 2:
        raise ValueError("agreement needs at least two annotators")
    tag_list = list(dict.fromkeys(tags))
    wanted = set(names)
    by_id = {article.id: article for article in articles}
    # spans[name][article][tag] -> annotations (non-empty, sorted by start)
    spans: dict[str, dict[str, dict[str, list[Annotation]]]] = {name: {} for name in names}
    extra_tags: set[str] = set()
    empty = 0
    for annotation in annotations:
        if annotation.annotator not in wanted or annotation.article_id not in by_id:
            continue
        if annotation.end <= annotation.start:
            empty += 1
            continue
        if annotation.tag not in tag_list:
            extra_tags.add(annotation.tag)
            continue
        spans[annotation.annotator].setdefault(annotation.article_id, {}).setdefault(
            annotation.tag, []).append(annotation)
    for per_article in spans.values():
        for per_tag in per_article.values():
            for found in per_tag.values():
                found.sort(key=lambda a: (a.start, -a.end, a.id))

    coders: dict[str, set[str]] = {
        name: set(spans[name]) | ({i for i in (coded or {}).get(name, set()) if i in by_id})
        for name in names
    }
    warnings: list[str] = []
    if empty:
        warnings.append(f"{empty} empty annotation(s) (no characters) left out")
    if extra_tags:
        warnings.append(f"tags outside the chosen set left out: {', '.join(sorted(extra_tags))}")
    for name in names:
        if not coders[name]:
            warnings.append(
                f"{name} has no annotations (and no article marked done) in the articles "
                "compared: every figure with them is 0 or undefined"
            )

    if against is not None:
        pair_list = [(name, against) for name in names if name != against]
    else:
        pair_list = [(names[x], names[y]) for x in range(len(names))
                     for y in range(x + 1, len(names))]

    intervals = {name: {article_id: {tag: [(x.start, x.end) for x in found]
                                     for tag, found in per_tag.items()}
                        for article_id, per_tag in per_article.items()}
                 for name, per_article in spans.items()}
    # Pairwise span agreement, tallied per article so the per-article table can use it.
    per_article_tally: dict[tuple[str, str], dict[str, dict[str, _Tally]]] = {}
    pairs: list[PairFigures] = []
    for a, b in pair_list:
        common = [article.id for article in articles
                  if article.id in coders[a] and article.id in coders[b]]
        totals = {tag: _Tally() for tag in tag_list}
        article_tallies: dict[str, dict[str, _Tally]] = {}
        for article_id in common:
            a_tags = intervals[a].get(article_id, {})
            b_tags = intervals[b].get(article_id, {})
            row: dict[str, _Tally] = {}
            for tag in tag_list:
                tally = _tally(a_tags.get(tag, []), b_tags.get(tag, []))
                totals[tag].add(tally)
                row[tag] = tally
            article_tallies[article_id] = row
        per_article_tally[(a, b)] = article_tallies
        pooled = _Tally()
        for tag in tag_list:
            pooled.add(totals[tag])
            pairs.append(PairFigures(a, b, tag, *totals[tag].figures()))
        pairs.append(PairFigures(a, b, ALL_TAGS, *pooled.figures()))
        if not common:
            warnings.append(f"{a} and {b} have coded no article in common: their span figures "
                            "are undefined")

    # The articles every compared annotator coded: αu and the sentence-level figures.
    shared = [article for article in articles if all(article.id in coders[n] for n in names)]
    some = [article for article in articles if any(article.id in coders[n] for n in names)]
    left_out = [article.id for article in some if article not in shared]
    if not shared:
        warnings.append(
            f"no article was coded by all of {', '.join(names)}: αu and the sentence-level "
            "figures need one (choose annotators with --annotator)"
        )
    elif left_out:
        shown = ", ".join(left_out[:5]) + (f" and {len(left_out) - 5} more"
                                           if len(left_out) > 5 else "")
        warnings.append(
            f"{len(left_out)} article(s) not coded by every annotator are left out of αu and "
            f"the sentence-level figures: {shown}"
        )

    offsets: list[int] = []
    length = 0
    for article in shared:
        offsets.append(length)
        length += len(article.text)
    alpha_figures: dict[str, UnitizedAlpha] = {}
    for tag in tag_list:
        units = {
            name: [(offset + x.start, offset + x.end)
                   for article, offset in zip(shared, offsets)
                   for x in spans[name].get(article.id, {}).get(tag, ())]
            for name in names
        }
        alpha_figures[tag] = unitized_alpha(units, length) if shared else UnitizedAlpha(0, 0, 0)
    alpha_u: dict[str, float | None] = {tag: alpha_figures[tag].alpha for tag in tag_list}
    alpha_u[ALL_TAGS] = pooled_unitized_alpha(alpha_figures.values())

    sentence, sentence_counts = _sentence_figures(shared, spans, names, tag_list, pair_list)

    # Warnings about what the figures rest on.
    span_totals = Counter(
        x.tag for name in names for article in shared
        for per_tag in [spans[name].get(article.id, {})] for found in per_tag.values()
        for x in found
    ) if shared else Counter()
    for tag in tag_list:
        users = [name for name in names
                 if any(tag in spans[name].get(i, {}) for i in spans[name])]
        if not users:
            warnings.append(f"nobody used {tag}: its figures are undefined")
            continue
        for name in names:
            if name not in users and coders[name]:
                warnings.append(f"{name} never used {tag}: {tag}'s figures with {name} are 0 "
                                "or undefined")
        if shared and 0 < span_totals[tag] < FEW_SPANS:
            warnings.append(f"{tag}: only {span_totals[tag]} span(s) in the articles everyone "
                            "coded: its figures rest on few items")
    if shared and sentence.units < FEW_SENTENCES:
        warnings.append(f"only {sentence.units} sentence(s) in the articles everyone coded: the "
                        "sentence-level figures rest on few items")
    for tag in tag_list:
        figures = sentence.tags.get(tag)
        if not figures or figures["prevalence"] is None:
            continue
        share = figures["prevalence"]
        if not (0 < share < RARE_SHARE or 1 - RARE_SHARE < share < 1):
            continue
        chance_corrected = [v for v in (figures["fleiss_kappa"], figures["krippendorff_alpha"])
                            if v is not None]
        observed = figures["observed"]
        if chance_corrected and min(chance_corrected) < observed - PARADOX_GAP:
            warnings.append(
                f"{tag}: κ {min(chance_corrected):.2f} is low although the annotators agree on "
                f"{observed:.0%} of the sentences, because {tag} is on {share:.0%} of them and "
                "chance agreement is high (the κ paradox); read κ with the span counts"
            )
        else:
            warnings.append(
                f"{tag} is on {share:.0%} of the sentences: with a tag this "
                f"{'rare' if share < 0.5 else 'common'}, κ and α move a lot with a few sentences "
                "(the κ paradox); read them with the span counts"
            )

    rows = []
    for article in some:
        who = tuple(name for name in names if article.id in coders[name])
        row_tallies = [per_article_tally[pair][article.id] for pair in pair_list
                       if article.id in per_article_tally[pair]]
        pooled_rows = []
        for tallies in row_tallies:
            pooled = _Tally()
            for tally in tallies.values():
                pooled.add(tally)
            pooled_rows.append(pooled.figures())
        rows.append(ArticleRow(
            article.id, article.title, article.outlet, who,
            {name: sum(len(v) for v in spans[name].get(article.id, {}).values()) for name in who},
            sentence_counts.get(article.id, len(sentence_spans(article.plain,
                                                               article.boilerplate))),
            _mean(f[0].f1 for f in pooled_rows), _mean(f[1].f1 for f in pooled_rows),
            _mean(f[2].f1 for f in pooled_rows),
            disagreements(article, {name: [x for per_tag in
                                           spans[name].get(article.id, {}).values()
                                           for x in per_tag] for name in who}),
        ))
    return AgreementReport(tuple(names), tuple(tag_list), pairs, alpha_u, len(shared), sentence,
                           rows, warnings, against)


def _sentence_figures(
    shared: Sequence[Article],
    spans: Mapping[str, Mapping[str, Mapping[str, list[Annotation]]]],
    names: Sequence[str],
    tags: Sequence[str],
    pair_list: Sequence[tuple[str, str]],
) -> tuple[SentenceFigures, dict[str, int]]:
    """Sentence-level κ and α; also the sentence count of each article."""
    import numpy as np

    counts: dict[str, int] = {}
    boundaries = []
    for article in shared:
        sentences = sentence_spans(article.plain, article.boilerplate)
        counts[article.id] = len(sentences)
        boundaries.append(sentences)
    units = sum(counts.values())
    # values[name][tag]: 1 where the annotator's spans of the tag touch the sentence.
    values = {name: {tag: np.zeros(units, dtype=np.uint8) for tag in tags} for name in names}
    offset = 0
    for article, sentences in zip(shared, boundaries):
        starts = [s.start for s in sentences]
        ends = [s.end for s in sentences]
        for name in names:
            per_tag = spans[name].get(article.id, {})
            for tag in tags:
                marks = values[name][tag]
                for annotation in per_tag.get(tag, ()):
                    # Sorted, disjoint sentences: the first ending after the annotation's start
                    # up to the last starting before its end.
                    first = bisect_right(ends, annotation.start)
                    last = bisect_left(starts, annotation.end)
                    if first < last:
                        marks[offset + first:offset + last] = 1
        offset += len(sentences)
    figures = SentenceFigures(tuple(names), len(shared), units)
    columns = {tag: np.stack([values[name][tag] for name in names]) for tag in tags}
    columns[ALL_TAGS] = np.concatenate([columns[tag] for tag in tags], axis=1)
    index_of = {name: i for i, name in enumerate(names)}
    for tag, matrix in columns.items():
        n = matrix.shape[1]
        positive = int(matrix.sum())
        if not n:
            figures.tags[tag] = {"positive": 0, "prevalence": None, "observed": None,
                                 "fleiss_kappa": None, "krippendorff_alpha": None}
            continue
        observed = _mean(float(np.mean(matrix[i] == matrix[j]))
                         for i in range(len(names)) for j in range(i + 1, len(names)))
        tagged = matrix.sum(axis=0, dtype=np.int64)
        fleiss = fleiss_kappa(np.stack([len(names) - tagged, tagged], axis=1))
        figures.tags[tag] = {
            "positive": positive, "prevalence": _round(positive / (n * len(names))),
            "observed": _round(observed), "fleiss_kappa": _round(fleiss),
            "krippendorff_alpha": _round(krippendorff_alpha_nominal(matrix)),
        }
    for a, b in pair_list:
        for tag, matrix in columns.items():
            first, second = matrix[index_of[a]], matrix[index_of[b]]
            n = first.size
            figures.pairs.append({
                "a": a, "b": b, "tag": tag,
                "cohen_kappa": _round(cohen_kappa(first, second)) if n else None,
                "observed": _round(float(np.mean(first == second))) if n else None,
                "a_positive": int(first.sum()), "b_positive": int(second.sum()),
            })
    return figures, counts


# --------------------------------------------------------------------------------------------
# Printing


def report_json(report: AgreementReport) -> str:
    """The report as the JSON ``newsmark agree --format json`` prints (docs/formats.md)."""
    from .jsonout import pretty_json

    return pretty_json(report.to_dict())


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        return ("  " + "  ".join(cells)).rstrip()

    return [line(header), *map(line, rows)]


def _quote(text: str, width: int = 60) -> str:
    text = display_text(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def report_table(report: AgreementReport, *, limit: int = 20) -> str:
    """The report as plain-text tables (what ``newsmark agree`` prints), at most ``limit``
    disagreements (the JSON has them all)."""
    out: list[str] = []
    who = ", ".join(report.annotators)
    if report.against:
        out.append(f"Agreement against {report.against}: {who}")
    else:
        out.append(f"Agreement of {len(report.annotators)} annotators: {who}")
    out.append(f"{len(report.articles)} article(s) coded, {report.alpha_u_articles} by everyone "
               f"({report.sentence.units} sentences)")
    out.append("")

    out.append("Span agreement (a against b: precision = share of a's spans that b has)")
    rows = []
    for p in report.pairs:
        rows.append([
            p.a, p.b, p.tag,
            _cell(p.strict.f1), f"{p.strict.matched}/{p.strict.a_only}/{p.strict.b_only}",
            _cell(p.lenient.f1), f"{p.lenient.matched}/{p.lenient.a_only}/{p.lenient.b_only}",
            _cell(p.overlap.precision), _cell(p.overlap.recall), _cell(p.overlap.f1),
        ])
    out += _table(["a", "b", "tag", "strict F1", "m/a/b", "lenient F1", "m/a/b",
                   "overlap P", "R", "F1"], rows, {3, 4, 5, 6, 7, 8, 9})
    out.append("  (m/a/b: matched / only in a / only in b)")
    out.append("")

    out.append(f"Krippendorff's αu per tag ({report.alpha_u_articles} article(s) end to end)")
    out += _table([*report.alpha_u], [[_cell(v) for v in report.alpha_u.values()]],
                  set(range(len(report.alpha_u))))
    out.append("")

    sentence = report.sentence
    out.append(f"Sentence-level coding ({sentence.units} sentences; value: the tag touches it)")
    rows = []
    for tag, figures in sentence.tags.items():
        share = figures["prevalence"]
        rows.append([tag, "—" if share is None else f"{share:.0%}", _cell(figures["observed"]),
                     _cell(figures["fleiss_kappa"]), _cell(figures["krippendorff_alpha"])])
    out += _table(["tag", "tagged", "agreement", "Fleiss κ", "Krippendorff α"], rows,
                  {1, 2, 3, 4})
    rows = [[p["a"], p["b"], p["tag"], _cell(p["observed"]), _cell(p["cohen_kappa"])]
            for p in sentence.pairs]
    if rows:
        out.append("")
        out += _table(["a", "b", "tag", "agreement", "Cohen κ"], rows, {3, 4})
    out.append("")

    out.append("Per article (F1: mean over the pairs, all tags)")
    rows = []
    for row in report.articles:
        counts = " ".join(f"{name}:{n}" for name, n in row.annotations.items())
        rows.append([display_text(row.article_id), _quote(row.outlet or "-", 20), counts,
                     _cell(row.strict_f1), _cell(row.lenient_f1), _cell(row.overlap_f1),
                     str(len(row.disagreements)), str(row.disputed)])
    out += _table(["article", "outlet", "annotations", "strict", "lenient", "overlap",
                   "disagreements", "chars"], rows, {3, 4, 5, 6, 7})
    out.append("")

    everything = sorted((d for row in report.articles for d in row.disagreements),
                        key=lambda d: (-d.cost, d.article_id, d.start))
    out.append(f"Disagreements, most costly first ({len(everything)}; cost = characters whose "
               "tags differ)")
    if not everything:
        out.append("  (none)")
    for d in everything[:limit]:
        out.append(f"  {d.cost:>6}  {display_text(d.article_id)} {d.start}:{d.end}  {d.kind}  "
                   f"“{_quote(d.text)}”")
        for name, versions in d.versions.items():
            shown = ", ".join(f"{tag} {start}:{end}" for tag, start, end, _ in versions) or "—"
            out.append(f"          {name}: {shown}")
    if len(everything) > limit:
        out.append(f"  … {len(everything) - limit} more (--format json lists them all)")
    if report.warnings:
        out.append("")
        out.append("Warnings")
        out += [f"  ! {display_text(w)}" for w in report.warnings]
    return "\n".join(out) + "\n"
