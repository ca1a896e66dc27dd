"""GraphQL for notifications: subscriptions, the delivery log, test notices."""
