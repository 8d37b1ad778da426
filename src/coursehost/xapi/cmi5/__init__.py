"""cmi5 (https://github.com/AICC/CMI-5_Spec_Current): what the LMS writes (``statements.py``: the launch data
document and the launched, satisfied and abandoned statements) and what it enforces on an AU's statements
(``rules.py``). Pure functions: the player's launch service and the statement store call them."""
