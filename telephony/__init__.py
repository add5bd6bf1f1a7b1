"""The seam to the telephone provider."""
