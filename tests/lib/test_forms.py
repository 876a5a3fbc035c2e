from django import forms
from django.core.exceptions import ValidationError

from platform_site.lib.forms import ConcurrentEdit, add_service_errors


class _Form(forms.Form):
    name = forms.CharField()


def test_field_errors_land_on_their_field_and_unknown_ones_above_the_form():
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "名前が違います。", "hidden": "ほかの誤り。"}))
    assert form.errors["name"] == ["名前が違います。"]
    assert form.non_field_errors() == ["ほかの誤り。"]


def test_a_concurrent_edit_is_a_form_wide_error():
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ConcurrentEdit("ほかの人が先に保存しました。"))
    assert form.non_field_errors() == ["ほかの人が先に保存しました。"]
    assert isinstance(ConcurrentEdit("x"), ValidationError)
