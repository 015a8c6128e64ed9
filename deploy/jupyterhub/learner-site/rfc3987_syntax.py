"""A stand-in, on the learners' servers' PYTHONPATH only, that keeps rfc3987_syntax from loading.

The real package (pulled in by jupyter_events -> jsonschema[format-nongpl]) builds four Earley
parsers the moment it is imported: about 2 CPU seconds of every learner server's start, more than
half of it, measured with `python -X importtime` on the room machine. It serves one optional
jsonschema format check ("iri"), which no Jupyter schema uses. jsonschema imports it inside
`suppress(ImportError)`, so this ImportError only switches that one format check off; the pinned
package itself stays installed and unchanged (requirements.lock).
"""
raise ImportError("rfc3987_syntax is skipped on the room's learner servers (deploy/jupyterhub/learner-site)")
