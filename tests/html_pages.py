"""Hand-written news pages (text written for these tests) with the body and the captions
each should give: the second HTML set, beside the public scrapinghub benchmark, for
choosing extraction settings (scripts/measure_html_extraction.py) and for the caption
tests. Each page has a shape real sites have: sidebars with other stories' photos,
affiliate notices, one-line paragraphs, paragraphs in <div>s, a related-stories box in
the middle of the body, a short brief."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandPage:
    name: str
    html: str
    body: list[str]
    captions: list[str]  # caption texts without their credits


def _head(title: str, site: str = "Valley Ledger") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:site_name' content='{site}'></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav></header>")


def _ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


FLOOD = [
    "Floodwaters rose across the lower Shire valley on Thursday after three days of heavy rain, forcing "
    "thousands of families from their homes, district officials said.",
    "In the town of Nsanje, water reached the roofs of the market stalls by mid-morning, and boats ferried "
    "residents to a school on higher ground that now shelters more than 2,000 people.",
    "\"We left with nothing but our children,\" said a mother of four who reached the school late on Wednesday. "
    "\"The water came in the night and it did not stop.\"",
    "The district commissioner said at least nine people had drowned and eleven were missing, most of them "
    "in villages along the river where bridges were swept away.",
    "Aid agencies said roads to the south of the district were cut and that supplies would have to arrive "
    "by helicopter until the water fell.",
]
FLOOD_CAPTION = "Residents wade through floodwater in Nsanje district on Thursday."

SIDEBAR_PAGE = HandPage(
    "sidebar-and-affiliate",
    _head("Floods force thousands from homes in Shire valley")
    + "<main><article class='story'><h1>Floods force thousands from homes in Shire valley</h1>"
    + f"<figure class='lead'><img src='flood.jpg'><figcaption>{FLOOD_CAPTION} <span class='credit'>Photo: Ama Banda</span></figcaption></figure>"
    + "<div class='story-body'>" + _ps(FLOOD) + "</div>"
    + "<div class='caption affiliate-note'>We may earn a commission when you buy through links on our site.</div>"
    + "</article>"
    + "<aside class='sidebar'><h3>Most read</h3><article class='card'><figure><img src='x.jpg'>"
    + "<figcaption>The finance minister presents the budget in Lilongwe on Tuesday.</figcaption></figure>"
    + "<a href='/b'>Budget raises fuel levy</a></article></aside></main>"
    + "<footer><p>Valley Ledger, the independent daily of the southern region since 1994, all rights reserved.</p></footer></body></html>",
    FLOOD,
    [FLOOD_CAPTION],
)

# Another story's photo in a related-stories box in the middle of the body, and a
# disclosure in a figure's caption: neither is a caption of this story.
STRIKE = [
    "Teachers in the northern province went on strike on Monday over unpaid salaries, closing most public "
    "schools in the provincial capital, their union said.",
    "The union said its members had not been paid for three months and that the strike would last until the "
    "arrears were settled in full.",
    "Provincial education officials said the payments had been delayed by a dispute over the payroll and that "
    "the money would be released this week.",
    "Parents gathered outside several schools in the morning, and some said they would send their children to "
    "private schools if the strike went on.",
]
STRIKE_CAPTION = "Striking teachers march to the provincial education office on Monday."
RELATED_PAGE = HandPage(
    "related-box-in-body",
    _head("Teachers strike over three months of unpaid salaries")
    + "<div id='content'><div class='article'><h1>Teachers strike over three months of unpaid salaries</h1>"
    + f"<div class='image'><img src='m.jpg'><p class='image-caption'>{STRIKE_CAPTION} (Reuters)</p></div>"
    + _ps(STRIKE[:2])
    + "<div class='related-stories'><h4>Related</h4><div class='item'><img src='r.jpg'>"
    + "<span class='caption'>Nurses protest outside the central hospital last year over pay.</span>"
    + "<a href='/n'>Nurses end strike after pay deal</a></div></div>"
    + _ps(STRIKE[2:])
    + "<figure><img src='shop.jpg'><figcaption>Products in this story are independently selected by our editors.</figcaption></figure>"
    + "</div><div class='rail'><div class='promo'><img src='p.jpg'><figcaption>Our new weekend magazine, on sale every Saturday.</figcaption></div></div></div>"
    + "</body></html>",
    STRIKE,
    [STRIKE_CAPTION],
)

# One-sentence paragraphs, as wire briefs and live pages write them.
BRIEF = [
    "Gunmen killed a village chief in the eastern district late on Saturday, police said.",
    "The attackers fled on foot.",
    "No arrests have been made.",
    "The chief had received threats over a land dispute, relatives said.",
]
BRIEF_PAGE = HandPage(
    "short-brief",
    _head("Village chief killed in eastern district")
    + "<article><h1>Village chief killed in eastern district</h1>" + _ps(BRIEF)
    + "<div class='share'><a>Share</a> <a>Tweet</a> <a>Email</a></div></article>"
    + "<footer>© Valley Ledger</footer></body></html>",
    BRIEF,
    [],
)

# Paragraphs in <div>s, no <p> at all, and an inline photo with its caption in a <span>.
ELECTION = [
    "Counting began on Sunday night in the disputed runoff, with both candidates claiming to be ahead before "
    "the first results were announced.",
    "Observers from the regional bloc said voting had been calm in most districts but that several polling "
    "stations in the capital opened hours late.",
    "The electoral commission said it would publish provisional results within five days, as the law requires.",
    "Opposition supporters gathered outside the party headquarters, where their candidate urged them to wait "
    "for the official count and to stay calm.",
    "Security forces were deployed at major crossroads in the capital, and mobile internet was slow in several "
    "districts, residents said.",
]
ELECTION_CAPTION = "Election officials count ballots at a polling station in the capital on Sunday."
DIV_PAGE = HandPage(
    "div-paragraphs",
    _head("Counting begins in disputed runoff")
    + "<div class='page'><div class='post-content'><h1>Counting begins in disputed runoff</h1>"
    + f"<div class='photo'><img src='c.jpg'><span class='photo-caption'>{ELECTION_CAPTION} <em class='credit'>Reuters</em></span></div>"
    + "".join(f"<div class='para'>{p}</div>" for p in ELECTION)
    + "</div><div class='sidebar-widget trending'><img src='t.jpg'><span class='caption'>Fans celebrate the cup final win in the stadium.</span></div></div>"
    + "</body></html>",
    ELECTION,
    [ELECTION_CAPTION],
)

# A feature with sub-headings and a pull quote.
DROUGHT = [
    "For the third year running, the rains have failed across the eastern plateau, and herders say they have "
    "lost more than half of their cattle.",
    "Water points that once served a few hundred families now draw thousands, and the walk to reach them has "
    "grown from one hour to most of a day.",
    "Local officials say the district needs at least forty new boreholes to get through the dry season.",
    "So far, the government has drilled six.",
    "Aid groups warn that malnutrition among children under five has doubled since the start of the year, "
    "and that clinics are running short of therapeutic food.",
    "The regional government has promised cash transfers to the worst-hit households, but herders say the "
    "first payments have not yet arrived.",
]
DROUGHT_PAGE = HandPage(
    "feature-with-subheadings",
    _head("On the eastern plateau, the rains fail again")
    + "<main><article><header><h1>On the eastern plateau, the rains fail again</h1><p class='byline'>By a staff reporter</p></header>"
    + "<section class='article-body'>" + _ps(DROUGHT[:2]) + "<h2>Boreholes</h2>" + _ps(DROUGHT[2:4])
    + "<h2>Hunger</h2>" + _ps(DROUGHT[4:]) + "</section>"
    + "<section class='newsletter'><p>Sign up for our morning briefing, delivered to your inbox every weekday.</p></section>"
    + "</article></main></body></html>",
    [*DROUGHT[:2], "Boreholes", *DROUGHT[2:4], "Hunger", *DROUGHT[4:]],  # sub-headings are part of the story
    [],
)

HAND_PAGES: list[HandPage] = [SIDEBAR_PAGE, RELATED_PAGE, BRIEF_PAGE, DIV_PAGE, DROUGHT_PAGE]
