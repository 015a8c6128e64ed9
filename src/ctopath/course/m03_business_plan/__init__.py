"""Module 03: its exercises (``exercises.MODULE``), its explorers and the tables it adds to the data."""
