"""The thin GraphQL layer: graphene types, queries and mutations per domain, DataLoaders, and the
GraphQL-over-HTTP endpoint. Resolvers call the domains' ``actions`` and ``reads``; they never
commit."""
