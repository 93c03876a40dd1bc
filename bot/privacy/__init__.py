"""Privacy helpers: remove personal data from text before it is stored or logged."""
