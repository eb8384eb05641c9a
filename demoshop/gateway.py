"""The fake payment gateway: a Stripe-like API and a statuspage endpoint for each of
stripe, paystack and remita, under /<gateway>/... (plain HTTP on its own port).

    python -m demoshop.gateway --port P --run-dir RUN

Valid API keys are read per request from RUN/gateway/keys.json ({gateway: [key, ...]}), so a
fault can revoke one; the gateway_outage fault flag switches OUTAGE_GATEWAY's status page to an outage.
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
from pathlib import Path

from flask import Flask, abort, jsonify, request
from werkzeug.serving import make_server

from demoshop.faults import flags

GATEWAYS = ("stripe", "paystack", "remita")
OUTAGE_GATEWAY = "remita"  # whose status page the gateway_outage fault breaks
SUCCESS_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"


def create_app(run_dir: Path) -> Flask:
    app = Flask("demoshop.gateway")

    def authorised(gateway: str) -> bool:
        header = request.headers.get("Authorization", "")
        keys = json.loads((run_dir / "gateway" / "keys.json").read_text()).get(gateway, [])
        return header.startswith("Bearer ") and header[7:] in keys

    def unauthorised():
        return jsonify(
            error={"type": "invalid_request_error", "code": "invalid_api_key", "message": "Invalid API Key provided"}
        ), 401

    @app.get("/<gateway>/v1/balance")
    def balance(gateway: str):
        _known(gateway)
        if not authorised(gateway):
            return unauthorised()
        return jsonify(object="balance", livemode=False, available=[{"amount": 1250000, "currency": "ngn"}])

    @app.post("/<gateway>/v1/payment_intents")
    def payment_intent(gateway: str):
        _known(gateway)
        if not authorised(gateway):
            return unauthorised()
        data = request.get_json(silent=True) or request.form
        card = str(data.get("card_number", "")).replace(" ", "")
        amount = int(data.get("amount", 0))
        intent = {
            "id": f"pi_{secrets.token_hex(12)}",
            "object": "payment_intent",
            "amount": amount,
            "currency": data.get("currency", "ngn"),
        }
        if card == SUCCESS_CARD and amount > 0:
            return jsonify(intent | {"status": "succeeded"})
        code = "card_declined" if card == DECLINE_CARD else "incorrect_number"
        message = "Your card was declined." if card == DECLINE_CARD else "Your card number is incorrect."
        return jsonify(
            error={
                "type": "card_error",
                "code": code,
                "message": message,
                "payment_intent": intent | {"status": "requires_payment_method"},
            }
        ), 402

    @app.get("/<gateway>/api/v2/status.json")
    def status(gateway: str):
        _known(gateway)
        outage = gateway == OUTAGE_GATEWAY and flags.is_on(flags.GATEWAY_OUTAGE, flags.folder(run_dir))
        state = (
            {"indicator": "major", "description": "Major System Outage"}
            if outage
            else {"indicator": "none", "description": "All Systems Operational"}
        )
        page = {
            "id": f"demo-{gateway}",
            "name": gateway.capitalize(),
            "url": request.host_url + gateway,
            "time_zone": "Etc/UTC",
            "updated_at": "2026-11-25T00:00:00.000Z",
        }
        return jsonify(page=page, status=state)

    return app


def _known(gateway: str) -> None:
    if gateway not in GATEWAYS:
        abort(404)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--run-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    server = make_server("127.0.0.1", args.port, create_app(args.run_dir), threaded=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
