from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """ "Mon compte": the resident's name, address, security, data and consents."""
    return render(request, "accounts/account_home.html")
