"""newsmark: a terminal reader and annotator for news coverage."""

__version__ = "0.1.0"
