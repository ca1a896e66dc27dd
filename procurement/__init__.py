"""Procurement review service for critical information infrastructure operators.

Layers: ``sbom`` (pure SBOM ingestion) <- ``procurement`` (domain, services, app) -> ``schema``
(thin GraphQL layer). Nothing in this package imports graphene.
"""

__version__ = "0.1.0"
