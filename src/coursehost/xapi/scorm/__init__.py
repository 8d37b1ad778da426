"""ADL's xAPI SCORM Profile (https://github.com/adlnet/xAPI-SCORM-Profile): the statements a SCORM 1.2, SCORM 2004 or
AICC session's run-time data amounts to. Pure functions of two run-time snapshots, no I/O (docs/xapi-scorm-profile.md).

- ``reading.py``: a snapshot read into the few facts the profile maps (status, score, duration, interactions, ...);
- ``interactions.py``: a SCORM interaction as an xAPI interaction activity and its result;
- ``vocabulary.py``: verbs, activity types, the activities and the context every statement carries;
- ``mapping.py``: what changed between two snapshots, as statements with deterministic ids.
"""
