"""A need alert is a push: the listing must share the need's field or an IPC subclass."""

from brokers.matching_rules import ListingProfile, NeedProfile, same_subject


def _listing(field: str, *ipc: str) -> ListingProfile:
    return ListingProfile(field=field, ipc_classes=ipc)


def _need(field: str, *ipc: str) -> NeedProfile:
    return NeedProfile(field=field, ipc_classes=ipc)


def test_one_field_or_one_ipc_subclass_makes_the_same_subject() -> None:
    assert same_subject(_listing("energy", "H01M 10/0525"), _need("energy"))
    assert same_subject(_listing("materials", "H01M 4/58"), _need("energy", "H01M10/05"))
    assert not same_subject(_listing("energy", "H01M 10/0525"), _need("biomed", "G01N 21/35"))
