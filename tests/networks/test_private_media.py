"""Member-only pages carry files only as documents, which are served through the access rule.

Wagtail serves images from the media folder to anyone holding the address, so an image in a
member space would be a way around the rule. No page type that can live in a member space
offers one: no image block, no image in rich text, no image field.
"""

from django.db import models
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.models import get_page_models

from networks.models import MemberSpacePage


def member_space_page_types():
    return [
        model
        for model in get_page_models()
        if MemberSpacePage in model.allowed_parent_page_models() or model is MemberSpacePage
    ]


def _image_places(block, path):
    if isinstance(block, ImageChooserBlock):
        yield path
    if isinstance(block, blocks.RichTextBlock) and "image" in (block.features or []):
        yield f"{path} (rich text)"
    for name, child in getattr(block, "child_blocks", {}).items():
        yield from _image_places(child, f"{path}.{name}")
    if isinstance(block, blocks.ListBlock):
        yield from _image_places(block.child_block, f"{path}[]")


def _is_image_field(field) -> bool:
    if isinstance(field, RichTextField):
        return "image" in (field.features or [])
    return isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage)


def image_places(model):
    for field in model._meta.get_fields():
        where = f"{model.__name__}.{field.name}"
        if isinstance(field, StreamField):
            yield from _image_places(field.stream_block, where)
        elif _is_image_field(field):
            yield where


def test_the_member_space_page_types_are_known():
    names = {model.__name__ for model in member_space_page_types()}
    assert {"MemberSpacePage", "EventPage", "MinutesPage"} <= names


def test_no_member_space_page_type_can_show_an_image():
    found = [place for model in member_space_page_types() for place in image_places(model)]
    assert found == []


def test_the_check_finds_images_where_public_pages_have_them():
    from portal.models import StandardPage

    assert "StandardPage.body.image.image" in list(image_places(StandardPage))
