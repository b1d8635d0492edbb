"""Where spreadsheets live: one interface, one implementation per place."""
