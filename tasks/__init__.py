PARSER_VERSION = "13"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
