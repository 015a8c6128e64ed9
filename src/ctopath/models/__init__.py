"""Pure business logic: plain functions on DataFrames, no widgets."""
