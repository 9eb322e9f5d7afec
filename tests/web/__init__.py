"""The Flask app through its test client: pages, forms, accounts, hardening."""
