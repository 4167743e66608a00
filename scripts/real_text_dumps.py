"""How well the dump splitter does on scraped dumps made of real article text it has
never seen: ``python scripts/real_text_dumps.py [--seed N] [--articles N] [--show N]``.

The dumps are assembled at run time from the titles and texts of the VOA stories in
``../shared/data/corpus/voa_stories.jsonl`` (the text is never stored in the repository):
2–6 articles a dump, each dump printed with its own habits, drawn at random from one
seed — line endings, blank lines between paragraphs and between articles (the latter may
be no larger than the former), widgets under the headline (single- and multi-word, some
site-specific), section kickers, bylines, date and "Updated" lines, photo captions with
credits in many styles (in parentheses, after "Photo:", on a line of their own, none at
all), the header block printed twice, sub-headings inside bodies (other stories' titles
cut short, as real sub-headings are headline-shaped), share widgets and related-links
blocks after bodies. A story's text has no paragraph breaks in the corpus: it is cut
into paragraphs of one to three sentences. A story may serve in several dumps, each
time cut and printed differently. Captions are sentences of stories outside the dump.

Every caption the generator prints carries a sign a careful reader would go by: a
credit, the ``FILE -`` label, or being printed twice. A caption with none of them is a
sentence like any other, and no reader can tell it from the story's first paragraph.

Printed, as JSON:

- ``exact``: the share of articles split exactly — some output article has the gold
  headline and exactly the gold paragraphs (whitespace normalised), nothing more, nothing
  less, in order;
- ``body_f1``: body F1 averaged over the gold articles. A body is the multiset of its
  word 4-gram shingles (words split on whitespace, case kept; a body of fewer than four
  words is one shingle). Gold and output articles of a dump are matched one to one,
  greedily by the number of shingles they share; an article's F1 is
  ``2·shared / (|gold| + |output|)``, 0 for an unmatched gold article;
- ``headlines``: the share of gold headlines found exactly as some output's headline;
- ``dumps_right_count``: the share of dumps split into the right number of articles.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wirecoder.records import Article
from wirecoder.stages.extract.dumps import segment_dump

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "voa_stories.jsonl"
ARTICLES = 240  # the fixed number of articles measured (>= 200)
SHINGLE = 4

# -- cutting a story into paragraphs ----------------------------------------------------

# A sentence ends at . ! ? (and closing quotes) before a space and a capital or an
# opening quote; not after an initial ("U.S.", "J.") or a short title ("Mr.", "Gen.").
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z0-9])")
NO_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|St|Sen|Rep|Gov|No|Jr|Sr|Prof|Maj|Adm|Rev|vs|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)[\"”’']?$")


def sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        piece = text[start:match.start()]
        if NO_END.search(piece):
            continue
        out.append(piece.strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def paragraphs(text: str, rng: random.Random) -> list[str]:
    found = sentences(text)
    out: list[str] = []
    while found:
        take = rng.choice([1, 1, 2, 2, 3])
        out.append(" ".join(found[:take]))
        found = found[take:]
    return out


# -- what a site prints around a story ----------------------------------------------------

# Widgets as sites print them; "{n}" is a number that changes from story to story.
WIDGETS = [
    "Listen to this article", "{n} min", "{n} min read", "Font size", "+", "-", "A+", "A-", "TT", "{n}",
    "Share", "Share this article", "See all columns", "Print", "Email", "Comments ({n})", "{n} comments",
    "Save", "Facebook", "Twitter", "WhatsApp", "Copy link", "Advertisement", "Gift this article",
    "Reading time: {n} minutes", "Follow", "Text size", "Print this page", "Bookmark", "Play audio",
    "Share on Facebook", "Share on X", "Updated {n} hours ago", "{n} hours ago", "Add a comment",
    "Photo {n} of 8", "Show more", "Download the app", "Sign up for our newsletter",
]
# Tails printed after a story's body: share rows, related links.
TAIL_LABELS = ["Related", "Related stories", "Read more", "More from this section", "Recommended"]
CREDITS = [
    "AFP", "EPA", "Getty Images", "Anadolu", "AFP file photo", "Reuters", "Reuters file", "AP", "Xinhua",
    "{name}/AFP via Getty Images", "AP Photo/{name}", "EPA-EFE/{name}", "Photo: {name}", "Handout",
    "Courtesy of the family", "VOA", "{name}/Reuters", "Anadolu Agency", "File", "Sputnik",
]
PHOTOGRAPHERS = ["Omar Haj Kadour", "Marie Dubois", "Ahmed Saleh", "Anna Kovalenko", "Guerchom Ndebo", "Feisal Omar",
                 "Lee Jin-man", "Carlos Barria"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class Story:
    title: str
    author: str
    section: str
    published: str  # "2025-03-14 20:30:26Z"
    text: str


@dataclass
class Gold:
    headline: str
    paragraphs: list[str]


@dataclass
class Dump:
    text: str
    gold: list[Gold]
    habits: dict[str, object] = field(default_factory=dict)


def load_stories(path: Path = CORPUS) -> list[Story]:
    stories = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("title") and len(row.get("text", "")) > 500:
                stories.append(Story(" ".join(row["title"].split()), row.get("author") or "", row.get("section") or "",
                                     row.get("published") or "", " ".join(row["text"].split())))
    return stories


def _widget(template: str, rng: random.Random) -> str:
    return template.replace("{n}", str(rng.randint(2, 40)))


def _date_line(story: Story, rng: random.Random) -> str | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?", story.published)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    hour, minute = int(match[4] or 9), int(match[5] or 0)
    return rng.choice([
        f"{MONTHS[month - 1]} {day}, {year} {hour % 12 or 12}:{minute:02d} {'PM' if hour >= 12 else 'AM'}",
        f"Published: {day} {MONTHS[month - 1]} {year}",
        f"Updated {MONTHS[month - 1][:3]} {day}, {year}",
        f"Last updated: {day} {MONTHS[month - 1]} {year} - {hour:02d}:{minute:02d} GMT",
        f"{year}-{month:02d}-{day:02d}",
        f"{day:02d}/{month:02d}/{year}",
    ])


def _caption(pool: list[str], story_date: str, rng: random.Random) -> tuple[list[str], str]:
    """The lines that print a caption (text and credit), and how it was signed."""
    text = rng.choice(pool)
    if rng.random() < 0.3:  # the photo's own date, as agencies write it
        year = rng.randint(2015, 2025)
        text = f"{text.rstrip('.')}, on {rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}."
    if rng.random() < 0.15 and text[-1] == ".":
        text = text[:-1]  # some sites print captions without a final stop
    credit = rng.choice(CREDITS).replace("{name}", rng.choice(PHOTOGRAPHERS))
    how = rng.choice(["paren", "paren", "paren", "own-line", "photo-label", "file", "none"])
    if how == "paren":
        return [f"{text} ({credit})"], how
    if how == "own-line":
        return [text, rng.choice([f"({credit})", credit if "/" in credit or " " in credit else f"({credit})"])], how
    if how == "photo-label":
        name = rng.choice(PHOTOGRAPHERS)
        return [f"{text} {rng.choice(['Photo', 'Photo credit', 'Image'])}: {name}/{rng.choice(['Reuters', 'AFP', 'AP'])}"], how
    if how == "file":
        return [f"FILE - {text}"], how
    return [text, text], how  # no credit: printed twice, as scrapers of such pages do


@dataclass
class Habits:
    """How one site prints its stories: drawn once per dump."""

    newline: str
    paragraph_gap: int
    article_gap: int
    widgets: list[str]
    widgets_above: bool  # widgets printed above the headline rather than under it
    kicker: bool
    byline: bool
    dated: bool
    repeat_header: bool
    captions: float  # chance that a story has photos
    subheads: float  # chance that a story has sub-headings
    tail: str | None  # a share row printed after each body
    links: str | None  # the label of a list of links printed after each body
    bullet: str  # what starts each link of the list
    trailing_spaces: bool

    @classmethod
    def draw(cls, rng: random.Random) -> Habits:
        return cls(
            newline=rng.choice(["\n", "\n", "\r\n"]),
            paragraph_gap=rng.choice([0, 1, 1, 1, 2]),
            article_gap=rng.choice([1, 1, 2, 2, 3, 4]),
            widgets=rng.sample(WIDGETS, rng.choice([0, 0, 1, 2, 3, 4, 5])),
            widgets_above=rng.random() < 0.15,
            kicker=rng.random() < 0.2,
            byline=rng.random() < 0.4,
            dated=rng.random() < 0.4,
            repeat_header=rng.random() < 0.25,
            captions=rng.choice([0.0, 0.5, 0.8]),
            subheads=rng.choice([0.0, 0.0, 0.3, 0.6]),
            tail=rng.choice([None, None, None, "Share this article", "Share", "Facebook", "Email", "Print"]),
            links=rng.choice([None, None, None, *TAIL_LABELS]),
            bullet=rng.choice(["", "• ", "- "]),
            trailing_spaces=rng.random() < 0.2,
        )


def _subheads(others: list[Story], rng: random.Random) -> list[str]:
    """Sub-headings cut from other stories' titles: headline-shaped, as real ones are."""
    out = []
    for story in rng.sample(others, min(len(others), 4)):
        words = story.title.rstrip(".").split()
        cut = words[: rng.randint(2, min(8, len(words)))] if len(words) > 2 else words
        out.append(" ".join(cut).rstrip(",:;—-"))
    return out


def render_story(story: Story, habits: Habits, others: list[Story], caption_pool: list[str],
                 rng: random.Random) -> tuple[list[str], Gold]:
    """The lines printing one story (blank lines as ""), and what must come back."""
    body = paragraphs(story.text, rng)
    if rng.random() < habits.subheads and len(body) >= 4:
        for subhead in _subheads(others, rng)[: rng.randint(1, 4)]:
            body.insert(rng.randrange(2, len(body)), subhead)
    gold = Gold(story.title, body)
    gap = [""] * habits.paragraph_gap
    widgets = [_widget(w, rng) for w in habits.widgets]
    header: list[str] = []
    if habits.widgets_above:
        header += widgets
    if habits.kicker and story.section:
        header.append(story.section)
    header.append(story.title)
    header += gap
    head_block: list[str] = []
    if habits.byline and story.author:
        head_block.append(rng.choice([f"By {story.author}", story.author, f"By {story.author}, VOA News"]))
    if habits.dated:
        date = _date_line(story, rng)
        if date:
            head_block.append(date)
    captions: list[str] = []
    if rng.random() < habits.captions:
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            captions += _caption(caption_pool, story.published, rng)[0]
    head_block += captions
    if not habits.widgets_above:
        head_block += widgets
    header += [line for item in head_block for line in [item, *gap]]
    if habits.repeat_header:
        header += [story.title, *gap] + [line for item in captions for line in [item, *gap]]
    lines = header[:]
    for number, paragraph in enumerate(body):
        if number:
            lines += gap
        lines.append(paragraph)
    if habits.tail:
        lines += gap + [habits.tail]
    if habits.links:
        lines += gap + [habits.links]
        lines += [f"{habits.bullet}{other.title}" for other in rng.sample(others, rng.randint(1, 3))]
    if habits.trailing_spaces:
        lines = [line + " " if line and rng.random() < 0.3 else line for line in lines]
    return lines, gold


def build_dumps(stories: list[Story], seed: int, articles: int = ARTICLES) -> list[Dump]:
    """Dumps holding ``articles`` articles in all, 2–6 a dump, the same for the same seed."""
    rng = random.Random(seed)
    order: list[Story] = []
    dumps: list[Dump] = []
    made = 0
    while made < articles:
        size = min(rng.randint(2, 6), articles - made)
        if articles - made - size == 1:
            size += 1 if size < 6 else -1
        while len(order) < size:
            more = stories[:]
            rng.shuffle(more)
            order += more
        chosen, order = order[:size], order[size:]
        others = [s for s in stories if s not in chosen]
        caption_pool = [s for story in rng.sample(others, 5) for s in sentences(story.text) if 8 <= len(s.split()) <= 30]
        habits = Habits.draw(rng)
        lines: list[str] = []
        gold: list[Gold] = []
        for number, story in enumerate(chosen):
            if number:
                lines += [""] * habits.article_gap
            story_lines, story_gold = render_story(story, habits, others, caption_pool, rng)
            lines += story_lines
            gold.append(story_gold)
        text = habits.newline.join(lines) + habits.newline
        dumps.append(Dump(text, gold, {k: v for k, v in vars(habits).items()}))
        made += size
    return dumps


# -- scoring --------------------------------------------------------------------------------

def shingles(paragraphs: list[str]) -> Counter[tuple[str, ...]]:
    words = " ".join(paragraphs).split()
    if len(words) < SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def _normal(paragraphs: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in paragraphs]


def score_dump(dump: Dump, got: list[Article]) -> list[dict[str, object]]:
    """One row per gold article: exact, F1, headline found."""
    gold_sh = [shingles(g.paragraphs) for g in dump.gold]
    got_sh = [shingles(a.paragraphs) for a in got]
    pairs = sorted(((sum((g & o).values()), i, j) for i, g in enumerate(gold_sh) for j, o in enumerate(got_sh)),
                   reverse=True)
    match: dict[int, int] = {}
    used: set[int] = set()
    for shared, i, j in pairs:
        if shared and i not in match and j not in used:
            match[i], _ = j, used.add(j)
    headlines = {" ".join((a.headline or "").split()) for a in got}
    rows = []
    for i, gold in enumerate(dump.gold):
        j = match.get(i)
        if j is None:
            f1 = 0.0
        else:
            shared = sum((gold_sh[i] & got_sh[j]).values())
            f1 = 2 * shared / (sum(gold_sh[i].values()) + sum(got_sh[j].values()))
        exact = any(" ".join((a.headline or "").split()) == gold.headline and _normal(a.paragraphs) == _normal(gold.paragraphs)
                    for a in got)
        rows.append({"exact": exact, "f1": f1, "headline": gold.headline in headlines})
    return rows


def split(dump: Dump) -> list[Article]:
    return [a for a in segment_dump(io.StringIO(dump.text, newline=None), "dump.txt") if isinstance(a, Article)]


def measure(seed: int, articles: int = ARTICLES, path: Path = CORPUS, show: int = 0) -> dict[str, object]:
    dumps = build_dumps(load_stories(path), seed, articles)
    rows: list[dict[str, object]] = []
    right_count = 0
    shown = 0
    for dump in dumps:
        got = split(dump)
        dump_rows = score_dump(dump, got)
        rows += dump_rows
        right_count += len(got) == len(dump.gold)
        if shown < show and not all(r["exact"] for r in dump_rows):
            shown += 1
            _show(dump, got)
    return {
        "seed": seed,
        "dumps": len(dumps),
        "articles": len(rows),
        "exact": round(sum(bool(r["exact"]) for r in rows) / len(rows), 4),
        "body_f1": round(sum(float(r["f1"]) for r in rows) / len(rows), 4),  # type: ignore[arg-type]
        "headlines": round(sum(bool(r["headline"]) for r in rows) / len(rows), 4),
        "dumps_right_count": round(right_count / len(dumps), 4),
    }


def _show(dump: Dump, got: list[Article]) -> None:
    """A failing dump, for study: its habits, then gold and output side by side."""
    print("=" * 100, file=sys.stderr)
    print(json.dumps({k: v for k, v in dump.habits.items() if k != "newline"}), file=sys.stderr)
    print(dump.text.replace("\r", ""), file=sys.stderr)
    for gold in dump.gold:
        print(f"GOLD {gold.headline!r} {len(gold.paragraphs)} paragraphs: {gold.paragraphs[0][:60]!r} … "
              f"{gold.paragraphs[-1][-40:]!r}", file=sys.stderr)
    for article in got:
        first, last = (article.paragraphs[0][:60], article.paragraphs[-1][-40:]) if article.paragraphs else ("", "")
        print(f"GOT  {article.headline!r} {len(article.paragraphs)} paragraphs: {first!r} … {last!r} "
              f"captions={[(c.text[:30], c.credit) for c in article.captions]}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, action="append", help="repeatable; default: 1 and 2")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", type=int, default=0, help="print this many failing dumps to stderr")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus}: the VOA stories are read from ../shared/data/corpus")
    for seed in args.seed or [1, 2]:
        print(json.dumps(measure(seed, args.articles, args.corpus, args.show)))


if __name__ == "__main__":
    main()
