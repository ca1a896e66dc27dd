"""Use cases: ``(session, principal, input) -> result``.

Each service checks permissions first, validates all input before writing, writes its audit event in
the same transaction, and commits exactly once. Repositories and helpers never commit.
"""
