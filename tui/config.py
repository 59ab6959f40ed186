"""The tag set: names, keys, colours and descriptions (no Textual).

The four default tags are claim, threat, denial and schedule. A TOML config file can replace them
(see :func:`load_config`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TagDef:
    """One tag: its name, the key that applies it, a colour and a one-line description.

    ``number`` is the digit key (1–9) that also applies it; ``marker`` is a single glyph used where
    colour is not available (16 colours, ``NO_COLOR``).
    """

    name: str
    key: str
    number: str
    colour: str
    description: str
    marker: str


DEFAULT_TAGS: tuple[TagDef, ...] = (
    TagDef("claim", "c", "1", "#5fafff", "an assertion of fact or position", "C"),
    TagDef("threat", "t", "2", "#ff5f5f", "a warning of consequences or force", "T"),
    TagDef("denial", "d", "3", "#d7af00", "a rejection of a claim or accusation", "D"),
    TagDef("schedule", "s", "4", "#5fd75f", "a date, meeting or timetable", "S"),
)


@dataclass(frozen=True)
class Config:
    """Everything configurable. Only the tag set, for now."""

    tags: tuple[TagDef, ...] = DEFAULT_TAGS

    def tag(self, name: str) -> TagDef | None:
        """The tag called ``name``, or None."""
        for tag in self.tags:
            if tag.name == name:
                return tag
        return None

    @property
    def tag_names(self) -> tuple[str, ...]:
        return tuple(tag.name for tag in self.tags)
