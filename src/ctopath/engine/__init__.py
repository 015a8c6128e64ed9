"""The exercise engine: exercise kinds and their checking (``exercise``), the widgets that display
and collect (``widgets``, ``controls``), the learner's record (``progress``), the errors a
learner may meet (``errors``), the learner's language (``i18n``: every text is translated where it is
shown) and the fonts a chart in Chinese needs (``fonts``).

It imports nothing of the course (modules, data, models, lessons); a test keeps it so. The course
plugs in where it must: ``progress.use_course`` tells the progress report which modules exist,
and ``errors.on_raise`` lets the workshop show its errors as one sentence.
"""
