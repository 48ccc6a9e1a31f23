"""Who may do what: one entry per route of the URL map (`endpoint:METHOD[:any() option]`).

The roles are those of tests/authorisation_world.py. An entry names the roles the product
SHOULD let through (PRODUCT.md, DOMAIN.md, the services' own checks); every other role
must be refused. A new route fails tests/integration/test_authorisation_matrix.py until
it has an entry here: add one line. A route with a new parameter name needs its value in
tests/authorisation_world.py; a form that refuses an empty body before the service asks
who is asking needs a valid body in tests/authorisation_bodies.py.
"""

from __future__ import annotations

ANONYMOUS = "anonymous"
OTHER = "other"
SELLER = frozenset({"seller"})
BUYER = frozenset({"buyer"})
BROKER = frozenset({"broker"})
REVIEWERS = frozenset({"reviewer", "admin"})
ADMIN = frozenset({"admin"})  # an administrator of the market (User.is_admin)
PUBLIC = frozenset({ANONYMOUS, OTHER, "seller", "buyer", "broker", "reviewer", "admin"})
SIGNED_IN = PUBLIC - {ANONYMOUS}
# Members of a verified organisation (reviewers and admins belong to none).
MEMBERS = frozenset({OTHER, "seller", "buyer", "broker"})
# Who may buy this seller's results: a verified enterprise, university or institute,
# not the seller itself (trading.rules.check_buyer): not a broker agency.
BUYERS = frozenset({OTHER, "buyer"})
ENTERPRISES = frozenset({OTHER, "buyer"})  # who posts technology needs
PARTIES = SELLER | BUYER  # of the deal, the negotiation, the introduction
PARTIES_AND_REVIEWERS = PARTIES | REVIEWERS
VALUERS = BROKER | REVIEWERS  # valuation.valuers: reviewers and accredited brokers
NOBODY: frozenset[str] = frozenset()  # machines only (Stripe's signed webhook)

POLICY: dict[str, frozenset[str]] = {
    "statistics.public:GET": PUBLIC,  # the anonymised market statistics
    "statistics.public_export:GET:csv": PUBLIC,
    "statistics.public_export:GET:xlsx": PUBLIC,
    "statistics.full:GET": REVIEWERS,  # the full city statistics
    "rates.public:GET": PUBLIC,  # the reference exchange rates
    "rates.choose_currency:GET": PUBLIC,  # the reader's currency of converted figures
    "rates.admin:GET": ADMIN,  # administrators keep them
    "rates.set_rate:POST": ADMIN,
    "rates.import_file:POST": ADMIN,
    "rates_api.current:GET": PUBLIC,
    "rates_api.set_rate:POST": ADMIN,
    "rates_api.import_file:POST": ADMIN,
    "statistics.full_export:GET:csv": REVIEWERS,
    "statistics.full_export:GET:xlsx": REVIEWERS,
    "statistics_api.public_statistics:GET": PUBLIC,  # as statistics.public, JSON
    "statistics_api.full_statistics:GET": REVIEWERS,  # as statistics.full, JSON
    "statistics_api.public_export:GET": PUBLIC,  # as statistics.public_export
    "statistics_api.full_export:GET": REVIEWERS,  # as statistics.full_export
    "audit_api.audit_entries:GET": REVIEWERS,  # the audit trail, paged
    "audit_api.audit_file:GET": REVIEWERS,  # as review.audit_csv
    "review_api.review_queues:GET": REVIEWERS,  # as review.queues: its counts
    "accounts_api.sign_up:POST": PUBLIC,  # a person without an account
    "accounts_api.me:GET": SIGNED_IN,
    "accounts_api.change_password:POST": SIGNED_IN,  # one's own (the body's current password)
    "organisations_api.mine:GET": MEMBERS,
    "organisations_api.members:GET": MEMBERS,
    "organisations_api.approve_member:POST": SELLER,  # the organisation's admin
    "organisations_api.pending:GET": REVIEWERS,
    "organisations_api.decide:POST:verify": REVIEWERS,
    "organisations_api.decide:POST:reject": REVIEWERS,
    "listings_api.mine:GET": SIGNED_IN,  # a reviewer's organisation has none: an empty list
    "listings_api.submitted:GET": REVIEWERS,
    "listings_api.update:PUT": SELLER,  # the owner (refused for the state, not the person)
    "listings_api.evidence:GET": SELLER | REVIEWERS,
    "listings_api.evidence_file:GET": SELLER | REVIEWERS,
    "listings_api.add_evidence:POST": SELLER,
    "listings_api.remove_evidence:DELETE": SELLER,
    "listings_api.list_images:GET": PUBLIC,  # a published listing's pictures
    "listings_api.image_file:GET": PUBLIC,
    "listings_api.image_thumbnail:GET": PUBLIC,
    "listings_api.add_image:POST": SELLER,  # the owner (refused for the state, not the person)
    "listings_api.remove_image:DELETE": SELLER,
    "listings_api.act:POST:submit": SELLER,
    "listings_api.act:POST:publish": SELLER,
    "listings_api.act:POST:reopen": SELLER,
    "listings_api.withdraw:POST": SELLER,
    "listings_api.decide:POST:confirm": REVIEWERS,
    "listings_api.decide:POST:reject": REVIEWERS,
    "tokens_api.index:GET": SIGNED_IN,
    "tokens_api.issue:POST": SIGNED_IN,
    "tokens_api.revoke:DELETE": SELLER,  # its owner
    "tokens_api.ping:GET": SIGNED_IN,
    "tokens_api.ping_write:POST": SIGNED_IN,
    # Webhooks: members see their organisation's; its administrator changes them (the
    # seller's organisation holds the endpoint and the delivery of the world).
    "webhooks.index:GET": MEMBERS,
    "webhooks.index:POST": MEMBERS,  # each an administrator of its own organisation
    "webhooks.delete:POST": SELLER,
    "webhooks.rotate:POST": SELLER,
    "webhooks.resend:POST": SELLER,
    "webhooks_api.index:GET": MEMBERS,
    "webhooks_api.register:POST": MEMBERS,
    "webhooks_api.delete:DELETE": SELLER,
    "webhooks_api.rotate:POST": SELLER,
    "webhooks_api.deliveries:GET": MEMBERS,
    "webhooks_api.resend:POST": SELLER,
    # Support policies: administrators of the market define, compute, adjust, approve and
    # export; members of an organisation read their own eligibility.
    "policies.index:GET": ADMIN,
    "policies.index:POST": ADMIN,
    "policies.policy:GET": ADMIN,
    "policies.policy:POST": ADMIN,
    "policies.run:GET": ADMIN,
    "policies.adjust:POST": ADMIN,
    "policies.approve:POST": ADMIN,
    "policies.export_csv:GET": ADMIN,
    "policies.mine:GET": MEMBERS,
    # Roadshows (路演): public pages; the market's administrators and accredited brokers
    # schedule; the organiser (here the broker's agency) manages; verified members register.
    "events.index:GET": PUBLIC,
    "events.feed:GET": PUBLIC,
    "events.detail:GET": PUBLIC,
    "events.ics:GET": PUBLIC,
    "events_api.ics:GET": PUBLIC,  # as events.ics
    "events.material_file:GET": PUBLIC,
    "events_api.material_file:GET": PUBLIC,  # as events.material_file
    "events.new:GET": ADMIN | BROKER,
    "events.new:POST": ADMIN | BROKER,
    "events.cancel:POST": ADMIN | BROKER,
    "events.add_material:POST": ADMIN | BROKER,
    "events.register:POST": MEMBERS,
    "events.unregister:POST": BUYER,  # the one registered
    "events.show_interest:POST": BUYER,  # a participant, once the event has started
    "events_api.index:GET": PUBLIC,
    "events_api.event:GET": PUBLIC,
    "events_api.register:POST": MEMBERS,
    "events_api.schedule:POST": ADMIN | BROKER,  # the market's, or an accredited broker's agency
    "events_api.cancel_event:POST": ADMIN | BROKER,  # its organiser
    "events_api.add_material:POST": ADMIN | BROKER,
    "events_api.cancel_registration:POST": BUYER,
    "events_api.show_interest:POST": BUYER,
    # Technology import/export records (技术进出口合同登记) of the world's export deal.
    "deals.trade_record:GET": PARTIES_AND_REVIEWERS,
    "deals.trade_record_csv:GET": PARTIES_AND_REVIEWERS,
    "deals.save_trade_record:POST": SELLER | REVIEWERS,
    "deals.check_trade_record:POST": REVIEWERS,
    "deals.certify_trade_record:POST": REVIEWERS,
    "deals_api.trade_record:GET": PARTIES_AND_REVIEWERS,
    "deals_api.trade_record_file:GET": PARTIES_AND_REVIEWERS,  # the record as CSV
    "deals_api.save_trade_record:PUT": SELLER | REVIEWERS,
    "deals_api.check_trade_record:POST": REVIEWERS,
    "deals_api.certify_trade_record:POST": REVIEWERS,
    # 科技成果评价: an accredited broker agency or expert without a mandate on the listing
    "listings.evaluation_form:GET": BROKER,
    "listings.record_evaluation:POST": BROKER,
    "listings.evaluation_evidence:GET": PUBLIC,  # with its published listing
    "listings_api.evaluation_evidence:GET": PUBLIC,  # as listings.evaluation_evidence
    "listings_api.listing_evaluations:GET": PUBLIC,
    "listings_api.evaluate:POST": BROKER,
    # Inventors' rewards: the university's administrators; a statement also to its inventor
    # (the world names the buyer's user as one)
    "rewards.index:GET": SELLER,
    "rewards.set_policy:POST": SELLER,
    "rewards.award:POST": SELLER,
    "rewards.inventors:GET": SELLER,
    "rewards.set_inventors:POST": SELLER,
    "rewards.statement:GET": SELLER | BUYER,
    "rewards.statement_csv:GET": SELLER | BUYER,
    "rewards.mine:GET": SIGNED_IN,
    "rewards_api.statement:GET": SELLER | BUYER,
    "rewards_api.completed_deals:GET": SELLER,  # as rewards.index: its completed deals
    "rewards_api.royalty_rewards:GET": SELLER,  # as rewards.index: its royalties' pools
    "rewards_api.my_statements:GET": SIGNED_IN,  # as rewards.mine: one's own (maybe none)
    "rewards_api.statement_csv:GET": SELLER | BUYER,  # as rewards.statement_csv
    "rewards_api.award:POST": SELLER,
    "rewards_api.reward_policy:GET": SIGNED_IN,  # the terms that apply to one's institution
    "rewards_api.set_reward_policy:PUT": SELLER,  # the institution's administrators
    "rewards_api.inventors:GET": SELLER,
    "rewards_api.set_inventors:PUT": SELLER,
    "listings.legal_status_page:GET": REVIEWERS,  # patents' legal status, pledges, consents
    "listings.record_legal_status:POST": REVIEWERS,
    "listings.record_pledgee_consent:POST": REVIEWERS,
    "open_licences_api.catalogue:GET": PUBLIC,
    "open_licences_api.declaration:GET": PUBLIC,
    "open_licences_api.report:GET": PUBLIC,  # its evaluation report, public with it
    "open_licences_api.notice:POST": MEMBERS - SELLER,
    "open_licences_api.licence:GET": PARTIES_AND_REVIEWERS,
    "open_licences_api.declare:POST": SELLER,  # the patentee of a published listing
    "open_licences_api.withdraw:POST": SELLER,
    "open_licences_api.review_queue:GET": REVIEWERS,
    "open_licences_api.approve:POST": REVIEWERS,
    "open_licences_api.refuse:POST": REVIEWERS,
    "open_licences_api.record_payment:POST": REVIEWERS,
    "licensing_api.listing_offers:GET": PUBLIC,  # a published listing's offers
    "licensing_api.set_listing_offers:PUT": SELLER,  # the listing's owner
    "licensing_api.grant_licence:POST": SELLER,  # the licensor (licensee: the buyer)
    "licensing_api.licence:GET": PARTIES_AND_REVIEWERS,
    "licensing_api.report_royalty:POST": BUYER,  # the licensee
    "open_licences.report_royalty:POST": BUYER,  # the licensee, on the deal page
    "open_licences.rights:GET": SELLER | REVIEWERS,  # the owner, its co-owners, reviewers
    "open_licences.set_offers:POST": SELLER,  # the listing's owner
    "open_licences.grant:POST": SELLER,  # the licensor grants a licence it offers
    "open_licences.set_holders:POST": SELLER,
    "open_licences.attach_agreement:POST": SELLER,
    "open_licences.sign_off:POST": REVIEWERS,  # signs off the 赋权 agreement
    "open_licences.consent:POST": NOBODY,  # a co-owner (or a reviewer, for a person): none in the world
    "rights_api.rights:GET": SELLER | BUYER | REVIEWERS,  # the owner, a co-owner (the buyer's org)
    "rights_api.set_holders:PUT": SELLER,  # the listing's owner
    "rights_api.attach_agreement:POST": SELLER,
    "rights_api.sign_off:POST": REVIEWERS,
    "rights_api.consent:POST": BUYER,  # the co-owner itself (a reviewer only for a person)
    "open_licences_api.pay_by_card:POST": BUYER,  # the licensee (by notice) pays its fee
    "open_licences.pay_by_card:POST": BUYER,
    "open_licences.catalogue:GET": PUBLIC,  # the open-licence catalogue
    "open_licences.declaration:GET": PUBLIC,  # a published declaration and its licences
    "open_licences.report:GET": PUBLIC,  # its evaluation report, public with it
    "open_licences.declare:GET": SIGNED_IN,  # the form (only the holder has patents in it)
    "open_licences.declare:POST": SELLER,  # the patentee of a published listing
    "open_licences.withdraw:POST": SELLER,
    "open_licences.notice:POST": MEMBERS - SELLER,  # any verified organisation but the patentee
    "open_licences.licence:GET": PARTIES_AND_REVIEWERS,  # licensor, licensee, reviewers
    "open_licences.queue:GET": REVIEWERS,
    "open_licences.approve:POST": REVIEWERS,
    "open_licences.refuse:POST": REVIEWERS,
    "open_licences.payment:POST": REVIEWERS,
    "policies_api.eligibility:GET": MEMBERS,
    "policies_api.index:GET": ADMIN,
    "policies_api.define:POST": ADMIN,
    "policies_api.policy:GET": ADMIN,
    "policies_api.adjust:POST": ADMIN,
    "policies_api.compute:POST": ADMIN,
    "policies_api.run:GET": ADMIN,
    "policies_api.run_lines:GET": ADMIN,
    "policies_api.run_file:GET": ADMIN,  # the period as CSV
    "policies_api.approve:POST": ADMIN,
    "review.cancellations:GET": REVIEWERS,
    "review.cancellation_request:GET": REVIEWERS,
    "review.rule:POST": REVIEWERS,
    "review.decide_auction:POST:publish": REVIEWERS,
    "review.decide_auction:POST:refuse": REVIEWERS,
    "review.refund_made:POST": REVIEWERS,
    "accounts.approve_member:POST": SELLER,  # the organisation's admin
    "accounts.api_tokens:GET": SIGNED_IN,
    "accounts.api_tokens:POST": SIGNED_IN,
    "accounts.revoke_api_token:POST": SELLER,  # its owner
    "accounts.change_password:GET": SIGNED_IN,
    "accounts.accept_terms:GET": SIGNED_IN,  # new terms to accept (or on to the next page)
    "accounts.accept_terms:POST": SIGNED_IN,
    "accounts.change_password:POST": SIGNED_IN,
    "accounts.organisation:GET": SIGNED_IN,
    "accounts.sign_in:GET": PUBLIC,
    "accounts.sign_in:POST": PUBLIC,
    "accounts.sign_out:POST": PUBLIC,
    "accounts.sign_up:GET": PUBLIC,
    "accounts.sign_up:POST": PUBLIC,
    "api-docs.openapi_json:GET": PUBLIC,
    "auctions.bid:POST": BUYER,  # a bidder whose deposit is held
    "auctions.create:GET": SELLER,
    "auctions.create:POST": SELLER,
    "auctions.decide_deposit:POST:confirm": REVIEWERS,
    "auctions.decide_deposit:POST:reject": REVIEWERS,
    "auctions.deposit_queue:GET": REVIEWERS,
    "auctions.events:GET": PUBLIC,
    "auctions.index:GET": PUBLIC,
    "auctions.join:POST": BUYERS,
    "auctions.receipt:GET": BUYER | REVIEWERS,
    "auctions.room:GET": PUBLIC,
    "auctions.upload_receipt:POST": BUYERS,
    "auctions_api.announcements_queue:GET": REVIEWERS,
    "auctions_api.approve_announcement:POST": REVIEWERS,
    "auctions_api.bid:POST": BUYER,
    "auctions_api.bids:GET": PUBLIC,
    "auctions_api.create:POST": SELLER,
    "auctions_api.get:GET": PUBLIC,
    "auctions_api.index:GET": PUBLIC,
    "auctions_api.join:POST": BUYERS,  # the buyer has joined already: the same deposit again
    "auctions_api.refuse_announcement:POST": REVIEWERS,
    "brokers.answer_introduction:POST:accept": PARTIES,
    "brokers.answer_introduction:POST:decline": PARTIES,
    "brokers.apply:GET": SIGNED_IN,
    "brokers.apply:POST": SIGNED_IN,
    "brokers.dashboard:GET": SIGNED_IN,  # anyone but a broker is sent to /brokers/mine
    "brokers.directory:GET": PUBLIC,
    "brokers.document_file:GET": BROKER | REVIEWERS,
    "brokers.introduction:GET": PARTIES | BROKER | REVIEWERS,
    "brokers.mandate:GET": SELLER | BROKER | REVIEWERS,
    "brokers.mandate_action:POST:accept": SELLER | BROKER,  # the side that did not propose
    "brokers.mandate_action:POST:decline": SELLER | BROKER,
    "brokers.mandate_action:POST:terminate": SELLER | BROKER,
    "brokers.mine:GET": SIGNED_IN,
    "brokers.new_introduction:GET": SIGNED_IN,  # an empty form; the service decides on POST
    "brokers.new_introduction:POST": BROKER,
    "brokers.new_mandate:GET": SIGNED_IN,
    "brokers.new_mandate:POST": SELLER | BROKER,  # the owner of the listing, or the broker named
    "brokers.profile:GET": PUBLIC,
    "brokers.rate:POST": PARTIES,
    "brokers.statement:GET": BROKER,
    "brokers.upload_document:POST": BROKER,
    "brokers_api.answer_introduction:POST:accept": PARTIES,
    "brokers_api.answer_introduction:POST:decline": PARTIES,
    "brokers_api.apply:POST": SIGNED_IN,
    "brokers_api.decide:POST:accredit": REVIEWERS,
    "brokers_api.decide:POST:refuse": REVIEWERS,
    "brokers_api.directory:GET": PUBLIC,
    "brokers_api.my_mandates:GET": SIGNED_IN,  # one's own (a reviewer: none)
    "brokers_api.my_introductions:GET": SIGNED_IN,  # one's own (a reviewer: none)
    "brokers_api.get_introduction:GET": PARTIES | BROKER | REVIEWERS,
    "brokers_api.get_mandate:GET": SELLER | BROKER | REVIEWERS,
    "brokers_api.introduce:POST": BROKER,
    "brokers_api.mandate_action:POST:accept": SELLER | BROKER,
    "brokers_api.mandate_action:POST:decline": SELLER | BROKER,
    "brokers_api.mandate_action:POST:terminate": SELLER | BROKER,
    "brokers_api.profile:GET": PUBLIC,
    "brokers_api.propose_mandate:POST": SELLER | BROKER,
    "brokers_api.statement:GET": BROKER,
    "brokers_api.my_broker:GET": BROKER,  # as brokers.dashboard: one's own accreditation
    "brokers_api.upload_document:POST": BROKER,  # to its own application
    "brokers_api.document_file:GET": BROKER | REVIEWERS,
    "brokers_api.rate:POST": PARTIES,  # of a deal the broker earned a commission on
    "deposits_api.confirm:POST": REVIEWERS,
    "deposits_api.get:GET": BUYER | REVIEWERS,  # its organisation, the reviewers who confirm it
    "deposits_api.mine:GET": SIGNED_IN,
    "deposits_api.queue:GET": REVIEWERS,
    "deposits_api.receipt:GET": BUYER | REVIEWERS,
    "deposits_api.record_refund:POST": REVIEWERS,
    "deposits_api.refunds:GET": REVIEWERS,
    "deposits_api.reject:POST": REVIEWERS,
    "deposits_api.upload_receipt:POST": BUYER,
    "deals.advance:POST": SELLER | REVIEWERS,  # signed: the seller; the buyer records its payment
    # A proposal of the buyer waits on the unpaid deal; a request for a ruling on another.
    "deals.open_cancellation:POST": PARTIES,
    "deals.answer_cancellation:POST:agree": SELLER,  # the other party answers
    "deals.answer_cancellation:POST:decline": SELLER,
    "deals.answer_cancellation:POST:withdraw": BUYER,  # the party that proposed
    "deals.detail:GET": PARTIES_AND_REVIEWERS,
    "deals.document_file:GET": PARTIES_AND_REVIEWERS,
    "deals.ledger:GET": REVIEWERS,
    "deals.mine:GET": SIGNED_IN,
    "deals.register_offline:GET": REVIEWERS
    | BROKER,  # DOMAIN.md: a reviewer or an accredited broker
    "deals.register_offline:POST": REVIEWERS
    | BROKER,  # DOMAIN.md: a reviewer or an accredited broker
    "deals.registration_record:GET": PARTIES_AND_REVIEWERS,
    "deals.registrations_csv:GET": REVIEWERS,
    "deals.upload_document:POST": PARTIES_AND_REVIEWERS,
    "deals_api.advance:POST": SELLER | REVIEWERS,
    "deals_api.list_cancellations:GET": PARTIES_AND_REVIEWERS,
    "deals_api.open_cancellation:POST": PARTIES,
    "deals_api.answer_cancellation:POST": SELLER,  # agrees to the buyer's proposal
    "deals_api.rule_cancellation:POST": REVIEWERS,
    "deals_api.pending_cancellations:GET": REVIEWERS,  # the queue of requests to rule on
    "deals_api.get_deal:GET": PARTIES_AND_REVIEWERS,
    "deals_api.get_registration:GET": PARTIES_AND_REVIEWERS,
    "deals_api.registration_form:GET": PARTIES_AND_REVIEWERS,
    "deals_api.save_registration_form:PUT": SELLER | REVIEWERS,  # the side that registers
    "deals_api.record_registration_certificate:POST": REVIEWERS,
    "listings_api.legal_status_of:GET": REVIEWERS,  # patents' legal status, from the register
    "listings_api.record_legal_status:POST": REVIEWERS,
    "listings_api.record_pledgee_consent:POST": REVIEWERS,
    "deals_api.list_deals:GET": SIGNED_IN,
    "deals_api.register_offline:POST": REVIEWERS
    | BROKER,  # DOMAIN.md: a reviewer or an accredited broker
    "deals_api.upload_document:POST": PARTIES_AND_REVIEWERS,
    "deals_api.document_file:GET": PARTIES_AND_REVIEWERS,  # as deals.document_file
    "listings.act:POST:publish": SELLER,
    "listings.act:POST:reopen": SELLER,
    "listings.act:POST:submit": SELLER,
    "listings.act:POST:withdraw": SELLER,
    "listings.create:GET": SIGNED_IN,
    "listings.create:POST": MEMBERS,
    "listings.delete_evidence:POST": SELLER,
    "listings.delete_image:POST": SELLER,
    "listings.image_file:GET": PUBLIC,
    "listings.image_thumbnail:GET": PUBLIC,
    "listings.upload_image:POST": SELLER,
    "listings.detail:GET": PUBLIC,
    "listings.edit:GET": SELLER,
    "listings.edit:POST": SELLER,
    "listings.evidence_file:GET": SELLER | REVIEWERS,
    "listings.mine:GET": SIGNED_IN,
    "deals.registration_details_form:POST": SELLER | REVIEWERS,  # the side that registers
    "deals.registration_certificate:POST": REVIEWERS,
    "deals.registration_batch:GET:csv": REVIEWERS,
    "deals.registration_batch:GET:xlsx": REVIEWERS,
    "deals_api.registration_batch:GET": REVIEWERS,  # the batch as JSON, paged
    "deals_api.registration_batch_file:GET": REVIEWERS,  # as CSV or XLSX
    "brokers_api.applications:GET": REVIEWERS,  # the accreditation queue, as review.brokers
    "brokers_api.application:GET": REVIEWERS,  # one application, as review.broker
    "deals_api.registrations_file:GET": REVIEWERS,  # the ledger's records, as deals.registrations_csv
    "listings.portfolio_import:GET": SIGNED_IN,
    "listings.portfolio_import:POST": MEMBERS,  # a university's or institute's patents
    "listings.portfolio_import_status:GET": SELLER,  # the organisation that imported
    "listings.portfolio_import_progress:GET": SELLER,
    "listings_api.portfolio_import:POST": MEMBERS,
    "listings_api.portfolio_imports:GET": SIGNED_IN,  # a reviewer's organisation has none
    "listings_api.portfolio_import_status:GET": SELLER,  # the organisation that imported
    "listings_api.portfolio_template:GET:csv": SIGNED_IN,
    "listings_api.portfolio_template:GET:xlsx": SIGNED_IN,
    "listings.portfolio_template:GET:csv": SIGNED_IN,
    "listings.portfolio_template:GET:xlsx": SIGNED_IN,
    "listings.upload_evidence:POST": SELLER,
    "listings_api.create:POST": MEMBERS,
    "listings_api.get:GET": PUBLIC,
    "listings_api.search:GET": PUBLIC,
    "main.api_docs:GET": PUBLIC,
    "main.healthz:GET": PUBLIC,
    "main.readyz:GET": PUBLIC,
    "main.home:GET": PUBLIC,
    # Prometheus' scrape: by network (default: this machine, as the matrix's client is) or
    # bearer token, whoever is signed in (tests/integration/core/test_observability.py).
    "metrics.metrics_page:GET": PUBLIC,
    "main.switch_language:GET": PUBLIC,
    "home.index:GET": SIGNED_IN,  # each person's own home (its panels are their own)
    "home_api.home:GET": SIGNED_IN,  # as home.index
    "help.index:GET": PUBLIC,
    "help.page:GET": PUBLIC,
    "legal.terms:GET": PUBLIC,
    "legal.privacy:GET": PUBLIC,
    "accounts.organisation_document:GET": SELLER | REVIEWERS,  # its members and reviewers
    "organisations_api.document_file:GET": SELLER | REVIEWERS,  # the same document
    "matching.listing_matches:GET": SELLER | BROKER,  # the owner, a broker with a mandate
    "matching.need_matches:GET": BUYER,
    "needs.act:POST:close": BUYER,
    "needs.act:POST:withdraw": BUYER,
    "needs.create:GET": SIGNED_IN,
    "needs.create:POST": ENTERPRISES,
    "needs.detail:GET": PUBLIC,
    "needs.edit:GET": BUYER,
    "needs.edit:POST": BUYER,
    "needs.index:GET": PUBLIC,
    "needs.mine:GET": SIGNED_IN,
    "needs_api.close:POST": BUYER,
    "needs_api.create:POST": ENTERPRISES,
    "needs_api.get:GET": PUBLIC,
    "needs_api.matches:GET": BUYER,
    "listings_api.listing_matches:GET": SELLER | BROKER,  # as matching.listing_matches
    "needs_api.mine:GET": SIGNED_IN,
    "needs_api.search:GET": PUBLIC,
    "needs_api.update:PUT": BUYER,
    "needs_api.withdraw:POST": BUYER,
    "notifications.inbox:GET": SIGNED_IN,
    "notifications_api.inbox:GET": SIGNED_IN,
    "notifications_api.mark_all_read:POST": SIGNED_IN,
    "notifications_api.mark_read:POST": BUYER,  # the buyer's own notification
    "notifications_api.preferences:GET": SIGNED_IN,
    "notifications_api.set_preferences:PUT": SIGNED_IN,
    "notifications_api.unread:GET": SIGNED_IN,
    "notifications_api.unwatch:DELETE": SIGNED_IN,
    "notifications_api.watch:POST": SIGNED_IN,
    "notifications_api.watching:GET": SIGNED_IN,
    "notifications.open_notification:POST": BUYER,  # the buyer's own notification
    "notifications.preferences:GET": SIGNED_IN,
    "notifications.preferences:POST": SIGNED_IN,
    "notifications.read_all:POST": SIGNED_IN,
    "notifications.unsubscribe:GET": PUBLIC,  # the signed token is the authority
    "notifications.unsubscribe:POST": PUBLIC,
    "notifications.watch:POST": SIGNED_IN,
    "notifications.watching_page:GET": SIGNED_IN,
    "payments.confirm:POST": REVIEWERS,
    "payments.deal:GET": PARTIES_AND_REVIEWERS,
    "payments.deposit:GET": BUYER,
    "payments.deposit_by_bank:POST": BUYER,
    "payments.deposit_by_card:POST": BUYER,
    "payments.index:GET": SIGNED_IN,
    "payments_api.deals_with_money:GET": SIGNED_IN,  # as payments.index: its own (maybe none)
    "payments.onboarding:POST": MEMBERS,  # an organisation admin (all of them here)
    "payments.pay_by_bank:POST": BUYER,
    "payments.pay_by_card:POST": BUYER,
    "payments.payout_paid:POST": REVIEWERS,
    "payments.payouts:GET": SIGNED_IN,
    "payments.receipt_file:GET": BUYER | REVIEWERS,
    "payments.reject:POST": REVIEWERS,
    "payments.release_payouts:POST": REVIEWERS,
    "payments.review:GET": REVIEWERS,
    "payments.stripe_webhook:POST": NOBODY,
    "payments_api.confirm:POST": REVIEWERS,
    "payments_api.deposit_by_card:POST": BUYER,
    "payments_api.money_flow:GET": PARTIES_AND_REVIEWERS,
    "payments_api.my_payouts:GET": SIGNED_IN,
    "payments_api.onboarding:POST": MEMBERS,
    "payments_api.pay_by_bank:POST": BUYER,
    "payments_api.receipt_file:GET": BUYER | REVIEWERS,  # as payments.receipt_file
    "payments_api.pay_by_card:POST": BUYER,
    "payments_api.payout_paid:POST": REVIEWERS,
    "payments_api.reject:POST": REVIEWERS,
    "payments_api.release_payouts:POST": REVIEWERS,
    "payments_api.review_queue:GET": REVIEWERS,
    "publicity.decide:POST": REVIEWERS,
    "publicity.index:GET": PUBLIC,
    "publicity.lodge:POST": SIGNED_IN,  # anyone may object to a public notice
    "publicity.notice:GET": PUBLIC,
    "publicity.queue:GET": REVIEWERS,
    "review.audit:GET": REVIEWERS,
    "review.audit_csv:GET": REVIEWERS,
    "review.broker:GET": REVIEWERS,
    "review.brokers:GET": REVIEWERS,
    "review.decide_broker:POST:accredit": REVIEWERS,
    "review.decide_broker:POST:refuse": REVIEWERS,
    "review.decide_listing:POST:confirm": REVIEWERS,
    "review.decide_listing:POST:reject": REVIEWERS,
    "review.decide_organisation:POST:reject": REVIEWERS,
    "review.decide_organisation:POST:verify": REVIEWERS,
    "review.listing:GET": REVIEWERS,
    "review.queues:GET": REVIEWERS,
    "sales.accept:POST": PARTIES,
    "sales.cancel:POST": SELLER,
    "sales.index:GET": PUBLIC,
    "sales.message:POST": PARTIES,
    "sales.my_negotiations:GET": SIGNED_IN,
    "sales.negotiation:GET": PARTIES_AND_REVIEWERS,
    "sales.new_sale:GET": SELLER,
    "sales.new_sale:POST": SELLER,
    "sales.offer:POST": PARTIES,
    "sales.register_intent:POST": BUYERS,
    "sales.relist:POST": SELLER,
    "sales.sale:GET": PUBLIC,
    "sales.start_negotiation:GET": SIGNED_IN,
    "sales.start_negotiation:POST": BUYERS,
    "sales.upload_receipt:POST": BUYER,
    "sales.withdraw:POST": PARTIES,
    "sales.withdraw_intent:POST": SIGNED_IN,  # one's own intent; none: a 409
    "sales_api.accept:POST": PARTIES,
    "sales_api.decide_objection:POST": REVIEWERS,
    "sales_api.get_negotiation:GET": PARTIES_AND_REVIEWERS,
    "sales_api.get_notice:GET": PUBLIC,
    "sales_api.get_sale:GET": PUBLIC,
    "sales_api.list_notices:GET": PUBLIC,
    "sales_api.list_sales:GET": PUBLIC,
    "sales_api.lodge_objection:POST": SIGNED_IN,
    "sales_api.make_offer:POST": PARTIES,
    "sales_api.my_negotiations:GET": SIGNED_IN,
    "sales_api.objection_queue:GET": REVIEWERS,
    "sales_api.open_negotiation:POST": BUYERS,
    "sales_api.post_message:POST": PARTIES,
    "sales_api.register_intent:POST": BUYERS,
    "sales_api.relist:POST": SELLER,
    "sales_api.start_sale:POST": SELLER,
    "sales_api.withdraw:POST": PARTIES,
    "sales_api.withdraw_intent:DELETE": SIGNED_IN,
    "sales_api.withdraw_sale:POST": SELLER,
    "saved_searches_api.create:POST": SIGNED_IN,
    "saved_searches_api.delete:DELETE": BUYER,  # the buyer's own saved search
    "saved_searches_api.index:GET": SIGNED_IN,
    "saved_searches_api.update:PATCH": BUYER,
    "search.api_suggestions:GET": PUBLIC,
    "search.feed:GET": PUBLIC,
    "search.save_search:POST": SIGNED_IN,
    "search.saved:GET": SIGNED_IN,
    "search.saved:POST": SIGNED_IN,
    "search.search:GET": PUBLIC,
    "search.suggestions:GET": PUBLIC,
    "valuation.act:POST:decline": BROKER,  # the assigned valuer
    "valuation.act:POST:take": VALUERS,
    "valuation.act:POST:withdraw": BUYER,  # the requesting organisation
    "valuation.detail:GET": BUYER | VALUERS,  # a buyer's report: the buyer, its signer, reviewers
    # (and a partner bank it is shared with: no role of the matrix is a bank)
    "valuation.share_report:POST": BUYER,  # the report's owner
    "valuation.unshare_report:POST": BUYER,
    "valuation_api.share:POST": BUYER,
    "valuation_api.unshare:POST": BUYER,
    "valuation.shared_with_bank:GET": NOBODY,  # members of a partner bank only
    "valuation.issue:POST": BROKER,
    "valuation.mine:GET": SIGNED_IN,
    "valuation.new_request:GET": SIGNED_IN,
    "valuation.new_request:POST": MEMBERS,
    "valuation.queue:GET": VALUERS,
    "valuation.report_pdf:GET": BUYER | VALUERS,
    "valuation.request_detail:GET": BUYER | VALUERS,  # valuers see open requests
    "valuation.value_listing:GET": SELLER | VALUERS,  # valuation.services.may_compute
    "valuation.value_listing:POST": SELLER | VALUERS,
    "valuation_api.compute:POST": SELLER | VALUERS,
    "valuation_api.create_request:POST": MEMBERS,
    "valuation_api.decline:POST": BROKER,
    "valuation_api.get:GET": BUYER | VALUERS,
    "valuation_api.report_pdf:GET": BUYER | VALUERS,  # as valuation.report_pdf
    "valuation_api.get_request:GET": BUYER | VALUERS,
    "valuation_api.issue:POST": BROKER,
    "valuation_api.latest:GET": PUBLIC,  # the seller's indicative valuation of a public listing
    "valuation_api.my_requests:GET": SIGNED_IN,
    "valuation_api.queue:GET": VALUERS,  # as valuation.queue
    "valuation_api.shared_with_bank:GET": NOBODY,  # members of a partner bank only
    "valuation_api.take:POST": VALUERS,
    "valuation_api.withdraw:POST": BUYER,
}

# Known defects, expected to fail: `case key@role` (or a whole `case key`) -> why it is
# not fixed yet. A `case key@role` that stops failing fails the test: remove it then.
KNOWN_DEFECTS: dict[str, str] = {}
