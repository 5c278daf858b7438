from django.shortcuts import render

from shared_apps.operators.selectors import programmes_overview


def landing(request):
    """The platform's public page: what Comptoir is and which programmes run on it."""
    programmes = [t for t in programmes_overview() if not t.is_suspended]
    return render(request, "platform/landing.html", {"programmes": programmes})


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


LEGAL_PAGES = {"privacy", "accessibility", "terms"}


def legal(request, page):
    from django.http import Http404
    from django.utils.translation import gettext as _

    if page not in LEGAL_PAGES:
        raise Http404
    titles = {"privacy": _("Privacy"), "accessibility": _("Accessibility statement"), "terms": _("Terms of use")}
    return render(request, "legal/page.html", {"page": page, "title": titles[page]})


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
