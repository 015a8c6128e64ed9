"""Module 06: its exercises (``exercises.MODULE``), its explorers and the tables it adds to the data."""
