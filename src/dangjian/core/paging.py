from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page; out-of-range numbers give the last page instead of an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
