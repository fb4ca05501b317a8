PARSER_VERSION = "17"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
