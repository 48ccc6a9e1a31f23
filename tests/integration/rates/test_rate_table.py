"""The reference rate table: an administrator sets a rate or imports a file (whole or not at
all, audited); everyone reads the rates in force with their day, on a page and by API."""

from __future__ import annotations

import io
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select

from core import rates
from core.audit_models import AuditEntry
from core.extensions import db
from tests import factories
from tests.conftest import FrozenClock

EN = {"Accept-Language": "en"}


def _sign_in(client: FlaskClient, email: str) -> None:
    client.post("/signin", data={"email": email, "password": factories.PASSWORD})


def _import(client: FlaskClient, text: str) -> tuple[int, str]:
    data = {"file": (io.BytesIO(text.encode()), "rates.csv")}
    response = client.post("/review/rates/import", data=data, headers=EN)
    return response.status_code, response.get_data(as_text=True)


def test_an_administrator_sets_a_rate_and_everyone_reads_it_with_its_day(
    client: FlaskClient, clock: FrozenClock
) -> None:
    reviewer = factories.platform_reviewer(clock())
    admin = factories.platform_admin(clock())
    _sign_in(client, reviewer.email)
    form = {"currency": "USD", "yuan": "7.1234", "on": "2026-02-27"}
    assert client.post("/review/rates", data=form).status_code == 403
    client.post("/signout")

    _sign_in(client, admin.email)
    refused = client.post("/review/rates", data={**form, "yuan": "7,12"}, headers=EN)
    assert refused.status_code == 422 and "like 7.1234" in refused.get_data(as_text=True)
    float_like = client.post("/review/rates", data={**form, "yuan": "1e3"}, headers=EN)
    assert float_like.status_code == 422
    assert client.post("/review/rates", data=form).status_code == 302
    assert client.post("/review/rates", data={**form, "yuan": "7.2000"}).status_code == 302
    kept = db.session.scalars(select(rates.ReferenceRate)).all()
    assert [(r.currency, str(r.as_rate().yuan)) for r in kept] == [("USD", "7.2000")]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "reference_rate").order_by(AuditEntry.id)
    ).all()
    assert [e.after["yuan"] for e in entries] == ["7.1234", "7.2000"]
    assert entries[1].before == {"yuan": "7.1234"} and entries[1].actor_id == admin.id

    client.post("/signout")
    page = client.get("/rates", headers=EN).get_data(as_text=True)
    assert "7.2000" in page and "27 Feb 2026" in page
    body = client.get("/api/v1/rates/").get_json()
    assert body["items"] == [{"currency": "USD", "yuan": "7.2000", "on": "2026-02-27"}]
    assert client.get("/api/v1/rates/?on=2026-02-26").get_json()["items"] == []


def test_a_file_is_imported_whole_or_not_at_all(client: FlaskClient, clock: FrozenClock) -> None:
    admin = factories.platform_admin(clock())
    _sign_in(client, admin.email)
    status, page = _import(
        client, "date,currency,yuan\n2026-12-01,USD,7.10\n2026-12-01,XYZ,1\n2026-13-01,EUR,7.7\n"
    )
    assert status == 422
    assert "Nothing was imported" in page and "3: " in page and "4: " in page
    assert db.session.scalar(select(rates.ReferenceRate)) is None

    status, _ = _import(
        client,
        "\ufeffdate,currency,yuan\n2026-12-01,USD,7.10\n2026-12-01,EUR,7.7012\n"
        "2026-12-02,JPY,0.047812\n",
    )
    assert status == 302
    table = rates.table(date(2026, 12, 2))
    assert table.rate("EUR", date(2026, 12, 2)).on == date(2026, 12, 1)
    conversion = table.convert(1_000_000, "JPY", "USD", date(2026, 12, 2))  # ¥1,000,000
    assert conversion.amount_minor == 673_408 and conversion.as_of == date(2026, 12, 1)
