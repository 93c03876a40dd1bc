"""Input channels of the meldcode assistant."""
