"""The exercise engine: exercise kinds and their checking (``exercise``), the widgets that display
and collect (``widgets``, ``controls``), the learner's record (``progress``) and the errors a
learner may meet (``errors``).

It imports nothing of the course (modules, data, models, lessons); a test keeps it so. The course
plugs in where it must: ``progress.use_course`` tells the progress report which modules exist,
and ``errors.on_raise`` lets the workshop show its errors as one sentence.
"""
