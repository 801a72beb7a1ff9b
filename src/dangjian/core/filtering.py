"""The list queries' optional filters."""


def filter_given(queryset, **lookups):
    """``queryset.filter(**lookups)`` with only the lookups given a value: a filter the user left
    empty ("", None) filters nothing. (For lookups across single-valued relations only, where one
    filter() with several conditions means the same as one filter() per condition.)"""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset
