from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangjian.core import inbox
from dangjian.core.paging import page_of


@login_required
def inbox_list(request):
    page = page_of(request, inbox.inbox_of(request.user))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_read(request, notification_pk: int):
    """Mark a message read; with ``open``, go on to the page it points to."""
    message = inbox.mark_read(user=request.user, notification_pk=notification_pk)
    link = message.link if message is not None else ""
    if request.POST.get("open") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("core:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    inbox.mark_all_read(user=request.user)
    return redirect("core:inbox")
