"""The action server package: answers with protocol steps, validates forms."""
