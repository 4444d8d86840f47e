"""Ville de Démo's surveys, in French and in English, with their generated responses.

1. "Consultation sur la collecte des matières organiques": a one-off survey of four sections
   that closed three weeks ago, 540 responses, results public since it closed, and three
   excerpts of open answers published by the moderator.
2. "Satisfaction à l'égard des services municipaux": a continuous survey (one response per
   participant and per day) answered 20 to 60 times a month for twelve months, with
   satisfaction slowly rising; results live.
3. "L'accès à l'eau au parc riverain": the survey phase of the riverside park (added to the
   project by `ensure_survey_phase` when the project has no open survey phase), about forty
   responses so far; results live.
4. "Vos déplacements à vélo": the closed survey of the bike network's survey phase, with the
   912 responses its project page reports; results public since it closed.

Responses are written the fast way: `bulk_create` of `Response` and `Answer` rows, each
answer made by its question type's own `stored_values`, as the answering flow would, and only
for the questions a resident would have been shown (display conditions are checked with the
types' `condition_matches`). The draws come from `random.Random(seed)`, so the demo is the
same every time. Idempotent: surveys are found by slug; a survey with responses gets no more.

Runs after agora/participation/demo.py, which builds the themes and the projects.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from wagtail.models import Locale

from agora.accounts.demo import DEMO_TEAM
from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.core.page_cache import bump_scope
from agora.participation.demo import (
    AWAITING_FEEDBACK_PROJECT_SLUG,
    IDEA_BOX_PROJECT_SLUG,
    ensure_themes,
)
from agora.participation.models import (
    Participant,
    Phase,
    ProjectPage,
    Theme,
)
from agora.surveys.models import (
    Answer,
    Choice,
    ChoiceRole,
    ConditionOperator,
    Excerpt,
    Question,
    Response,
    ResponsePolicy,
    ResultsVisibility,
    Section,
    Survey,
    SurveyKind,
)
from agora.surveys.phases import SURVEY
from agora.surveys.services import insert_answers, survey_scope
from agora.surveys.signals import renew_structure

DEMO_NAMESPACE = uuid.UUID("8d5f3a51-2f0e-4c7b-9b8e-5a3c1e7d9f20")
BATCH_SIZE = 2000

ORGANICS_SLUG = "collecte-matieres-organiques"
SATISFACTION_SLUG = "satisfaction-services-municipaux"
PARK_SURVEY_SLUG = "acces-eau-parc-riverain"
BIKE_SURVEY_SLUG = "deplacements-a-velo"
# The bike network's page says what its survey received: so many responses.
BIKE_SURVEY_RESPONSES = 912

# (value, French, English)
type Option = tuple[str, str, str]


# Specifications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """A question; `key` names it for the respondents' answers and for conditions."""

    key: str
    kind: str
    french: str
    english: str
    required: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    rows: tuple[Option, ...] = ()
    # (the key of an earlier question, operator, expected value)
    condition: tuple[str, str, str] | None = None
    help_french: str = ""
    help_english: str = ""


@dataclass(frozen=True)
class SectionSpec:
    french: tuple[str, str]  # title, introduction
    english: tuple[str, str]
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class SurveySpec:
    slug: str
    french: dict[str, str]  # title, summary, introduction, thank_you
    english: dict[str, str]
    kind: SurveyKind
    response_policy: ResponsePolicy
    results_visibility: ResultsVisibility
    themes: tuple[str, ...]
    sections: tuple[SectionSpec, ...]

    def questions(self) -> list[QuestionSpec]:
        return [question for section in self.sections for question in section.questions]


DISTRICTS: tuple[Option, ...] = (
    ("vieux-village", "Vieux-Village", "Vieux-Village"),
    ("secteur-de-la-gare", "Secteur de la gare", "Train station area"),
    ("les-berges", "Les Berges", "Les Berges"),
    ("domaine-des-pins", "Domaine-des-Pins", "Domaine-des-Pins"),
    ("haut-village", "Haut-Village", "Haut-Village"),
)
# The first three characters of the postal codes of each district (made up, Montérégie-like).
POSTAL_PREFIXES = {
    "vieux-village": ("J5R", "J5R", "J5R", "J5S"),
    "secteur-de-la-gare": ("J5R", "J5S"),
    "les-berges": ("J5A", "J5A", "J5R"),
    "domaine-des-pins": ("J5B",),
    "haut-village": ("J5B", "J5C"),
}
DISTRICT_WEIGHTS = (26, 22, 18, 20, 14)
# Age groups (agora/surveys/questions/age_group.py) and how often each answers.
AGE_WEIGHTS = {
    "moins-de-18-ans": 1,
    "18-24-ans": 5,
    "25-34-ans": 15,
    "35-44-ans": 21,
    "45-54-ans": 18,
    "55-64-ans": 17,
    "65-74-ans": 14,
    "75-ans-et-plus": 5,
    "ne-pas-repondre": 4,
}
OLDER = {"55-64-ans", "65-74-ans", "75-ans-et-plus"}

ABOUT_YOU = SectionSpec(
    (
        "À propos de vous",
        "Ces questions sont facultatives. Elles permettent de savoir si tous les quartiers et "
        "tous les âges ont été entendus; les résultats par groupe ne sont publiés qu'à partir "
        "de cinq répondants.",
    ),
    (
        "About you",
        "These questions are optional. They tell us whether every neighbourhood and every age "
        "group was heard; results by group are published only from five respondents up.",
    ),
    (
        QuestionSpec("age", "age_group", "Quel est votre groupe d'âge?", "What is your age group?"),
        QuestionSpec(
            "quartier",
            "district",
            "Dans quel quartier habitez-vous?",
            "Which neighbourhood do you live in?",
            options=DISTRICTS,
        ),
        QuestionSpec(
            "code_postal",
            "postal_code",
            "Les trois premiers caractères de votre code postal",
            "The first three characters of your postal code",
            help_french="Par exemple J5R. Nous ne demandons jamais le code postal complet.",
            help_english="For example J5R. We never ask for the full postal code.",
        ),
    ),
)

ORGANICS = SurveySpec(
    slug=ORGANICS_SLUG,
    french={
        "title": "Consultation sur la collecte des matières organiques",
        "summary": (
            "Comment utilisez-vous votre bac brun, et que faudrait-il changer? La Ville revoit "
            "la collecte des matières organiques avant le renouvellement de son contrat en 2027."
        ),
        "introduction": (
            "Depuis trois ans, la Ville collecte les matières organiques toutes les deux "
            "semaines. Avant de renouveler le contrat de collecte, elle veut savoir comment les "
            "résidents utilisent leur bac brun, ce qui les en empêche et ce qui devrait changer "
            "en priorité. Le sondage prend environ huit minutes."
        ),
        "thank_you": (
            "Merci! Les résultats seront publiés dès la fermeture du sondage et présentés au "
            "conseil municipal avec les recommandations du Service des travaux publics."
        ),
    },
    english={
        "title": "Consultation on organic waste collection",
        "summary": (
            "How do you use your brown bin, and what should change? The city is reviewing "
            "organic waste collection before its contract is renewed in 2027."
        ),
        "introduction": (
            "For three years, the city has collected organic waste every two weeks. Before it "
            "renews the collection contract, it wants to know how residents use their brown "
            "bin, what keeps them from using it and what should change first. The survey takes "
            "about eight minutes."
        ),
        "thank_you": (
            "Thank you! The results will be published as soon as the survey closes and "
            "presented to city council with the Public Works department's recommendations."
        ),
    },
    kind=SurveyKind.ONE_OFF,
    response_policy=ResponsePolicy.ONCE,
    results_visibility=ResultsVisibility.AFTER_CLOSE,
    themes=("environnement",),
    sections=(
        SectionSpec(
            ("Vos habitudes", "Parlez-nous de votre utilisation du bac brun."),
            ("Your habits", "Tell us how you use the brown bin."),
            (
                QuestionSpec(
                    "frequence",
                    "single_choice",
                    "À quelle fréquence sortez-vous votre bac brun?",
                    "How often do you put out your brown bin?",
                    required=True,
                    options=(
                        ("chaque-collecte", "À chaque collecte", "At every collection"),
                        ("une-sur-deux", "Une collecte sur deux", "Every other collection"),
                        ("rarement", "Rarement", "Rarely"),
                        ("jamais", "Jamais", "Never"),
                        ("pas-de-bac", "Je n'ai pas de bac brun", "I have no brown bin"),
                    ),
                ),
                QuestionSpec(
                    "freins",
                    "multiple_choice",
                    "Qu'est-ce qui vous freine le plus? (trois choix au plus)",
                    "What holds you back the most? (three choices at most)",
                    settings={"max_choices": 3},
                    options=(
                        ("odeurs", "Les odeurs", "Smells"),
                        ("mouches", "Les mouches et les vers", "Flies and maggots"),
                        ("place", "Le manque de place dans la cuisine", "No room in the kitchen"),
                        ("sacs", "Le coût des sacs compostables", "The cost of compostable bags"),
                        (
                            "quoi-mettre",
                            "Je ne sais pas toujours quoi y mettre",
                            "I am not always sure what goes in it",
                        ),
                        ("gel", "Le bac gèle l'hiver", "The bin freezes in winter"),
                    ),
                ),
            ),
        ),
        SectionSpec(
            (
                "La collecte",
                "La collecte a lieu toutes les deux semaines, toute l'année. Le contrat actuel "
                "prend fin en 2027.",
            ),
            (
                "Collection",
                "Collection takes place every two weeks, all year round. The current contract "
                "ends in 2027.",
            ),
            (
                QuestionSpec(
                    "ete_hebdo",
                    "yes_no",
                    "Souhaitez-vous une collecte chaque semaine de juin à septembre?",
                    "Would you like a weekly collection from June to September?",
                    required=True,
                ),
                QuestionSpec(
                    "pourquoi_non",
                    "single_choice",
                    "Pourquoi pas?",
                    "Why not?",
                    options=(
                        (
                            "inutile",
                            "Toutes les deux semaines me suffit",
                            "Every two weeks is enough",
                        ),
                        ("cout", "Le coût pour la Ville", "The cost to the city"),
                        ("camions", "Plus de camions dans les rues", "More trucks in the streets"),
                        ("sans-avis", "Je n'ai pas d'avis", "I have no opinion"),
                    ),
                    condition=("ete_hebdo", ConditionOperator.EQUALS, "non"),
                ),
                QuestionSpec(
                    "note_service",
                    "rating",
                    "Quelle note donnez-vous à la collecte des matières organiques actuelle?",
                    "How do you rate the current organic waste collection?",
                    settings={"scale": "stars"},
                ),
                QuestionSpec(
                    "enonces",
                    "matrix",
                    "Êtes-vous d'accord avec les énoncés suivants?",
                    "Do you agree with the following statements?",
                    rows=(
                        (
                            "calendrier-clair",
                            "Le calendrier de collecte est facile à comprendre.",
                            "The collection calendar is easy to understand.",
                        ),
                        (
                            "matieres-connues",
                            "Je sais quelles matières vont dans le bac brun.",
                            "I know which materials go in the brown bin.",
                        ),
                        (
                            "collecte-a-l-heure",
                            "Mon bac est vidé le jour prévu.",
                            "My bin is emptied on the scheduled day.",
                        ),
                        (
                            "ville-informe",
                            "La Ville informe bien les résidents sur le compostage.",
                            "The city informs residents well about composting.",
                        ),
                    ),
                ),
            ),
        ),
        SectionSpec(
            ("Vos priorités", "Le budget ne permet pas tout à la fois : aidez-nous à choisir."),
            ("Your priorities", "The budget does not allow everything at once: help us choose."),
            (
                QuestionSpec(
                    "priorites",
                    "ranking",
                    "Classez ces mesures, de la plus importante à la moins importante.",
                    "Rank these measures, from the most to the least important.",
                    options=(
                        (
                            "sacs-gratuits",
                            "Des sacs compostables gratuits",
                            "Free compostable bags",
                        ),
                        (
                            "collecte-hebdo",
                            "Une collecte chaque semaine l'été",
                            "A weekly collection in summer",
                        ),
                        (
                            "immeubles",
                            "La collecte dans les immeubles de 9 logements et plus",
                            "Collection in buildings of 9 or more units",
                        ),
                        (
                            "information",
                            "Une campagne d'information porte-à-porte",
                            "A door-to-door information campaign",
                        ),
                    ),
                ),
                QuestionSpec(
                    "suggestions",
                    "long_text",
                    "Avez-vous d'autres suggestions?",
                    "Do you have other suggestions?",
                    help_french=(
                        "Des extraits de réponses pourront être publiés avec les résultats, "
                        "sans rien qui permette de vous reconnaître."
                    ),
                    help_english=(
                        "Excerpts of answers may be published with the results, without "
                        "anything that could identify you."
                    ),
                ),
            ),
        ),
        ABOUT_YOU,
    ),
)

SATISFACTION = SurveySpec(
    slug=SATISFACTION_SLUG,
    french={
        "title": "Satisfaction à l'égard des services municipaux",
        "summary": (
            "Une minute pour nous dire comment s'est passé votre dernier contact avec la Ville. "
            "Vous pouvez répondre une fois par jour; les résultats sont mis à jour en continu."
        ),
        "introduction": (
            "Ce sondage reste toujours ouvert. Chaque mois, les services municipaux examinent "
            "les résultats pour repérer ce qui s'améliore et ce qui doit changer."
        ),
        "thank_you": "Merci! Vos réponses comptent déjà dans les résultats publiés.",
    },
    english={
        "title": "Satisfaction with municipal services",
        "summary": (
            "One minute to tell us how your last contact with the city went. You may answer "
            "once a day; the results are updated continuously."
        ),
        "introduction": (
            "This survey is always open. Every month, the city's departments review the results "
            "to see what is improving and what needs to change."
        ),
        "thank_you": "Thank you! Your answers already count in the published results.",
    },
    kind=SurveyKind.CONTINUOUS,
    response_policy=ResponsePolicy.DAILY,
    results_visibility=ResultsVisibility.LIVE,
    themes=("vie-communautaire",),
    sections=(
        SectionSpec(
            ("Votre dernier contact avec la Ville", ""),
            ("Your last contact with the city", ""),
            (
                QuestionSpec(
                    "service",
                    "single_choice",
                    "Quel service avez-vous utilisé le plus récemment?",
                    "Which service did you use most recently?",
                    required=True,
                    options=(
                        ("collectes", "Collectes et recyclage", "Waste and recycling collection"),
                        ("deneigement", "Déneigement", "Snow removal"),
                        ("loisirs", "Loisirs et bibliothèque", "Recreation and library"),
                        ("permis", "Permis et inspection", "Permits and inspection"),
                        ("taxes", "Taxes et évaluation", "Taxes and assessment"),
                        ("requetes", "Requêtes et plaintes", "Requests and complaints"),
                    ),
                ),
                QuestionSpec(
                    "obtenu",
                    "yes_no",
                    "Avez-vous obtenu ce dont vous aviez besoin?",
                    "Did you get what you needed?",
                    required=True,
                ),
                QuestionSpec(
                    "note",
                    "rating",
                    "Dans l'ensemble, quelle note donnez-vous aux services de la Ville?",
                    "Overall, how do you rate the city's services?",
                    required=True,
                    settings={"scale": "nps"},
                    help_french="0 : très insatisfait; 10 : très satisfait.",
                    help_english="0: very dissatisfied; 10: very satisfied.",
                ),
                QuestionSpec(
                    "quartier",
                    "district",
                    "Dans quel quartier habitez-vous?",
                    "Which neighbourhood do you live in?",
                    options=DISTRICTS,
                ),
            ),
        ),
    ),
)

PARK_SURVEY = SurveySpec(
    slug=PARK_SURVEY_SLUG,
    french={
        "title": "L'accès à l'eau au parc riverain",
        "summary": (
            "Quai, rampe pour kayaks ou petite plage? Six questions pour aider à concevoir les "
            "deux scénarios du futur parc riverain."
        ),
        "introduction": (
            "En même temps que la boîte à idées, ce court sondage aide l'équipe de conception à "
            "choisir l'accès à l'eau et les heures d'ouverture du futur parc."
        ),
        "thank_you": "Merci! Les résultats seront présentés à l'atelier de conception.",
    },
    english={
        "title": "Access to the water at the riverside park",
        "summary": (
            "A dock, a kayak launch or a small beach? Six questions to help design the two "
            "options for the future riverside park."
        ),
        "introduction": (
            "Alongside the idea box, this short survey helps the design team choose how to "
            "reach the water and when the future park should be open."
        ),
        "thank_you": "Thank you! The results will be presented at the design workshop.",
    },
    kind=SurveyKind.ONE_OFF,
    response_policy=ResponsePolicy.ONCE,
    results_visibility=ResultsVisibility.LIVE,
    themes=("parcs-et-loisirs",),
    sections=(
        SectionSpec(
            ("Le parc que vous voulez", ""),
            ("The park you want", ""),
            (
                QuestionSpec(
                    "acces",
                    "single_choice",
                    "Quel accès à l'eau préférez-vous?",
                    "Which access to the water do you prefer?",
                    required=True,
                    options=(
                        ("quai", "Un quai pour pêcher et s'asseoir", "A dock to fish and sit"),
                        ("rampe", "Une rampe pour kayaks", "A kayak launch"),
                        ("plage", "Une petite plage", "A small beach"),
                        ("aucun", "Aucun : laisser la rive naturelle", "None: keep the shore wild"),
                    ),
                ),
                QuestionSpec(
                    "moments",
                    "multiple_choice",
                    "Quand iriez-vous au parc?",
                    "When would you go to the park?",
                    options=(
                        ("matins", "Les matins de semaine", "Weekday mornings"),
                        ("soirs", "Les soirs de semaine", "Weekday evenings"),
                        ("fins-de-semaine", "Les fins de semaine", "Weekends"),
                        ("hiver", "Aussi l'hiver", "In winter too"),
                    ),
                ),
                QuestionSpec(
                    "velo",
                    "yes_no",
                    "Iriez-vous au parc à vélo?",
                    "Would you go to the park by bike?",
                    required=True,
                ),
            ),
        ),
        SectionSpec(
            (
                "Vous et le parc",
                "Encore quelques questions, pour que le parc réponde aux besoins de chacun.",
            ),
            ("You and the park", "A few more questions, so that the park meets everyone's needs."),
            (
                QuestionSpec(
                    "stationnement",
                    "single_choice",
                    "Où aimeriez-vous garer votre vélo?",
                    "Where would you like to park your bike?",
                    options=(
                        ("entree", "À l'entrée du parc", "At the park entrance"),
                        ("eau", "Près de l'eau", "Near the water"),
                        ("aires-de-jeu", "Près des aires de jeu", "Near the playgrounds"),
                    ),
                    condition=("velo", ConditionOperator.EQUALS, "oui"),
                ),
                QuestionSpec(
                    "eclairage",
                    "rating",
                    "Quelle importance accordez-vous à l'éclairage du sentier?",
                    "How important is lighting along the trail to you?",
                    settings={"scale": "stars"},
                ),
                QuestionSpec(
                    "quartier",
                    "district",
                    "Dans quel quartier habitez-vous?",
                    "Which neighbourhood do you live in?",
                    options=DISTRICTS,
                ),
            ),
        ),
    ),
)

BIKE_SURVEY = SurveySpec(
    slug=BIKE_SURVEY_SLUG,
    french={
        "title": "Vos déplacements à vélo",
        "summary": (
            "Vos trajets, ce qui vous empêche de prendre le vélo et les tronçons à construire "
            "en premier : le sondage du plan directeur du réseau cyclable."
        ),
        "introduction": (
            "Vos réponses aident l'équipe à choisir les tronçons du réseau cyclable à "
            "construire en premier."
        ),
        "thank_you": "Merci! Le plan directeur tiendra compte de vos réponses.",
    },
    english={
        "title": "Your trips by bike",
        "summary": (
            "Your trips, what keeps you from cycling and the sections to build first: the "
            "survey of the bike network master plan."
        ),
        "introduction": (
            "Your answers help the team choose which sections of the bike network to build first."
        ),
        "thank_you": "Thank you! The master plan will take your answers into account.",
    },
    kind=SurveyKind.ONE_OFF,
    response_policy=ResponsePolicy.ONCE,
    results_visibility=ResultsVisibility.AFTER_CLOSE,
    themes=("mobilite", "securite"),
    sections=(
        SectionSpec(
            ("Vos trajets", ""),
            ("Your trips", ""),
            (
                QuestionSpec(
                    "frequence",
                    "single_choice",
                    "À quelle fréquence vous déplacez-vous à vélo?",
                    "How often do you travel by bike?",
                    required=True,
                    options=(
                        ("chaque-jour", "Presque chaque jour", "Almost every day"),
                        ("chaque-semaine", "Chaque semaine", "Every week"),
                        ("parfois", "Parfois", "Sometimes"),
                        ("jamais", "Jamais", "Never"),
                    ),
                ),
                QuestionSpec(
                    "freins",
                    "multiple_choice",
                    "Qu'est-ce qui vous empêche de prendre le vélo plus souvent?",
                    "What keeps you from cycling more often?",
                    options=(
                        ("securite", "La circulation automobile", "Car traffic"),
                        ("discontinu", "Des pistes qui s'interrompent", "Lanes that stop short"),
                        ("stationnement", "Où garer mon vélo", "Where to park my bike"),
                        ("distance", "Les distances", "The distances"),
                    ),
                ),
                QuestionSpec(
                    "quartier",
                    "district",
                    "Dans quel quartier habitez-vous?",
                    "Which neighbourhood do you live in?",
                    options=DISTRICTS,
                ),
            ),
        ),
    ),
)

PARK_PHASE_FRENCH = (
    "Sondage sur l'accès à l'eau",
    "Quelques questions sur l'accès à l'eau et les heures de fréquentation du parc, en même temps "
    "que la boîte à idées.",
)
PARK_PHASE_ENGLISH = (
    "Survey on access to the water",
    "A few questions on access to the water and when you would use the park, alongside the "
    "idea box.",
)
PARK_PHASE_DAYS = (-6, 24)  # relative to today: it closes with the idea box

SUGGESTIONS = [
    "Distribuer des sacs compostables gratuits deux fois par année, comme à Brossard.",
    "Un aide-mémoire aimanté pour le frigo avec ce qui va dans le bac brun.",
    "L'été, les vers apparaissent en quelques jours : une collecte par semaine est nécessaire.",
    "Offrir des bacs de cuisine avec couvercle ventilé aux nouveaux résidents.",
    "Mettre des bacs bruns dans les parcs et près des commerces de la rue Principale.",
    "Les immeubles à logements devraient avoir la collecte eux aussi.",
    "Envoyer un rappel par texto la veille de la collecte.",
    "Expliquer ce que devient le compost, on serait plus motivés.",
    "Donner du compost gratuit aux résidents au printemps.",
    "Le bac gèle au fond l'hiver : un conseil pour l'éviter serait utile.",
]
# Staff published these three, shortened where they named a street or a person.
PUBLISHED_SUGGESTIONS = (0, 2, 7)


# Building a survey ------------------------------------------------------------------------


@dataclass
class BuiltSurvey:
    survey: Survey
    questions: dict[str, Question]  # by spec key, choices prefetched


def build_survey(
    spec: SurveySpec,
    *,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    published_at: datetime.datetime,
    department: Department | None = None,
    project: ProjectPage | None = None,
    phase: Phase | None = None,
    themes: Iterable[Theme] = (),
) -> BuiltSurvey:
    """The survey with the spec's slug, created with its sections, questions and choices if
    it does not exist yet."""
    survey = Survey.objects.filter(slug=spec.slug).first()
    if survey is None:
        survey = Survey.objects.create(
            slug=spec.slug,
            **{f"{name}_fr": text for name, text in spec.french.items()},
            **{f"{name}_en": text for name, text in spec.english.items()},
            kind=spec.kind,
            opens_at=opens_at,
            closes_at=closes_at,
            response_policy=spec.response_policy,
            results_visibility=spec.results_visibility,
            department=department,
            project=project,
            phase=phase,
            published_at=published_at,
        )
        survey.themes.set(list(themes))
        _build_structure(survey, spec)
    return BuiltSurvey(survey, questions_by_key(survey, spec))


def _build_structure(survey: Survey, spec: SurveySpec) -> None:
    built: dict[str, Question] = {}
    choices: list[Choice] = []
    for section_position, section_spec in enumerate(spec.sections):
        section = Section.objects.create(
            survey=survey,
            position=section_position,
            title_fr=section_spec.french[0],
            introduction_fr=section_spec.french[1],
            title_en=section_spec.english[0],
            introduction_en=section_spec.english[1],
        )
        for position, question_spec in enumerate(section_spec.questions):
            condition = question_spec.condition
            question = Question.objects.create(
                survey=survey,
                section=section,
                position=position,
                kind=question_spec.kind,
                label_fr=question_spec.french,
                label_en=question_spec.english,
                help_text_fr=question_spec.help_french,
                help_text_en=question_spec.help_english,
                required=question_spec.required,
                settings=question_spec.settings,
                condition_question=built[condition[0]] if condition else None,
                condition_operator=condition[1] if condition else "",
                condition_value=condition[2] if condition else "",
            )
            built[question_spec.key] = question
            offered = question_spec.options or tuple(question.type.default_choices)
            choices += [
                Choice(
                    question=question,
                    role=ChoiceRole.OPTION,
                    position=index,
                    value=value,
                    label_fr=french,
                    label_en=english,
                )
                for index, (value, french, english) in enumerate(offered)
            ]
            choices += [
                Choice(
                    question=question,
                    role=ChoiceRole.ROW,
                    position=index,
                    value=value,
                    label_fr=french,
                    label_en=english,
                )
                for index, (value, french, english) in enumerate(question_spec.rows)
            ]
    Choice.objects.bulk_create(choices)  # without signals: the version is renewed here
    renew_structure(survey.pk)


def questions_by_key(survey: Survey, spec: SurveySpec) -> dict[str, Question]:
    """The survey's questions in the order residents meet them, named by the spec's keys."""
    questions = (
        Question.objects.filter(survey=survey)
        .select_related("section", "condition_question")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
        .order_by("section__position", "section__pk", "position", "pk")
    )
    return {
        question_spec.key: question
        for question_spec, question in zip(spec.questions(), questions, strict=True)
    }


# Writing responses ------------------------------------------------------------------------


@dataclass
class Respondent:
    """One generated response: who, when, in which language, and the session value of each
    question they would answer, by spec key."""

    participant: uuid.UUID
    submitted_at: datetime.datetime
    language: str
    values: dict[str, Any]


def shown_values(questions: dict[str, Question], values: dict[str, Any]) -> dict[Question, Any]:
    """The answers a resident could have given: those of questions (and sections) whose
    display condition their earlier answers meet, in order."""
    given: dict[int, Any] = {}
    shown: dict[Question, Any] = {}

    def meets(condition_question: Question | None, operator: str, expected: str) -> bool:
        if condition_question is None or not operator:
            return True
        value = given.get(condition_question.pk)
        return bool(
            condition_question.type.condition_matches(condition_question, value, operator, expected)
        )

    for key, question in questions.items():
        section = question.section
        if not meets(
            section.condition_question, section.condition_operator, section.condition_value
        ):
            continue
        if not meets(
            question.condition_question, question.condition_operator, question.condition_value
        ):
            continue
        value = values.get(key)
        if value is not None and question.type.is_answered(value):
            given[question.pk] = value
            shown[question] = value
    return shown


def write_responses(built: BuiltSurvey, respondents: Iterable[Respondent]) -> list[Response]:
    """Writes the responses and their answers with a handful of queries."""
    survey = built.survey
    respondents = list(respondents)
    Participant.objects.bulk_create(
        [
            Participant(id=participant, language=language, created_at=submitted_at)
            for participant, (submitted_at, language) in {
                r.participant: (r.submitted_at, r.language) for r in reversed(respondents)
            }.items()
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                participant_id=respondent.participant,
                submitted_at=respondent.submitted_at,
                language=respondent.language,
                policy_key=Response.policy_key_for(
                    survey,
                    Participant(id=respondent.participant),
                    timezone.localdate(respondent.submitted_at),
                ),
            )
            for respondent in respondents
        ],
        batch_size=BATCH_SIZE,
    )
    insert_answers(
        (response.pk, question.pk, stored)
        for response, respondent in zip(responses, respondents, strict=True)
        for question, value in shown_values(built.questions, respondent.values).items()
        for stored in question.type.stored_values(question, value)
    )
    bump_scope(survey_scope(survey))
    return responses


# Drawing answers --------------------------------------------------------------------------


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def some_of(rng: random.Random, chances: dict[str, float], most: int) -> list[str]:
    """Each option with its own chance, at most `most` of them (the likeliest kept)."""
    picked = [value for value, chance in chances.items() if rng.random() < chance]
    return sorted(picked, key=lambda value: -chances[value])[:most]


def rated(rng: random.Random, mean: float, low: int, high: int, spread: float = 1.0) -> int:
    return max(low, min(high, round(rng.gauss(mean, spread))))


def ranks(rng: random.Random, appeal: dict[str, float]) -> dict[str, int]:
    """A ranking: each item's appeal plus noise, the highest ranked first."""
    scores = {item: score + rng.gauss(0, 1.0) for item, score in appeal.items()}
    order = sorted(scores, key=lambda item: -scores[item])
    return {item: rank for rank, item in enumerate(order, start=1)}


def demographics(rng: random.Random) -> dict[str, Any]:
    district = rng.choices([d[0] for d in DISTRICTS], weights=DISTRICT_WEIGHTS)[0]
    values: dict[str, Any] = {}
    if rng.random() < 0.93:
        values["age"] = weighted(rng, AGE_WEIGHTS)
    if rng.random() < 0.9:
        values["quartier"] = district
    if rng.random() < 0.8:
        values["code_postal"] = rng.choice(POSTAL_PREFIXES[district])
    return values


def language(rng: random.Random) -> str:
    return "en" if rng.random() < 0.14 else "fr"


def participant_id(slug: str, number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{slug}:{number}")


def moment(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """A time between `start` and `end`, busier at the start (the launch) and the end (the
    reminders), during the day."""
    share = rng.betavariate(0.7, 0.9)
    when = start + (end - start) * share
    local = timezone.localtime(when)
    hour = rng.choice((7, 8, 9, 11, 12, 12, 13, 17, 19, 19, 20, 20, 21, 22))
    when = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    return min(max(when, start), end)


def organics_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values = demographics(rng)
    older = values.get("age") in OLDER
    frequency = weighted(
        rng,
        {
            "chaque-collecte": 48 if older else 36,
            "une-sur-deux": 22,
            "rarement": 14,
            "jamais": 10 if older else 14,
            "pas-de-bac": 4,
        },
    )
    values["frequence"] = frequency
    obstacles = some_of(
        rng,
        {
            "odeurs": 0.46,
            "mouches": 0.38,
            "place": 0.2,
            "sacs": 0.27,
            "quoi-mettre": 0.17,
            "gel": 0.14,
        },
        most=3,
    )
    if obstacles:
        values["freins"] = obstacles
    regular = frequency in ("chaque-collecte", "une-sur-deux")
    weekly = rng.random() < (0.74 if regular else 0.52)
    values["ete_hebdo"] = "oui" if weekly else "non"
    if not weekly:
        values["pourquoi_non"] = weighted(
            rng, {"inutile": 45, "cout": 28, "camions": 14, "sans-avis": 13}
        )
    if rng.random() < 0.95:
        values["note_service"] = rated(rng, 3.7 if regular else 3.0, 1, 5)
    if rng.random() < 0.9:
        values["enonces"] = {
            "calendrier-clair": rated(rng, 4.1, 1, 5),
            "matieres-connues": rated(rng, 3.6 if regular else 2.9, 1, 5),
            "collecte-a-l-heure": rated(rng, 4.3, 1, 5, 0.8),
            "ville-informe": rated(rng, 2.9, 1, 5, 1.1),
        }
    if rng.random() < 0.85:
        values["priorites"] = ranks(
            rng,
            {
                "sacs-gratuits": 1.2,
                "collecte-hebdo": 1.0 if weekly else -0.5,
                "immeubles": 0.2,
                "information": -0.1,
            },
        )
    if number % 4 == 0:
        values["suggestions"] = SUGGESTIONS[(number // 4) % len(SUGGESTIONS)]
    return Respondent(
        participant_id(ORGANICS_SLUG, number), moment(rng, start, end), language(rng), values
    )


def satisfaction_respondents(rng: random.Random, now: datetime.datetime) -> list[Respondent]:
    """Twelve months, this one included, of 20 to 60 responses; satisfaction and the share
    of residents who got what they needed rise slowly. A pool of regulars answers again some
    months (never twice the same day)."""
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    respondents: list[Respondent] = []
    used: set[tuple[uuid.UUID, datetime.date]] = set()
    for months_ago in range(11, -1, -1):
        start = _months_before(this_month, months_ago)
        end = min(_months_before(this_month, months_ago - 1), now - datetime.timedelta(minutes=5))
        end = max(end, start + datetime.timedelta(minutes=1))
        progress = (11 - months_ago) / 11
        count = rng.randint(20, 60)
        for _ in range(count):
            participant = participant_id(SATISFACTION_SLUG, rng.randrange(320))
            when = start + (end - start) * rng.random()
            if (participant, timezone.localdate(when)) in used:
                participant = participant_id(SATISFACTION_SLUG, 1000 + len(respondents))
            used.add((participant, timezone.localdate(when)))
            values: dict[str, Any] = {
                "service": weighted(
                    rng,
                    {
                        "collectes": 26,
                        "deneigement": 30 if start.month in (12, 1, 2, 3) else 6,
                        "loisirs": 22,
                        "permis": 12,
                        "taxes": 8,
                        "requetes": 14,
                    },
                ),
                "obtenu": "oui" if rng.random() < 0.68 + 0.12 * progress else "non",
                "note": rated(rng, 6.3 + 1.1 * progress, 0, 10, 1.9),
            }
            district = demographics(rng).get("quartier")
            if district:
                values["quartier"] = district
            respondents.append(Respondent(participant, when, language(rng), values))
    return respondents


def _months_before(month_start: datetime.datetime, months: int) -> datetime.datetime:
    """The first day of the month `months` before (after, when negative) `month_start`."""
    index = month_start.year * 12 + month_start.month - 1 - months
    return month_start.replace(year=index // 12, month=index % 12 + 1)


def park_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values: dict[str, Any] = {
        "acces": weighted(rng, {"quai": 30, "rampe": 34, "plage": 24, "aucun": 12}),
        "moments": some_of(
            rng, {"matins": 0.25, "soirs": 0.55, "fins-de-semaine": 0.8, "hiver": 0.3}, most=4
        ),
        "eclairage": rated(rng, 4.0, 1, 5),
        "velo": "oui" if rng.random() < 0.62 else "non",
    }
    if values["velo"] == "oui":
        values["stationnement"] = weighted(rng, {"entree": 45, "eau": 35, "aires-de-jeu": 20})
    district = demographics(rng).get("quartier")
    if district:
        values["quartier"] = district
    return Respondent(
        participant_id(PARK_SURVEY_SLUG, number), moment(rng, start, end), language(rng), values
    )


def bike_respondent(
    rng: random.Random, number: int, start: datetime.datetime, end: datetime.datetime
) -> Respondent:
    values: dict[str, Any] = {
        "frequence": weighted(
            rng, {"chaque-jour": 18, "chaque-semaine": 27, "parfois": 35, "jamais": 20}
        ),
        "freins": some_of(
            rng,
            {"securite": 0.7, "discontinu": 0.5, "stationnement": 0.3, "distance": 0.25},
            most=3,
        ),
    }
    district = demographics(rng).get("quartier")
    if district:
        values["quartier"] = district
    return Respondent(
        participant_id(BIKE_SURVEY_SLUG, number), moment(rng, start, end), language(rng), values
    )


# The surveys ------------------------------------------------------------------------------


def _start_of_day(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _demo_user(role: Role) -> User | None:
    email = next((e for team_role, e, _first, _last in DEMO_TEAM if team_role == role), None)
    return User.objects.filter(email=email).first() if email else None


def _themes(spec: SurveySpec, themes: dict[str, Theme]) -> list[Theme]:
    return [themes[slug] for slug in spec.themes if slug in themes]


def ensure_organics_survey(themes: dict[str, Theme]) -> Survey:
    today = timezone.localdate()
    opens_at = _start_of_day(today - datetime.timedelta(days=75), hour=8)
    closes_at = _start_of_day(today - datetime.timedelta(days=20))
    built = build_survey(
        ORGANICS,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at - datetime.timedelta(days=1),
        department=Department.objects.filter(name="Travaux publics").first(),
        themes=_themes(ORGANICS, themes),
    )
    survey = built.survey
    if not survey.responses.exists():
        rng = random.Random(5)  # noqa: S311 - made-up data, not a secret
        start, end = survey.opens_at or opens_at, survey.closes_at or closes_at
        end -= datetime.timedelta(minutes=1)
        write_responses(
            built, [organics_respondent(rng, number, start, end) for number in range(540)]
        )
        publish_excerpts(built)
    return survey


def publish_excerpts(built: BuiltSurvey) -> None:
    """The moderator's three excerpts, published the week after the survey closed."""
    question = built.questions["suggestions"]
    moderator = _demo_user(Role.PROJECT_MODERATOR)
    closed = built.survey.closes_at or timezone.now()
    for offset, index in enumerate(PUBLISHED_SUGGESTIONS):
        text = SUGGESTIONS[index]
        answer = Answer.objects.filter(question=question, text=text).order_by("pk").first()
        if answer is None or Excerpt.objects.filter(answer=answer).exists():
            continue
        excerpt = text.replace(", comme à Brossard", "")
        Excerpt.objects.create(
            question=question,
            answer=answer,
            text=excerpt,
            published_by=moderator,
            published_at=closed + datetime.timedelta(days=2, hours=offset),
        )


def ensure_satisfaction_survey(themes: dict[str, Theme]) -> Survey:
    now = timezone.now()
    this_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    opens_at = _months_before(this_month, 11)
    built = build_survey(
        SATISFACTION,
        opens_at=opens_at,
        closes_at=None,
        published_at=opens_at - datetime.timedelta(days=3),
        themes=_themes(SATISFACTION, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(12)  # noqa: S311 - made-up data, not a secret
        write_responses(built, satisfaction_respondents(rng, now))
    return built.survey


def ensure_survey_phase(project: ProjectPage) -> Phase:
    """The project's open survey phase; one is added (to the French page and its English
    translation, with the same translation key, in a published revision of each) when the
    project has none."""
    phase: Phase | None = next(
        (p for p in project.phases.all() if p.method == SURVEY and p.is_open()),
        None,
    )
    if phase is not None:
        return phase
    today = timezone.localdate()
    first, last = PARK_PHASE_DAYS
    key = uuid.uuid4()
    english = Locale.objects.filter(language_code="en").first()
    translation = project.get_translation_or_none(english) if english else None
    for page, (name, description) in (
        (project, PARK_PHASE_FRENCH),
        (translation.specific if translation else None, PARK_PHASE_ENGLISH),
    ):
        if not isinstance(page, ProjectPage):
            continue
        phases = list(page.phases.all())
        added = Phase(
            translation_key=key,
            name=name,
            description=description,
            start_date=today + datetime.timedelta(days=first),
            end_date=today + datetime.timedelta(days=last),
            method=SURVEY,
        )
        # In the timeline, after the phases that started before it.
        at = sum(1 for p in phases if p.start_date <= added.start_date)
        phases.insert(at, added)
        for position, item in enumerate(phases):
            item.sort_order = position
        page.phases = phases
        page.save_revision().publish()
    # Read back from the database: the page objects still hold the unsaved phase.
    saved: Phase = Phase.objects.get(project_id=project.pk, translation_key=key)
    return saved


def ensure_park_survey(themes: dict[str, Theme]) -> Survey | None:
    """The riverside park's survey phase and its survey, if the project exists."""
    french = Locale.objects.filter(language_code="fr").first()
    project = ProjectPage.objects.filter(locale=french, slug=IDEA_BOX_PROJECT_SLUG).first()
    existing = Survey.objects.filter(slug=PARK_SURVEY.slug).first()
    if project is None:
        return existing
    phase = existing.phase if existing and existing.phase else ensure_survey_phase(project)
    opens_at = _start_of_day(phase.start_date, hour=8)
    closes_at = (
        _start_of_day(phase.end_date + datetime.timedelta(days=1)) if phase.end_date else None
    )
    built = build_survey(
        PARK_SURVEY,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at,
        department=project.department,
        project=project,
        phase=phase,
        themes=_themes(PARK_SURVEY, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(7)  # noqa: S311 - made-up data, not a secret
        end = timezone.now() - datetime.timedelta(minutes=10)
        start = min(built.survey.opens_at or opens_at, end - datetime.timedelta(days=1))
        write_responses(built, [park_respondent(rng, number, start, end) for number in range(42)])
    return built.survey


def ensure_bike_survey(themes: dict[str, Theme]) -> Survey | None:
    """The bike network's closed survey, on its survey phase, with the responses its project
    page reports (if the project exists)."""
    french = Locale.objects.filter(language_code="fr").first()
    project = ProjectPage.objects.filter(locale=french, slug=AWAITING_FEEDBACK_PROJECT_SLUG).first()
    existing = Survey.objects.filter(slug=BIKE_SURVEY_SLUG).first()
    phase = project.phases.filter(method=SURVEY).first() if project is not None else None
    if project is None or phase is None:
        return existing
    opens_at = _start_of_day(phase.start_date, hour=8)
    last_day = phase.end_date or phase.start_date
    closes_at = _start_of_day(last_day + datetime.timedelta(days=1))
    built = build_survey(
        BIKE_SURVEY,
        opens_at=opens_at,
        closes_at=closes_at,
        published_at=opens_at,
        department=project.department,
        project=project,
        phase=phase,
        themes=_themes(BIKE_SURVEY, themes),
    )
    if not built.survey.responses.exists():
        rng = random.Random(21)  # noqa: S311 - made-up data, not a secret
        end = closes_at - datetime.timedelta(minutes=10)
        write_responses(
            built,
            [
                bike_respondent(rng, number, opens_at, end)
                for number in range(BIKE_SURVEY_RESPONSES)
            ],
        )
    return built.survey


@dataclass
class DemoSurveys:
    organics: Survey
    satisfaction: Survey
    park: Survey | None
    bikes: Survey | None = None


def seed_surveys(report: list[str] | None = None) -> DemoSurveys:
    """The demo surveys; those of projects only when their project exists."""
    themes = ensure_themes()
    surveys = DemoSurveys(
        organics=ensure_organics_survey(themes),
        satisfaction=ensure_satisfaction_survey(themes),
        park=ensure_park_survey(themes),
        bikes=ensure_bike_survey(themes),
    )
    if report is not None:
        for survey in (surveys.organics, surveys.satisfaction, surveys.park, surveys.bikes):
            if survey is not None:
                report.append(
                    f"Survey: {survey.title_fr} ({survey.get_kind_display()}, "
                    f"{survey.responses.count()} responses): /fr/sondages/{survey.slug}/"
                )
    return surveys


def seed(report: list[str]) -> None:
    seed_surveys(report)
