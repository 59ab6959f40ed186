"""Kept, softened, hardened or dropped: attribution and hedges across outlets."""

from __future__ import annotations

from tui.attribution import attribution_change, cues


def test_cues_are_found_as_written() -> None:
    found = cues("Moscow reportedly may respond, according to Ushakov, who told reporters so.")
    assert found.attribution == ("according to", "told")
    assert found.hedges == ("reportedly", "may")
    assert cues("The ship was freed on Monday.") == cues("")


def test_a_verb_of_saying_that_is_also_a_noun_counts_only_as_the_verb() -> None:
    """"states", "claims" and "notes" say who said it as verbs only: after a determiner, a
    number or a modifier they are nouns (the United States, member states, these claims)."""
    for noun in ("NATO expanded towards the former Soviet states.",
                 "The United States and its allies met.", "The Baltic states agreed.",
                 "He dismissed these claims as lies.", "Five states voted against.",
                 "She read her notes aloud."):
        assert cues(noun).attribution == (), noun
    for verb, cue in (("The report states that talks failed.", "states"),
                      ("Moscow claims the drills are routine.", "claims"),
                      ("“We are ready,” Peskov notes.", "notes")):
        assert cues(verb).attribution == (cue,), verb
    # The pane's reading of an outlet that only adds such a noun: nothing added.
    assert attribution_change("Russia has no plans to invade, Peskov said.",
                              "Russia has no plans to invade the former Soviet states, Peskov "
                              "said.")[0] == "kept"


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


def test_frames_are_the_pieces_that_say_who_said_it() -> None:
    from tui.attribution import frames

    def found(text: str) -> list[str]:
        return [text[a:b] for a, b in frames(text)]

    assert found("Biden urged Putin to de-escalate tensions with Ukraine, White House Press "
                 "Secretary Jen Psaki said in a statement.") == [
        "White House Press Secretary Jen Psaki said in a statement."]
    assert found("“It will be a colossal mistake,” Ushakov said.") == ["Ushakov said."]
    assert found("The goal was to obtain guarantees, Putin told Biden, according to the "
                 "Kremlin.") == ["Putin told Biden", "according to the Kremlin."]
    # A piece that says more than who said it is not a frame; a passage of one piece has none.
    assert found("Biden said he needs to see Russia reduce its military buildup near Ukraine, "
                 "the official added.") == ["the official added."]
    assert found("Ushakov said the talks would go ahead.") == []
    assert found("Moscow has consistently denied speculation that it is planning an "
                 "invasion.") == []
