"""Algorithms on a projection (networkx): scans, warm contacts, connectedness."""
