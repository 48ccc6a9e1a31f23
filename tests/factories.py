"""Test data built through the services, so every object is one the product could make."""

from __future__ import annotations

import io
import itertools
from datetime import datetime
from pathlib import Path

from PIL import Image

from accounts import services as accounts
from accounts import tokens
from accounts.models import OrganisationKind, TokenScope, User
from accounts.rules import make_credit_code
from accounts.signup_checks import TERMS_VERSION
from core.uow import unit_of_work
from listings import evidence as listing_evidence
from listings import images as listing_images
from listings import review as listing_review
from listings import services as listings
from listings.image_files import ImageLimits
from listings.ip_number_cn import check_character_cn
from listings.models import Listing, ListingImage, TechNeed
from listings.need_rules import NeedInput
from listings.needs import post_need
from listings.rules import IPKind, ListingStatus

PASSWORD = "Correct-horse-9"
_serial = itertools.count(1)

# The smallest file that `filetype` recognises as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code, different for each call."""
    n = next(_serial) if n is None else n
    return make_credit_code(f"12310000{n:09d}")


def cn_application(n: int | None = None, year: int = 2019) -> str:
    """A valid CN invention application number."""
    n = next(_serial) if n is None else n
    digits = f"{year}1{n:07d}"
    return f"{digits}.{check_character_cn(digits)}"


def seller(
    now: datetime,
    *,
    verified: bool = True,
    reviewer: User | None = None,
    kind: OrganisationKind = OrganisationKind.UNIVERSITY,
    name: str | None = None,
) -> User:
    """A user who registered an organisation (verified by `reviewer` unless told otherwise)."""
    n = next(_serial)
    reviewer = (reviewer or platform_reviewer(now)) if verified else None
    with unit_of_work():
        user = accounts.sign_up(
            accounts.SignUp(
                email=f"user{n}@example.edu.cn",
                name=f"用户{n}",
                password=PASSWORD,
                organisation=accounts.NewOrganisation(
                    name=name or f"测试大学{n}",
                    kind=kind,
                    credit_code=credit_code(n),
                    region="上海市",
                ),
                terms_version=TERMS_VERSION,  # the sign-up form's consent
            ),
            now=now,
        )
        if reviewer is not None:
            accounts.verify_organisation(reviewer, user.organisation_id, now=now)
    return user


def platform_reviewer(now: datetime) -> User:
    """A reviewer of the market."""
    n = next(_serial)
    with unit_of_work():
        return accounts.create_platform_user(
            f"reviewer{n}@market.example", f"审核员{n}", PASSWORD, now=now
        )


def platform_admin(now: datetime) -> User:
    """An administrator of the market."""
    n = next(_serial)
    with unit_of_work():
        return accounts.create_platform_user(
            f"admin{n}@market.example", f"管理员{n}", PASSWORD, now=now, admin=True
        )


def listing_input(**overrides: object) -> listings.ListingInput:
    """A complete, valid listing as a seller would type it."""
    values: dict[str, object] = {
        "title_zh": "一种高镍三元正极材料的制备方法",
        "summary_zh": "解决高镍正极循环寿命短的问题，容量保持率提升20%。",
        "field": "energy",
        "trl": 5,
        "holder": "测试大学",
        "region": "上海市",
        "ipc_classes": ("H01M 4/525",),
        "inventors": ("王伟", "李娜"),
        "transfer_modes": ("assignment", "exclusive_licence"),
        "asking_price_minor": 50_000_000,
        "ip_assets": (listings.IPAssetInput(IPKind.CN_APPLICATION, cn_application()),),
    }
    values.update(overrides)
    return listings.ListingInput(**values)  # type: ignore[arg-type]


def listing(
    owner: User,
    now: datetime,
    *,
    status: ListingStatus = ListingStatus.DRAFT,
    reviewer: User | None = None,
    folder: Path | None = None,
    **overrides: object,
) -> Listing:
    """A listing of `owner`'s organisation, moved through the services to `status`.

    Committed by one unit of work, as if each step had been its own request.
    """
    if status not in (ListingStatus.DRAFT, ListingStatus.SUBMITTED):
        reviewer = reviewer or platform_reviewer(now)
    with unit_of_work():
        return _listing(owner, now, status=status, reviewer=reviewer, folder=folder, **overrides)


def _listing(
    owner: User,
    now: datetime,
    *,
    status: ListingStatus,
    reviewer: User | None,
    folder: Path | None,
    **overrides: object,
) -> Listing:
    pictures = overrides.pop("pictures", None)
    body = overrides.pop("picture_body", None)
    item = listings.create_listing(owner, listing_input(**overrides), now=now)
    if pictures is not None:
        picture(owner, item, now, pictures, body)  # type: ignore[arg-type]
    if status == ListingStatus.DRAFT:
        return item
    assert folder is not None, "a listing past draft needs evidence: pass folder="
    listing_evidence.add_evidence(
        owner,
        item.id,
        kind="certificate",
        stream=io.BytesIO(PDF_BYTES),
        filename="certificate.pdf",
        folder=folder,
        max_bytes=1_000_000,
        now=now,
    )
    listing_review.submit(owner, item.id, now=now)
    if status == ListingStatus.SUBMITTED:
        return item
    assert reviewer is not None
    listing_review.confirm_ownership(reviewer, item.id, now=now)
    if status == ListingStatus.CONFIRMED:
        return item
    listing_review.publish(owner, item.id, now=now)
    if status == ListingStatus.PUBLISHED:
        return item
    listing_review.withdraw(owner, item.id, now=now)
    return item


def png(size: tuple[int, int] = (640, 400)) -> bytes:
    """A plain PNG picture of `size` pixels."""
    out = io.BytesIO()
    Image.new("RGB", size, "#2b6cb0").save(out, "PNG")
    return out.getvalue()


def picture(
    owner: User, listing: Listing, now: datetime, folder: Path, body: bytes | None = None
) -> ListingImage:
    """A described picture (`body`, else a plain PNG) attached to a draft (`folder`: the
    images area)."""
    return listing_images.add_image(
        owner,
        listing.id,
        stream=io.BytesIO(body or png()),
        filename="picture.png",
        alt_zh="示意图" if listing.title_zh else None,
        alt_en="Diagram" if listing.title_en else None,
        folder=folder,
        limits=ImageLimits(),
        now=now,
    )


def enterprise(now: datetime, *, verified: bool = True, name: str | None = None) -> User:
    """A user of a (verified) enterprise: who posts technology needs and buys."""
    return seller(now, verified=verified, kind=OrganisationKind.ENTERPRISE, name=name)


def need_input(**overrides: object) -> NeedInput:
    """A complete, valid technology need as an enterprise would type it."""
    values: dict[str, object] = {
        "title": "寻求高镍正极材料循环寿命提升技术",
        "problem": "现有高镍三元正极材料循环500次后容量衰减超过20%，需要改性或包覆技术。",
        "field": "energy",
        "region": "上海市",
        "ipc_classes": ("H01M 4/525",),
        "budget_min_minor": 20_000_000,
        "budget_max_minor": 80_000_000,
        "transfer_modes": ("assignment", "exclusive_licence"),
    }
    values.update(overrides)
    return NeedInput(**values)  # type: ignore[arg-type]


def need(owner: User, now: datetime, **overrides: object) -> TechNeed:
    """An open technology need of `owner`'s enterprise, posted through the service."""
    with unit_of_work():
        return post_need(owner, need_input(**overrides), now=now)


def broker(
    now: datetime,
    *,
    reviewer: User | None = None,
    accredited: bool = True,
    expires_in_days: int = 365,
    level: str = "senior",
    name: str | None = None,
) -> User:
    """A user of a verified broker agency who applied as a broker (accredited unless told)."""
    from datetime import timedelta

    from brokers import accreditation
    from brokers import broker_access as shared
    from brokers.rules import BrokerLevel
    from core.uow import unit_of_work

    reviewer = reviewer or platform_reviewer(now)
    user = seller(now, reviewer=reviewer, kind=OrganisationKind.BROKER_AGENCY, name=name)
    with unit_of_work():
        accreditation.apply(
            user,
            accreditation.Application(
                level=BrokerLevel(level),
                certificate_number=f"JJR-{user.id:06d}",
                issuing_body="上海市科学技术委员会",
                expires_on=(now + timedelta(days=expires_in_days)).date(),
                region="上海市",
                expertise_fields=("energy",),
                languages=("zh", "en"),
            ),
            now=now,
        )
        if accredited:
            accreditation.accredit(reviewer, shared.broker_of(user).id, now=now)  # type: ignore[union-attr]
    return user


def api_token(
    user: User, name: str, *, now: datetime, scope: TokenScope = TokenScope.WRITE, days: int = 365
) -> str:
    """A personal API token of `user` (the plain token), committed for the test client."""
    with unit_of_work():
        new = tokens.NewToken(name, scope, days)
        return tokens.issue_token(user, new, now=now, max_days=days).secret
