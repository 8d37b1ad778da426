"""The Learning Record Store each application has at ``/lrs/{appId}/`` (xAPI 2.0.0 and 1.0.3), its credentials,
and what the rest of coursehost reads from it (a course's statements).

``lrs.py`` assembles the LRS's routes and its middleware (version negotiation); ``principal.py`` says who is
calling and what they may do; ``agents.py`` gives an agent the key it is stored and compared under. Each resource
is a sub-package with the usual ``endpoints``/``schemas``/``service``/``repository`` files.
"""
