"""Follow-up reminders (issue 13): dates, calendar file, store and scheduler."""
