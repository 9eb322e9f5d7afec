"""The town of Rijnstad: the hand-written facts behind the demo (see :mod:`seeds.demo`).

Everything here is plain data, keyed by short stable keys (``"taalhuis"``, ``"fatma"``) from
which :mod:`seeds.demo` derives the ids. Rijnstad is an invented town of about 45,000 people
on a river, with an old centre, a harbour quarter, post-war neighbourhoods and a new-build
district; the library's themes come from the workbook's own examples.
"""

from __future__ import annotations

TOWN = "Rijnstad"
LIBRARY_NAME = "Bibliotheek Rijnstad"

#: Neighbourhoods (wijken) of the town.
WIJKEN: tuple[str, ...] = (
    "Centrum",
    "Oude Haven",
    "De Bongerd",
    "Kloosterveld",
    "Zuiderpark",
    "Rijnoever",
)

#: Themes: key -> (name, description, signals). ``signals`` says where the theme was seen
#: alive in town (werkblad 2, right-hand column); empty for a theme only the library has.
THEMES: dict[str, tuple[str, str, list[str]]] = {
    "taal": (
        "taalvaardigheid",
        "Nederlands leren en oefenen, voor nieuwkomers en anderstaligen.",
        ["lokale krant", "Facebook", "collega's"],
    ),
    "laaggeletterdheid": (
        "laaggeletterdheid",
        "Volwassenen die moeite hebben met lezen, schrijven en rekenen.",
        ["lokale krant", "collega's"],
    ),
    "lezen": (
        "lezen",
        "Leesplezier en leesbevordering, van baby tot senior.",
        ["Facebook", "collega's"],
    ),
    "duurzaamheid": (
        "duurzaamheid",
        "Energie besparen, minder verspillen, een groenere stad.",
        ["lokale krant", "Facebook", "meetup.com"],
    ),
    "recycling": (
        "recycling",
        "Repareren, hergebruiken en afval scheiden.",
        ["Facebook", "meetup.com", "buurtapp"],
    ),
    "eenzaamheid": (
        "eenzaamheid onder ouderen",
        "Ouderen die weinig contact hebben en er graag meer bij willen horen.",
        ["lokale krant", "collega's", "buurtapp"],
    ),
    "erfgoed": (
        "erfgoed",
        "De geschiedenis van Rijnstad: verhalen, gebouwen, archieven.",
        ["lokale krant", "Facebook"],
    ),
    "digitaal": (
        "digitale vaardigheden",
        "Meekomen met de digitale overheid: DigiD, formulieren, veilig internetten.",
        [],
    ),
    # Themes alive in town that the library does not pursue (gaps in the theme scan).
    "sport": (
        "sport en bewegen",
        "Samen bewegen, sportclubs, wandelen en fietsen voor je gezondheid.",
        ["lokale krant", "Facebook", "meetup.com"],
    ),
    "mobiliteit": (
        "mobiliteit",
        "Fietspaden, openbaar vervoer, vervoer voor wie minder mobiel is.",
        ["lokale krant", "buurtapp"],
    ),
    "armoede": (
        "armoede en schulden",
        "Rondkomen, schuldhulp, de voedselbank.",
        ["lokale krant", "collega's"],
    ),
    "mantelzorg": (
        "mantelzorg",
        "Zorgen voor een naaste, en de zorg voor de mantelzorger zelf.",
        ["Facebook", "collega's"],
    ),
}

#: Organisation goals (organisatiedoelen) from the library's policy plan 2024–2027:
#: key -> (name, description, theme keys).
GOALS: dict[str, tuple[str, str, list[str]]] = {
    "meedoen": (
        "Iedereen kan meedoen: taal als basis",
        "Minder laaggeletterdheid en meer taalvaardigheid in Rijnstad, samen met het Taalhuis.",
        ["taal", "laaggeletterdheid"],
    ),
    "leesplezier": (
        "Leesplezier voor jong en oud",
        "Meer kinderen en volwassenen die met plezier lezen.",
        ["lezen", "laaggeletterdheid"],
    ),
    "duurzaam": (
        "Bijdragen aan een duurzame stad",
        "De bibliotheek als plek waar inwoners kennis delen over duurzaam leven.",
        ["duurzaamheid", "recycling"],
    ),
    "ontmoeting": (
        "Ontmoeting en verbinding in de wijk",
        "Een huiskamer van de stad, tegen eenzaamheid, vooral onder ouderen.",
        ["eenzaamheid"],
    ),
    "erfgoed": (
        "Het verhaal van Rijnstad bewaren en delen",
        "Lokaal erfgoed toegankelijk maken, met de historische vereniging en het archief.",
        ["erfgoed", "lezen"],
    ),
    "digitaal": (
        "Digitaal vaardig in Rijnstad",
        "Iedereen kan zaken doen met de digitale overheid.",
        ["digitaal", "laaggeletterdheid"],
    ),
}

#: Library staff: key -> (name, job title, theme keys, years at the library).
STAFF: dict[str, tuple[str, str, list[str], int]] = {
    "marieke": ("Marieke van der Linden", "community librarian", ["taal", "eenzaamheid", "duurzaamheid"], 9),
    "daniel": ("Daniël Bakker", "leesconsulent", ["lezen", "laaggeletterdheid"], 6),
    "samira": ("Samira El Idrissi", "coördinator Taalhuis", ["taal", "laaggeletterdheid"], 4),
    "joost": ("Joost ter Horst", "vestigingsmanager", ["eenzaamheid", "erfgoed"], 14),
    "anouk": ("Anouk de Groot", "programmamaker", ["duurzaamheid", "recycling", "lezen"], 3),
    "henk": ("Henk Jansen", "collectiespecialist erfgoed", ["erfgoed", "lezen"], 22),
    "priya": ("Priya Ramdin", "adviseur Digitaal Informatiepunt", ["digitaal", "taal"], 0),
}

#: Organisations: key -> (name, type, wijk, theme keys, generated members, library bond).
#: ``library bond`` is the strength of the Library's BOND_WITH tie, or None for no bond.
ORGANISATIONS: dict[str, tuple[str, str, str, list[str], int, float | None]] = {
    "gemeente": ("Gemeente Rijnstad", "gemeente", "Centrum", ["armoede", "mobiliteit", "eenzaamheid", "duurzaamheid"], 0, 0.8),
    "welzijn": ("Stichting Welzijn Rijnstad", "welzijnsorganisatie", "Centrum", ["eenzaamheid", "armoede", "mantelzorg"], 4, 0.8),
    "taalhuis": ("Taalhuis Rijnstad", "taalhuis", "Centrum", ["taal", "laaggeletterdheid", "digitaal"], 14, 1.0),
    "repaircafe": ("Repair Café Rijnstad", "repair café", "De Bongerd", ["recycling", "duurzaamheid"], 9, 0.6),
    "kringloop": ("Kringloopwinkel De Tweede Ronde", "kringloopwinkel", "Rijnoever", ["recycling", "duurzaamheid", "armoede"], 5, None),
    "voedselbank": ("Voedselbank Rijnstad", "voedselbank", "Oude Haven", ["armoede"], 5, None),
    "kbo": ("KBO Rijnstad", "seniorenvereniging", "Kloosterveld", ["eenzaamheid", "sport"], 10, 0.4),
    "pcob": ("PCOB afdeling Rijnstad", "seniorenvereniging", "Zuiderpark", ["eenzaamheid"], 3, None),
    "zonnebloem": ("De Zonnebloem afdeling Rijnstad", "vrijwilligersorganisatie", "Kloosterveld", ["eenzaamheid", "mantelzorg"], 4, None),
    "historisch": ("Historische Vereniging Oud-Rijnstad", "historische vereniging", "Centrum", ["erfgoed"], 9, 0.8),
    "tolhuis": ("Museum Het Tolhuis", "museum", "Oude Haven", ["erfgoed"], 2, 0.6),
    "archief": ("Streekarchief Rijnstreek", "archief", "Centrum", ["erfgoed"], 1, 0.4),
    "bh_bongerd": ("Buurthuis De Bongerd", "buurthuis", "De Bongerd", ["eenzaamheid", "recycling"], 4, None),
    "bh_anker": ("Buurthuis Het Anker", "buurthuis", "Oude Haven", ["eenzaamheid", "armoede"], 4, 0.4),
    "wc_klooster": ("Wijkcentrum Kloosterveld", "buurthuis", "Kloosterveld", ["eenzaamheid", "mantelzorg"], 4, None),
    "regenboog": ("Basisschool De Regenboog", "basisschool", "De Bongerd", ["lezen", "taal"], 3, 0.8),
    "kompas": ("Basisschool Het Kompas", "basisschool", "Kloosterveld", ["lezen"], 3, 0.6),
    "vlinder": ("OBS De Vlinder", "basisschool", "Zuiderpark", ["lezen", "duurzaamheid"], 2, None),
    "noorderlicht": ("IKC Noorderlicht", "basisschool", "Rijnoever", ["lezen", "taal"], 2, None),
    "roc": ("ROC Rijnland, locatie Rijnstad", "mbo-school", "Rijnoever", ["taal", "duurzaamheid", "digitaal"], 3, 0.4),
    "moskee": ("Moskee Al-Fath", "moskee", "Oude Haven", ["taal", "eenzaamheid"], 6, None),
    "kerk": ("Protestantse Gemeente Rijnstad", "kerk", "Centrum", ["eenzaamheid", "armoede"], 5, None),
    "parochie": ("Parochie H. Martinus", "kerk", "Zuiderpark", ["eenzaamheid"], 3, None),
    "corporatie": ("Woningcorporatie Rijnstad Wonen", "woningcorporatie", "Centrum", ["eenzaamheid", "duurzaamheid"], 2, None),
    "vv": ("VV Rijnstad", "sportclub", "Zuiderpark", ["sport"], 7, None),
    "atletiek": ("AV De Spurters", "sportclub", "Zuiderpark", ["sport"], 4, None),
    "tennis": ("Tennisvereniging Rijnoever", "sportclub", "Rijnoever", ["sport"], 3, None),
    "fietsersbond": ("Fietsersbond afdeling Rijnstad", "belangenvereniging", "Centrum", ["mobiliteit", "duurzaamheid"], 4, None),
    "energie": ("Energiecoöperatie Rijnstroom", "coöperatie", "De Bongerd", ["duurzaamheid"], 5, 0.4),
    "ivn": ("IVN Rijnstreek", "natuurvereniging", "Rijnoever", ["duurzaamheid", "erfgoed"], 3, None),
    "vluchtelingenwerk": ("VluchtelingenWerk Rijnstad", "vluchtelingenorganisatie", "Centrum", ["taal"], 4, 0.6),
    "humanitas": ("Humanitas Rijnstreek", "vrijwilligersorganisatie", "Centrum", ["armoede", "eenzaamheid"], 3, None),
    "schuldhulp": ("SchuldHulpMaatje Rijnstad", "vrijwilligersorganisatie", "Oude Haven", ["armoede", "laaggeletterdheid"], 3, 0.4),
    "mantelzorgpunt": ("Mantelzorgpunt Rijnstad", "zorgorganisatie", "Centrum", ["mantelzorg", "eenzaamheid"], 2, None),
    "lindehof": ("Woonzorgcentrum De Lindehof", "zorginstelling", "Kloosterveld", ["eenzaamheid"], 3, 0.4),
    "cjg": ("Centrum voor Jeugd en Gezin Rijnstad", "jeugdgezondheidszorg", "Centrum", ["lezen", "taal"], 2, 0.6),
    "jongeren": ("Jongerencentrum De Loods", "jongerenwerk", "Rijnoever", ["sport", "digitaal"], 3, None),
    "ondernemers": ("Ondernemersvereniging Rijnstad Centrum", "ondernemersvereniging", "Centrum", ["mobiliteit", "duurzaamheid"], 3, None),
    "cultuurhuis": ("Cultuurhuis De Kade", "cultuurcentrum", "Oude Haven", ["erfgoed", "lezen"], 3, 0.6),
    "vrijwilligers": ("Vrijwilligerscentrale Rijnstad", "vrijwilligerscentrale", "Centrum", ["eenzaamheid", "armoede"], 2, None),
}

#: Hand-written residents who carry the town's stories: key -> (name, gender, wijk,
#: organisation keys (first = main), role in the main organisation, description).
PEOPLE: dict[str, tuple[str, str, str, list[str], str, str]] = {
    "fatma": ("Fatma Yılmaz", "f", "Oude Haven", ["taalhuis", "moskee"], "volunteer",
              "Leerde Nederlands in het taalcafé, nu zelf taalvrijwilliger."),
    "gerrit": ("Gerrit van der Veen", "m", "Centrum", ["taalhuis", "historisch"], "volunteer",
               "Gepensioneerd leraar Nederlands, taalmaatje van het eerste uur."),
    "ingrid": ("Ingrid ter Beek", "f", "Zuiderpark", ["welzijn", "taalhuis"], "employee",
               "Opbouwwerker bij Stichting Welzijn, koppelt taalmaatjes."),
    "rasha": ("Rasha Al-Hassan", "f", "Rijnoever", ["vluchtelingenwerk", "taalhuis"], "member",
              "Apotheker uit Aleppo, oefent Nederlands voor haar diploma-erkenning."),
    "youssef": ("Youssef Benali", "m", "Oude Haven", ["moskee", "jongeren"], "board",
                "Bestuurslid van de moskee, organiseert huiswerkbegeleiding."),
    "eline": ("Eline Çelik", "f", "Kloosterveld", ["welzijn", "wc_klooster"], "employee",
              "Wijkverpleegkundige in Kloosterveld; kent veel alleenwonende ouderen."),
    "rene": ("René de Bruijn", "m", "De Bongerd", ["repaircafe", "energie"], "founder",
             "Oprichter van het Repair Café, gepensioneerd elektromonteur."),
    "chloe": ("Chloë van Dijk", "f", "Rijnoever", ["roc", "repaircafe"], "member",
              "Student Creatieve Technologie aan het ROC, repareert kleding en maakt filmpjes."),
    "piotr": ("Piotr Nowak", "m", "De Bongerd", ["repaircafe", "vv"], "volunteer",
              "Elektricien, repareert op zaterdag koffiezetapparaten en fietsen."),
    "annelies": ("Annelies Vermeulen", "f", "Rijnoever", ["kringloop", "repaircafe"], "employee",
                 "Bedrijfsleider van De Tweede Ronde."),
    "riet": ("Riet van den Heuvel", "f", "Kloosterveld", ["kbo", "zonnebloem"], "board",
             "Voorzitter KBO Rijnstad, organiseert de koffieochtenden."),
    "mehmet": ("Mehmet Kaya", "m", "Kloosterveld", ["moskee", "wc_klooster"], "member",
               "Gepensioneerd, brengt Turkse ouderen naar het wijkcentrum."),
    "wilma": ("Wilma Post", "f", "Kloosterveld", ["wc_klooster", "kerk"], "volunteer",
              "Vrijwilliger in de huiskamer van het wijkcentrum."),
    "theo": ("Theo van 't Hof", "m", "Centrum", ["historisch", "tolhuis"], "board",
             "Voorzitter van de historische vereniging, schrijft in de Rijnstad Courant."),
    "margriet": ("Margriet Dijkstra", "f", "Oude Haven", ["archief", "historisch"], "employee",
                 "Archivaris bij het Streekarchief."),
    "noelle": ("Noëlle de Wit", "f", "De Bongerd", ["regenboog"], "employee",
               "Leerkracht groep 4 en leescoördinator van De Regenboog."),
    "sanne": ("Sanne Kok", "f", "Zuiderpark", ["cjg", "regenboog"], "employee",
              "Jeugdverpleegkundige bij het CJG, deelt BoekStart-koffers uit."),
    "bram": ("Bram Visser", "m", "Zuiderpark", ["vv", "atletiek"], "board",
             "Jeugdvoorzitter VV Rijnstad."),
    "sjoerd": ("Sjoerd Hoekstra", "m", "Centrum", ["fietsersbond", "ondernemers"], "board",
               "Voorzitter Fietsersbond, fietsenmaker aan de Havenstraat."),
    "jolanda": ("Jolanda Pinas", "f", "Oude Haven", ["voedselbank", "schuldhulp"], "volunteer",
                "Coördinator uitgifte bij de voedselbank."),
    "zoe": ("Zoë Hendriks", "f", "Kloosterveld", ["welzijn", "kbo"], "employee",
            "Buurtwerker in Kloosterveld, trekker van 'Samen in de Wijk'."),
    "daniel_dh": ("Daniël de Haan", "m", "Centrum", ["cultuurhuis", "historisch"], "employee",
                  "Programmeur van Cultuurhuis De Kade, maakt podcasts over de stad."),
    "agnieszka": ("Agnieszka Wiśniewska", "f", "Rijnoever", ["taalhuis", "parochie"], "member",
                  "Werkt in de kassen, volgt de NT2-oefengroep op zaterdag."),
    "tesfay": ("Tesfay Ghebremedhin", "m", "Rijnoever", ["vluchtelingenwerk", "vv"], "member",
               "Kwam uit Eritrea, speelt voetbal en wil graag bij de gemeente werken."),
    "hanneke": ("Hanneke Smit", "f", "De Bongerd", ["energie", "ivn"], "board",
                "Penningmeester Energiecoöperatie Rijnstroom, organiseert het energiecafé."),
    "ravi": ("Ravi Jagessar", "m", "Zuiderpark", ["humanitas", "schuldhulp"], "volunteer",
             "Thuisadministratie-vrijwilliger bij Humanitas."),
    "khadija": ("Khadija El Amrani", "f", "Oude Haven", ["bh_anker", "moskee"], "volunteer",
                "Kookt elke donderdag voor de buurtmaaltijd in Het Anker."),
    "kees": ("Kees Dekker", "m", "Kloosterveld", ["kbo", "lindehof"], "member",
             "Weduwnaar, 84, woont alleen in Kloosterveld."),
}

# --------------------------------------------------------------------------- names

#: Name pools by background: (female first names, male first names, surnames). A surname
#: may be a pair (male form, female form) for languages that inflect them.
NAME_POOLS: dict[str, tuple[list[str], list[str], list[str | tuple[str, str]]]] = {
    "nl": (
        ["Anna", "Eline", "Sanne", "Lotte", "Femke", "Ingrid", "Els", "Joke", "Gerda", "Annelies",
         "Chloë", "Zoë", "Noëlle", "Renée", "Liesbeth", "Margriet", "Ria", "Tineke", "Sophie",
         "Julia", "Emma", "Fleur", "Iris", "Hanneke", "Mirjam", "Petra", "Yvonne", "Greet",
         "Marjolein", "Corrie", "Ineke", "Anneke", "Maaike", "Lieke", "Roos", "Daphne", "Loïs"],
        ["Jan", "Piet", "Kees", "Henk", "Gerrit", "Wim", "Joop", "Bram", "Daan", "Sem", "Thijs",
         "Ruud", "René", "Daniël", "Michiel", "Jeroen", "Maarten", "Sjoerd", "Frank", "Bart",
         "Arjen", "Hans", "Theo", "Koen", "Jesse", "Niels", "Raphaël", "Gijs", "Cor", "Ton",
         "Johan", "Rob", "Wouter", "Jochem", "Luuk"],
        ["de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
         "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
         "Dekker", "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer", "van der Linden",
         "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
         "de Bruijn", "de Jong", "Schouten", "ter Horst", "ter Beek", "van 't Hof", "Verhoeven",
         "Kuipers", "Post", "Huisman", "Prins", "Koster", "Willems", "Timmermans", "Groen",
         "van Beek", "van der Heijden", "Wouters", "Hoekstra", "Boersma", "Zwart", "Blom",
         "in 't Veld", "van Wijk", "ter Haar", "van der Wal", "Oosterhuis", "Rijnders"],
    ),
    "tr": (
        ["Fatma", "Ayşe", "Elif", "Zeynep", "Emine", "Hatice", "Büşra", "Merve", "Esra", "Gül"],
        ["Mehmet", "Ahmet", "Mustafa", "Murat", "Emre", "Hüseyin", "Burak", "Yusuf", "Ömer", "Kemal"],
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan",
         "Doğan", "Koç", "Kılıç", "Aksoy", "Güler"],
    ),
    "ma": (
        ["Fatima", "Khadija", "Samira", "Nadia", "Siham", "Hanan", "Naima", "Salma", "Yasmina", "Imane"],
        ["Mohamed", "Ahmed", "Youssef", "Karim", "Said", "Rachid", "Mustapha", "Bilal", "Hamza", "Anouar"],
        ["El Idrissi", "Benali", "El Amrani", "Bouzid", "Ouali", "Azzouz", "El Khatib", "Aït Ali",
         "Boukhari", "Tahiri", "Chaoui", "El Haddouchi", "Ziani"],
    ),
    "sr": (
        ["Sharon", "Priya", "Sunita", "Shanti", "Gracia", "Jolanda", "Chantal", "Melissa", "Ashna"],
        ["Ravi", "Anand", "Rodney", "Errol", "Glenn", "Roy", "Dwayne", "Sergio", "Kiran"],
        ["Ramdin", "Ramsaran", "Jagessar", "Sewnath", "Biharie", "Martina", "Rosalia", "Pinas",
         "Vriesde", "Wijngaarde", "Doelwijt", "Kromodimedjo", "Soekhoe", "Isenia"],
    ),
    "pl": (
        ["Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Małgorzata", "Ewa"],
        ["Piotr", "Tomasz", "Paweł", "Krzysztof", "Marek", "Łukasz"],
        [("Kowalski", "Kowalska"), "Nowak", ("Wiśniewski", "Wiśniewska"), "Zając",
         ("Lewandowski", "Lewandowska"), "Wójcik", ("Kamiński", "Kamińska")],
    ),
    "sy_er": (
        ["Rasha", "Lina", "Hiba", "Nour", "Amira", "Semhar", "Yohana", "Helen"],
        ["Omar", "Khaled", "Ammar", "Tarek", "Yonas", "Tesfay", "Samuel", "Fadi"],
        ["Al-Hassan", "Haddad", "Khalil", "Sabbagh", "Alhamoud", "Haile", "Tekle", "Ghebremedhin"],
    ),
}

#: How the town's residents are spread over the pools (percent).
NAME_MIX: dict[str, int] = {"nl": 62, "tr": 9, "ma": 11, "sr": 7, "pl": 5, "sy_er": 6}

#: Short descriptions for generated residents who are members (employees, board members and
#: volunteers are described by their role), by the type of their main organisation.
DESCRIPTIONS: dict[str, list[str]] = {
    "taalhuis": ["Deelnemer taalcafé", "Volgt de NT2-oefengroep", "Heeft een taalmaatje",
                 "Oefent Nederlands voor het werk"],
    "repair café": ["Brengt regelmatig iets ter reparatie", "Komt kijken en leren repareren",
                    "Handig met naaimachines"],
    "seniorenvereniging": ["Lid sinds het pensioen", "Komt naar de koffieochtend",
                           "Woont sinds kort alleen"],
    "historische vereniging": ["Amateurhistoricus", "Schrijft voor het kwartaalblad", "Gids stadswandeling"],
    "basisschool": ["Ouder van een leerling", "Ouder in de leesgroep", "Lid van de ouderraad"],
    "sportclub": ["Speelt in het recreantenteam", "Lid", "Ouder van een jeugdlid"],
    "buurthuis": ["Vaste bezoeker", "Komt naar de buurtmaaltijd", "Bewoner van de wijk"],
    "moskee": ["Lid van de moskee", "Doet mee met de vrouwengroep", "Brengt de kinderen naar de weekendschool"],
    "kerk": ["Gemeentelid", "Zingt in het koor", "Bezoekt de ouderenmiddag"],
    "voedselbank": ["Klant van de voedselbank", "Helpt soms bij de uitgifte"],
    "kringloopwinkel": ["Vaste klant", "Werkervaringsplek in de winkel"],
}
DEFAULT_DESCRIPTIONS: list[str] = ["Inwoner", "Actief in de buurt", "Lid", "Doet mee aan activiteiten"]

# --------------------------------------------------------------------------- activities

#: Activities: key -> (name, theme keys, organiser keys (org or staff:key or person key),
#: place, schedule, frequency, months since start (negative: before the window;
#: relative to the start of the 24-month window), months until (None: still running)).
ACTIVITIES: dict[str, tuple[str, list[str], list[str], str, str, str, int, int | None]] = {
    "taalcafe": ("Taalcafé", ["taal"], ["taalhuis", "staff:samira", "gerrit"],
                 "Bibliotheek Rijnstad, Centrum", "elke dinsdag 10:00–11:30", "weekly", -40, None),
    "nt2": ("NT2-oefengroep op zaterdag", ["taal", "laaggeletterdheid"], ["taalhuis", "fatma"],
            "Bibliotheek Rijnstad, Centrum", "elke zaterdag 10:30–12:00", "weekly", 5, None),
    "klik_tik": ("Klik & Tik-cursus", ["digitaal", "laaggeletterdheid"], ["staff:priya", "taalhuis"],
                 "Bibliotheek Rijnstad, Centrum", "8 lessen, dinsdagmiddag", "weekly", -6, None),
    "digicafe": ("Digicafé", ["digitaal"], ["staff:priya", "roc"],
                 "Bibliotheek Rijnstad, Centrum", "elke donderdag 14:00–16:00", "weekly", 2, None),
    "formulieren": ("Formulierenspreekuur", ["armoede", "digitaal", "laaggeletterdheid"],
                    ["schuldhulp", "humanitas"], "Buurthuis Het Anker",
                    "elke maandag 13:00–15:00", "weekly", -20, None),
    "repair": ("Repair Café-avond", ["recycling", "duurzaamheid"], ["repaircafe", "rene"],
               "Buurthuis De Bongerd", "elke eerste zaterdag van de maand 13:00–16:00", "monthly", -50, None),
    "repair_bieb": ("Repair Café in de bibliotheek", ["recycling"], ["repaircafe", "staff:anouk"],
                    "Bibliotheek Rijnstad, Centrum", "elke derde zaterdag van de maand", "monthly", 9, None),
    "energiecafe": ("Energiecafé", ["duurzaamheid"], ["energie", "hanneke", "staff:anouk"],
                    "Bibliotheek Rijnstad, Centrum", "tweede woensdagavond van de maand", "monthly", 1, None),
    "ruilbeurs": ("Ruilbeurs kinderkleding", ["recycling"], ["bh_bongerd", "kringloop"],
                  "Buurthuis De Bongerd", "voor- en najaar", "twice-yearly", -12, None),
    "zwerfafval": ("Zwerfafvalprikken 'Rijnstad Schoon'", ["duurzaamheid", "recycling"],
                   ["ivn", "gemeente"], "start bij de Kade", "elke laatste zaterdag", "monthly", 4, 18),
    "duurzaamheidsmarkt": ("Duurzaamheidsmarkt", ["duurzaamheid"], ["energie", "ondernemers", "gemeente"],
                           "Marktplein", "jaarlijks in oktober", "yearly", -30, None),
    "voorlees": ("Voorleesochtend", ["lezen"], ["staff:daniel"],
                 "Bibliotheek Rijnstad, Centrum", "elke woensdag 10:00", "weekly", -60, None),
    "boekstart": ("BoekStart-ochtend", ["lezen", "taal"], ["staff:daniel", "cjg"],
                  "Bibliotheek Rijnstad, Centrum", "eerste vrijdag van de maand", "monthly", -24, None),
    "voorleesexpress": ("VoorleesExpress", ["lezen", "taal"], ["staff:daniel", "regenboog", "sanne"],
                        "bij gezinnen thuis", "20 weken, één keer per week", "weekly", 3, None),
    "leesclub": ("Leesclub 'Boek & Babbel'", ["lezen", "eenzaamheid"], ["staff:henk"],
                 "Bibliotheek Rijnstad, Centrum", "elke derde donderdag van de maand", "monthly", -48, None),
    "schrijfgroep": ("Schrijfgroep 'Mijn verhaal'", ["erfgoed", "eenzaamheid", "lezen"],
                     ["staff:henk", "lindehof"], "Woonzorgcentrum De Lindehof",
                     "om de week, vrijdagmiddag", "biweekly", 8, None),
    "stadswandeling": ("Historische stadswandeling", ["erfgoed"], ["historisch", "theo"],
                       "start bij Museum Het Tolhuis", "elke zondag in de zomer", "weekly", -70, None),
    "lezing": ("Lezingenreeks Oud-Rijnstad", ["erfgoed"], ["historisch", "staff:henk"],
               "Bibliotheek Rijnstad, Centrum", "zes keer per seizoen", "monthly", -36, None),
    "erfgoeddag": ("Erfgoeddag Rijnstad", ["erfgoed"], ["historisch", "tolhuis", "archief", "staff:henk"],
                   "binnenstad", "jaarlijks, tweede weekend van september", "yearly", -26, None),
    "koffie_kbo": ("Koffieochtend KBO", ["eenzaamheid"], ["kbo", "riet"],
                   "Wijkcentrum Kloosterveld", "elke maandag 10:00", "weekly", -80, None),
    "wandelgroep": ("Wandelgroep Zuiderpark", ["sport", "eenzaamheid"], ["kbo", "welzijn"],
                    "Zuiderpark, ingang Parklaan", "elke donderdag 10:00", "weekly", -10, None),
    "huiskamer": ("Huiskamer Kloosterveld", ["eenzaamheid"], ["wc_klooster", "welzijn", "wilma"],
                  "Wijkcentrum Kloosterveld", "dinsdag en vrijdag 14:00–16:00", "weekly", 12, None),
    "buurtmaaltijd": ("Buurtmaaltijd Het Anker", ["eenzaamheid", "armoede"], ["bh_anker", "khadija"],
                      "Buurthuis Het Anker", "elke donderdag 17:30", "weekly", -15, None),
    "zonnebloem_middag": ("Zonnebloem-middag", ["eenzaamheid"], ["zonnebloem"],
                          "Parochiezaal H. Martinus", "eens per maand op zondag", "monthly", -90, None),
    "open_moskee": ("Open Moskeedag", ["eenzaamheid", "taal"], ["moskee", "youssef"],
                    "Moskee Al-Fath", "jaarlijks", "yearly", -40, None),
    "fietsles": ("Fietsles voor nieuwkomers", ["mobiliteit", "taal"], ["fietsersbond", "vluchtelingenwerk"],
                 "schoolplein OBS De Vlinder", "voorjaar, tien lessen", "weekly", 6, 11),
    "walking_football": ("Walking football 60+", ["sport", "eenzaamheid"], ["vv"],
                         "Sportpark Zuiderpark", "elke woensdag 10:00", "weekly", 0, None),
    "mantelzorgcafe": ("Mantelzorgcafé", ["mantelzorg", "eenzaamheid"], ["mantelzorgpunt", "welzijn"],
                       "Bibliotheek Rijnstad, Centrum", "eerste dinsdagavond van de maand", "monthly", 7, None),
    "kringloopmarkt": ("Kringloopmarkt op de Kade", ["recycling"], ["kringloop"],
                       "de Kade", "voorjaar en najaar", "twice-yearly", -20, None),
    # The communities' own gatherings (they ORGANISES these; see seeds.demo).
    "maatjesavond": ("Maatjesavond Taalmaatjes", ["taal"], ["staff:samira"],
                     "Bibliotheek Rijnstad, Centrum", "laatste donderdag van de maand, 19:30",
                     "monthly", -6, None),
    "repair_meetup": ("Repair & Reuse-meetup", ["recycling", "duurzaamheid"], ["kringloop"],
                      "Kringloopwinkel De Tweede Ronde", "tweede dinsdagavond van de maand",
                      "monthly", 7, None),
    "koffie_samen": ("Koffie-uurtje Samen in de Wijk", ["eenzaamheid"], ["wc_klooster"],
                     "Wijkcentrum Kloosterveld", "om de week, woensdag 10:00", "biweekly", 15, None),
    "podcast": ("Podcastworkshop 'Verhalen van de Haven'", ["erfgoed", "digitaal"],
                ["cultuurhuis", "daniel_dh"], "Cultuurhuis De Kade", "vijf avonden", "weekly", 14, 16),
}

# --------------------------------------------------------------------------- channels

#: Channels: key -> (name, mode, medium, theme keys, place/description).
CHANNELS: dict[str, tuple[str, str, str, list[str], str]] = {
    "fb_rijnstad": ("Je bent Rijnstadder als…", "online", "Facebook-groep", ["erfgoed"],
                    "Grote Facebook-groep met oude foto's en buurtnieuws, 9.000 leden."),
    "fb_repair": ("Repair & Reuse Rijnstad", "online", "Facebook-groep", ["recycling", "duurzaamheid"],
                  "Facebook-groep van het Repair Café en de kringloop."),
    "wa_klooster": ("Buren Kloosterveld", "online", "WhatsApp-groep", ["eenzaamheid"],
                    "Buurtgroep van Kloosterveld, 180 deelnemers."),
    "meetup": ("Duurzaam Rijnstad", "online", "meetup.com", ["duurzaamheid"],
               "Meetup-groep voor duurzame avonden en excursies."),
    "kenniscloud": ("KennisCloud Rijnstad", "online", "KennisCloud", ["duurzaamheid", "taal", "lezen"],
                    "Het online kennisplatform van de bibliotheek."),
    "hoplr": ("Hoplr Rijnstad-Zuid", "online", "buurtapp", ["eenzaamheid", "mobiliteit"],
              "Buurtapp voor Zuiderpark en Kloosterveld."),
    "courant": ("Rijnstad Courant", "offline", "lokale krant",
                ["erfgoed", "mobiliteit", "armoede", "laaggeletterdheid"],
                "Huis-aan-huisblad, verschijnt op woensdag."),
    "prikbord": ("Prikbord Buurthuis De Bongerd", "offline", "buurthuis", ["recycling", "eenzaamheid"],
                 "Het prikbord en de nieuwsbrief van het buurthuis."),
    "markt": ("Weekmarkt Rijnstad", "offline", "markt", ["duurzaamheid"],
              "Zaterdagmarkt op het Marktplein; kraam van de bibliotheek eens per maand."),
    "cafe_zwaan": ("Café De Zwaan", "offline", "café", ["erfgoed", "sport"],
                   "Bruin café aan de Havenstraat; thuisbasis van de historische vereniging."),
}

# --------------------------------------------------------------------------- communities

#: Communities: key -> (name, theme key, goal key, bond type, traits, vision, founded
#: (months relative to window start), members at founding, members today, organisation
#: members, staff roles {role: [(staff key, months since start, months until or None)]},
#: ambassador person keys, channel keys).
COMMUNITIES: dict[str, dict[str, object]] = {
    "taalmaatjes": {
        "name": "Taalmaatjes Rijnstad",
        "theme": "taal",
        "goal": "meedoen",
        "bond_type": "identity",
        "traits": ["nieuwkomers en anderstaligen", "taalvrijwilligers", "samen oefenen in het dagelijks leven"],
        "vision": "Iedereen in Rijnstad kan meedoen, in het Nederlands, met een maatje naast zich.",
        "founded": -8,
        "pool": ["taalhuis", "vluchtelingenwerk", "moskee", "roc"],
        "core": ["fatma", "gerrit", "ingrid", "rasha"],
        "at_start": 9,
        "today": 34,
        "organisations": ["taalhuis", "vluchtelingenwerk"],
        "roles": {"builder": [("samira", -8, None)], "connector": [("joost", -8, 10), ("marieke", 10, None)],
                  "driver": [("priya", 16, None)]},
        "ambassadors": ["fatma", "gerrit"],
        "channels": ["kenniscloud", "fb_rijnstad"],
        "leavers": 4,
    },
    "repair": {
        "name": "Repair & Reuse Rijnstad",
        "theme": "recycling",
        "goal": "duurzaam",
        "bond_type": "affinity",
        "traits": ["handig en zuinig", "weggooien is zonde", "van student tot gepensioneerd monteur"],
        "vision": "In Rijnstad repareren we eerst, en gooien we pas weg als het echt niet anders kan.",
        "founded": 6,
        "pool": ["repaircafe", "kringloop", "energie", "roc", "bh_bongerd"],
        "core": ["rene", "piotr", "annelies"],
        "at_start": 0,
        "today": 26,
        "organisations": ["repaircafe", "kringloop"],
        "roles": {"builder": [("anouk", 6, None)], "connector": [("marieke", 6, None)],
                  "driver": [("anouk", 6, 9), ("daniel", 9, None)]},
        "ambassadors": ["rene", "chloe"],
        "channels": ["fb_repair", "meetup", "prikbord"],
        "leavers": 3,
    },
    "samen": {
        "name": "Samen in de Wijk",
        "theme": "eenzaamheid",
        "goal": "ontmoeting",
        "bond_type": "geography",
        "traits": ["wonen in Kloosterveld", "ouderen en hun buren", "elkaar helpen met kleine dingen"],
        "vision": "Niemand in Kloosterveld hoeft er alleen voor te staan.",
        "founded": 14,
        "pool": ["kbo", "wc_klooster", "zonnebloem", "lindehof", "welzijn"],
        "wijk": "Kloosterveld",
        "core": ["zoe", "riet", "eline"],
        "at_start": 0,
        "today": 21,
        "organisations": ["wc_klooster", "kbo"],
        # No driver (aanjager) yet: the app should flag the empty role.
        "roles": {"builder": [("joost", 14, None)], "connector": [("marieke", 15, None)]},
        "ambassadors": ["riet"],
        "channels": ["wa_klooster", "hoplr"],
        "leavers": 2,
    },
}

#: SMART goals per community: (community key, name, props). Deadlines are months after
#: the end of the window (``deadline_months``); :mod:`seeds.demo` turns them into dates.
SMART_GOALS: list[tuple[str, str, dict[str, object]]] = [
    ("taalmaatjes", "Minstens 50 leden aan het eind van het jaar",
     {"metric": "members", "target": 50, "deadline_months": 2}),
    ("taalmaatjes", "Elke maand een activiteit, een jaar lang",
     {"metric": "activities_per_month", "target": 1, "deadline_months": 8}),
    ("repair", "Vijf ambassadeurs die de groep dragen",
     {"metric": "ambassadors", "target": 5, "deadline_months": 6}),
    ("samen", "30 buren doen mee",
     {"metric": "members", "target": 30, "deadline_months": 2}),
]

#: Notes for contact moments, by theme key of the context ({name} is the other party).
CONTACT_NOTES: dict[str, list[str]] = {
    "taal": ["Kennismaking bij het taalcafé", "Gesprek over een taalmaatje voor {name}",
             "Samen de NT2-oefengroep voorbereid", "{name} vroeg naar oefenmateriaal voor het inburgeringsexamen",
             "Evaluatie taalmaatjeskoppeling"],
    "laaggeletterdheid": ["Samen iemand doorverwezen naar het Taalhuis",
                          "Gesprek over een cursus Lezen en Schrijven voor een kennis van {name}",
                          "{name} vertelde over buren die moeite hebben met brieven van de gemeente"],
    "lezen": ["Afspraak over de voorleesochtend", "Boekentips uitgewisseld", "Overleg over de leesclub",
              "{name} wil vrijwilliger worden bij de VoorleesExpress"],
    "duurzaamheid": ["Energiecafé besproken", "{name} heeft ideeën voor een duurzaamheidsavond",
                     "Samen de duurzaamheidsmarkt voorbereid"],
    "recycling": ["Repair Café in de bibliotheek besproken", "{name} zoekt reparateurs voor naaimachines",
                  "Filmpje over repareren gemaakt voor de Facebook-groep", "Kennismaking op de Repair Café-avond"],
    "eenzaamheid": ["Koffie gedronken in het wijkcentrum", "{name} kent iemand die vaak alleen is",
                    "Gesprek over de huiskamer in Kloosterveld", "Nagebeld na de buurtmaaltijd",
                    "{name} vroeg of de bibliotheek boeken aan huis kan brengen"],
    "erfgoed": ["Oude foto's bekeken voor de erfgoeddag", "Lezing voorbereid met {name}",
                "{name} bracht een doos brieven uit de haven langs"],
    "digitaal": ["Geholpen met DigiD", "{name} kwam naar het Digicafé",
                 "{name} wil helpen bij de Klik & Tik-cursus"],
    "sport": ["Gesprek over walking football", "{name} zoekt deelnemers voor de wandelgroep"],
    "mobiliteit": ["Gesprek over de fietsles voor nieuwkomers", "{name} vroeg naar de buurtbus"],
    "armoede": ["Gesprek bij het formulierenspreekuur", "{name} vertelde over de voedselbank"],
    "mantelzorg": ["Gesprek over het mantelzorgcafé", "{name} zorgt voor een naaste en zoekt steun"],
}
#: Notes for contacts between residents, each with the mode it fits.
RESIDENT_NOTES: list[tuple[str, str]] = [
    ("Koffie gedronken", "conversation"), ("Samen naar de activiteit gegaan", "event"),
    ("Even bijgepraat op de markt", "conversation"), ("Appje over de volgende bijeenkomst", "message"),
    ("Geholpen met een klusje", "meeting"), ("Samen gewandeld", "meeting"),
    ("Gebeld om te vragen hoe het gaat", "phone"), ("Elkaar gezien in het buurthuis", "event"),
    ("Foto's van de bijeenkomst doorgestuurd", "message"),
]
#: Outcomes of contact moments (sometimes left empty).
OUTCOMES: list[str] = [
    "vervolgafspraak gemaakt", "stuurt nog informatie", "komt naar de volgende bijeenkomst",
    "wil meedenken", "geen vervolg nodig", "stelt ons voor aan een buur",
]
