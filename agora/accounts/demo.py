"""Ville de Démo's people and privacy: the development staff logins (an administrator and one
person per role), the demo resident and their consent, and the privacy policy. Idempotent:
what exists is found and kept.

The policy is a page under the home page, which agora/pages/demo.py builds after this module
runs (apps seed in INSTALLED_APPS order): so pages/demo.py calls `ensure_privacy_policy(home)`
once its home page exists.
"""

from allauth.account.models import EmailAddress
from django.utils.html import escape
from wagtail.models import Page, Site

from agora.accounts import services
from agora.accounts.models import Consent, Department, User
from agora.accounts.roles import Role, ensure_role_groups
from agora.core.models import Branding
from agora.pages.models import StandardPage

DEMO_ADMIN_EMAIL = "admin@ville-demo.test"
DEMO_ADMIN_PASSWORD = "demo-admin-agora"  # noqa: S105 - development only; seed_demo refuses production

# One person per role, all with the same development-only password.
DEMO_TEAM_PASSWORD = "demo-equipe-agora"  # noqa: S105 - development only
DEMO_TEAM: list[tuple[Role | None, str, str, str]] = [
    (Role.ADMINISTRATOR, "administration@ville-demo.test", "Amélie", "Gagnon"),
    (Role.DEPARTMENT_MANAGER, "gestion.travaux@ville-demo.test", "Bruno", "Tremblay"),
    (Role.PROJECT_MODERATOR, "moderation@ville-demo.test", "Chloé", "Roy"),
    (Role.COMMUNICATIONS, "communications@ville-demo.test", "David", "Côté"),
    (Role.CLERK, "services.citoyens@ville-demo.test", "Émilie", "Bouchard"),
    (Role.ELECTED_OFFICIAL, "elu@ville-demo.test", "François", "Gauthier"),
    (None, "resident@ville-demo.test", "Gisèle", "Morin"),
]

# The one resident of DEMO_TEAM.
DEMO_RESIDENT_EMAIL = "resident@ville-demo.test"


def _privacy_email() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    email = Branding.for_site(site).email if site is not None else ""
    return email or "info@ville-demo.test"


FRENCH_POLICY = """
<h2>Ce que nous recueillons</h2>
<ul>
<li>Pour votre compte : votre prénom, votre nom, votre adresse courriel et votre mot de passe
(conservé sous une forme que personne ne peut relire, pas même la Ville).</li>
<li>Vos consentements : à quoi vous avez consenti, et quand.</li>
<li>Les organisations que vous représentez, si vous en déclarez.</li>
<li>Ce que vous publiez (idées, commentaires, réponses aux sondages) et vos requêtes.</li>
<li>Si vous l'activez, votre connexion en deux étapes (le type de moyen et sa date, jamais son code).</li>
</ul>
<p>Agora n'utilise aucun témoin (cookie) publicitaire ni outil de mesure d'audience externe.
Les seuls témoins servent à garder votre session ouverte, à retenir votre langue et à
protéger les formulaires. Les journaux techniques ne contiennent ni adresse IP ni adresse
courriel.</p>
<h2>Pourquoi</h2>
<p>Pour vous identifier quand vous participez, répondre à vos requêtes, vous écrire au sujet
de votre compte et, seulement si vous y consentez, vous envoyer des nouvelles des projets que
vous suivez ou des invitations à des sondages. Rien n'est vendu ni communiqué à des fins
commerciales.</p>
<h2>Combien de temps</h2>
<p>Tant que votre compte existe. Quand vous le supprimez, vos renseignements personnels sont
effacés aussitôt; les copies de sauvegarde sont écrasées au fil de leur rotation, en 30 jours
au plus. Vos contributions publiques restent visibles, signées « Ancien participant ».</p>
<h2>Qui y a accès</h2>
<p>Les autres résidents ne voient que votre prénom et votre nom, à côté de ce que vous
publiez; jamais votre adresse courriel. Seuls les membres du personnel de la Ville qui en ont
besoin pour leur travail (traitement des requêtes, modération, administration du portail) y
ont accès, et leurs actions sont consignées. Les données restent sur les serveurs de la
Ville.</p>
<h2>Vos droits</h2>
<p>Dans « Mon compte », vous pouvez en tout temps : consulter et corriger vos renseignements,
télécharger une copie de toutes vos données (fichier JSON), donner ou retirer chacun de vos
consentements, et supprimer votre compte.</p>
<h2>Nous joindre</h2>
<p>Pour toute question ou plainte au sujet de vos renseignements personnels, écrivez à la
personne responsable de la protection des renseignements personnels de la Ville :
<a href="mailto:{email}">{email}</a>. Vous pouvez aussi vous adresser à la Commission d'accès
à l'information du Québec.</p>
"""

ENGLISH_POLICY = """
<h2>What we collect</h2>
<ul>
<li>For your account: your first name, last name, e-mail address and password (stored in a
form no one can read back, not even the city).</li>
<li>Your consents: what you agreed to, and when.</li>
<li>The organisations you represent, if you declare any.</li>
<li>What you publish (ideas, comments, survey answers) and your requests.</li>
<li>If you turn it on, your two-step login (the kind of method and its date, never its code).</li>
</ul>
<p>Agora uses no advertising cookies and no outside audience measurement. The only cookies
keep you logged in, remember your language and protect forms. Technical logs hold neither IP
addresses nor e-mail addresses.</p>
<h2>Why</h2>
<p>To identify you when you take part, answer your requests, write to you about your account
and, only if you consent, send you news of the projects you follow or invitations to surveys.
Nothing is sold or shared for commercial purposes.</p>
<h2>For how long</h2>
<p>As long as your account exists. When you delete it, your personal information is erased at
once; backup copies are overwritten as they rotate, within 30 days. Your public contributions
stay visible, signed "Former participant".</p>
<h2>Who sees it</h2>
<p>Other residents see only your first and last name, next to what you publish; never your
e-mail address. Only the city staff who need it for their work (handling requests,
moderation, running the portal) can see it, and their actions are logged. The data stays on
the city's servers.</p>
<h2>Your rights</h2>
<p>In "My account", you can at any time: see and correct your information, download a copy of
all your data (a JSON file), give or withdraw each of your consents, and delete your
account.</p>
<h2>Contact us</h2>
<p>For any question or complaint about your personal information, write to the city's person
in charge of the protection of personal information: <a href="mailto:{email}">{email}</a>.
You may also turn to Québec's Commission d'accès à l'information.</p>
"""


def ensure_privacy_policy(home: Page) -> StandardPage:
    """The privacy policy under the French home page, and its English translation."""
    from agora.pages.demo import ensure_page  # pages.demo will import this module

    email = escape(_privacy_email())
    page: StandardPage = ensure_page(
        home,
        StandardPage,
        {
            "title": "Politique de confidentialité",
            "slug": "confidentialite",
            "show_in_menus": False,
            "summary": "Ce que la Ville recueille à votre sujet, pourquoi, pour combien de temps, "
            "et comment le consulter ou le faire effacer.",
            "body": FRENCH_POLICY.replace("{email}", email),
        },
        {
            "title": "Privacy policy",
            "slug": "privacy",
            "summary": "What the city collects about you, why, for how long, and how to see it "
            "or have it erased.",
            "body": ENGLISH_POLICY.replace("{email}", email),
        },
    )
    return page


def _verified(user: User) -> None:
    """The demo's people have confirmed their address, so they can log in at once."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed_admin(report: list[str]) -> None:
    admin, created = User.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={
            "first_name": "Alex",
            "last_name": "Administrateur",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    _verified(admin)
    report.append(f"Staff login (development only): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}")


def seed_team(report: list[str]) -> None:
    groups = ensure_role_groups()
    public_works, _created = Department.objects.get_or_create(name="Travaux publics")
    Department.objects.get_or_create(name="Loisirs et culture")
    for role, email, first_name, last_name in DEMO_TEAM:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role is not None,
            },
        )
        if created:
            user.set_password(DEMO_TEAM_PASSWORD)
            user.save(update_fields=["password"])
        _verified(user)
        if role is not None:
            user.groups.add(groups[role])
        if role == Role.DEPARTMENT_MANAGER:
            public_works.managers.add(user)
        if role == Role.PROJECT_MODERATOR:
            public_works.members.add(user)
        label = role.label if role is not None else "résident"
        report.append(f"Demo login ({label}, development only): {email} / {DEMO_TEAM_PASSWORD}")


def seed(report: list[str]) -> None:
    seed_admin(report)
    seed_team(report)
    resident = User.objects.filter(email=DEMO_RESIDENT_EMAIL).first()
    if resident is not None:
        services.grant_consent(user=resident, purpose=Consent.Purpose.PROJECT_NEWS)
