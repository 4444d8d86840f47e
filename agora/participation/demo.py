"""Ville de Démo's major projects: the "Participer" index, the themes, and three projects in
three states, in French and in English.

1. The riverside park: its idea box is open (agora/ideas/demo.py fills it).
2. The bike network master plan: participation has closed, the city owes its feedback.
3. The community centre: finished, "Ce que nous avons entendu" and "Décision" published.

Dates are relative to the day the demo is first built. Idempotent: themes are found by slug,
pages by slug under their parent, assignments by project and user; what exists is kept.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from agora.accounts.demo import DEMO_TEAM
from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.pages.demo import ensure_page
from agora.pages.models import HomePage
from agora.participation.accountability import publish_accountability
from agora.participation.models import (
    ParticipationLevel,
    ParticipationMethod,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectUpdate,
    Theme,
)
from agora.participation.moderators import assign_moderator

type Fields = dict[str, Any]

INDEX_SLUG = "projets"
IDEA_BOX_PROJECT_SLUG = "parc-riverain"
AWAITING_FEEDBACK_PROJECT_SLUG = "reseau-cyclable"
FINISHED_PROJECT_SLUG = "centre-communautaire"

# slug, French name, English name
THEMES: list[tuple[str, str, str]] = [
    ("environnement", "Environnement", "Environment"),
    ("mobilite", "Mobilité", "Mobility"),
    ("parcs-et-loisirs", "Parcs et loisirs", "Parks and recreation"),
    ("culture", "Culture", "Culture"),
    ("securite", "Sécurité", "Safety"),
    ("vie-communautaire", "Vie communautaire", "Community life"),
    ("urbanisme", "Urbanisme", "Urban planning"),
]


def _email_of(role: Role) -> str:
    return next(email for team_role, email, _first, _last in DEMO_TEAM if team_role == role)


@dataclass(frozen=True)
class PhaseSpec:
    """One step of a timeline: days relative to today, then the texts in each language."""

    start: int
    end: int | None
    method: str
    french: tuple[str, str]
    english: tuple[str, str]

    def fields(self, today: datetime.date, language: str) -> Fields:
        name, description = self.french if language == "fr" else self.english
        end = None if self.end is None else today + datetime.timedelta(days=self.end)
        return {
            "name": name,
            "description": description,
            "start_date": today + datetime.timedelta(days=self.start),
            "end_date": end,
            "method": self.method,
        }


@dataclass(frozen=True)
class UpdateSpec:
    days: int
    french: tuple[str, str]
    english: tuple[str, str]

    def fields(self, today: datetime.date, language: str) -> Fields:
        title, body = self.french if language == "fr" else self.english
        return {"date": today + datetime.timedelta(days=self.days), "title": title, "body": body}


@dataclass(frozen=True)
class ProjectSpec:
    french: Fields
    english: Fields
    common: Fields
    department: str
    themes: list[str]
    phases: list[PhaseSpec]
    updates: list[UpdateSpec]
    feedback_due_in_days: int
    accountability_published_days_ago: int | None = None
    moderated_by_demo_moderator: bool = False


# A phase's method is information or the identifier of a phase component; the components'
# own demo data (agora/ideas/demo.py, agora/surveys/demo.py) fills those phases.
IDEA_BOX = "idea_box"
SURVEY = "survey"

RIVERSIDE_PARK = ProjectSpec(
    french={
        "title": "Aménagement du parc riverain",
        "slug": IDEA_BOX_PROJECT_SLUG,
        "summary": (
            "La Ville transforme les anciens terrains de la marina en parc au bord de la "
            "rivière. Proposez vos idées pour les sentiers, les aires de jeux et l'accès à l'eau."
        ),
        "body": (
            "<p>La Ville a acquis les 4,2 hectares des anciens terrains de la marina, entre la "
            "rue du Quai et l'embouchure du ruisseau Lapalme. Elle veut en faire un parc ouvert "
            "à tous, été comme hiver.</p>"
            "<h2>Ce qui est déjà décidé</h2><ul>"
            "<li>Le parc restera public et gratuit.</li>"
            "<li>La bande riveraine de 15 mètres sera renaturalisée, comme l'exige la "
            "réglementation provinciale.</li>"
            "<li>Aucun bâtiment permanent ne sera construit dans la zone inondable.</li></ul>"
            "<h2>Ce qui reste à définir, avec vous</h2>"
            "<p>Le tracé des sentiers, les aires de jeux, le mobilier, l'éclairage et la façon "
            "d'accéder à l'eau : quai, rampe pour kayaks ou petite plage.</p>"
        ),
        "objectives": (
            "<ul><li>Connaître les usages souhaités par les résidents de tous âges.</li>"
            "<li>Repérer les contraintes du site que seuls les riverains connaissent : crues "
            "printanières, vents dominants, circulation.</li>"
            "<li>Établir les priorités de la première phase de travaux.</li></ul>"
        ),
        "target_audience": (
            "Tous les résidents, en particulier les familles, les aînés et les riverains des "
            "rues du Quai et des Berges."
        ),
        "location_name": "Anciens terrains de la marina, rue du Quai",
    },
    english={
        "title": "Riverside park design",
        "slug": "riverside-park",
        "summary": (
            "The city is turning the former marina grounds into a park on the riverbank. Share "
            "your ideas for the trails, the play areas and access to the water."
        ),
        "body": (
            "<p>The city has acquired the 4.2 hectares of the former marina grounds, between "
            "rue du Quai and the mouth of Lapalme Creek. It wants to make them a park open to "
            "all, summer and winter.</p>"
            "<h2>What is already decided</h2><ul>"
            "<li>The park will stay public and free.</li>"
            "<li>The 15-metre shoreline strip will be returned to nature, as provincial "
            "regulations require.</li>"
            "<li>No permanent building will be built in the flood zone.</li></ul>"
            "<h2>What remains to be decided, with you</h2>"
            "<p>The layout of the trails, the play areas, the furniture, the lighting and how "
            "to reach the water: a dock, a kayak launch or a small beach.</p>"
        ),
        "objectives": (
            "<ul><li>Learn how residents of all ages want to use the park.</li>"
            "<li>Find the constraints of the site that only its neighbours know: spring "
            "floods, prevailing winds, traffic.</li>"
            "<li>Set the priorities of the first phase of work.</li></ul>"
        ),
        "target_audience": (
            "All residents, especially families, seniors and the neighbours of rue du Quai and "
            "rue des Berges."
        ),
        "location_name": "Former marina grounds, rue du Quai",
    },
    common={
        "participation_level": ParticipationLevel.INVOLVE,
        "latitude": Decimal("45.391200"),
        "longitude": Decimal("-73.512400"),
        "budget": Decimal("2400000.00"),
    },
    department="Travaux publics",
    themes=["parcs-et-loisirs", "environnement"],
    phases=[
        PhaseSpec(
            -40,
            -22,
            ParticipationMethod.INFORMATION,
            (
                "Portes ouvertes sur le site",
                "Visites guidées du site les samedis matin et présentation des contraintes : "
                "zone inondable, bande riveraine, qualité des sols.",
            ),
            (
                "Site open house",
                "Guided tours of the site on Saturday mornings and a presentation of its "
                "constraints: flood zone, shoreline strip, soil quality.",
            ),
        ),
        PhaseSpec(
            -21,
            24,
            IDEA_BOX,
            (
                "Boîte à idées",
                "Proposez vos idées pour le parc, appuyez celles des autres et commentez-les. "
                "Aucun compte n'est nécessaire.",
            ),
            (
                "Idea box",
                "Suggest your ideas for the park, support other people's and comment on them. "
                "No account needed.",
            ),
        ),
        PhaseSpec(
            38,
            38,
            ParticipationMethod.INFORMATION,
            (
                "Atelier de conception",
                "Au centre communautaire, de 19 h à 21 h : avec les architectes paysagistes, "
                "les participants dessinent deux scénarios d'aménagement à partir des idées "
                "reçues.",
            ),
            (
                "Design workshop",
                "At the community centre, 7 to 9 p.m.: with the landscape architects, "
                "participants draw two design options from the ideas received.",
            ),
        ),
        PhaseSpec(
            60,
            75,
            ParticipationMethod.INFORMATION,
            (
                "Présentation des scénarios",
                "Les deux scénarios et ce que la Ville a retenu des idées sont présentés en "
                "ligne et à la bibliothèque.",
            ),
            (
                "Presentation of the options",
                "The two options and what the city kept from the ideas are presented online "
                "and at the library.",
            ),
        ),
    ],
    updates=[
        UpdateSpec(
            -40,
            (
                "Lancement de la démarche",
                "<p>Le conseil municipal a confié au Service des travaux publics le mandat de "
                "concevoir le parc avec les résidents. Les visites guidées du site commencent "
                "samedi à 10 h; rendez-vous au bout de la rue du Quai.</p>",
            ),
            (
                "The process begins",
                "<p>City council has asked the Public Works department to design the park with "
                "residents. Guided tours of the site begin on Saturday at 10 a.m.; meet at the "
                "end of rue du Quai.</p>",
            ),
        ),
        UpdateSpec(
            -20,
            (
                "Ce que nous ont appris les visites",
                "<p>Près de 140 personnes ont participé aux quatre visites. Les questions "
                "portaient surtout sur les crues printanières et sur le stationnement. Les "
                "ingénieurs l'ont confirmé : dans la zone inondable, le mobilier devra être "
                "amovible ou résister aux crues.</p>",
            ),
            (
                "What the tours taught us",
                "<p>Nearly 140 people joined the four tours. Most questions were about spring "
                "floods and parking. The engineers confirmed it: in the flood zone, furniture "
                "will have to be removable or withstand floods.</p>",
            ),
        ),
    ],
    feedback_due_in_days=75,
    moderated_by_demo_moderator=True,
)

BIKE_NETWORK = ProjectSpec(
    french={
        "title": "Plan directeur du réseau cyclable",
        "slug": AWAITING_FEEDBACK_PROJECT_SLUG,
        "summary": (
            "Quels liens cyclables construire d'ici 2030? La consultation est terminée : la "
            "Ville analyse vos réponses et publiera ce qu'elle en a retenu."
        ),
        "body": (
            "<p>Le réseau cyclable compte 38 km, mais il est discontinu : plusieurs pistes "
            "s'arrêtent avant les écoles, la gare et le parc industriel. Le plan directeur "
            "fixera les liens à construire d'ici 2030 et leur ordre de priorité.</p>"
            "<p>Le sondage en ligne et les deux ateliers de quartier ont réuni près de mille "
            "résidents. Merci à toutes et à tous!</p>"
        ),
        "objectives": (
            "<ul><li>Relier les quartiers aux écoles, à la gare et aux commerces par des "
            "parcours continus et sécuritaires.</li>"
            "<li>Connaître les trajets que les résidents font, ou aimeraient faire, à vélo.</li>"
            "<li>Classer par ordre de priorité les 14 tronçons à l'étude.</li></ul>"
        ),
        "target_audience": (
            "Les cyclistes de tous niveaux, les parents d'élèves, les personnes qui se rendent "
            "à la gare et les riverains des tronçons à l'étude."
        ),
        "location_name": "Ensemble du territoire",
    },
    english={
        "title": "Bike network master plan",
        "slug": "bike-network",
        "summary": (
            "Which bike links should be built by 2030? The consultation is over: the city is "
            "analysing your answers and will publish what it kept from them."
        ),
        "body": (
            "<p>The bike network is 38 km long, but it has gaps: several paths stop short of "
            "the schools, the train station and the industrial park. The master plan will set "
            "the links to build by 2030 and their order of priority.</p>"
            "<p>The online survey and the two neighbourhood workshops brought together nearly "
            "a thousand residents. Thank you all!</p>"
        ),
        "objectives": (
            "<ul><li>Link the neighbourhoods to the schools, the train station and the shops "
            "with continuous, safe routes.</li>"
            "<li>Learn the trips residents make, or would like to make, by bike.</li>"
            "<li>Rank the 14 sections under study by priority.</li></ul>"
        ),
        "target_audience": (
            "Cyclists of every level, parents of schoolchildren, people who commute to the "
            "train station and the neighbours of the sections under study."
        ),
        "location_name": "The whole city",
    },
    common={
        "participation_level": ParticipationLevel.CONSULT,
        "latitude": Decimal("45.395000"),
        "longitude": Decimal("-73.518000"),
        "budget": Decimal("6500000.00"),
    },
    department="Travaux publics",
    themes=["mobilite", "securite"],
    phases=[
        PhaseSpec(
            -150,
            -121,
            ParticipationMethod.INFORMATION,
            (
                "Portrait du réseau actuel",
                "Publication de la carte du réseau, des comptages de cyclistes et des "
                "accidents des cinq dernières années.",
            ),
            (
                "The network today",
                "Publication of the network map, bike counts and the collisions of the last "
                "five years.",
            ),
        ),
        PhaseSpec(
            -120,
            -75,
            SURVEY,
            (
                "Sondage sur vos déplacements",
                "Un sondage de dix minutes sur vos trajets, ce qui vous empêche de prendre le "
                "vélo et les tronçons à construire en premier.",
            ),
            (
                "Survey on your trips",
                "A ten-minute survey on your trips, what keeps you from cycling and the "
                "sections to build first.",
            ),
        ),
        PhaseSpec(
            -60,
            -46,
            ParticipationMethod.INFORMATION,
            (
                "Ateliers de quartier",
                "Deux ateliers, au Vieux-Village et au secteur de la gare, pour tracer vos "
                "trajets sur une grande carte.",
            ),
            (
                "Neighbourhood workshops",
                "Two workshops, in Vieux-Village and near the train station, to draw your trips "
                "on a large map.",
            ),
        ),
        PhaseSpec(
            -45,
            30,
            ParticipationMethod.INFORMATION,
            (
                "Analyse et rédaction du plan",
                "L'équipe analyse les réponses et rédige le plan directeur, qui sera présenté "
                "au conseil municipal.",
            ),
            (
                "Analysis and drafting of the plan",
                "The team is analysing the answers and writing the master plan, which will be "
                "presented to city council.",
            ),
        ),
    ],
    updates=[
        UpdateSpec(
            -120,
            (
                "Le sondage est en ligne",
                "<p>Répondez au sondage d'ici sept semaines. Des exemplaires papier sont "
                "offerts à l'hôtel de ville et à la bibliothèque.</p>",
            ),
            (
                "The survey is online",
                "<p>Answer the survey within seven weeks. Paper copies are available at city "
                "hall and at the library.</p>",
            ),
        ),
        UpdateSpec(
            -40,
            (
                "Une participation record",
                "<p>Le sondage a reçu 912 réponses et les ateliers ont accueilli 85 personnes. "
                "L'équipe analyse maintenant les commentaires; le plan et ce que nous en avons "
                "retenu seront publiés d'ici la date promise.</p>",
            ),
            (
                "Record turnout",
                "<p>The survey received 912 answers and the workshops welcomed 85 people. The "
                "team is now analysing the comments; the plan and what we kept from your input "
                "will be published by the promised date.</p>",
            ),
        ),
    ],
    feedback_due_in_days=21,
    moderated_by_demo_moderator=True,
)

COMMUNITY_CENTRE = ProjectSpec(
    french={
        "title": "Nouveau centre communautaire du Vieux-Village",
        "slug": FINISHED_PROJECT_SLUG,
        "summary": (
            "Les résidents ont aidé à définir les espaces du futur centre communautaire. "
            "Découvrez ce que nous avons entendu et ce que la Ville a décidé."
        ),
        "body": (
            "<p>L'ancien centre des loisirs de la rue Saint-Paul, construit en 1968, ne répond "
            "plus aux besoins : pas d'ascenseur, des salles trop petites, un chauffage au "
            "mazout. Avant d'en établir le programme, la Ville a demandé aux résidents et aux "
            "organismes comment ils utiliseraient un nouveau centre.</p>"
        ),
        "objectives": (
            "<ul><li>Connaître les activités que les organismes et les résidents veulent y "
            "tenir.</li>"
            "<li>Définir le programme des espaces : salles, gymnase, cuisine, bibliothèque de "
            "quartier.</li>"
            "<li>Choisir entre la rénovation du bâtiment actuel et une construction neuve.</li>"
            "</ul>"
        ),
        "target_audience": (
            "Les résidents du Vieux-Village, les organismes communautaires et sportifs, les "
            "aînés et les adolescents."
        ),
        "location_name": "Rue Saint-Paul, Vieux-Village",
        "what_we_heard": (
            "<p>Le sondage a reçu 1 164 réponses et 23 organismes ont participé aux "
            "ateliers.</p><ul>"
            "<li><strong>Un gymnase double</strong> est la demande la plus fréquente (62 % des "
            "répondants), surtout pour le basketball, le pickleball et les activités des "
            "aînés.</li>"
            "<li><strong>Une cuisine collective</strong> pour les ateliers culinaires et les "
            "repas communautaires (48 %).</li>"
            "<li><strong>Un local pour les adolescents</strong>, ouvert le soir et la fin de "
            "semaine (41 %).</li>"
            "<li><strong>L'accessibilité</strong> : un ascenseur, des supports à vélos et un "
            "arrêt d'autobus tout près.</li></ul>"
            "<p>Plusieurs personnes tenaient aussi à garder la façade en briques de 1968, "
            "appréciée dans le quartier.</p>"
        ),
        "decision": (
            "<p>Le conseil municipal a choisi une <strong>construction neuve</strong> sur le "
            "terrain actuel, qui conservera la façade en briques de l'ancien centre.</p>"
            "<p>Le programme retient de vos contributions un gymnase double, une cuisine "
            "collective, un local pour les adolescents, trois salles polyvalentes et un "
            "ascenseur.</p>"
            "<p>La bibliothèque de quartier n'a pas été retenue : la bibliothèque centrale est "
            "à 800 mètres et sera agrandie. Les plans seront présentés au printemps.</p>"
        ),
    },
    english={
        "title": "New Vieux-Village community centre",
        "slug": "community-centre",
        "summary": (
            "Residents helped define the spaces of the future community centre. See what we "
            "heard and what the city decided."
        ),
        "body": (
            "<p>The old recreation centre on rue Saint-Paul, built in 1968, no longer meets "
            "the needs: no elevator, rooms too small, oil heating. Before drawing up its "
            "programme, the city asked residents and community groups how they would use a "
            "new centre.</p>"
        ),
        "objectives": (
            "<ul><li>Learn which activities community groups and residents want to hold "
            "there.</li>"
            "<li>Define the programme of spaces: rooms, gym, kitchen, neighbourhood "
            "library.</li>"
            "<li>Choose between renovating the current building and building a new one.</li>"
            "</ul>"
        ),
        "target_audience": (
            "Vieux-Village residents, community and sports groups, seniors and teenagers."
        ),
        "location_name": "Rue Saint-Paul, Vieux-Village",
        "what_we_heard": (
            "<p>The survey received 1,164 answers and 23 community groups took part in the "
            "workshops.</p><ul>"
            "<li><strong>A double gym</strong> is the most frequent request (62% of "
            "respondents), above all for basketball, pickleball and seniors' activities.</li>"
            "<li><strong>A community kitchen</strong> for cooking workshops and community "
            "meals (48%).</li>"
            "<li><strong>A room for teenagers</strong>, open evenings and weekends "
            "(41%).</li>"
            "<li><strong>Accessibility</strong>: an elevator, bike racks and a bus stop close "
            "by.</li></ul>"
            "<p>Many people also wanted to keep the 1968 brick front, well liked in the "
            "neighbourhood.</p>"
        ),
        "decision": (
            "<p>City council chose a <strong>new building</strong> on the current site, which "
            "will keep the brick front of the old centre.</p>"
            "<p>From your input, the programme keeps a double gym, a community kitchen, a room "
            "for teenagers, three multi-purpose rooms and an elevator.</p>"
            "<p>The neighbourhood library was not kept: the main library is 800 metres away "
            "and will be enlarged. The plans will be presented in the spring.</p>"
        ),
    },
    common={
        "participation_level": ParticipationLevel.COLLABORATE,
        "latitude": Decimal("45.386800"),
        "longitude": Decimal("-73.522300"),
        "budget": Decimal("18500000.00"),
    },
    department="Loisirs et culture",
    themes=["vie-communautaire", "culture", "parcs-et-loisirs"],
    phases=[
        PhaseSpec(
            -330,
            -301,
            ParticipationMethod.INFORMATION,
            (
                "État du bâtiment actuel",
                "Publication de l'étude sur l'état du bâtiment et des coûts de rénovation.",
            ),
            (
                "State of the current building",
                "Publication of the study on the building's condition and renovation costs.",
            ),
        ),
        PhaseSpec(
            -300,
            -256,
            SURVEY,
            (
                "Sondage sur les besoins",
                "Quelles activités, à quelles heures, pour qui : dites-nous comment vous "
                "utiliseriez le centre.",
            ),
            (
                "Survey on needs",
                "Which activities, at what times, for whom: tell us how you would use the centre.",
            ),
        ),
        PhaseSpec(
            -250,
            -236,
            ParticipationMethod.INFORMATION,
            (
                "Ateliers avec les organismes",
                "Trois ateliers de co-conception avec les organismes communautaires, sportifs "
                "et culturels.",
            ),
            (
                "Workshops with community groups",
                "Three co-design workshops with community, sports and cultural groups.",
            ),
        ),
        PhaseSpec(
            -235,
            -180,
            ParticipationMethod.INFORMATION,
            (
                "Programme et décision du conseil",
                "Rédaction du programme des espaces et choix du conseil municipal.",
            ),
            (
                "Programme and council decision",
                "Drafting of the programme of spaces and city council's choice.",
            ),
        ),
    ],
    updates=[
        UpdateSpec(
            -300,
            (
                "Le sondage est lancé",
                "<p>Le sondage sur les besoins est ouvert pendant six semaines. Les organismes "
                "recevront une invitation aux ateliers.</p>",
            ),
            (
                "The survey is open",
                "<p>The survey on needs is open for six weeks. Community groups will receive "
                "an invitation to the workshops.</p>",
            ),
        ),
        UpdateSpec(
            -180,
            (
                "Le conseil adopte le programme",
                "<p>Le conseil municipal a adopté le programme du nouveau centre. Lisez "
                "ci-dessous ce que nous avons entendu et ce qui a été décidé.</p>",
            ),
            (
                "Council adopts the programme",
                "<p>City council adopted the programme of the new centre. Read below what we "
                "heard and what was decided.</p>",
            ),
        ),
    ],
    feedback_due_in_days=-170,
    accountability_published_days_ago=182,
)

PROJECTS = [RIVERSIDE_PARK, BIKE_NETWORK, COMMUNITY_CENTRE]


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for slug, french, english in THEMES:
        theme, _created = Theme.objects.get_or_create(
            slug=slug, defaults={"name_fr": french, "name_en": english}
        )
        themes[slug] = theme
    return themes


def ensure_index(home: Page) -> ProjectIndexPage:
    index = ensure_page(
        home,
        ProjectIndexPage,
        {
            "title": "Participer",
            "slug": INDEX_SLUG,
            "show_in_menus": True,
            "search_description": "Les grands projets de la Ville : suivez-les et donnez votre avis.",
            "intro": (
                "La Ville consulte ses résidents avant de décider. Chaque projet précise ses "
                "objectifs, le public visé et la date à laquelle vous saurez ce que la Ville a "
                "fait de vos idées. Vous pouvez participer sans créer de compte."
            ),
        },
        {
            "title": "Take part",
            "slug": "projects",
            "search_description": "The city's major projects: follow them and have your say.",
            "intro": (
                "The city consults residents before it decides. Every project states its "
                "objectives, the audience it seeks and the date on which you will hear what the "
                "city did with your ideas. You can take part without an account."
            ),
        },
    )
    return cast(ProjectIndexPage, index)


def _new_project(
    spec: ProjectSpec,
    language: str,
    *,
    today: datetime.date,
    themes: dict[str, Theme],
    phase_keys: list[Any] | None = None,
    **page_fields: Any,
) -> ProjectPage:
    texts = spec.french if language == "fr" else spec.english
    page = ProjectPage(
        **spec.common,
        **texts,
        **page_fields,
        department=Department.objects.filter(name=spec.department).first(),
        feedback_due_date=today + datetime.timedelta(days=spec.feedback_due_in_days),
    )
    # The editor numbers phases in their order; so does the demo, or their order is the
    # database's whim.
    phases = [
        Phase(sort_order=position, **phase.fields(today, language))
        for position, phase in enumerate(spec.phases)
    ]
    for phase, key in zip(phases, phase_keys or [], strict=False):
        phase.translation_key = key  # a translated phase is the same phase
    page.phases = phases
    page.updates = [
        ProjectUpdate(sort_order=position, **update.fields(today, language))
        for position, update in enumerate(spec.updates)
    ]
    page.themes = [themes[slug] for slug in spec.themes]
    return page


def _publish(page: Page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def ensure_project(
    index: ProjectIndexPage, spec: ProjectSpec, themes: dict[str, Theme]
) -> ProjectPage:
    """The French project under `index` with the spec's slug, and its English translation
    (whose phases share the French phases' translation keys)."""
    today = timezone.localdate()
    page: ProjectPage | None = (
        ProjectPage.objects.child_of(index).filter(slug=spec.french["slug"]).first()
    )
    if page is None:
        page = _new_project(spec, "fr", today=today, themes=themes)
        index.add_child(instance=page)
        _publish(page)
    english = Locale.objects.get(language_code="en")
    if page.get_translation_or_none(english) is None:
        phase_keys = [phase.translation_key for phase in page.phases.all()]
        translation = _new_project(
            spec,
            "en",
            today=today,
            themes=themes,
            phase_keys=phase_keys,
            locale=english,
            translation_key=page.translation_key,
        )
        index.get_translation(english).add_child(instance=translation)
        _publish(translation)
    if spec.accountability_published_days_ago is not None:
        # As if published from the page editor that day (does nothing the second time).
        days = datetime.timedelta(days=spec.accountability_published_days_ago)
        administrator = User.objects.filter(email=_email_of(Role.ADMINISTRATOR)).first()
        publish_accountability(project=page, actor=administrator, now=timezone.now() - days)
        page.refresh_from_db()
    return page


def ensure_moderator(project: ProjectPage) -> None:
    """The demo moderator runs the project, assigned by the manager of its department."""
    moderator = User.objects.filter(email=_email_of(Role.PROJECT_MODERATOR)).first()
    manager = User.objects.filter(email=_email_of(Role.DEPARTMENT_MANAGER)).first()
    if moderator is None or manager is None:
        return
    assign_moderator(project=project, user=moderator, actor=manager)


def seed(report: list[str]) -> None:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage), "agora/pages/demo.py builds the home page first"
    themes = ensure_themes()
    index = ensure_index(home)
    projects = []
    for spec in PROJECTS:
        project = ensure_project(index, spec, themes)
        if spec.moderated_by_demo_moderator:
            ensure_moderator(project)
        projects.append(project)
    park, bikes, centre = projects
    english = index.get_translation(Locale.objects.get(language_code="en"))
    moderator = _email_of(Role.PROJECT_MODERATOR)
    report.append(
        f"Participer: {index.url} ({english.url}) - {len(projects)} projects, "
        f"{len(themes)} themes; {moderator} moderates the first two."
    )
    report.append(f"  idea box open: {park.url}")
    report.append(f"  awaiting feedback (due {bikes.feedback_due_date}): {bikes.url}")
    report.append(f"  finished, decision published: {centre.url}")
