"""Outbound webhooks: what concerns an organisation, POSTed signed to the endpoints it registered."""
