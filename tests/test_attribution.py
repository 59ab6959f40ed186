"""Kept, softened, hardened or dropped: attribution and hedges across outlets."""

from __future__ import annotations

from tui.attribution import attribution_change, cues


def test_cues_are_found_as_written() -> None:
    found = cues("Moscow reportedly may respond, according to Ushakov, who told reporters so.")
    assert found.attribution == ("according to", "told")
    assert found.hedges == ("reportedly", "may")
    assert cues("The ship was freed on Monday.") == cues("")


def test_each_change() -> None:
    source = "Ushakov said sanctions would lead to a complete breakdown of ties."
    assert attribution_change(source, "Sanctions would lead to a complete breakdown of ties, "
                                      "Ushakov told reporters.")[0] == "kept"
    assert attribution_change(source, "Sanctions would lead to a breakdown of ties.")[0] == (
        "dropped")
    assert attribution_change(source, "Ushakov said sanctions could reportedly lead to a "
                                      "breakdown.")[0] == "softened"
    # A fact the source stated becomes someone's claim: softened too.
    assert attribution_change("The ship was freed on Monday.",
                              "The ship was freed on Monday, officials said.")[0] == "softened"
    assert attribution_change("Talks may start in Geneva, an aide said.",
                              "Talks start in Geneva, an aide said.")[0] == "hardened"
    change, mine, theirs = attribution_change(source, "Sanctions would end ties.")
    assert change == "dropped" and mine.attribution == ("said",) and theirs.attribution == ()
