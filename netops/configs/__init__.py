"""Configuration backup: running configs fetched, secrets and volatile lines stripped, kept in git."""
