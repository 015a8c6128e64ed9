"""The maintainers' and instructors' tools, each a subcommand of ``ctopath`` (see ``ctopath --help``).

Nothing here is imported by a learner's kernel except ``doctor`` (module 00 runs it) and
``dashboard`` (the instructor's room view).
"""
