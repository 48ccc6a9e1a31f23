"""Request bodies of the authorisation matrix (tests/authorisation_policies.py says who may).

An empty body is refused by most forms (400/422) before the service asks who is asking;
these bodies are valid, so the request reaches the service's authorisation check.
"""

from __future__ import annotations

from typing import Any

# Bodies that get a request past input validation to the authorisation check (the
# default body is empty, which most forms refuse with a 422 before asking who is asking):
# `case key` (or `endpoint:METHOD` for every any() option) -> form fields (HTML) or JSON
# (API). "<name>" is replaced by the world's value of that name; a `PDF` value is sent
# as an uploaded file (multipart).
PDF = ("file", "document.pdf")
OTHER_ORG = "<other_org_id>"
_LISTING = {
    "title_zh": "一种矩阵测试成果",
    "summary_zh": "解决问题。",
    "field": "energy",
    "trl": "5",
    "holder": "矩阵测试大学",
    "region": "上海市",
    "transfer_modes": "assignment",
}
_NEED = {
    "title": "寻求矩阵测试技术",
    "problem": "需要一种提升高镍正极材料循环寿命的改性技术。",
    "field": "energy",
    "region": "上海市",
    "transfer_modes": "assignment",
}
_INCOME = {
    "revenues_minor": [1_000_000_000],
    "royalty_bps": 300,
    "discount": {"risk_free_bps": 250},
    "legal_life_years": 1,
    "economic_life_years": 1,
}
_MANDATE_TERM = {"starts_at": "2026-03-02T02:00:00+00:00", "ends_at": "2026-08-30T00:00:00+00:00"}
_REASON = {"reason": "矩阵测试：理由。"}
BODIES: dict[str, dict[str, Any]] = {
    # A reason is all a decision lacks: whoever may not decide is refused for who they are.
    "auctions.decide_deposit:POST": _REASON,
    "review.decide_broker:POST": _REASON,
    "review.decide_listing:POST": _REASON,
    "review.decide_organisation:POST": _REASON,
    "brokers_api.decide:POST": _REASON,
    "brokers.mandate_action:POST": _REASON,
    "brokers_api.mandate_action:POST": _REASON,
    "deals.open_cancellation:POST": {
        "kind": "agreement",
        "reason": "双方协商一致解除。",
        "confirmed": "1",
    },
    "deals.answer_cancellation:POST": {"confirmed": "1"},
    "review.rule:POST": {"outcome": "dismissed", "reason": "理由不足。", "confirmed": "1"},
    "review.decide_auction:POST": {"reason": "公告内容不完整。"},
    "review.refund_made:POST": {"bank_reference": "MATRIX-REFUND"},
    "accounts.api_tokens:POST": {"name": "matrix", "scope": "read", "days": "30"},
    "payments.reject:POST": _REASON,
    "payments.payout_paid:POST": {"bank_reference": "MATRIX-OUT"},
    "valuation.act:POST": _REASON,
    "publicity.decide:POST": {"uphold": "false", "reason": "异议不成立。"},
    "publicity.lodge:POST": {"reasons": "发明人奖励方案未公示。"},
    "sales_api.lodge_objection:POST": {"reasons": "发明人奖励方案未公示。"},
    "notifications.watch:POST": {"object_type": "listing", "object_id": "<listing_id>"},
    "search.save_search:POST": {"q": "电池", "name": "电池", "frequency": "daily"},
    "auctions.bid:POST": {"amount": "10000"},
    "auctions.upload_receipt:POST": {"bank_reference": "MATRIX-R", "file": PDF},
    "auctions_api.bid:POST": {"amount_minor": 1_000_000},
    "auctions_api.create:POST": {
        "listing_id": "<free_listing_id>",
        "starting_price_minor": 1_000_000,
        "increment_minor": 50_000,
        "starts_at": "<auction_starts_at>",
        "ends_at": "<auction_ends_at>",
    },
    "auctions_api.refuse_announcement:POST": _REASON,
    "deposits_api.record_refund:POST": {"bank_reference": "MATRIX-REFUND"},
    "deposits_api.reject:POST": _REASON,
    "deposits_api.upload_receipt:POST": {"bank_reference": "MATRIX-R", "receipt": PDF},
    "notifications_api.watch:POST": {"object_type": "listing", "object_id": "<listing_id>"},
    "saved_searches_api.create:POST": {"text": "电池", "frequency": "daily"},
    "saved_searches_api.update:PATCH": {"frequency": "instant"},
    "brokers.new_mandate:POST": {
        "broker_id": "<broker_id>",
        "side": "seller",
        "listing_id": "<listing_id>",
        "starts_on": "2026-03-02",
        "ends_on": "2026-08-30",
        "commission_kind": "percentage",
        "rate": "2",
        "payer": "seller",
    },
    # The world's people share factories.PASSWORD (each visit is rolled back).
    "accounts_api.change_password:POST": {
        "current_password": "Correct-horse-9",
        "password": "Matrix-strong-77",
    },
    "policies_api.define:POST": {
        "name_zh": "矩阵测试补贴",
        "beneficiary": "buyer",
        "rate_bp": 300,
        "valid_from": "2026-01-01",
    },
    "policies_api.adjust:POST": {"amount_minor": 500, "reason": "矩阵测试：扣减。"},
    "brokers_api.upload_document:POST": {"kind": "certificate", "file": PDF},
    "brokers_api.rate:POST": {"broker_id": "<broker_id>", "score": 5, "comment": "矩阵测试"},
    "brokers_api.introduce:POST": {"listing_id": "<listing_id>", "buyer_org_id": OTHER_ORG},
    "brokers_api.propose_mandate:POST": {
        "broker_id": "<broker_id>",
        "side": "seller",
        "listing_id": "<listing_id>",
        **_MANDATE_TERM,
        "commission_kind": "percentage",
        "rate_bps": 200,
        "payer": "seller",
    },
    "deals.advance:POST": {"status": "signed"},
    "deals_api.advance:POST": {"status": "signed"},
    "brokers.new_introduction:POST": {"listing_id": "<listing_id>", "buyer_org_id": OTHER_ORG},
    "deals_api.open_cancellation:POST": {
        "kind": "agreement",
        "reason": "双方协商一致解除。",
        "confirm": True,
    },
    "deals_api.answer_cancellation:POST": {"answer": "agree", "confirm": True},
    "deals_api.rule_cancellation:POST": {
        "outcome": "dismissed",
        "reason": "理由不足。",
        "confirm": True,
    },
    "tokens_api.issue:POST": {"name": "matrix", "scope": "read", "days": 30},
    "webhooks.index:POST": {"url": "http://127.0.0.1:9/hook", "events": "listing.published"},
    "webhooks_api.register:POST": {"url": "http://127.0.0.1:9/hook", "events": ["deal.created"]},
    "policies.index:POST": {
        "name_zh": "矩阵测试政策",
        "beneficiary": "seller",
        "fixed_yuan": "10000",
        "valid_from": "2026-01-01",
    },
    "policies.policy:POST": {"period_start": "2026-01-01", "period_end": "2026-01-31"},
    "policies.adjust:POST": {"amount_yuan": "1", "reason": "矩阵测试"},
    "policies_api.compute:POST": {"period_start": "2026-01-01", "period_end": "2026-01-31"},
    "deals_api.register_offline:POST": {
        "seller_name": "线下测试大学",
        "buyer_name": "线下测试公司",
        "title": "线下成交的技术",
        "method": "negotiated",
        "contract_type": "transfer",
        "signed_on": "2026-02-01",
        "price_minor": 10_000_000,
        "contract": {"filename": "合同.pdf", "content_base64": "<pdf_base64>"},
    },
    "deals_api.upload_document:POST": {"kind": "other", "file": PDF},
    "events.add_material:POST": {"title": "资料", "file": PDF},
    "rates_api.set_rate:POST": {"currency": "USD", "yuan": "7.1234", "on": "2026-02-27"},
    "rates_api.import_file:POST": {"file": ("file", "rates.csv")},
    "events_api.add_material:POST": {"title": "资料", "file": PDF},
    "events_api.schedule:POST": {
        "title": "矩阵路演",
        "format": "online",
        "stream_url": "https://live.example.org/matrix",
        "starts_at": "2027-01-10T02:00:00Z",
        "ends_at": "2027-01-10T06:00:00Z",
        "capacity": 50,
    },
    "deals.save_trade_record:POST": {
        "category": "free",
        "usd_amount": "7000",
        "payment_terms": "30% on signing",
    },
    "deals.certify_trade_record:POST": {"certificate_number": "TIE-2026-0001"},
    "events.show_interest:POST": {"listing_id": "<listing_id>", "kind": "introduction"},
    "events_api.show_interest:POST": {"listing_id": "<listing_id>", "kind": "introduction"},
    "listings.create:POST": _LISTING,
    "listings.portfolio_import:POST": {"file": ("file", "portfolio.csv")},
    "listings_api.portfolio_import:POST": {"file": ("file", "portfolio.csv")},
    "listings_api.create:POST": {**_LISTING, "trl": 5, "transfer_modes": ["assignment"]},
    "listings_api.update:PUT": {**_LISTING, "trl": 5, "transfer_modes": ["assignment"]},
    "listings_api.add_evidence:POST": {"kind": "certificate", "file": PDF},
    "listings_api.add_image:POST": {"alt_zh": "示意图", "file": PDF},
    "listings_api.decide:POST": _REASON,
    "organisations_api.decide:POST": _REASON,
    "needs.create:POST": _NEED,
    "needs_api.create:POST": {**_NEED, "transfer_modes": ["assignment"]},
    "needs_api.update:PUT": {**_NEED, "transfer_modes": ["assignment"]},
    "payments.pay_by_bank:POST": {
        "amount": "1",
        "bank_reference": "<deal_reference>",
        "receipt": PDF,
    },
    "payments_api.deposit_by_card:POST": {
        "success_url": "https://example.com/ok",
        "cancel_url": "https://example.com/cancel",
    },
    "payments_api.onboarding:POST": {
        "refresh_url": "https://example.com/refresh",
        "return_url": "https://example.com/return",
    },
    "payments_api.pay_by_bank:POST": {
        "amount_minor": 100,
        "bank_reference": "<deal_reference>",
        "receipt": PDF,
    },
    "payments_api.pay_by_card:POST": {
        "success_url": "https://example.com/ok",
        "cancel_url": "https://example.com/cancel",
    },
    "payments_api.payout_paid:POST": {"bank_reference": "MATRIX-OUT"},
    "payments_api.reject:POST": {"reason": "回单不清晰。"},
    "sales.message:POST": {"body": "您好。"},
    "sales.offer:POST": {"amount": "420000"},
    "sales.start_negotiation:POST": {"amount": "300000", "message": "我们有意受让。"},
    "sales_api.decide_objection:POST": {"uphold": False, "reason": "异议不成立。"},
    "sales_api.make_offer:POST": {"amount_minor": 42_000_000},
    "sales_api.open_negotiation:POST": {"listing_id": "<listing_id>", "amount_minor": 30_000_000},
    "sales_api.post_message:POST": {"body": "您好。"},
    "sales_api.start_sale:POST": {"listing_id": "<listing_id>", "asking_price_minor": 50_000_000},
    "valuation.issue:POST": {
        "revenue_1": "10000000",
        "tax": "25",
        "royalty": "3",
        "risk_free": "2.5",
        "legal_life_years": "1",
        "economic_life_years": "1",
        "opinion": "评估意见。",
        "action": "issue",
    },
    "valuation.new_request:POST": {"purpose": "受让前评估"},
    "valuation_api.compute:POST": {"listing_id": "<listing_id>", "income": _INCOME},
    "valuation_api.create_request:POST": {"listing_id": "<listing_id>", "purpose": "受让前评估"},
    "valuation_api.decline:POST": {"reason": "利益冲突。"},
    "valuation_api.issue:POST": {"income": _INCOME, "opinion": "评估意见。"},
}
