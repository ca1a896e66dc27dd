"""The thin GraphQL layer: graphene types, queries and mutations per domain, DataLoaders, and the
GraphQL-over-HTTP endpoint. Resolvers call ``procurement.services``; they never commit."""
