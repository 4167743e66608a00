"""Stage 4, ``code``: which sentences report an event, of which type (ACLED and PLOVER),
and whether it is happening now.

    coder.py       :class:`EventCoder`, the pipeline stage (registered as ``code``): the
                   cascade and the choices it makes are told there
    detect.py      trigger lexicon over lemmas -> mentions grouped by the parse
    classify.py    the event classifiers (``code.classifier``; the shipped "linear" model)
    embed.py       sentence embeddings that help the classifier (the ``embeddings`` extra)
    model_file.py  the trained model's file: shipped, cached, retrained when stale
    linear.py      the model's TF-IDF rows and probabilities, without scikit-learn
    modality.py    asserted / claimed / denied / historical / future / hypothetical
    confidence.py  a calibrated probability that the type is right
    refine.py      sub-type corrections from the words around the trigger
    codebook.py    the codebook (types, triggers, cues) read from ``data/codebook/``
"""

from __future__ import annotations

from .coder import EventCoder, event_id

__all__ = ["EventCoder", "event_id"]
