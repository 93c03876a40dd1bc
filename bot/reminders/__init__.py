"""Follow-up reminders (issue 13): dates, calendar file, store and scheduler."""

# The message metadata key under which the Teams channel hands the action
# server the conversation reference a reminder needs.
TEAMS_REFERENCE_KEY = "teams_reference"
