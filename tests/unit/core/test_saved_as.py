"""The name a document is saved under: its uploader's, with the extension of what it is."""

from __future__ import annotations

import pytest

from core.files import saved_as


@pytest.mark.parametrize(
    ("uploaded_as", "stored_name", "saved"),
    [
        ("回单.jpg", "3f2a.pdf", "回单.pdf"),  # a PDF its sender named as a picture
        ("scan.PDF", "3f2a.pdf", "scan.PDF"),  # the right extension, in capitals: kept
        ("合同", "3f2a.pdf", "合同.pdf"),  # no extension: the type's is added
        ("a.b.c", "3f2a.png", "a.b.png"),  # only the last suffix is the extension
        ("x.pdf", "3f2a", "x.pdf"),  # a stored name without a type changes nothing
    ],
)
def test_a_document_is_saved_with_the_extension_of_its_type(
    uploaded_as: str, stored_name: str, saved: str
) -> None:
    assert saved_as(uploaded_as, stored_name) == saved
