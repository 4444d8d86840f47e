from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.names import name_key

if TYPE_CHECKING:
    from agora.accounts.reach import StaffReach


class EmailUserManager(BaseUserManager["User"]):
    """Users log in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: a resident, or a member of the city's staff.

    Shown publicly by first and last name only; the e-mail address is the login and is never
    shown to other residents.
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse courriel"), unique=True)
    deleted_at = models.DateTimeField(_("compte supprimé le"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ("last_name", "first_name")

    def __str__(self) -> str:
        return self.public_name or self.email

    @property
    def public_name(self) -> str:
        """What other residents see: first and last name, never the e-mail address."""
        if self.deleted_at is not None:
            return str(_("Ancien participant"))
        return f"{self.first_name} {self.last_name}".strip()


class DepartmentQuerySet(models.QuerySet["Department"]):
    def within_reach(self, reach: StaffReach, *, keeping: int | None = None) -> DepartmentQuerySet:
        """The departments a person works for in /gestion/: every one for an administrator,
        those they manage for a department manager. `keeping` (a department already chosen)
        stays in the list, so that a form still shows it."""
        if reach.is_admin:
            return self
        kept = () if keeping is None else (keeping,)
        return self.filter(pk__in=[*reach.department_ids, *kept])


class Department(models.Model):
    """A municipal service (Travaux publics, Loisirs, …): its managers oversee its projects."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    managers = models.ManyToManyField(
        User, verbose_name=_("gestionnaires"), related_name="managed_departments", blank=True
    )
    members = models.ManyToManyField(
        User, verbose_name=_("membres"), related_name="departments", blank=True
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("service municipal")
        verbose_name_plural = _("services municipaux")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An association, a neighbourhood committee or a business a resident represents."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association ou organisme")
        COMMITTEE = "committee", _("Comité de quartier")
        BUSINESS = "business", _("Entreprise")

    name = models.CharField(_("nom"), max_length=160)
    # The name as residents read it (agora.core.names): two organisations cannot share it,
    # whatever their case, accents or spaces, and residents cannot sign with it.
    name_key = models.CharField(max_length=640, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    website = models.URLField(_("site web"), blank=True)
    members = models.ManyToManyField(
        User, verbose_name=_("représentants"), related_name="organisations", blank=True
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("créé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        verbose_name=_("vérifié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(fields=("name_key",), name="organisation_name_key_unique"),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The key follows the name on every save (services, factories, demo data), so that
        # the unique constraint holds whoever writes the row.
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Invitation(models.Model):
    """An invitation to join the city's team with a role, sent by e-mail.

    The link works once and expires after 14 days; only a hash of its token is stored.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Révoquée")

    email = models.EmailField(_("adresse courriel"))
    role = models.CharField(_("rôle"), max_length=40)
    department = models.ForeignKey(
        Department,
        verbose_name=_("service municipal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        User, verbose_name=_("invité par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"))
    expires_at = models.DateTimeField(_("expire le"))
    send_count = models.PositiveSmallIntegerField(_("envois"), default=1)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("acceptée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.email


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        """Consents given and not withdrawn since."""
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A resident's consent to one purpose (Loi 25: specific, recorded, withdrawable).

    Each time a resident gives a consent a row is added; withdrawing dates that row. The
    history of what was agreed, and when, stays.
    """

    class Purpose(models.TextChoices):
        PROJECT_NEWS = "project_news", _("Recevoir des nouvelles des projets que je suis")
        SURVEY_INVITATIONS = "survey_invitations", _("Être invité à répondre à des sondages")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=40, choices=Purpose.choices)
    granted_at = models.DateTimeField(_("accordé le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ("-granted_at",)

    def __str__(self) -> str:
        return self.get_purpose_display()
