"""valuemap: YAML scorecards → a static site that shows where each company stands on value versus price.

The pipeline, one module per stage: load → validate → score → plan → render (views, charts) → write.
"""
