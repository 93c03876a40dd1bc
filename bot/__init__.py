"""The meldcode assistant's own package: protocol content, NLU helpers, CLI."""
