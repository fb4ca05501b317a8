"""Corpus tooling, apart from the pipeline stages in ``tasks/``.

Typesetters that draw ground-truth newspaper pages (``typeset``), the texts
they set (``texts``), the corpus and sample writers (``corpus``), hostile
inputs for the bad-input tests (``hostile``), the naive baseline
(``baseline``) and the scorer behind ``broadsheet eval`` (``evaluate``).
Nothing in the pipeline imports from here.
"""
