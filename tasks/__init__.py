PARSER_VERSION = "19"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
