"""Sanctions lists in their publishers' own formats, one parser module per format.

Every parser takes the file's bytes and returns a :class:`ParsedList` of domain ``ListEntry``
values, or raises :class:`MalformedListFile` naming every bad line: never a partial list.
"""
