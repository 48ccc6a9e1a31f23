"""Load the demo market through the same services the pages use.

The results are hand-written (marketplace.demo.catalogue); what is drawn at random
(people's names, credit codes, moments within a day) comes from a seeded generator,
so every load makes the same market, timed relative to `now`.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from accounts import services as accounts
from accounts.models import OrganisationKind, User
from accounts.rules import make_credit_code
from accounts.signup_checks import TERMS_VERSION
from core.extensions import db
from listings import evidence as listing_evidence
from listings import images as listing_images
from listings import review as listing_review
from listings import services as listings
from listings.image_files import ImageLimits
from listings.models import Listing
from listings.rules import IPKind
from marketplace.demo import abroad, passwords, trading, valuation
from marketplace.demo import brokers as brokers_demo
from marketplace.demo import events as events_demo
from marketplace.demo import needs as needs_demo
from marketplace.demo import payments as payments_demo
from marketplace.demo import rights as rights_demo
from marketplace.demo.catalogue import CATALOGUE, DETAILS, DIVISION_CODES, ORGANISATIONS
from marketplace.demo.distractors import listing_input as _listing_input  # noqa: F401  (bench/judged)
from marketplace.demo.distractors import person
from marketplace.demo.pictures import draw_png
from marketplace.demo.records import Org, Picture, Result

PASSWORDS = {
    "admin@demo.market": "Admin-demo-2026",
    "reviewer@demo.market": "Review-demo-2026",
    "seller@demo.market": "Seller-demo-2026",
    "buyer@demo.market": "Buyer-demo-2026",
}
PASSWORDS.update(brokers_demo.PASSWORDS)
PASSWORDS.update(abroad.PASSWORDS)  # the Japanese and the German transfer offices
MEMBER_PASSWORD = "Member-demo-2026"

WITHDRAWN_REASON = "已与企业达成线下合作"
REJECTION_REASON = "登记簿副本显示权利人与挂牌单位不一致，请补充转让记录。"
FEATURED = 8  # the first published results are featured on the home page


@dataclass
class DemoSummary:
    """What was loaded, for the command's output."""

    organisations: int = 0
    users: int = 0
    listings: int = 0
    by_status: dict[str, int] | None = None
    trading: dict[str, int] | None = None


def member_emails() -> list[str]:
    """The sign-ins of the organisations other than the demo seller and buyer."""
    return [
        _org_email(org, serial)
        for serial, org in enumerate(ORGANISATIONS, start=1)
        if _org_email(org, serial).startswith("org")
    ]


def load(
    *, now: datetime, evidence_folder: Path, listing_count: int | None = None, seed: int = 2026
) -> DemoSummary:
    """Create organisations, people and listings in every state, then trade, through the services.

    `listing_count` loads the first results of the catalogue only (a smaller market for tests).
    """
    with _one_hash_per_password():
        return _load(now, evidence_folder, CATALOGUE[:listing_count], random.Random(seed))


@contextmanager
def _one_hash_per_password() -> Iterator[None]:
    """Hash each demo password once for the whole load, or not at all (`demo.passwords`).

    Argon2 is slow by design (about 0.3 s of CPU a hash) and the demo's two dozen
    accounts share a handful of passwords; sharing a salt among demo accounts is harmless.
    """
    original = accounts.hash_password
    setattr(accounts, "hash_password", passwords.hashing(original))  # noqa: B010
    try:
        yield
    finally:
        setattr(accounts, "hash_password", original)  # noqa: B010


def _load(
    now: datetime, evidence_folder: Path, results: tuple[Result, ...], rng: random.Random
) -> DemoSummary:
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
    load_by_org: dict[int, int] = {}
    step = timedelta(days=160) / max(len(results), 1)
    for n, result in enumerate(results):
        created = start + step * n + timedelta(minutes=rng.randrange(0, 12 * 60))
        seller = _holder(result, sellers, load_by_org)
        featured = counts.get("published", 0) < FEATURED
        status = _make_listing(rng, result, seller, admin, created, evidence_folder, featured)
        counts[status] = counts.get(status, 0) + 1
    summary.listings = len(results)
    summary.by_status = counts
    summary.trading = {}
    cast = _Cast(rng, [user for user, _ in sellers], buyers, admin, now, evidence_folder)
    for part, names, document in _PARTS:
        if part is events_demo.load and cast.broker is None:
            continue
        arguments = {name: getattr(cast, name) for name in names}
        if document:
            arguments["pdf"] = _certificate_pdf_text(document)
        summary.trading.update(part(**arguments))
        if part is abroad.load:
            summary.organisations += 2
            summary.listings += 2
    return summary


@dataclass(frozen=True)
class _Cast:
    """Who and what the demo's parts load with; each part takes the names it needs."""

    rng: random.Random
    sellers: list[User]
    buyers: list[User]
    admin: User  # the platform's administrator, who reviews too
    now: datetime
    evidence_folder: Path
    reviewer = property(lambda self: self.admin)
    upload_folder = property(lambda self: self.evidence_folder.parent)
    pdf = property(lambda _self: _certificate_pdf_text)

    @property
    def broker(self) -> User | None:
        """The demo broker, once the brokers' part has accredited one."""
        return db.session.scalar(select(User).where(User.email == "broker@demo.market"))


# The demo's parts in load order: the part, the names it takes from the cast, and the
# line of the one PDF it uploads (empty: the PDF maker, `pdf`, if it names it). Payments
# come last but one: they pay (by bank) the deals every other part made.
_PARTS: tuple[tuple[Callable[..., dict[str, int]], tuple[str, ...], str], ...] = (
    (trading.load, ("rng", "sellers", "buyers", "reviewer", "now", "upload_folder", "pdf"),
     "Bank transfer receipt"),
    (valuation.load, ("sellers", "buyers", "now"), ""),
    (needs_demo.load, ("buyers", "now"), ""),
    (brokers_demo.load, ("sellers", "buyers", "reviewer", "now"), ""),
    (abroad.load, ("reviewer", "buyers", "now", "evidence_folder", "pdf"), ""),
    (events_demo.load, ("admin", "broker", "buyers", "now", "upload_folder", "pdf"),
     "Roadshow slides"),
    (payments_demo.load, ("reviewer", "now", "upload_folder", "pdf"), "Bank transfer receipt"),
    (rights_demo.load, ("sellers", "buyers", "reviewer", "now", "upload_folder", "pdf"), ""),
)  # fmt: skip


def _organisations(
    rng: random.Random, reviewer: User, when: datetime, summary: DemoSummary
) -> tuple[list[tuple[User, Org]], list[User]]:
    """Sign every organisation up; the reviewer verifies all but the ones left queued."""
    sellers: list[tuple[User, Org]] = []
    buyers: list[User] = []
    for serial, org in enumerate(ORGANISATIONS, start=1):
        email = _org_email(org, serial)
        prefix = "91" if org.kind == OrganisationKind.ENTERPRISE else "12"
        code = make_credit_code(prefix + DIVISION_CODES[org.region] + f"{rng.randrange(10**9):09d}")
        user = accounts.sign_up(
            accounts.SignUp(
                email=email,
                name=person(rng),
                password=PASSWORDS.get(email, MEMBER_PASSWORD),
                organisation=accounts.NewOrganisation(
                    name=org.name,
                    name_en=org.name_en,
                    kind=org.kind,
                    credit_code=code,
                    region=org.region,
                ),
                terms_version=TERMS_VERSION,  # as the sign-up form records it
            ),
            now=when + timedelta(hours=serial),
        )
        summary.organisations += 1
        summary.users += 1
        if org.verified and user.organisation_id is not None:
            accounts.verify_organisation(
                reviewer, user.organisation_id, now=when + timedelta(hours=serial + 3)
            )
            if org.kind == OrganisationKind.ENTERPRISE:
                buyers.append(user)
            else:
                sellers.append((user, org))
    return sellers, buyers


def _org_email(org: Org, serial: int) -> str:
    if serial == 1:
        return "seller@demo.market"
    if org is next(o for o in ORGANISATIONS if o.kind == OrganisationKind.ENTERPRISE):
        return "buyer@demo.market"
    return f"org{serial:02d}@demo.market"


def _holder(result: Result, sellers: list[tuple[User, Org]], load_by_org: dict[int, int]) -> User:
    """The verified organisation for whom the result's field counts most (its first field
    before its second), spreading the results of a field over its organisations."""
    ranked = [
        (2 * org.fields.index(result.field) + load_by_org.get(user.id, 0), n, user)
        for n, (user, org) in enumerate(sellers)
        if result.field in org.fields
    ]
    user = min(ranked, key=lambda item: item[:2])[2] if ranked else sellers[0][0]
    load_by_org[user.id] = load_by_org.get(user.id, 0) + 1
    return user


def _make_listing(
    rng: random.Random,
    result: Result,
    seller: User,
    reviewer: User,
    created: datetime,
    evidence_folder: Path,
    featured: bool,
) -> str:
    """The result listed and taken as far as its stage; returns the listing's status."""
    listing = listings.create_listing(seller, _listing_input_of(rng, result, seller), now=created)
    _add_picture(seller, listing, DETAILS[result.title_en].picture, evidence_folder, created)
    if result.stage == "draft":
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
    if result.stage == "submitted":
        return "submitted"
    if result.stage == "rejected":
        listing_review.reject_ownership(
            reviewer, listing.id, REJECTION_REASON, now=step + timedelta(days=1)
        )
        return "draft"
    listing_review.confirm_ownership(reviewer, listing.id, now=step + timedelta(days=1))
    if result.stage == "confirmed":
        return "confirmed"
    listing_review.publish(seller, listing.id, now=step + timedelta(days=2))
    if result.stage == "withdrawn":
        listing_review.withdraw(
            seller, listing.id, now=step + timedelta(days=20), reason=WITHDRAWN_REASON
        )
        return "withdrawn"
    if featured:
        listings.set_featured(reviewer, listing.id, True, now=step + timedelta(days=2))
    return "published"


def _listing_input_of(rng: random.Random, result: Result, seller: User) -> listings.ListingInput:
    organisation = seller.organisation
    details = DETAILS[result.title_en]
    return listings.ListingInput(
        title_zh=result.title_zh,
        title_en=result.title_en,
        summary_zh=result.summary_zh,
        summary_en=result.summary_en,
        problem=result.problem,
        advantage=result.advantage,
        application=details.application,
        economics=result.economics,
        problem_en=details.problem_en,
        advantage_en=details.advantage_en,
        application_en=details.application_en,
        economics_en=details.economics_en,
        field=result.field,
        trl=result.trl,
        holder=organisation.name if organisation else "",
        region=organisation.region if organisation else "",
        ipc_classes=result.ipc,
        inventors=tuple(person(rng) for _ in range(rng.randint(2, 5))),
        keywords=result.keywords,
        transfer_modes=result.modes,
        asking_price_minor=None if result.price_wan is None else result.price_wan * 10_000 * 100,
        ip_assets=tuple(
            listings.IPAssetInput(
                IPKind.PCT if number.startswith("PCT/") else IPKind.CN_APPLICATION, number
            )
            for number in result.patents
        ),
    )


def _add_picture(
    seller: User, listing: Listing, picture: Picture | None, evidence_folder: Path, when: datetime
) -> None:
    """The result's figure, drawn now (the listing's id seeds its details), as its seller
    would upload it in the editor."""
    if picture is None:
        return
    listing_images.add_image(
        seller,
        listing.id,
        stream=io.BytesIO(draw_png(picture, seed=listing.id)),
        filename=f"figure-{listing.id}.png",
        alt_zh=picture.alt_zh,
        alt_en=picture.alt_en,
        folder=evidence_folder.parent / "images",
        limits=ImageLimits(),
        now=when,
    )


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
