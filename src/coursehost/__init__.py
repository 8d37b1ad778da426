"""coursehost: a self-hostable course service that speaks the SCORM Cloud REST API v2 Course Service."""

__version__ = "0.1.0"
