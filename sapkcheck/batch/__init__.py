"""Batch mode, in pipeline order: ``tables`` (read a staff export row by row) → ``rows``
(check one row, certain fixes) → ``pipeline`` (workers, checks across rows, tally) →
``run`` (wires input, pipeline, reports and the ``fixed_copy``); ``output`` writes files
atomically and ``masking`` hides personal data. Reports are rendered by ``render.batch``."""
