"""Issue 12, item 2: with DEBUG off and no CACHE_URL, every gunicorn worker shares one cache.

Before, each worker had its own in-memory cache: the "30 per hour" gift-code limit
let about 30 per worker through. The look-ups go from several threads on fresh
connections, so both workers answer (the access log's pids prove it) and counts
race each other (the shared cache's increments must not lose any).
"""

from __future__ import annotations

import re
import secrets
from concurrent.futures import ThreadPoolExecutor

LIMIT = 30  # SHOP_RATE_GIFT_CODE_IP's default, per client per hour


def test_gift_code_limit_holds_across_two_workers(production_server):
    def look_up(_):
        code = secrets.token_hex(8)  # a new code each time: only the per-client limit applies
        status, _headers, _body = production_server.request("POST", "/api/shop/gift-cards/balance", {"code": code})
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(look_up, range(2 * LIMIT + 10)))
    assert set(statuses) <= {404, 429}, statuses
    assert statuses.count(404) == LIMIT, statuses  # unknown code: answered, and counted
    log = production_server.log()
    pids = set(re.findall(r"gift-cards/balance .* <(\d+)>$", log, re.M))
    assert len(pids) == 2, log[-3000:]
