"""The preview player: launch links, player sessions, the browser player page and the AICC HACP endpoint."""
