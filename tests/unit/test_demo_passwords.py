"""The demo's stored password hashes sign its people in, as hashing at load did."""

from __future__ import annotations

from argon2 import PasswordHasher

from marketplace.demo import loader, passwords


def test_every_demo_password_has_a_current_hash_that_verifies() -> None:
    published = set(loader.PASSWORDS.values()) | {loader.MEMBER_PASSWORD}
    assert set(passwords.HASHED) == published
    hasher = PasswordHasher()
    for password, stored in passwords.HASHED.items():
        assert hasher.verify(stored, password)
        assert not hasher.check_needs_rehash(stored), password


def test_other_passwords_are_hashed_once_each() -> None:
    calls: list[str] = []

    def slow_hash(password: str) -> str:
        calls.append(password)
        return f"hash of {password}"

    hashed = passwords.hashing(slow_hash)
    assert hashed("Admin-demo-2026") == passwords.HASHED["Admin-demo-2026"]
    assert hashed("someone else's") == hashed("someone else's") == "hash of someone else's"
    assert calls == ["someone else's"]
