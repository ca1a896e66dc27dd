"""Background jobs (issue 14): long work (rescreening after a rule, list or advisory change) runs
after the request that asked for it, on a worker, with its progress and outcome on record.

``store.enqueue`` writes the job in the caller's transaction; ``runner`` claims and runs one job
on either backend; ``local`` is the in-process worker (the embedded SQLite default, and the
``procurement worker`` command there); ``queue`` hands jobs to procrastinate workers on
PostgreSQL. This package knows no domain: the job kinds are composed in
``procurement.job_kinds``.
"""
