"""A generator of varied synthetic scraped dumps, with the structure it put in them.

Every dump is made from invented articles (headline, captions with credits, body
paragraphs with sub-headings, sometimes a date line, a byline or a closing agency
credit) rendered the way different sites print them: other widgets (single- and
multi-word, above or under the headline), section kickers, credit styles (in
parentheses, after "Photo:", on a line of their own, the ``FILE -`` label, none but the
caption printed twice), photo galleries, single or multiple blank lines (between stories
as few as between paragraphs), CRLF, the header block printed once or twice, share rows
and lists of related links after the body. Headlines may be Title Case, sentence case,
a question, a sentence with a full stop, or two words (a name). Tests check that the
segmenter gets back exactly the structure the generator put in, across many seeds;
benchmarks use it to make large inputs. The sentences are written here from
templates, not taken from any real article.

Every boundary between stories carries a sign a careful reader would go by — a header
block, a wider gap, a list of links — and every caption a credit, a label or a second
printing: where nothing tells a sub-heading from a headline, or a caption from a
paragraph, no reader can, and the generator does not pretend otherwise.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

THEATRES: dict[str, dict[str, list[str]]] = {
    "Syria": {
        "places": ["Aleppo", "Idlib", "Daraa", "Deir ez-Zor", "Homs", "Hama", "Raqqa", "Jableh"],
        "actors": ["government forces", "the Syrian army", "opposition fighters", "Kurdish-led forces",
                   "Turkish-backed factions", "Islamic State remnants"],
        "officials": ["a local council member", "the Syrian Observatory for Human Rights", "a military spokesman"],
    },
    "Sudan": {
        "places": ["El Fasher", "Khartoum", "Omdurman", "Nyala", "Wad Madani", "El Obeid", "Kadugli"],
        "actors": ["the Rapid Support Forces", "the Sudanese army", "allied militias", "armed men on motorbikes"],
        "officials": ["a medical charity", "the local resistance committee", "the health ministry"],
    },
    "the Democratic Republic of Congo": {
        "places": ["Goma", "Bukavu", "Beni", "Bunia", "Rutshuru", "Uvira", "Masisi"],
        "actors": ["M23 rebels", "the Congolese army", "ADF militants", "Wazalendo militias", "CODECO fighters"],
        "officials": ["the provincial governor", "a civil society leader", "the UN mission"],
    },
    "Ukraine": {
        "places": ["Kharkiv", "Zaporizhzhia", "Kherson", "Pokrovsk", "Sumy", "Odesa", "Dnipro"],
        "actors": ["Russian forces", "Ukrainian troops", "Russian drones", "Ukraine's air defences"],
        "officials": ["the regional governor", "the general staff", "the city's mayor"],
    },
    "Somalia": {
        "places": ["Mogadishu", "Baidoa", "Beledweyne", "Kismayo", "Afgoye"],
        "actors": ["al-Shabab militants", "Somali troops", "clan militias", "African Union forces"],
        "officials": ["a police officer", "a district commissioner", "a hospital director"],
    },
}

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "11", "14", "17", "23", "dozens of"]

HEADLINES = [
    "{Actor} Step Up Attacks Around {place}",
    "Fighting Flares Near {place} as Talks Stall",
    "{n_cap} Killed in Shelling of {place} Market",
    "Residents Flee {place} After Night of Clashes",
    "Drone Strike Hits Fuel Depot Outside {place}",
    "Protesters Rally in {place} Over Rising Prices",
    "Aid Convoy Blocked on Road to {place}",
    "Army Claims Gains in Push on {place}",
    "Curfew Imposed in {place} After Deadly Ambush",
    "{country_cap} Talks Resume as Violence Spreads Around {place}",
    "Explosion Rocks Checkpoint on Edge of {place}",
    "Hospital in {place} Overwhelmed After Attack on Camp",
]

SENTENCES = [
    "{Actor} attacked positions held by {enemy} on the outskirts of {place} on {day}, {official} said.",
    "At least {n} civilians were killed when shells struck a crowded market in {place} on {day} morning.",
    "The fighting forced hundreds of families to leave their homes in villages east of {place}.",
    "{Official_cap} said {n} soldiers had been killed in an ambush on a convoy near {place2}.",
    "Witnesses described hearing heavy gunfire for several hours before dawn.",
    "A drone struck a fuel depot outside {place} late on {day}, starting a fire that burned until morning.",
    "Hundreds of people marched through the centre of {place} on {day} to protest against the shortages.",
    "Security forces fired tear gas to disperse the crowd, according to {official}.",
    "Aid agencies warned that food and medicine were running out in {place} after weeks of fighting.",
    "There was no immediate comment from {enemy}, who have denied targeting civilians in the past.",
    "The attack came a day after {actor} announced a new offensive in the area around {place2}.",
    "Local hospitals treated {n} wounded people, many of them women and children, a doctor said.",
    "The road between {place} and {place2} has been closed to traffic since the clashes began.",
    "{Official_cap} told reporters that the situation in {place} remained tense but under control.",
    "Mediators from neighbouring countries have tried for months to broker a ceasefire in {country}.",
    "The United Nations said more than {thousands} people had been displaced in the province since {month}.",
    "Residents said armed men looted shops and set fire to several houses before withdrawing.",
    "{Actor} said in a statement that they had repelled an attack and captured weapons and vehicles.",
    "The death toll could rise, {official} warned, as rescuers searched the rubble for survivors.",
    "Electricity and water supplies to large parts of {place} were cut after the strike on {day}.",
    "Officials in {place2} said the town had come under mortar fire twice in the past week.",
    "The latest violence is the worst the area has seen since a truce collapsed in {month}.",
    "Several of the victims were farmers who had returned to their fields after the harvest season began.",
    "Diplomats expressed alarm at the escalation and called on all sides to protect civilians.",
]

# Sentence-form headlines: questions, and sentences with a full stop; a headline only
# where a header block follows it or a clear gap precedes it.
SENTENCE_HEADLINES = [
    "Can the truce around {place} hold?",
    "Who controls the road to {place} now?",
    "Is {place} the next front line?",
    "What is happening in {place}? Here's what you need to know.",
    "Why {place} matters. And why the fighting may not stop soon.",
    "{Place} counts its dead after a night of shelling.",
]
# Short headlines: a person's name or a place, as profile and explainer pieces have.
SHORT_HEADLINES = ["Amina Yusuf", "Jean-Pierre Bemba", "Omar al-Bashir", "{Place}", "Inside {place}"]

CAPTIONS = [
    "Smoke rises over {place} after an air strike, on {month} {d}, {year}.",
    "Displaced families wait for food at a camp near {place}.",
    "A soldier stands guard at a checkpoint on the road to {place2}.",
    "Residents inspect the damage to a market in {place}, on {month} {d}, {year}.",
    "Mourners gather for the funeral of victims of the shelling in {place}.",
    "Firefighters work at the site of a drone strike in {place}.",
    "Protesters chant slogans during a rally in central {place}.",
]

# Sub-headings inside a story: short lines without a final stop (or a short question),
# shaped like headlines; listicles have one over every paragraph.
CROSSHEADS = [
    "Fighting spreads to nearby villages",
    "Aid groups warn of shortages",
    "Talks stall in the capital",
    "What the army says about the offensive",
    "How the new drones work",
    "Hints for the days ahead",
    "Who is behind the attacks?",
    "Looking ahead",
    "Aid shortages",
    "The human cost",
    "What comes next",
]

PHOTOGRAPHERS = ["Omar Haj Kadour", "Marie Dubois", "Ahmed Saleh", "Anna Kovalenko", "Guerchom Ndebo", "Feisal Omar"]
SECTIONS = ["Middle East", "Africa", "Europe", "World", "Conflict", "South & Central Asia"]


def credit_styles(rng: random.Random, text: str) -> tuple[list[str], str | None, str]:
    """How a caption is printed: its lines, the credit expected back, and the text
    expected back."""
    name = rng.choice(PHOTOGRAPHERS)
    credit = rng.choice([
        "AFP", "Reuters", "Reuters file", f"AP Photo/{name}", "Getty Images", "EPA", "Anadolu",
        "AFP file photo", f"{name}/AFP via Getty Images", "File photo", "Anadolu Agency", "EPA-EFE/" + name,
    ])
    how = rng.random()
    if how < 0.15:
        credit = f"Photo: {name}/Reuters"
        return [f"{text} {credit}"], credit, text
    if how < 0.3:  # the credit on a line of its own, in parentheses or not
        return [text, f"({credit})" if rng.random() < 0.6 or " " not in credit else credit], credit, text
    if how < 0.38:  # the file-photo label of agencies, no credit
        return [f"FILE - {text}"], "FILE", text
    if how < 0.46:  # no credit at all: such pages are scraped with the caption twice
        return [text, text], None, text
    if how < 0.54 and text.endswith("."):  # a caption without a final stop
        text = text[:-1]
    return [f"{text} ({credit})"], credit, text


WIDGETS = ["TT", "20", "Share", "A+", "A-", "Comments (4)", "Print", "12", "Tweet", "Email", "1.2K",
           "Save", "|", "Listen", "Share this", "0 Comments", "•••", "5 min read", "Text size",
           "Listen to this article", "{n} min", "Font size", "+", "-", "See all columns", "{n} min read",
           "Share on X", "Copy link", "Updated {n} hours ago", "Play audio", "Gift this article"]
TAILS = ["Share this article", "Share", "Facebook Twitter Email", "Print"]
LINKS_LABELS = ["Related", "Read more", "More from this section", "Recommended", "Related stories"]


@dataclass
class GenArticle:
    headline: str
    captions: list[tuple[str, str | None]] = field(default_factory=list)  # (text, credit)
    printed_captions: list[list[str]] = field(default_factory=list)  # the lines of each
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    date_line: str | None = None
    byline: str | None = None  # printed under the headline, not part of the article
    closing: str | None = None  # agency credit printed after the body, dropped
    section: str = ""  # the kicker printed over the headline where the site prints one
    sentence_headline: bool = False  # a headline that reads as a sentence (needs a sign)


def _fill(template: str, rng: random.Random, theatre: str, slots: dict[str, str]) -> str:
    info = THEATRES[theatre]
    values = dict(slots)
    values.setdefault("actor", rng.choice(info["actors"]))
    values.setdefault("enemy", rng.choice([a for a in info["actors"] if a != values["actor"]]))
    values.setdefault("official", rng.choice(info["officials"]))
    values.update(
        Actor=values["actor"][0].upper() + values["actor"][1:],
        Official_cap=values["official"][0].upper() + values["official"][1:],
        Place=values["place"],
        n=rng.choice(NUMBERS),
        day=rng.choice(WEEKDAYS),
        month=rng.choice(MONTHS),
        d=str(rng.randint(1, 28)),
        year=str(rng.randint(2016, 2024)),
        thousands=f"{rng.randint(2, 90)},{rng.randint(100, 999)}",
        country=theatre,
        country_cap=theatre.replace("the ", "").split()[-1],
    )
    values["n_cap"] = values["n"].capitalize() if not values["n"][0].isdigit() else values["n"]
    text = template.format(**values)
    return text[0].upper() + text[1:]


def make_article(rng: random.Random) -> GenArticle:
    theatre = rng.choice(list(THEATRES))
    info = THEATRES[theatre]
    place, place2 = rng.sample(info["places"], 2)
    actor = rng.choice(info["actors"])
    slots = {"place": place, "place2": place2, "actor": actor}
    captions = rng.sample(CAPTIONS, rng.choice([0, 1, 1, 1, 2, 3]))
    shape = rng.random()
    if shape < 0.15:
        headline, sentence = _fill(rng.choice(SENTENCE_HEADLINES), rng, theatre, slots), True
    elif shape < 0.25:
        headline, sentence = _fill(rng.choice(SHORT_HEADLINES), rng, theatre, slots), False
    else:
        headline, sentence = _fill(rng.choice(HEADLINES), rng, theatre, slots), False
        if rng.random() < 0.6:  # Title Case, or sentence case as many sites write them
            headline = " ".join(w[0].upper() + w[1:] for w in headline.split())
    article = GenArticle(headline=headline, sentence_headline=sentence, section=rng.choice(SECTIONS))
    if rng.random() < 0.3:
        name = rng.choice(PHOTOGRAPHERS)
        article.byline = rng.choice([f"By {name}", name, f"By {name}, Reuters"])
    if rng.random() < 0.2:
        article.closing = f"(Reporting by {rng.choice(PHOTOGRAPHERS)}; Editing by {rng.choice(PHOTOGRAPHERS)})"
    for template in captions:
        lines, credit, text = credit_styles(rng, _fill(template, rng, theatre, slots))
        article.captions.append((text, credit))
        article.printed_captions.append(lines)
    count = rng.randint(3, 12)
    sentences = rng.sample(SENTENCES, min(count * 2, len(SENTENCES)))
    for i in range(count):
        parts = sentences[2 * i : 2 * i + rng.choice([1, 2])] or [rng.choice(SENTENCES)]
        article.paragraphs.append(" ".join(_fill(s, rng, theatre, slots) for s in parts))
    # The generator may print the same sentence twice in one story; the segmenter
    # keeps a repeated line once, so expect it once.
    article.paragraphs = list(dict.fromkeys(article.paragraphs))
    if rng.random() < 0.25:
        day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2019, 2025)
        article.published = f"{year}-{month + 1:02d}-{day:02d}"
        article.date_line = rng.choice([f"Published: {day} {MONTHS[month]} {year}",
                                        f"{MONTHS[month]} {day}, {year} 10:4{day % 10} GMT",
                                        f"Updated {day} {MONTHS[month]} {year}",
                                        f"Updated: {MONTHS[month][:3]} {day}, {year} 08:15 AM"])
    return article


@dataclass
class DumpStyle:
    newline: str
    paragraph_gap: int  # blank lines between paragraphs
    article_gap: int  # blank lines between articles
    repeat_header: bool
    caption_times: int
    widgets: list[str]
    widgets_above: bool = False  # widgets printed over the headline instead of under it
    kicker: bool = False  # the section's name printed over each headline
    gallery: bool = False  # "Photo 1 of 3" over each caption
    tail: str | None = None  # a share row printed after each body
    links: str | None = None  # the label of a list of related links after each body
    bullet: str = ""  # what opens each related link
    subheads: float = 0.0  # the share of stories with sub-headings

    @classmethod
    def random(cls, rng: random.Random) -> DumpStyle:
        return cls(
            newline=rng.choice(["\n", "\n", "\r\n"]),
            paragraph_gap=rng.choice([0, 1, 1, 2]),
            article_gap=rng.choice([1, 1, 2, 3, 4]),
            repeat_header=rng.random() < 0.4,
            caption_times=rng.choice([1, 1, 2]),
            widgets=rng.sample(WIDGETS, rng.choice([0, 0, 1, 2, 3, 4])),
            widgets_above=rng.random() < 0.15,
            kicker=rng.random() < 0.2,
            gallery=rng.random() < 0.1,
            tail=rng.choice([None, None, None, *TAILS]),
            links=rng.choice([None, None, None, *LINKS_LABELS]),
            bullet=rng.choice(["", "• ", "- "]),
            subheads=rng.choice([0.0, 0.3, 0.6]),
        )


def _header_sign(article: GenArticle, style: DumpStyle) -> bool:
    """Whether something under the headline says that it opens a story."""
    return bool(article.printed_captions or article.date_line or style.repeat_header
                or (style.widgets and not style.widgets_above)
                or (article.byline and article.byline.startswith("By ")))


def add_crossheads(articles: list[GenArticle], style: DumpStyle, rng: random.Random) -> None:
    """Sub-headings in some stories; a listicle now and then, one over every paragraph."""
    for article in articles:
        if len(article.paragraphs) < 3 or rng.random() >= style.subheads:
            continue
        if rng.random() < 0.25:  # a listicle
            heads = rng.sample(CROSSHEADS, min(len(CROSSHEADS), len(article.paragraphs) - 1))
            for n, head in enumerate(heads):
                article.paragraphs.insert(1 + 2 * n, head)
        else:
            for head in rng.sample(CROSSHEADS, rng.randint(1, 2)):
                if head not in article.paragraphs:
                    article.paragraphs.insert(rng.randrange(1, len(article.paragraphs) - 1), head)


def keep_boundaries_readable(articles: list[GenArticle], style: DumpStyle) -> None:
    """Where a story after the first has no sign of its start (no header block, no wider
    gap, no list of links before it) and a headline that reads as a sentence or the
    same gap as the paragraphs, no reader could find it: give the dump a wider gap."""
    clear_gap = style.article_gap > style.paragraph_gap
    if clear_gap or style.links:
        return
    if any(not _header_sign(article, style) for article in articles[1:]):
        style.article_gap = style.paragraph_gap + 1


def _widget(text: str, rng: random.Random) -> str:
    return text.replace("{n}", str(rng.randint(2, 40)))


def render(articles: list[GenArticle], style: DumpStyle, rng: random.Random | None = None) -> str:
    rng = rng or random.Random(0)
    gap = [""] * style.paragraph_gap
    lines: list[str] = []
    for number, article in enumerate(articles):
        if number:
            lines.extend([""] * style.article_gap)
        widgets = [_widget(w, rng) for w in style.widgets]
        header = widgets[:] if style.widgets_above else []
        if style.kicker:
            header.append(article.section)
        header += [article.headline] + ([""] if style.paragraph_gap else [])
        if article.date_line:
            header.append(article.date_line)
        captions: list[str] = []
        for count, printed in enumerate(article.printed_captions, start=1):
            if style.gallery:
                captions.append(f"Photo {count} of {len(article.printed_captions)}")
            for _ in range(style.caption_times):
                captions.extend(printed)
        header.extend(captions)
        if not style.widgets_above:
            header.extend(widgets)
        if article.byline:
            header.append(article.byline)
        if style.repeat_header:
            header.extend(gap + [article.headline] + gap)
            header.extend(captions)
        lines.extend(header)
        for paragraph in article.paragraphs + ([article.closing] if article.closing else []):
            lines.extend(gap)
            lines.append(paragraph)
        if style.tail:
            lines.extend(gap + [style.tail])
        if style.links:
            lines.extend(gap + [style.links])
            lines.extend(f"{style.bullet}{rng.choice(HEADLINES).format(Actor='Rebels', place='the capital', n_cap='Nine', country_cap='Peace')}"
                         for _ in range(rng.randint(1, 3)))
    return style.newline.join(lines) + style.newline


def generate(seed: int, articles: int | None = None, style: DumpStyle | None = None) -> tuple[str, list[GenArticle], DumpStyle]:
    """A dump, the articles in it, and how it was printed; the same seed gives the same.

    Pass ``style`` to print several dumps the same way, as one site would: files made
    by concatenating dumps of different sites are not what the segmenter reads."""
    rng = random.Random(seed)
    made = [make_article(rng) for _ in range(articles if articles is not None else rng.randint(1, 6))]
    # A style passed in is one site's habits, shared: this dump may widen its gap.
    style = dataclasses.replace(style) if style else DumpStyle.random(rng)
    for number, article in enumerate(made):
        # A sentence for a headline only where a sign says so; else a Title Case one.
        gap_sign = number and style.article_gap > style.paragraph_gap
        if article.sentence_headline and not _header_sign(article, style) and not gap_sign:
            article.headline = article.headline.rstrip(".?").split("?")[0].title()
    add_crossheads(made, style, rng)
    keep_boundaries_readable(made, style)
    return render(made, style, rng), made, style
