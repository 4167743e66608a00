"""A generator of varied synthetic scraped dumps, with the structure it put in them.

Every dump is made from invented articles (headline, captions with credits, body
paragraphs, sometimes a date line, a byline or a closing agency credit) rendered the way different sites print them: other
widgets, other credit styles, single or multiple blank lines, CRLF, the header block
printed once or twice, each caption once or twice. Tests check that the segmenter gets
back exactly the structure the generator put in, across many seeds; benchmarks use it
to make large inputs. The sentences are written here from templates, not taken from
any real article.
"""

from __future__ import annotations

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

# Sentence-case questions: a headline only where a header block follows it.
QUESTION_HEADLINES = [
    "Can the truce around {place} hold?",
    "Who controls the road to {place} now?",
    "Is {place} the next front line?",
]

CAPTIONS = [
    "Smoke rises over {place} after an air strike, on {month} {d}, {year}.",
    "Displaced families wait for food at a camp near {place}.",
    "A soldier stands guard at a checkpoint on the road to {place2}.",
    "Residents inspect the damage to a market in {place}, on {month} {d}, {year}.",
    "Mourners gather for the funeral of victims of the shelling in {place}.",
    "Firefighters work at the site of a drone strike in {place}.",
    "Protesters chant slogans during a rally in central {place}.",
]

# Subheadings inside a story: short lines without a final stop, like headlines.
CROSSHEADS = [
    "Fighting spreads to nearby villages",
    "Aid groups warn of shortages",
    "Talks stall in the capital",
    "What the army says about the offensive",
]

PHOTOGRAPHERS = ["Omar Haj Kadour", "Marie Dubois", "Ahmed Saleh", "Anna Kovalenko", "Guerchom Ndebo", "Feisal Omar"]


def credit_styles(rng: random.Random) -> tuple[str, str]:
    """A credit as printed at the end of a caption, and the credit expected back."""
    name = rng.choice(PHOTOGRAPHERS)
    choice = rng.randrange(9)
    credit = [
        "AFP", "Reuters", "Reuters file", f"AP Photo/{name}", "Getty Images", "EPA",
        f"{name}/AFP via Getty Images", "File photo", "Anadolu Agency",
    ][choice]
    if rng.random() < 0.2:
        credit = f"Photo: {name}/Reuters"
        return f" {credit}", credit
    return f" ({credit})", credit


WIDGETS = ["TT", "20", "Share", "A+", "A-", "Comments (4)", "Print", "12", "Tweet", "Email", "1.2K",
           "Save", "|", "Listen", "Share this", "0 Comments", "•••", "5 min read", "Text size"]


@dataclass
class GenArticle:
    headline: str
    captions: list[tuple[str, str]] = field(default_factory=list)  # (text, credit)
    printed_captions: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    date_line: str | None = None
    byline: str | None = None  # printed under the headline, not part of the article
    closing: str | None = None  # agency credit printed after the body, dropped


def _fill(template: str, rng: random.Random, theatre: str, slots: dict[str, str]) -> str:
    info = THEATRES[theatre]
    values = dict(slots)
    values.setdefault("actor", rng.choice(info["actors"]))
    values.setdefault("enemy", rng.choice([a for a in info["actors"] if a != values["actor"]]))
    values.setdefault("official", rng.choice(info["officials"]))
    values.update(
        Actor=values["actor"][0].upper() + values["actor"][1:],
        Official_cap=values["official"][0].upper() + values["official"][1:],
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
    captions = rng.sample(CAPTIONS, rng.choice([0, 1, 1, 1, 2]))
    if captions and rng.random() < 0.15:
        headline = _fill(rng.choice(QUESTION_HEADLINES), rng, theatre, slots)
    else:
        headline = _fill(rng.choice(HEADLINES), rng, theatre, slots)
        headline = " ".join(w[0].upper() + w[1:] for w in headline.split())
    article = GenArticle(headline=headline)
    if rng.random() < 0.2:
        article.byline = f"By {rng.choice(PHOTOGRAPHERS)}"
    if rng.random() < 0.2:
        article.closing = f"(Reporting by {rng.choice(PHOTOGRAPHERS)}; Editing by {rng.choice(PHOTOGRAPHERS)})"
    for template in captions:
        text = _fill(template, rng, theatre, slots)
        printed, credit = credit_styles(rng)
        article.captions.append((text, credit))
        article.printed_captions.append(text + printed)
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
                                        f"Updated {day} {MONTHS[month]} {year}"])
    return article


@dataclass
class DumpStyle:
    newline: str
    paragraph_gap: int  # blank lines between paragraphs
    article_gap: int  # blank lines between articles
    repeat_header: bool
    caption_times: int
    widgets: list[str]

    @classmethod
    def random(cls, rng: random.Random) -> DumpStyle:
        return cls(
            newline=rng.choice(["\n", "\n", "\r\n"]),
            paragraph_gap=rng.choice([0, 1, 1, 2]),
            article_gap=rng.choice([1, 2, 3, 4]),
            repeat_header=rng.random() < 0.6,
            caption_times=rng.choice([1, 2]),
            widgets=rng.sample(WIDGETS, rng.randint(0, 3)),
        )


def add_crossheads(articles: list[GenArticle], style: DumpStyle, rng: random.Random) -> None:
    """Crossheads only where the site prints a header block of its own (widgets or the
    headline twice): elsewhere a headline-like line before text opens a new story."""
    if not style.widgets and not style.repeat_header:
        return
    for article in articles:
        if len(article.paragraphs) >= 3 and rng.random() < 0.3:
            crosshead = rng.choice(CROSSHEADS)
            if crosshead not in article.paragraphs:
                article.paragraphs.insert(rng.randrange(1, len(article.paragraphs) - 1), crosshead)


def render(articles: list[GenArticle], style: DumpStyle) -> str:
    lines: list[str] = []
    for article in articles:
        header = [article.headline] + ([""] if style.paragraph_gap else [])
        if article.date_line:
            header.append(article.date_line)
        for caption in article.printed_captions:
            header.extend([caption] * style.caption_times)
        header.extend(style.widgets)
        if article.byline:
            header.append(article.byline)
        if style.repeat_header:
            header.extend([""] * style.paragraph_gap + [article.headline] + [""] * style.paragraph_gap)
            for caption in article.printed_captions:
                header.extend([caption] * style.caption_times)
        lines.extend(header)
        for paragraph in article.paragraphs + ([article.closing] if article.closing else []):
            lines.extend([""] * style.paragraph_gap)
            lines.append(paragraph)
        lines.extend([""] * style.article_gap)
    return style.newline.join(lines) + style.newline


def generate(seed: int, articles: int | None = None, style: DumpStyle | None = None) -> tuple[str, list[GenArticle], DumpStyle]:
    """A dump, the articles in it, and how it was printed; the same seed gives the same.

    Pass ``style`` to print several dumps the same way, as one site would: files made
    by concatenating dumps of different sites are not what the segmenter reads."""
    rng = random.Random(seed)
    made = [make_article(rng) for _ in range(articles if articles is not None else rng.randint(1, 6))]
    style = style or DumpStyle.random(rng)
    add_crossheads(made, style, rng)
    return render(made, style), made, style
