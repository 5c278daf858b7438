from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shared_apps.account_sessions import selectors, services


@login_required
@never_cache
def session_list(request):
    sessions = selectors.sessions_of(user=request.user, tenant=request.tenant, request=request)
    return render(request, "account_sessions/session_list.html", {"sessions": sessions})


@login_required
@require_POST
def revoke(request, pk):
    if pk == request.session.get(services.RECORD_KEY):
        return redirect("accounts:sign-out")
    if not services.revoke_session(user=request.user, tenant=request.tenant, record_id=pk):
        raise Http404
    messages.success(request, _("That session is signed out."))
    return redirect("account-sessions:list")


@login_required
@require_POST
def revoke_others(request):
    ended = services.revoke_other_sessions(request=request)
    messages.success(request, _("All your other sessions here are signed out (%(count)s).") % {"count": ended})
    return redirect("account-sessions:list")


@never_cache
@require_GET
def status(request):
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": services.seconds_left(request)})


@never_cache
@require_POST
def keep_alive(request):
    signed_in = request.user.is_authenticated
    if signed_in:
        services.record_activity(request, force=True)
    if request.headers.get("Accept", "").startswith("application/json"):
        left = services.seconds_left(request) if signed_in else 0
        return JsonResponse({"signed_in": signed_in, "seconds_left": left})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    return redirect(next_url)
