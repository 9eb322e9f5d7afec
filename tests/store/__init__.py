"""The stores and the model: the contract every adapter passes, SQLite and Neo4j specifics, crash safety, erasure."""
