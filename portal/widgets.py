"""Form widgets shared by the portal's forms."""

from django import forms


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A long list of checkboxes that static/js/option-filter.js gives a filter box.

    Without JavaScript it is a plain group of checkboxes in a scrolling region (no Ctrl-click as
    with `<select multiple>`); with it, typing narrows the list, the number shown is announced
    and the choices made so far are named above the list. `includes/field.html` adds the wrapper
    the script looks for.
    """

    filterable = True

    class Media:
        js = ("js/option-filter.js",)
