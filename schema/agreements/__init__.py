"""Article 20 agreements: types, queries and mutations."""
