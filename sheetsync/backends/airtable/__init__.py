"""The Airtable backend (SPEC §14): a base read and written like a spreadsheet, through
pyairtable with its retries off; pacing, retries and the request count are sheetsync's."""
