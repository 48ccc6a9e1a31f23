"""Use cases of technology brokers, one module per aggregate; `shared` holds what they all ask."""
