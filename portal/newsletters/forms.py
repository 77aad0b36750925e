from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import SubscriberList

CONSENT_TEXT = _(
    "I want to receive the newsletters I have chosen by e-mail. My address is used for nothing "
    "else, and I can unsubscribe at any time through the link in every newsletter."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    lists = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=SubscriberList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists = self.fields["lists"].queryset = SubscriberList.objects.filter(is_public=True)
        if len(lists) == 1:
            self.fields["lists"].initial = [lists[0].pk]


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ManageForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("I want these newsletters"),
        queryset=SubscriberList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    member_newsletters = forms.BooleanField(
        label=_("Newsletters to the members of my networks"), required=False
    )

    def __init__(self, *args, subscriber, is_member: bool, **kwargs):
        super().__init__(*args, **kwargs)
        subscribed = subscriber.subscriptions.exclude(status="unsubscribed").values(
            "subscriber_list"
        )
        self.fields["lists"].queryset = SubscriberList.objects.filter(
            Q(is_public=True) | Q(pk__in=subscribed)
        )
        self.fields["lists"].initial = list(
            subscriber.subscriptions.filter(status="confirmed").values_list(
                "subscriber_list_id", flat=True
            )
        )
        if is_member:
            self.fields["member_newsletters"].initial = subscriber.members_opted_out_at is None
        else:
            del self.fields["member_newsletters"]


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("Send at a chosen time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Choose when to send."))
            elif send_at <= timezone.now():
                self.add_error("send_at", _("Choose a time in the future."))
        else:
            data["send_at"] = None
        return data


class ConfirmSendForm(forms.Form):
    """The second step of sending: the sender has seen the audience and the count. The count
    they saw comes back, so a list that grew in between is shown again before anything goes."""

    count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    send_empty = forms.BooleanField(label=_("Send it even though it is empty"), required=False)

    def __init__(self, *args, count: int, empty: bool, **kwargs):
        super().__init__(*args, initial={"count": count}, **kwargs)
        self.current_count, self.empty = count, empty
        if not empty:
            del self.fields["send_empty"]

    def clean(self):
        data = super().clean()
        if data.get("count") is not None and data["count"] != self.current_count:
            raise forms.ValidationError(
                _("The audience has changed since you looked: it is now %(count)s. Check it "
                  "and confirm again."),
                params={"count": self.current_count},
            )  # fmt: skip
        if self.empty and not data.get("send_empty"):
            self.add_error(
                "send_empty",
                _("The issue is empty. Tick the box to send it anyway, or add content."),
            )
        return data
