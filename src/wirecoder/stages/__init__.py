"""The pipeline's stages, one module (or package) each, in the order they run:

1. ``extract``  — inputs (dumps, HTML, feeds, JSONL, dirs, .gz, stdin) -> Article
2. ``nlp``      — Article text -> spaCy parse (sentences, entities, dependencies)
3. ``geoparse`` — toponyms found and resolved to GeoNames -> Place
4. ``code``     — event mentions: type (ACLED, PLOVER), modality, evidence -> Event
5. ``resolve``  — each event's actors, place, date, fatalities and notes
6. ``consolidate`` — the sentences of one article that report one happening -> one Event
7. ``dedup``    — events from different reports of one happening merged

Each analysis stage is a callable taking and returning a :class:`~wirecoder.records.Document`
and declares what it ``requires`` and ``assigns`` so :mod:`wirecoder.pipeline` can check
the order before anything runs.
"""
