"""The answer history on disk: the SQLite file (``database``), its schema and migrations
(``schema``), the values it hands out (``records``) and the report figures it copies into
columns (``summary``). Bringing back answers cut off by a crash is
:mod:`kiosk.pipeline.recovery`: it needs the analysis pipeline, which sits above the store."""
