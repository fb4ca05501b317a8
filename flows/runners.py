"""Which Prefect task runner parses the pages: threads, processes or a Dask cluster."""

from __future__ import annotations

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner


def task_runner_for(dask_address: str | None = None, workers: int = 1) -> TaskRunner:
    """The task runner for ingest's parse tasks.

    - ``dask_address`` "tcp://host:8786": a ``prefect_dask.DaskTaskRunner`` on that
      scheduler (the parse tasks run on the cluster; the warehouse load stays in
      the flow's own process, the single writer);
    - ``dask_address`` "local": a temporary Dask LocalCluster of ``workers`` processes;
    - ``workers`` > 1: a ProcessPoolTaskRunner (parsing is CPU-bound Python);
    - else a one-thread ThreadPoolTaskRunner.
    """
    if dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1})
        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers)
    return ThreadPoolTaskRunner(max_workers=1)
