"""Residents as allauth knows them: a user with a verified primary address, able to log in
through the login page."""

from typing import Any

import factory
from allauth.account.models import EmailAddress

from agora.accounts.models import User

PASSWORD = "un-mot-de-passe-solide"


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"residente{n}@example.org")
    first_name = "Marie"
    last_name = factory.Sequence(lambda n: f"Tremblay{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_address(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
