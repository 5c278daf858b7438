from django.core.paginator import Paginator
from django.shortcuts import render

from shared_apps.accounts.permissions import permission_required
from tenant_apps.notifications.models import Notification


@permission_required("notifications.view")
def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})
