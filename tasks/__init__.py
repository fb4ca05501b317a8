PARSER_VERSION = "11"
"""Bumped whenever extract/layout/clean/segment output changes: it keys the parse cache."""
