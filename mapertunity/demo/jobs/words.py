"""Word lists for invented company names and the sentences of demo job descriptions.

Names are coined from two parts ("Sorrel" + "loom") so that they read like businesses
without being any real one; the sector word says what the company does.
"""

from __future__ import annotations

from dataclasses import dataclass

NAME_HEADS = (
    "Amberly", "Basalt", "Bramble", "Calder", "Cinder", "Clover", "Copper", "Corrie", "Damson",
    "Ember", "Fennel", "Fern", "Flint", "Galloway", "Gorse", "Hazel", "Heron", "Juniper",
    "Kestrel", "Larch", "Linden", "Lupin", "Marram", "Merrow", "Moss", "Nettle", "Opal",
    "Orrin", "Pebble", "Quill", "Quince", "Rook", "Rowan", "Saffron", "Sable", "Samphire",
    "Sedge", "Slate", "Sorrel", "Tamarind", "Teasel", "Thistle", "Tarn", "Umber",
    "Vetch", "Wicker", "Willow", "Yarrow", "Zephyr", "Alder", "Aster", "Bracken", "Ivy",
    "Kelp", "Lichen", "Mallow", "Osier", "Puffin", "Shale", "Tansy",
)  # fmt: skip

NAME_TAILS = (
    "loom", "wick", "fold", "reach", "hollow", "spire", "kettle", "lantern", "mere", "knoll",
    "wharf", "thorn", "beck", "combe", "tor", "weir", "cairn", "ferry", "lark", "quay",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sector:
    key: str
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    """What a company of the sector does (completing "<Company> ..."), with name suffixes
    that fit it."""
    fields: tuple[tuple[str, int], ...]
    """Fields of work the sector hires in, with relative weights."""
    share: int
    """How many companies of the sector to make, relative to the others."""


SECTORS: tuple[Sector, ...] = (
    Sector(
        "tech",
        (
            ("builds booking software for small clinics and salons", ("Software", "Labs")),
            ("makes invoicing tools for independent shops and trades", ("Software", "Systems")),
            (
                "runs a platform that helps farmers sell straight to restaurants",
                ("Digital", "Labs"),
            ),
            ("develops route-planning software for delivery fleets", ("Systems", "Software")),
            ("builds the apps behind a network of community libraries", ("Digital", "Labs")),
            ("hosts websites and email for small non-profits", ("Cloud", "Hosting")),
        ),
        (
            ("software", 7),
            ("data", 3),
            ("design", 2),
            ("support", 2),
            ("sales", 2),
            ("marketing", 1),
            ("admin", 1),
        ),
        16,
    ),
    Sector(
        "health",
        (
            ("runs a group of neighbourhood clinics", ("Clinics", "Health", "Medical Group")),
            (
                "operates a teaching hospital and two satellite clinics",
                ("Health", "Hospital Trust"),
            ),
            ("provides home care for older people and their families", ("Care", "Home Care")),
            ("runs physiotherapy and rehabilitation centres", ("Therapy Partners", "Rehab")),
            ("operates community pharmacies and a walk-in health centre", ("Pharmacy", "Health")),
        ),
        (("healthcare", 9), ("research", 1), ("admin", 2), ("support", 1)),
        16,
    ),
    Sector(
        "logistics",
        (
            ("moves parcels and pallets for regional retailers", ("Logistics", "Freight")),
            ("runs cold-chain warehouses for fresh food producers", ("Cold Chain", "Distribution")),
            ("delivers building supplies to sites the same day", ("Haulage", "Logistics")),
            ("runs cargo bikes and electric vans in city centres", ("Couriers", "Delivery")),
        ),
        (("logistics", 9), ("admin", 1), ("support", 1), ("data", 1), ("trades", 1)),
        13,
    ),
    Sector(
        "retail",
        (
            ("sells outdoor clothing and camping gear in stores and online", ("Outfitters",)),
            ("runs a chain of neighbourhood grocery shops", ("Market", "Provisions", "Grocers")),
            ("sells furniture and homewares made by local workshops", ("Home", "Goods")),
            ("runs hardware and garden stores for keen weekend builders", ("Home & Garden",)),
            ("sells second-hand books, records and games", ("Books", "Exchange")),
        ),
        (("retail", 8), ("logistics", 2), ("marketing", 1), ("design", 1), ("support", 1)),
        15,
    ),
    Sector(
        "hospitality",
        (
            ("runs small hotels with restaurants that cook from scratch", ("Hotels", "Inns")),
            ("operates cafés and bakeries across the city", ("Coffee House", "Bakehouse")),
            ("caters weddings, conferences and festivals", ("Catering", "Events")),
            ("runs a busy restaurant group known for long lunches", ("Kitchen", "Eatery")),
        ),
        (("hospitality", 9), ("admin", 1), ("marketing", 1)),
        12,
    ),
    Sector(
        "education",
        (
            ("runs independent primary and secondary schools", ("Schools", "Academy")),
            ("teaches languages to adults and teenagers", ("Language Centre", "Learning")),
            ("operates early-years centres for young children", ("Early Years", "Nurseries")),
            ("runs a vocational college for trades and care work", ("College",)),
        ),
        (("teaching", 9), ("admin", 2), ("support", 1)),
        11,
    ),
    Sector(
        "finance",
        (
            ("is a member-owned credit union with branches across the region", ("Credit Union",)),
            ("provides accounting and payroll for small businesses", ("Accounting", "Ledger")),
            ("offers small-business loans with plain-language terms", ("Finance", "Capital")),
            ("manages pension savings for teachers and nurses", ("Mutual", "Pensions")),
        ),
        (("finance", 7), ("data", 2), ("software", 2), ("support", 2), ("sales", 1), ("admin", 1)),
        11,
    ),
    Sector(
        "construction",
        (
            ("builds energy-efficient homes and apartment blocks", ("Homes", "Builders")),
            (
                "delivers roads, bridges and drainage for local councils",
                ("Civil", "Infrastructure"),
            ),
            ("refits schools and hospitals while they stay open", ("Construction", "Contracting")),
            ("builds timber-framed community buildings", ("Timber Frame", "Builders")),
        ),
        (("construction", 8), ("trades", 3), ("admin", 1), ("finance", 1)),
        11,
    ),
    Sector(
        "facilities",
        (
            ("keeps offices, schools and clinics heated, lit and running", ("Facilities",)),
            ("services lifts, boilers and air conditioning in city buildings", ("Services",)),
            ("looks after repairs for social housing across the district", ("Maintenance",)),
        ),
        (("trades", 8), ("support", 1), ("admin", 1), ("construction", 1)),
        9,
    ),
    Sector(
        "creative",
        (
            ("designs brands and websites for charities and small firms", ("Studio", "Creative")),
            ("produces short films and animations for museums", ("Media", "Pictures")),
            ("designs interiors for libraries, cafés and shops", ("Interiors", "Design Co.")),
        ),
        (("design", 7), ("marketing", 3), ("software", 1), ("sales", 1)),
        9,
    ),
    Sector(
        "research",
        (
            ("develops diagnostic tests for tropical diseases", ("Biosciences", "Diagnostics")),
            ("runs independent testing labs for food and water", ("Laboratories", "Analytics")),
            ("designs sensors that monitor air quality", ("Instruments", "Sensors")),
            ("researches plant varieties that cope with drought", ("Seed Research", "Genetics")),
        ),
        (("research", 8), ("data", 2), ("manufacturing", 1), ("admin", 1)),
        9,
    ),
    Sector(
        "manufacturing",
        (
            ("makes bicycle frames and components", ("Cycles", "Works")),
            ("produces packaged soups and sauces from local vegetables", ("Foods", "Kitchens")),
            ("machines precision parts for medical devices", ("Precision", "Engineering")),
            ("makes furniture from reclaimed timber", ("Furniture", "Works")),
            ("builds electric pumps for irrigation", ("Pumps", "Industries")),
        ),
        (("manufacturing", 8), ("logistics", 2), ("research", 1), ("sales", 1), ("trades", 1)),
        12,
    ),
    Sector(
        "agriculture",
        (
            ("grows fruit and vegetables on family-run farms", ("Farms", "Growers")),
            ("runs greenhouses that supply grocers all year", ("Glasshouses", "Growers")),
            ("looks after parks and urban woodland for the city", ("Grounds", "Landscapes")),
            ("installs and runs community solar farms", ("Renewables", "Solar")),
        ),
        (("agriculture", 7), ("research", 1), ("trades", 2), ("logistics", 1)),
        8,
    ),
    Sector(
        "support",
        (
            ("runs multilingual customer service for travel and retail brands", ("Contact",)),
            ("provides round-the-clock IT help desks for hospitals and schools", ("Helpdesk",)),
            ("answers calls and chats for utilities and local councils", ("Customer Care",)),
        ),
        (("support", 9), ("admin", 1), ("software", 1)),
        8,
    ),
)

COMPANY_VALUES = (
    "Every posting shows its pay, and every applicant hears back.",
    "It is owned by the people who work there.",
    "It has grown steadily for over a decade without outside investors.",
    "Most managers started in frontline roles and were promoted from within.",
    "Its staff turnover is among the lowest in its industry.",
    "It trains new starters properly and pays for recognised qualifications.",
    "It publishes its pay bands and its gender pay gap every year.",
    "It keeps teams small so that everyone knows each other by name.",
)

HIRING_SENTENCES = (
    "We're hiring {a_title} to join our {team} in {city}.",
    "Our {team} in {city} needs {a_title}.",
    "We're looking for {a_title} for our {team} in {city}.",
    "Come and work as {a_title} in our {team} in {city}.",
    "We have an opening for {a_title} in our {team} in {city}.",
)

PITCH_SENTENCES = (
    "In this role, you will {pitch}.",
    "You'll {pitch}.",
    "Your job is to {pitch}.",
    "The goal is simple: {pitch}.",
)

ONSITE_SENTENCES = (
    "This role is on site in {city}.",
    "You'll work from our {city} site.",
    "The work is in person at our {city} location.",
)

HYBRID_SENTENCES = (
    "It's a hybrid role: {days} days a week in our {city} office, the rest from home.",
    "You'll spend {days} days a week with the team in {city} and work from home otherwise.",
)

REMOTE_SENTENCES = (
    "This is a remote role open to people living in {countries}.",
    "You can work from home anywhere in {countries}; the team meets in {city} a few times a year.",
)

TEMPORARY_REASONS = (
    "our busy season",
    "a colleague's parental leave",
    "a large one-off project",
    "the run-up to a new site opening",
)

INTRO_LEADS = (
    "About us:",
    "Who we are:",
    "",
    "",
)

EXTRA_NEEDS_ONSITE = (
    "The right to work in {country}",
    "A reliable way to get to {city} for each shift",
)

EXTRA_NEEDS_REMOTE = (
    "A quiet place to work and a dependable internet connection",
    "Habits that make remote work easy for others: written updates and visible progress",
)

BENEFITS = (
    "paid parental leave above the legal minimum",
    "a yearly learning budget",
    "employer contributions to a pension or retirement plan",
    "health cover for you and your family",
    "free meals on shift",
    "a transport allowance",
    "an extra day off on your birthday",
    "paid volunteering days",
    "flexible start and finish times",
    "a staff discount",
    "paid time to study for recognised qualifications",
    "a four-day week in the summer months",
    "paid sick leave from day one",
    "a yearly bonus shared equally across the team",
)

PAY_SENTENCES = (
    "**Pay and benefits:** {pay}, plus {b1} and {b2}.",
    "**Pay:** {pay}. **Benefits** include {b1} and {b2}.",
    "**Pay and benefits:** {pay}. On top of that: {b1}, and {b2}.",
)

CLOSING_SENTENCES = (
    "We reply to every application within {days} working days.",
    "There are two short interviews; you'll meet the people you'd work with.",
    "Questions before applying? Ask them in your application and we'll answer.",
    "We welcome applications from people returning to work after a break.",
    "",
)
