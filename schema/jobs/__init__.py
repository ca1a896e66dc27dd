"""GraphQL of background jobs: the Job node and ``job(id:)``."""
