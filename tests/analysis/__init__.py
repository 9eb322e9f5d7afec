"""The analyses on networkx graphs: warm contacts, connectedness, scans and map data."""
