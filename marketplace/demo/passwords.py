"""The demo's passwords, hashed once when this file was written, not at every demo load.

Argon2 is slow by design: the demo's seven passwords took about 1.5 s of CPU to hash, a
tenth of `flask demo load` (cProfile). They are published (the command prints them), so
a salt shared by every demo market gives nothing away. A hash made with other parameters
than the hasher's current ones (`accounts.hash_password`) is not used: the password is
hashed afresh, once per load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from argon2 import PasswordHasher

HASHED = {
    "Abroad-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$LoH/ie9ajCnO6Cys17bnFg$F1kYOulb94NdR5gaxnGoezP4MyyOrt4YY66/xZ+lg24",
    "Admin-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$RFKr8xte5WhSm+fjWKfj7g$xA/6joWFf84/xToBezFaWvoaGrvfhIFWDsjmZ0bwCK4",
    "Broker-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$Rh17Nkj2ixKXmhwnpV1F+A$0S41fThGxciF6dgUuADdQKPiLskfkFtWl77qvoxdzwE",
    "Buyer-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$EmcNlCFg1Z6r7n5bpLikFQ$SuGQPBrE3v5rqRqLoYAasu7tk6DNVlPUF5FCIlBZk9c",
    "Member-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$RLplKMgftH0xBi7l5LlPYw$78FH2tAtHQ4Qx/oG7hjhU/U7Hh08/s8g9l1SHWaWz4k",
    "Review-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$OJdqTcG3lvUthnnlXL1RHw$CN63kuthVVvDq+eBni+9mu9BJ6N6yiOJnnDi8k3X9js",
    "Seller-demo-2026": "$argon2id$v=19$m=65536,t=3,p=4$QJhfIEx3kM7GKTUzPNp/jA$Q3u8k8c3k6gzHr9UpTzoVOS0byJDkGCcawr8orX95XI",
}


def hashing(hash_password: Callable[[str], str]) -> Callable[[str], str]:
    """`hash_password`, answering a demo password with its stored hash, any other once."""
    current = PasswordHasher()  # the parameters `accounts.hash_password` uses
    usable = {p: h for p, h in HASHED.items() if not current.check_needs_rehash(h)}

    @functools.cache
    def hashed(password: str) -> str:
        return usable.get(password) or hash_password(password)

    return hashed
