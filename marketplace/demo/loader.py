"""Generate a believable demo market through the same services the pages use."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from accounts import services as accounts
from accounts.models import OrganisationKind, User
from accounts.rules import make_credit_code
from core.extensions import db
from listings import evidence as listing_evidence
from listings import review as listing_review
from listings import services as listings
from listings.ip_number_cn import check_character_cn
from listings.models import Listing
from listings.rules import FIELDS, IPKind, TransferMode
from marketplace.demo import brokers as brokers_demo
from marketplace.demo import needs as needs_demo
from marketplace.demo import payments as payments_demo
from marketplace.demo import trading, valuation
from marketplace.demo.catalogue import (
    CITIES,
    CN_PATTERNS,
    DIVISION_CODES,
    EN_NAMES,
    EN_PATTERNS,
    FIELD_VOCABULARY,
    GIVEN,
    SURNAMES,
)

PASSWORDS = {
    "admin@demo.market": "Admin-demo-2026",
    "reviewer@demo.market": "Review-demo-2026",
    "seller@demo.market": "Seller-demo-2026",
    "buyer@demo.market": "Buyer-demo-2026",
}
PASSWORDS.update(brokers_demo.PASSWORDS)
MEMBER_PASSWORD = "Member-demo-2026"

# (kind, name pattern, English pattern, credit-code prefix: registration authority + kind)
ORG_TEMPLATES: tuple[tuple[OrganisationKind, str, str, str], ...] = (
    (OrganisationKind.UNIVERSITY, "{city}理工大学", "{city_en} University of Technology", "12"),
    (OrganisationKind.UNIVERSITY, "{city}大学", "{city_en} University", "12"),
    (
        OrganisationKind.INSTITUTE,
        "{city}先进技术研究院",
        "{city_en} Institute of Advanced Technology",
        "12",
    ),
    (
        OrganisationKind.ENTERPRISE,
        "{city}新能科技有限公司",
        "{city_en} New Energy Technology Co., Ltd.",
        "91",
    ),
)


@dataclass
class DemoSummary:
    """What was loaded, for the command's output."""

    organisations: int = 0
    users: int = 0
    listings: int = 0
    by_status: dict[str, int] | None = None
    trading: dict[str, int] | None = None


def already_loaded() -> bool:
    """The demo is loaded once: any listing means the market already has data."""
    return bool(db.session.scalar(select(func.count(Listing.id))))


def has_accounts() -> bool:
    """Whether people are registered (then the demo must not be mixed in)."""
    return bool(db.session.scalar(select(func.count(User.id))))


def load(
    *, now: datetime, evidence_folder: Path, listing_count: int = 320, seed: int = 2026
) -> DemoSummary:
    """Create organisations, people and listings in every state, through the services."""
    rng = random.Random(seed)
    summary = DemoSummary()
    start = now - timedelta(days=180)
    admin = accounts.create_platform_user(
        "admin@demo.market", "平台管理员", PASSWORDS["admin@demo.market"], now=start, admin=True
    )
    accounts.create_platform_user(
        "reviewer@demo.market", "审核员 李静", PASSWORDS["reviewer@demo.market"], now=start
    )
    summary.users = 2
    accounts.register_operator(
        admin,
        name="城市技术市场运营中心",
        credit_code=make_credit_code("12310000MB0000001"),
        region="上海市",
        now=start,
    )
    sellers, buyers = _organisations(rng, admin, start, summary)
    counts: dict[str, int] = {}
    for n in range(listing_count):
        created = start + timedelta(minutes=rng.randrange(0, 170 * 24 * 60))
        seller = sellers[n % len(sellers)]
        status = _make_listing(rng, seller, admin, created, evidence_folder, featured=n < 8)
        counts[status] = counts.get(status, 0) + 1
    summary.listings = listing_count
    summary.by_status = counts
    summary.trading = trading.load(
        rng,
        sellers=sellers,
        buyers=buyers,
        reviewer=admin,
        now=now,
        upload_folder=evidence_folder.parent,
        pdf=_certificate_pdf_text("Bank transfer receipt"),
    )
    summary.trading.update(valuation.load(sellers=sellers, buyers=buyers, now=now))
    summary.trading.update(needs_demo.load(buyers=buyers, now=now))
    summary.trading.update(
        brokers_demo.load(sellers=sellers, buyers=buyers, reviewer=admin, now=now)
    )
    # Last: it pays (by bank) the deals every other part of the demo made.
    summary.trading.update(
        payments_demo.load(
            reviewer=admin,
            now=now,
            upload_folder=evidence_folder.parent,
            pdf=_certificate_pdf_text("Bank transfer receipt"),
        )
    )
    return summary


def _organisations(
    rng: random.Random, reviewer: User, when: datetime, summary: DemoSummary
) -> tuple[list[User], list[User]]:
    sellers: list[User] = []
    buyers: list[User] = []
    serial = 0
    for city, city_en, region in CITIES:
        for kind, name, name_en, prefix in ORG_TEMPLATES:
            if kind == OrganisationKind.ENTERPRISE and len(buyers) >= 8:
                continue
            serial += 1
            email = _org_email(kind, serial, sellers, buyers)
            code = make_credit_code(prefix + DIVISION_CODES[region] + f"{rng.randrange(10**9):09d}")
            user = accounts.sign_up(
                accounts.SignUp(
                    email=email,
                    name=_person(rng),
                    password=PASSWORDS.get(email, MEMBER_PASSWORD),
                    organisation=accounts.NewOrganisation(
                        name=name.format(city=city),
                        name_en=name_en.format(city_en=city_en),
                        kind=kind,
                        credit_code=code,
                        region=region,
                    ),
                ),
                now=when,
            )
            summary.organisations += 1
            summary.users += 1
            if serial % 13 != 0 and user.organisation_id is not None:  # a few stay queued
                accounts.verify_organisation(
                    reviewer, user.organisation_id, now=when + timedelta(hours=3)
                )
                (buyers if kind == OrganisationKind.ENTERPRISE else sellers).append(user)
    return sellers, buyers


def _org_email(kind: OrganisationKind, serial: int, sellers: list[User], buyers: list[User]) -> str:
    if kind == OrganisationKind.UNIVERSITY and not sellers:
        return "seller@demo.market"
    if kind == OrganisationKind.ENTERPRISE and not buyers:
        return "buyer@demo.market"
    return f"org{serial:02d}@demo.market"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _make_listing(
    rng: random.Random,
    seller: User,
    reviewer: User,
    created: datetime,
    evidence_folder: Path,
    *,
    featured: bool,
) -> str:
    field = rng.choice(list(FIELDS))
    english = rng.random() < 0.15
    data = _listing_input(rng, field, seller, english)
    listing = listings.create_listing(seller, data, now=created)
    roll = rng.random()
    if roll < 0.05:
        return "draft"
    step = created + timedelta(hours=2)
    listing_evidence.add_evidence(
        seller,
        listing.id,
        kind="certificate",
        stream=io.BytesIO(_certificate_pdf(listing)),
        filename=f"专利证书-{listing.ip_assets[0].number}.pdf",
        folder=evidence_folder,
        max_bytes=1_000_000,
        now=step,
    )
    listing_review.submit(seller, listing.id, now=step)
    if roll < 0.09:
        return "submitted"
    if roll < 0.11:
        listing_review.reject_ownership(
            reviewer,
            listing.id,
            "登记簿副本显示权利人与挂牌单位不一致，请补充转让记录。",
            now=step + timedelta(days=1),
        )
        return "draft"
    listing_review.confirm_ownership(reviewer, listing.id, now=step + timedelta(days=1))
    if roll < 0.14:
        return "confirmed"
    listing_review.publish(seller, listing.id, now=step + timedelta(days=2))
    if roll > 0.97:
        listing_review.withdraw(
            seller, listing.id, now=step + timedelta(days=20), reason="已与企业达成线下合作"
        )
        return "withdrawn"
    if featured:
        listings.set_featured(reviewer, listing.id, True, now=step + timedelta(days=2))
    return "published"


def _listing_input(
    rng: random.Random, field: str, seller: User, english: bool
) -> listings.ListingInput:
    vocab = FIELD_VOCABULARY[field]
    field_zh, field_en = FIELDS[field]
    price = rng.choice([None, None] + [rng.randrange(5, 800) * 10_000 * 100 for _ in range(6)])
    inventors = tuple(
        rng.choice(EN_NAMES) if english and i == 0 else _person(rng)
        for i in range(rng.randint(2, 5))
    )
    year = rng.randint(2014, 2024)
    assets = [_cn_application(rng, year + i) for i in range(rng.randint(1, 3))]
    if rng.random() < 0.12:
        assets.append(listings.IPAssetInput(IPKind.PCT, f"PCT/CN{year}/{rng.randrange(10**6):06d}"))
    if english:
        subject, quality = rng.choice(vocab["en"]), rng.choice(vocab["en_quality"])
        title = rng.choice(EN_PATTERNS).format(subject=subject, quality=quality)
        title = title[0].upper() + title[1:]
        summary_en = (
            f"A {quality} {subject} developed for {field_en.lower()}. Compared with existing products it "
            f"reduces cost by {rng.randint(10, 45)}% and has been validated at pilot scale. "
            f"Suitable for licensing to manufacturers who need a proven {subject}."
        )
        title_zh, title_en, summary_zh = None, title, None
    else:
        subject, quality = rng.choice(vocab["zh"]), rng.choice(vocab["quality"])
        title_zh = rng.choice(CN_PATTERNS).format(subject=subject, quality=quality)
        title_en, summary_en = None, None
        summary_zh = (
            f"本成果针对{field_zh}领域中{subject}性能不足、成本偏高的问题，提出一种{quality}{subject}技术方案。"
            f"与现有技术相比，关键指标提升{rng.randint(15, 60)}%，生产成本降低约{rng.randint(10, 40)}%。"
            f"已完成{rng.choice(['实验室验证', '中试', '小批量试产'])}，适合{rng.choice(['转让', '许可', '作价入股'])}给相关制造企业。"
        )
    modes = rng.sample([m.value for m in TransferMode], rng.randint(1, 3))
    return listings.ListingInput(
        title_zh=title_zh,
        title_en=title_en,
        summary_zh=summary_zh,
        summary_en=summary_en,
        problem=None,
        advantage=None,
        economics=None,
        field=field,
        trl=rng.randint(2, 8),
        holder=seller.organisation.name if seller.organisation else "",
        region=seller.organisation.region if seller.organisation else "",
        ipc_classes=(rng.choice(vocab["ipc"]),),
        inventors=inventors,
        transfer_modes=tuple(modes),
        asking_price_minor=price,
        ip_assets=tuple(assets),
    )


def _cn_application(rng: random.Random, year: int) -> listings.IPAssetInput:
    digits = f"{year}{rng.choice('11112')}{rng.randrange(10**7):07d}"
    return listings.IPAssetInput(IPKind.CN_APPLICATION, f"{digits}.{check_character_cn(digits)}")


def _certificate_pdf(listing: Listing) -> bytes:
    """A one-page PDF standing in for the scanned certificate."""
    return _certificate_pdf_text(
        f"Patent certificate / ZL{listing.ip_assets[0].number} / listing {listing.id}"
    )


def _certificate_pdf_text(text: str) -> bytes:
    """A one-page PDF showing one line of ASCII text (stands in for a scanned document)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
