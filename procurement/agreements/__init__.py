"""Article 20 security confidentiality agreements: template context, rendering, obligations.

Pure: no database, no GraphQL. Services load the facts, call these functions, and store results.
"""
