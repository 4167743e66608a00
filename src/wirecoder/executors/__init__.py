"""Executors: how the analysis stages run over the articles (``pipeline.executor``).
The serial one is :func:`wirecoder.pipeline.run_serially`; here are the others:

- ``batches.py``   — what every parallel executor shares: article batches sized by
  characters, the recipe a worker builds its stages from, thread limits, plain records.
- ``processes.py`` — ``processes``: local worker processes (``wirecoder run --workers N``).
- ``worker.py``    — the program each of those worker processes runs.
- ``dask_cluster.py`` — ``dask``: a Dask cluster, or a LocalCluster (the ``dask`` extra).
"""
