"""The Google Sheets backend, with its credentials, retries and rate limit."""
