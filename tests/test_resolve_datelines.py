"""Datelines locate and date nothing: the place and day a report was filed from are
not where and when its events happened."""

from __future__ import annotations

import pytest

from wirecoder.stages.resolve.locate import dateline_spans


@pytest.mark.parametrize("text, dateline", [
    # a wire dateline in capitals, country and date in brackets
    ("KABUL, Afghanistan (Jan. 25, 2013)\nDuring an operation in Ghazni province", "KABUL, Afghanistan (Jan. 25, 2013)\n"),
    # a place in ordinary case, then the day and the agency
    ("San Salvador, 9 Jan 90 (dpa) -- [text] The army", "San Salvador, 9 Jan 90 (dpa) --"),
    # a dateline after a short header on the same line
    ("By a staff writer  GOMA, Congo - Rebels attacked", "GOMA, Congo -"),
    # a sentence that opens with a place is no dateline
    ("Goma, the capital (of North Kivu) -- residents said", None),
    ("In Kabul, police (who were there) said", None),
])
def test_resolve_dateline_spans(text, dateline):
    spans = dateline_spans(text)
    if dateline is None:
        assert spans == []
    else:
        assert any(text[start:end].endswith(dateline) and dateline.split(",")[0] in text[start:end]
                   for start, end in spans), [text[s:e] for s, e in spans]
