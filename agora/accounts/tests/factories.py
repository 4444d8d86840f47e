"""Residents as allauth knows them: a user with a verified primary address, able to log in
through the login page."""

from typing import Any

from allauth.account.models import EmailAddress
from factory.declarations import PostGeneration, PostGenerationMethodCall, Sequence
from factory.django import DjangoModelFactory

from agora.accounts.models import User

PASSWORD = "un-mot-de-passe-solide"


class ResidentFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"residente{n}@example.org")
    first_name = "Marie"
    last_name = Sequence(lambda n: f"Tremblay{n}")
    password = PostGenerationMethodCall("set_password", PASSWORD)

    @PostGeneration
    def verified_address(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
