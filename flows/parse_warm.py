"""Imported once by the parse pool's fork server (``flows.runners.ParsePool``).

Pool workers are forked from that server, so the stage modules and jieba's
dictionary (about 0.7 CPU s to load) are loaded once for the whole pool,
not once in every worker.  No Prefect here: the workers never need it.
"""

import tasks.pipeline  # noqa: F401
from warehouse import search

search._jieba()
