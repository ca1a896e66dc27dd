"""Odd decimals and dates sent as JSON variables (issue 11): the fuzzing of tests/e2e/test_fuzz.py
writes values into the document, so the scalars' parse_literal is what it reaches; here the same
values, and JSON numbers no float can hold, go through parse_value. Nothing may be a 5xx or a
masked internal error."""

from __future__ import annotations

import json

import httpx

from schema.core.ids import to_global_id
from tests.support.fuzzing import ODD_DATES, ODD_DECIMALS, masked
from tests.support.world import World

# JSON numbers as they appear in the body (the endpoint parses them as exact decimals)
NUMBERS = ["0", "-0", "1e999999999", "-1e-999999999", "1E+21", "1" + "0" * 400, "0.1", "-5"]
REGISTER = (
    'mutation($amount: Decimal!, $on: Date!) { registerPurchase(input: {vendorId: "VENDOR", '
    'title: "Fuzzed", category: CORE_NETWORK_EQUIPMENT, contractValue: {amount: $amount, '
    'currency: "CNY"}, taxIncluded: true, contractDate: $on, persons: []}) '
    "{ purchase { contractValue { amount } } errors { field code } } }"
)
RATE = (
    'mutation($rate: Decimal!, $on: Date!) { setExchangeRate(input: {currency: "USD", '
    'rateToCny: $rate, validFrom: $on, source: "fuzz"}) { errors { field code } } }'
)


async def _send(
    client: httpx.AsyncClient, secret: str, query: str, variables: str
) -> httpx.Response:
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables + "}"
    return await client.post(
        "/graphql",
        content=body.encode(),
        headers={"authorization": f"Bearer {secret}", "content-type": "application/json"},
    )


async def test_odd_decimals_and_dates_in_variables_never_fail_the_server(
    client: httpx.AsyncClient, world: World
) -> None:
    register = REGISTER.replace("VENDOR", to_global_id("Vendor", world.vendor_cn))
    strings = [json.dumps(v) for v in ODD_DECIMALS]
    dates = [json.dumps(v) for v in ODD_DATES] + ["20250301", "null", "[]"]
    findings, sent = [], 0
    # when every odd amount (as a string or a JSON number) and every odd date is sent
    for amount in strings + NUMBERS:
        for query, secret, names in (
            (register, world.secrets["procurement"], ("amount", "on")),
            (RATE, world.secrets["admin"], ("rate", "on")),
        ):
            for on in dates if amount == strings[0] else ['"2025-03-01"']:
                variables = '{"' + names[0] + '": ' + amount + ', "' + names[1] + '": ' + on + "}"
                response = await _send(client, secret, query, variables)
                sent += 1
                if response.status_code >= 500 or masked(response.json()):
                    findings.append((variables, response.status_code, response.text[:300]))
    # then each was answered, with an input error or the value taken, never as a server failure
    assert findings == []
    assert sent == 2 * (len(strings) + len(NUMBERS) - 1 + len(dates))
