"""Knowledge files: one reader for every tab-separated data file under ``eventwire/data/``,
and the converters that build data files from the public dictionaries of the field."""

from .reader import Row, read_table, user_files

__all__ = ["Row", "read_table", "user_files"]
