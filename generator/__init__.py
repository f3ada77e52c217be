"""valuemap: YAML scorecards → a static site that shows where each company stands on value versus price.

The pipeline, one module per stage: load → validate → score → plan → render (views, charts) → write.
"""

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)
