"""Forms for red rider stations: the staff's station form with its week of opening hours, closures,
photos and list filters; the public finder's form."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.care.models import Station, StationClosure, StationService
from dangjian.care.station_rules import WEEKDAY_NAMES, Period
from dangjian.care.stations import PHOTO_MAX_BYTES, manageable_streets
from dangjian.core.forms import FilterForm, Styled, date_input
from dangjian.regions.models import Region, townships


class _Styled(Styled):
    unstyled_widgets = (forms.CheckboxSelectMultiple, forms.CheckboxInput, forms.RadioSelect)


def _time_input():
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class StationFilterForm(FilterForm):
    text = forms.CharField(label=_("Search"), required=False, max_length=60)
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=StationService.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All services"),
    )
    host_kind = forms.ChoiceField(
        label=_("Host"), choices=[("", _("All hosts")), *Station.HostKind.choices], required=False
    )
    listed = forms.ChoiceField(
        label=_("Listed"),
        choices=[("", _("All")), ("yes", _("Listed on the finder")), ("no", _("Not listed"))],
        required=False,
    )

    id_fields = ("street",)

    def filters(self) -> dict:
        values = super().filters()
        if "service" in values:
            service = values["service"]
            values["service"] = service.code if service else ""
        return values


class StationForm(_Styled, forms.ModelForm):
    class Meta:
        model = Station
        fields = [
            "name",
            "host_kind",
            "host_name",
            "street",
            "community",
            "address",
            "latitude",
            "longitude",
            "services",
            "phone",
            "notes",
            "is_active",
        ]
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        streets = manageable_streets(user)
        self.fields["street"].queryset = streets
        self.fields["community"].queryset = Region.objects.filter(
            kind=Region.Kind.COMMUNITY, parent__in=streets
        ).select_related("parent")
        self.fields["community"].label_from_instance = lambda region: f"{region.parent.name} · {region.name}"
        self.fields["services"].queryset = StationService.objects.filter(active=True)
        self.fields["is_active"].widget.attrs["class"] = "form-check-input"
        self.fields["services"].widget.attrs["class"] = "form-check-input"


class WeekHoursForm(forms.Form):
    """Seven days, each closed, open all day, or open in one or two periods; a closing time at or
    before the opening time means the next day (e.g. 20:00–02:00)."""

    CLOSED, ALL_DAY, HOURS = "closed", "all_day", "hours"
    MODES = [(CLOSED, _("closed")), (ALL_DAY, _("24 hours")), (HOURS, _("hours"))]

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_day = {day: [p for p in periods if p.weekday == day] for day in range(7)}
        self.days = []
        for day in range(7):
            own = sorted(by_day[day], key=lambda p: (p.all_day, p.opens or datetime.time.min))
            mode = self.CLOSED if not own else self.ALL_DAY if any(p.all_day for p in own) else self.HOURS
            name = str(WEEKDAY_NAMES[day])
            self.fields[f"d{day}_mode"] = forms.ChoiceField(
                label=name,
                choices=self.MODES,
                initial=mode,
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-hours-mode": day}),
            )
            timed = [p for p in own if not p.all_day]
            for n, suffix in ((0, ""), (1, "_2")):
                period = timed[n] if len(timed) > n else None
                for part in ("opens", "closes"):
                    self.fields[f"d{day}_{part}{suffix}"] = forms.TimeField(
                        label=f"{name} {_('opens') if part == 'opens' else _('closes')}",
                        required=False,
                        initial=getattr(period, part) if period else None,
                        widget=forms.TimeInput(
                            format="%H:%M",
                            attrs={"type": "time", "class": "form-control form-control-sm hours-time"},
                        ),
                    )
            row = {"name": name}
            for part in ("mode", "opens", "closes", "opens_2", "closes_2"):
                row[part] = self[f"d{day}_{part}"]
            row["fields"] = [row[part] for part in ("mode", "opens", "closes", "opens_2", "closes_2")]
            self.days.append(row)

    def clean(self):
        cleaned = super().clean()
        for day in range(7):
            if cleaned.get(f"d{day}_mode") != self.HOURS:
                continue
            if not (cleaned.get(f"d{day}_opens") and cleaned.get(f"d{day}_closes")):
                self.add_error(
                    f"d{day}_opens", _("Give the opening and closing time, or mark the day closed.")
                )
            second = (cleaned.get(f"d{day}_opens_2"), cleaned.get(f"d{day}_closes_2"))
            if any(second) and not all(second):
                self.add_error(f"d{day}_opens_2", _("Give both times of the second period, or neither."))
        return cleaned

    def periods(self) -> list[Period]:
        periods = []
        for day in range(7):
            mode = self.cleaned_data[f"d{day}_mode"]
            if mode == self.ALL_DAY:
                periods.append(Period(day, all_day=True))
            elif mode == self.HOURS:
                for suffix in ("", "_2"):
                    opens, closes = (
                        self.cleaned_data.get(f"d{day}_opens{suffix}"),
                        self.cleaned_data.get(f"d{day}_closes{suffix}"),
                    )
                    if opens and closes:
                        periods.append(Period(day, opens, closes))
        return periods


class ClosureForm(_Styled, forms.ModelForm):
    class Meta:
        model = StationClosure
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": date_input(), "end_date": date_input()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last closed day cannot be before the first."))
        return cleaned


class PhotoForm(_Styled, forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=80, required=False)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("A photo may be at most 5 MB."))
        return image


class UsageFilterForm(FilterForm):
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("To"), required=False, widget=date_input())
    street = forms.ModelChoiceField(label=_("Street/town"), queryset=townships(), required=False)

    def period(self, today: datetime.date, default_days: int = 30) -> tuple[datetime.date, datetime.date]:
        values = self.filters()
        until = values.get("until") or today
        since = values.get("since") or until - datetime.timedelta(days=default_days - 1)
        if since > until:
            since, until = until, since
        # At most a year on one page.
        since = max(since, until - datetime.timedelta(days=365))
        return since, until

    def street_id(self):
        street = self.filters().get("street")
        return street.pk if street else None


class FinderForm(forms.Form):
    """The public finder's query: a position (the phone's, or a community's), services, and
    whether to show only stations open now."""

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    community = forms.IntegerField(required=False)
    service = forms.MultipleChoiceField(required=False, choices=())
    show = forms.ChoiceField(
        required=False, choices=[("open", _("Open now")), ("all", _("All stations"))], initial="open"
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.code, s.name) for s in services]

    def query(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "lat": data.get("lat"),
            "lng": data.get("lng"),
            "community": data.get("community"),
            "services": data.get("service") or [],
            "open_now": (data.get("show") or "open") == "open",
        }
