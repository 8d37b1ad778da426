"""Configuration settings: the catalog, validation, and the level cascade from application to course version."""
