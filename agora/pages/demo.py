"""Ville de Démo's content: home page, sections, news and the services catalogue, in French
and in English. Idempotent: existing pages and entries are found by slug or key and kept."""

import datetime
import uuid
from typing import Any, cast

from django.db import models
from wagtail.models import Locale, Page, Site

from agora.accounts.demo import ensure_privacy_policy
from agora.pages.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServiceCategory,
    ServiceEntry,
    ServiceIndexPage,
    StandardPage,
)

DEMO_NAMESPACE = uuid.UUID("7a1c4a52-1f7e-4d0e-9a55-6b0f2f6a0d11")

type Fields = dict[str, Any]


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_page(parent: Page, model: type[Page], french: Fields, english: Fields) -> Page:
    """The page under `parent` with French `slug`, and its English translation."""
    page = parent.get_children().filter(slug=french["slug"]).specific().first()
    if page is None:
        page = model(**french)
        parent.add_child(instance=page)
        page = _publish(page)
    english_locale = Locale.objects.get(language_code="en")
    if page.get_translation_or_none(english_locale) is None:
        english_parent = parent if parent.is_root() else parent.get_translation(english_locale)
        fields = {name: value for name, value in french.items() if name not in english}
        translation = model(
            **fields, **english, locale=english_locale, translation_key=page.translation_key
        )
        english_parent.add_child(instance=translation)
        _publish(translation)
    return page.specific


def ensure_home(site: Site) -> HomePage:
    french_locale = Locale.objects.get(language_code="fr")
    home: HomePage | None = HomePage.objects.filter(locale=french_locale, depth=2).first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(
            title="Bienvenue à Ville de Démo",
            slug="accueil",
            locale=french_locale,
            intro=(
                "Votre porte d'entrée à l'hôtel de ville : participez aux grands projets, "
                "faites une requête, abonnez-vous aux alertes et trouvez les services en ligne."
            ),
        )
        root.add_child(instance=home)
        home = cast(HomePage, _publish(home).specific)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    # Wagtail's "Welcome" page is replaced by the city's home page.
    for welcome in root.get_children().exact_type(Page).filter(slug="home"):
        welcome.delete()
    ensure_page(
        root,
        HomePage,
        {"slug": home.slug},
        {
            "title": "Welcome to Ville de Démo",
            "slug": "home",
            "intro": (
                "Your front door to city hall: take part in major projects, send a request, "
                "subscribe to alerts and find online services."
            ),
        },
    )
    return home


SECTIONS: list[tuple[Fields, Fields]] = [
    (
        {
            "title": "Requêtes",
            "slug": "requetes",
            "search_description": "Signalez un nid-de-poule, un lampadaire ou tout autre problème.",
            "summary": "Un problème sur la voie publique? Dites-le à la Ville.",
            "body": (
                "<p>Nid-de-poule, lampadaire éteint, bac non ramassé, arbre dangereux : "
                "communiquez avec le service aux citoyens au 450 555-0100, du lundi au vendredi, "
                "de 8 h 30 à 16 h 30, ou écrivez à requetes@ville-demo.test.</p>"
                "<p>Chaque requête reçoit un numéro de suivi.</p>"
            ),
        },
        {
            "title": "Requests",
            "slug": "requests",
            "search_description": "Report a pothole, a streetlight or any other problem.",
            "summary": "A problem on a street or in a park? Tell the city.",
            "body": (
                "<p>Pothole, broken streetlight, missed collection, dangerous tree: call "
                "citizen services at 450 555-0100, Monday to Friday, 8:30 a.m. to 4:30 p.m., "
                "or write to requetes@ville-demo.test.</p><p>Every request gets a tracking number.</p>"
            ),
        },
    ),
    (
        {
            "title": "Alertes",
            "slug": "alertes",
            "search_description": "Avis d'ébullition, fermetures de rues, urgences : soyez prévenu.",
            "summary": "Recevez les avis importants par courriel, texto ou appel automatisé.",
            "body": (
                "<p>La Ville envoie des alertes lors d'avis d'ébullition d'eau, de fermetures de "
                "rues, d'opérations de déneigement et de situations d'urgence.</p>"
                "<p>Pour vous inscrire par téléphone, appelez le 450 555-0100.</p>"
            ),
        },
        {
            "title": "Alerts",
            "slug": "alerts",
            "search_description": "Boil-water notices, street closures, emergencies: be warned.",
            "summary": "Receive important notices by e-mail, text message or automated call.",
            "body": (
                "<p>The city sends alerts for boil-water notices, street closures, snow removal "
                "operations and emergencies.</p><p>To subscribe by phone, call 450 555-0100.</p>"
            ),
        },
    ),
]

CATEGORIES: list[tuple[str, int, Fields, Fields]] = [
    (
        "permis",
        1,
        {"name": "Permis et licences", "slug": "permis-et-licences"},
        {"name": "Permits and licences", "slug": "permits-and-licences"},
    ),
    (
        "environnement",
        2,
        {"name": "Environnement et collectes", "slug": "environnement-et-collectes"},
        {"name": "Environment and collections", "slug": "environment-and-collections"},
    ),
    (
        "loisirs",
        3,
        {"name": "Loisirs, culture et bibliothèque", "slug": "loisirs-culture-bibliotheque"},
        {"name": "Recreation, culture and library", "slug": "recreation-culture-library"},
    ),
    (
        "taxes",
        4,
        {"name": "Taxes et finances", "slug": "taxes-et-finances"},
        {"name": "Taxes and finances", "slug": "taxes-and-finances"},
    ),
    (
        "securite",
        5,
        {"name": "Sécurité publique", "slug": "securite-publique"},
        {"name": "Public safety", "slug": "public-safety"},
    ),
]

# key, category, kind, featured, url, French (title, summary, keywords), English (same)
SERVICES: list[tuple[str, str, str, bool, str, tuple[str, str, str], tuple[str, str, str]]] = [
    (
        "permis-renovation",
        "permis",
        "service",
        True,
        "https://permis.ville-demo.test/renovation",
        (
            "Demande de permis de rénovation",
            "Demandez en ligne un permis pour rénover, agrandir ou construire.",
            "permis, construction, rénovation, travaux",
        ),
        (
            "Renovation permit application",
            "Apply online for a permit to renovate, extend or build.",
            "permit, construction, renovation, work",
        ),
    ),
    (
        "licence-animal",
        "permis",
        "service",
        True,
        "https://services.ville-demo.test/licences",
        (
            "Licence pour chien ou chat",
            "Achetez ou renouvelez la licence annuelle de votre animal.",
            "animal, chien, chat, médaille",
        ),
        ("Dog or cat licence", "Buy or renew your pet's yearly licence.", "animal, dog, cat, tag"),
    ),
    (
        "abattage-arbre",
        "permis",
        "service",
        False,
        "https://permis.ville-demo.test/arbre",
        (
            "Permis d'abattage d'arbre",
            "Obtenez l'autorisation d'abattre un arbre sur votre terrain.",
            "arbre, abattage, frêne",
        ),
        (
            "Tree removal permit",
            "Get permission to cut down a tree on your property.",
            "tree, removal, ash",
        ),
    ),
    (
        "calendrier-collectes",
        "environnement",
        "resource",
        True,
        "https://www.ville-demo.test/collectes",
        (
            "Calendrier des collectes",
            "Les jours de collecte des ordures, du recyclage et du compost par secteur.",
            "ordures, recyclage, compost, bac, collecte",
        ),
        (
            "Collection calendar",
            "Garbage, recycling and compost collection days by area.",
            "garbage, recycling, compost, bin, collection",
        ),
    ),
    (
        "ecocentre",
        "environnement",
        "resource",
        False,
        "https://www.ville-demo.test/ecocentre",
        (
            "Écocentre",
            "Heures d'ouverture et matières acceptées à l'écocentre.",
            "écocentre, matériaux, peinture, électronique",
        ),
        (
            "Eco-centre",
            "Opening hours and accepted materials at the eco-centre.",
            "eco-centre, materials, paint, electronics",
        ),
    ),
    (
        "bac-brun",
        "environnement",
        "service",
        False,
        "https://services.ville-demo.test/bacs",
        (
            "Commande ou réparation de bac",
            "Demandez un nouveau bac ou la réparation d'un bac brisé.",
            "bac, roulant, réparation, compost",
        ),
        (
            "Bin order or repair",
            "Ask for a new bin or the repair of a broken one.",
            "bin, cart, repair, compost",
        ),
    ),
    (
        "inscription-loisirs",
        "loisirs",
        "service",
        True,
        "https://loisirs.ville-demo.test",
        (
            "Inscription aux activités de loisirs",
            "Inscrivez vos enfants aux cours, camps de jour et activités.",
            "loisirs, camp de jour, cours, inscription",
        ),
        (
            "Recreation registration",
            "Sign your children up for classes, day camps and activities.",
            "recreation, day camp, classes, registration",
        ),
    ),
    (
        "bibliotheque",
        "loisirs",
        "service",
        False,
        "https://biblio.ville-demo.test",
        (
            "Catalogue de la bibliothèque",
            "Cherchez un livre, réservez-le et renouvelez vos prêts.",
            "bibliothèque, livre, prêt, réservation",
        ),
        (
            "Library catalogue",
            "Find a book, reserve it and renew your loans.",
            "library, book, loan, reservation",
        ),
    ),
    (
        "location-salles",
        "loisirs",
        "resource",
        False,
        "https://www.ville-demo.test/salles",
        (
            "Location de salles et de plateaux",
            "Les salles communautaires et terrains sportifs à louer, et leurs tarifs.",
            "salle, location, gymnase, terrain",
        ),
        (
            "Room and field rentals",
            "Community rooms and sports fields for rent, and their rates.",
            "room, rental, gym, field",
        ),
    ),
    (
        "compte-taxes",
        "taxes",
        "service",
        True,
        "https://taxes.ville-demo.test",
        (
            "Consulter votre compte de taxes",
            "Voyez le solde et les échéances de votre compte de taxes foncières.",
            "taxes, foncières, compte, paiement",
        ),
        (
            "View your tax account",
            "See the balance and due dates of your property tax account.",
            "taxes, property, account, payment",
        ),
    ),
    (
        "role-evaluation",
        "taxes",
        "resource",
        False,
        "https://www.ville-demo.test/role",
        (
            "Rôle d'évaluation foncière",
            "Consultez la valeur inscrite au rôle pour une propriété.",
            "évaluation, rôle, propriété, valeur",
        ),
        (
            "Property assessment roll",
            "Look up the assessed value of a property.",
            "assessment, roll, property, value",
        ),
    ),
    (
        "prevention-incendie",
        "securite",
        "resource",
        False,
        "https://www.ville-demo.test/incendie",
        (
            "Prévention des incendies",
            "Avertisseurs de fumée, feux à ciel ouvert et visites de prévention.",
            "incendie, pompiers, avertisseur, feu",
        ),
        (
            "Fire prevention",
            "Smoke alarms, open-air fires and prevention visits.",
            "fire, firefighters, smoke alarm",
        ),
    ),
    (
        "plan-mesures-urgence",
        "securite",
        "resource",
        False,
        "https://www.ville-demo.test/urgence",
        (
            "Se préparer aux situations d'urgence",
            "Trousse d'urgence 72 heures et plan de sécurité civile de la Ville.",
            "urgence, sinistre, trousse, panne",
        ),
        (
            "Prepare for emergencies",
            "72-hour emergency kit and the city's civil protection plan.",
            "emergency, disaster, kit, outage",
        ),
    ),
]

NEWS: list[tuple[datetime.date, Fields, Fields]] = [
    (
        datetime.date(2026, 11, 12),
        {
            "title": "Début des opérations de déneigement",
            "slug": "debut-deneigement",
            "summary": "Le stationnement de nuit dans les rues est interdit du 15 novembre au 1er avril.",
            "body": "<p>Pour permettre le déneigement, le stationnement est interdit dans les rues de minuit à 7 h.</p>",
        },
        {
            "title": "Snow removal operations begin",
            "slug": "snow-removal-begins",
            "summary": "Overnight street parking is forbidden from November 15 to April 1.",
            "body": "<p>To allow snow removal, street parking is forbidden from midnight to 7 a.m.</p>",
        },
    ),
    (
        datetime.date(2026, 10, 28),
        {
            "title": "Consultation sur le parc riverain",
            "slug": "consultation-parc-riverain",
            "summary": "Donnez votre avis sur l'aménagement du futur parc riverain.",
            "body": "<p>La Ville invite les résidents à partager leurs idées pour le futur parc riverain.</p>",
        },
        {
            "title": "Consultation on the riverside park",
            "slug": "riverside-park-consultation",
            "summary": "Have your say on the design of the future riverside park.",
            "body": "<p>The city invites residents to share their ideas for the future riverside park.</p>",
        },
    ),
    (
        datetime.date(2026, 10, 3),
        {
            "title": "Collecte des feuilles mortes",
            "slug": "collecte-feuilles-mortes",
            "summary": "Trois collectes spéciales de feuilles auront lieu en octobre et en novembre.",
            "body": "<p>Déposez vos feuilles dans des sacs de papier en bordure de rue la veille de la collecte.</p>",
        },
        {
            "title": "Fall leaf collection",
            "slug": "fall-leaf-collection",
            "summary": "Three special leaf collections will take place in October and November.",
            "body": "<p>Put your leaves in paper bags at the curb the evening before the collection.</p>",
        },
    ),
]


def _ensure_translatable(
    model: type[models.Model], key: str, locale: Locale, fields: Fields
) -> models.Model:
    translation_key = uuid.uuid5(DEMO_NAMESPACE, f"{model.__name__}:{key}")
    instance, _created = model._default_manager.get_or_create(
        translation_key=translation_key, locale=locale, defaults=fields
    )
    return instance


def seed_catalogue() -> None:
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    categories: dict[tuple[str, str], models.Model] = {}
    for key, order, french_category, english_category in CATEGORIES:
        for code, fields in (("fr", french_category), ("en", english_category)):
            categories[(key, code)] = _ensure_translatable(
                ServiceCategory, key, locales[code], {**fields, "sort_order": order}
            )
    for key, category, kind, featured, url, french, english in SERVICES:
        for code, texts in (("fr", french), ("en", english)):
            title, summary, keywords = texts
            _ensure_translatable(
                ServiceEntry,
                key,
                locales[code],
                {
                    "title": title,
                    "summary": summary,
                    "keywords": keywords,
                    "kind": kind,
                    "featured": featured,
                    "url": url,
                    "category": categories[(category, code)],
                },
            )


def seed(report: list[str]) -> None:
    site = Site.objects.get(is_default_site=True)
    home = ensure_home(site)
    ensure_privacy_policy(home)
    for french, english in SECTIONS:
        ensure_page(home, StandardPage, {**french, "show_in_menus": True}, english)
    ensure_page(
        home,
        ServiceIndexPage,
        {
            "title": "Services et ressources",
            "slug": "services",
            "show_in_menus": True,
            "search_description": "Tous les services en ligne et les ressources pratiques de la Ville.",
            "intro": "Faites vos démarches en ligne et trouvez l'information pratique, par catégorie.",
        },
        {
            "title": "Services and resources",
            "slug": "services",
            "search_description": "All of the city's online services and practical resources.",
            "intro": "Do your business online and find practical information, by category.",
        },
    )
    news_index = ensure_page(
        home,
        NewsIndexPage,
        {
            "title": "Nouvelles",
            "slug": "nouvelles",
            "intro": "Les dernières nouvelles de la Ville.",
        },
        {"title": "News", "slug": "news", "intro": "The latest news from the city."},
    )
    for date, french, english in NEWS:
        ensure_page(news_index, NewsPage, {**french, "date": date}, english)
    seed_catalogue()
    report.append(
        f"Demo city: {Page.objects.live().count()} pages, {ServiceEntry.objects.count()} catalogue entries."
    )
