from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.permissions import permission_required
from tenant_apps.notifications import selectors, services
from tenant_apps.notifications.forms import DeliveryPreferencesForm

PAGE_SIZE = 20


def _inbox_page(request, number):
    return Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(number)


def _inbox_url(page_number) -> str:
    url = reverse("notifications:notification-list")
    return f"{url}?page={page_number}" if str(page_number or "").isdigit() else url


@permission_required("notifications.view")
@require_GET
def notification_list(request):
    page = _inbox_page(request, request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@permission_required("notifications.view")
@require_POST
def mark_notification_read(request, pk):
    notification = selectors.notification_for(request.user, pk)
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    status_message = _("Notification marked as read.")
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        context = {"notification": notification, "status_message": status_message}
        return render(request, "notifications/_mark_read_response.html", context)
    messages.success(request, status_message)
    return redirect(_inbox_url(request.POST.get("page")))


@permission_required("notifications.view")
@require_POST
def mark_all_notifications_read(request):
    count = services.mark_read(user=request.user)
    status_message = (
        _("All notifications are marked as read.") if count else _("There was nothing unread.")
    )
    if request.htmx:
        page = _inbox_page(request, request.POST.get("page"))
        context = {"page": page, "status_message": status_message}
        return render(request, "notifications/_mark_all_read_response.html", context)
    messages.success(request, status_message)
    return redirect(_inbox_url(request.POST.get("page")))


@permission_required("notifications.view")
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    form = DeliveryPreferencesForm(
        request.POST or None, current=selectors.delivery_preferences(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.set_delivery_preferences(user=request.user, deliveries=form.deliveries())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:notification-preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
