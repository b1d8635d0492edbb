"""Reminders by email: who to remind (from the computed books), how to send, what was sent."""
