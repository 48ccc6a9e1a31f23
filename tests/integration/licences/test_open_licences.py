"""Open licences through the services: declared, reviewed, taken by notice and payment,
withdrawn without touching the licences granted; every step audited and told."""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import User
from core.audit_models import AuditEntry
from core.domain import NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.service_kit import Upload
from core.uow import unit_of_work
from licences import declarations, grants
from licences.models import OpenLicenceDeclaration
from licences.rules import (
    FeeKind,
    FeeTerms,
    LicenceKind,
    LicenceStatus,
    OpenLicenceError,
    PaymentMethod,
)
from listings import services as listings
from listings.ip_number_cn import check_character_cn
from listings.rules import IPKind, ListingStatus
from notifications.models import Notification
from tests import factories
from tests.conftest import FrozenClock

_serial = count(5_000_000)


def utility_model() -> str:
    """A valid CN utility-model application number (type digit 2)."""
    digits = f"20192{next(_serial):07d}"
    return f"{digits}.{check_character_cn(digits)}"


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest: nobody here is attacked."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))  # fmt: skip


@pytest.fixture
def people(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # fmt: skip
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    patentee = factories.seller(now, reviewer=reviewer)
    invention = factories.listing(patentee, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder)  # fmt: skip
    utility = factories.listing(
        patentee, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder,
        ip_assets=(listings.IPAssetInput(IPKind.CN_APPLICATION, utility_model()),),
    )  # fmt: skip
    return {
        "reviewer": reviewer, "patentee": patentee,
        "enterprise": factories.enterprise(now), "unverified": factories.enterprise(now, verified=False),
        "invention": invention.ip_assets[0].id, "utility": utility.ip_assets[0].id,
    }  # fmt: skip


def _storage(app: Flask) -> declarations.Storage:
    return declarations.Storage(declarations.report_folder(app.config["UPLOAD_FOLDER"]), 1_000_000)


def _declare(app: Flask, actor: User, asset_id: int, now, terms: FeeTerms | None = None, **kw) -> OpenLicenceDeclaration:  # fmt: skip
    data = declarations.Declaration(
        ip_asset_id=asset_id, terms=terms or FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=2_000_000),
        payment_method=PaymentMethod.BANK_TRANSFER, term_years=kw.get("years", 5), report=kw.get("report"),
    )  # fmt: skip
    with unit_of_work():
        return declarations.declare(actor, data, storage=_storage(app), now=now)


def _published(app: Flask, people: dict, now, **kw) -> OpenLicenceDeclaration:
    declaration = _declare(app, people["patentee"], people["invention"], now, **kw)
    with unit_of_work():
        return declarations.approve(people["reviewer"], declaration.id, now=now)


def _events(user: User) -> list[str]:
    return list(
        db.session.scalars(select(Notification.event).where(Notification.user_id == user.id))
    )


def test_a_published_open_licence_is_taken_by_notice_and_payment(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    now = clock.current
    declaration = _published(app, people, now)
    assert declaration.status == "published" and declaration in declarations.catalogue()
    assert "open_licence.published" in _events(people["patentee"])
    with unit_of_work():
        licence = grants.give_notice(people["enterprise"], declaration.id, "我方通知：按公布条件实施。", now=now)  # fmt: skip
    assert (
        licence.status == LicenceStatus.AWAITING_PAYMENT and licence.amount_due_minor == 2_000_000
    )
    assert "open_licence.notice" in _events(people["patentee"])
    with pytest.raises(ValidationFailed), unit_of_work():  # another transfer's reference
        grants.record_payment(people["reviewer"], licence.id, 2_000_000, "DEAL-1", now=now)
    with pytest.raises(ValidationFailed), unit_of_work():  # not the published fee: no negotiation
        grants.record_payment(
            people["reviewer"], licence.id, 1_500_000, f"OL-{licence.id}", now=now
        )
    later = now + timedelta(days=2)
    with unit_of_work():
        grants.record_payment(
            people["reviewer"], licence.id, 2_000_000, f"ol-{licence.id}", now=later
        )
    assert licence.status == LicenceStatus.GRANTED
    assert licence.number == f"OL-2026-{licence.id:06d}"
    assert (licence.starts_on, licence.ends_on) == (date(2026, 3, 4), date(2031, 3, 3))
    assert "open_licence.granted" in _events(people["enterprise"])
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("open_licence%")))
    )
    assert {"open_licence.declare", "open_licence.publish", "open_licence_grant.notice", "open_licence_grant.paid", "open_licence_grant.grant"} <= actions  # fmt: skip


def test_a_royalty_only_licence_is_granted_with_the_notice(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    declaration = _published(
        app, people, clock.current, terms=FeeTerms(FeeKind.ROYALTY, royalty_bp=350)
    )
    with unit_of_work():
        licence = grants.give_notice(
            people["enterprise"], declaration.id, "通知", now=clock.current
        )
    assert licence.status == LicenceStatus.GRANTED and licence.amount_due_minor == 0


def test_only_verified_organisations_other_than_the_patentee_take_a_licence(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    declaration = _published(app, people, clock.current)
    with pytest.raises(PermissionDenied), unit_of_work():
        grants.give_notice(people["unverified"], declaration.id, "通知", now=clock.current)
    with pytest.raises(PermissionDenied), unit_of_work():
        grants.give_notice(people["patentee"], declaration.id, "通知", now=clock.current)


def test_a_declaration_waits_for_review_and_a_refusal_says_why(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    declaration = _declare(app, people["patentee"], people["invention"], clock.current)
    assert declaration not in declarations.catalogue()
    with pytest.raises(OpenLicenceError), unit_of_work():
        grants.give_notice(people["enterprise"], declaration.id, "通知", now=clock.current)
    with pytest.raises(NotFound):
        declarations.visible_declaration(people["enterprise"], declaration.id)
    with pytest.raises(PermissionDenied), unit_of_work():
        declarations.approve(people["patentee"], declaration.id, now=clock.current)
    with unit_of_work():
        declarations.refuse(
            people["reviewer"], declaration.id, "许可使用费条款不明确", now=clock.current
        )
    assert declaration.status == "refused" and "open_licence.refused" in _events(people["patentee"])
    again = _declare(
        app, people["patentee"], people["invention"], clock.current
    )  # may declare anew
    assert again.status == "submitted"


def test_one_live_declaration_per_patent(app: Flask, people: dict, clock: FrozenClock) -> None:
    _declare(app, people["patentee"], people["invention"], clock.current)
    with pytest.raises(OpenLicenceError):
        _declare(app, people["patentee"], people["invention"], clock.current)


def test_a_utility_model_needs_its_evaluation_report(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        _declare(app, people["patentee"], people["utility"], clock.current)
    assert refused.value.field == "report"
    with pytest.raises(ValidationFailed) as too_long:
        _declare(app, people["patentee"], people["utility"], clock.current, years=11)
    assert too_long.value.field == "term_years"  # a utility model is protected 10 years
    report = Upload(io.BytesIO(factories.PDF_BYTES), "专利权评价报告.pdf")
    declaration = _declare(app, people["patentee"], people["utility"], clock.current, report=report, years=10)  # fmt: skip
    assert declaration.patent_type == "utility_model"
    assert [r.original_name for r in declaration.reports] == ["专利权评价报告.pdf"]


def test_only_the_patentee_declares_on_its_own_published_patents(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    with pytest.raises(ValidationFailed):
        _declare(app, people["enterprise"], people["invention"], clock.current)


def test_withdrawal_is_published_and_licences_granted_stay_in_force(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    now = clock.current
    declaration = _published(app, people, now, terms=FeeTerms(FeeKind.ROYALTY, royalty_bp=200))
    with unit_of_work():
        licence = grants.give_notice(people["enterprise"], declaration.id, "通知", now=now)
    with pytest.raises(PermissionDenied), unit_of_work():
        declarations.withdraw(people["enterprise"], declaration.id, now=now)
    later = now + timedelta(days=30)
    with unit_of_work():
        declarations.withdraw(people["patentee"], declaration.id, now=later)
    assert declaration.status == "withdrawn" and declaration.withdrawn_at == later
    assert declaration in declarations.catalogue()  # shown withdrawn, with its date
    assert licence.status == LicenceStatus.GRANTED and licence.ends_on == date(2031, 3, 1)
    assert "open_licence.withdrawn" in _events(people["enterprise"])
    with pytest.raises(OpenLicenceError), unit_of_work():
        grants.give_notice(factories.enterprise(now), declaration.id, "通知", now=later)


def test_no_exclusive_or_sole_licence_while_an_open_licence_stands(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    declaration = _published(app, people, clock.current)
    number = declaration.patent_number
    for kind in (LicenceKind.EXCLUSIVE, LicenceKind.SOLE):
        with pytest.raises(OpenLicenceError):
            grants.check_licence_allowed(number, kind)
    grants.check_licence_allowed(
        number, LicenceKind.ORDINARY
    )  # negotiated ordinary licences remain
    with unit_of_work():
        declarations.withdraw(people["patentee"], declaration.id, now=clock.current)
    grants.check_licence_allowed(number, LicenceKind.EXCLUSIVE)


def test_the_catalogue_finds_by_words_and_field(app: Flask, people: dict, clock: FrozenClock) -> None:  # fmt: skip
    declaration = _published(app, people, clock.current)
    assert declarations.catalogue("正极材料", "energy") == [declaration]
    assert declarations.catalogue(declaration.patent_number[:8]) == [declaration]
    assert declarations.catalogue("", "agriculture") == []
    assert declarations.catalogue("量子") == []
    assert declarations.catalogue("20%") == [declaration]  # the summary says 提升20%
    assert declarations.catalogue("_") == declarations.catalogue("%%") == []  # no wildcards
