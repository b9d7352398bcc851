#!/usr/bin/env python3
"""Strict RFC 3464 check of one stored DSN (raw RFC 5322 bytes, path as argument).

Parses with Python's email package under policy.strict (any MIME or header defect raises), then checks the
multipart/report structure (RFC 6522) and every delivery-status field (RFC 3464 section 2, RFC 3463 codes).
Prints a JSON summary on stdout; exit status 0 when the DSN conforms, 1 with the violations listed otherwise.
"""
import email
import json
import re
import sys
from email import policy
from email.utils import parsedate_to_datetime

PER_MESSAGE = {"original-envelope-id", "reporting-mta", "dsn-gateway", "received-from-mta", "arrival-date"}
PER_RECIPIENT = {"original-recipient", "final-recipient", "action", "status", "remote-mta", "diagnostic-code",
                 "last-attempt-date", "final-log-id", "will-retry-until"}
ACTIONS = {"failed": "45", "delayed": "4", "delivered": "2", "relayed": "2", "expanded": "2"}
STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")
MTA = re.compile(r"^dns;\s*[A-Za-z0-9.\-\[\]:]+$")
ADDRESS = re.compile(r"^rfc822;\s*[^\s@]+@[^\s@]+$")
DIAGNOSTIC = re.compile(r"^([A-Za-z][A-Za-z0-9-]*);\s*(\S.*)$")
SMTP_REPLY = re.compile(r"^([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})?")

errors = []


def check(condition, message):
    if not condition:
        errors.append(message)


def date(value, name):
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        errors.append(f"{name} is not an RFC 5322 date: {value!r}")


def fields(block, allowed, where):
    names = [name.lower() for name in block.keys()]
    for name in set(names):
        check(names.count(name) == 1, f"{where}: {name} appears {names.count(name)} times")
        check(name in allowed or name.startswith("x-"), f"{where}: unknown field {name}")
    values = {}
    for name, value in block.items():
        value = str(value)
        check(value.isascii() and "\n" not in value and "\r" not in value, f"{where}: {name} not one ASCII line")
        values[name.lower()] = value
    return values


def main(path):
    raw = open(path, "rb").read()
    check(re.search(rb"(?<!\r)\n|\r(?!\n)", raw) is None, "a line does not end with CRLF")
    message = email.message_from_bytes(raw, policy=policy.strict)
    summary = {"subject": str(message.get("Subject", "")), "from": str(message.get("From", "")),
               "autoSubmitted": str(message.get("Auto-Submitted", "")), "parts": [], "recipients": []}
    for header in ("From", "To", "Date", "Message-ID"):
        check(message.get(header) is not None, f"missing header {header}")
    if message.get("Return-Path") is not None:
        check(str(message.get("Return-Path")).strip() == "<>", f"Return-Path is {message.get('Return-Path')}, not <>")
    check(message.get_content_type() == "multipart/report", f"top type is {message.get_content_type()}")
    check(message.get_param("report-type") == "delivery-status", f"report-type is {message.get_param('report-type')}")
    parts = message.get_payload() if message.is_multipart() else []
    summary["parts"] = [part.get_content_type() for part in parts]
    check(len(parts) in (2, 3), f"{len(parts)} parts, RFC 6522 wants 2 or 3")
    if len(parts) >= 2:
        check(parts[0].get_content_type() == "text/plain", f"first part is {parts[0].get_content_type()}")
        check(parts[1].get_content_type() == "message/delivery-status", f"second part is {parts[1].get_content_type()}")
    if len(parts) == 3:
        check(parts[2].get_content_type() in ("text/rfc822-headers", "message/rfc822"),
              f"third part is {parts[2].get_content_type()}")
        summary["returned"] = parts[2].get_content_type()
        if parts[2].get_content_type() == "text/rfc822-headers":
            summary["returnedHeaders"] = parts[2].get_payload(decode=True).decode("ascii", "replace")
    if len(parts) >= 2 and parts[1].get_content_type() == "message/delivery-status":
        blocks = parts[1].get_payload()
        check(isinstance(blocks, list) and len(blocks) >= 2, "delivery-status needs a per-message block and a recipient block")
        per_message = fields(blocks[0], PER_MESSAGE, "per-message")
        check("reporting-mta" in per_message, "Reporting-MTA missing")
        check(MTA.match(per_message.get("reporting-mta", "")) is not None, f"Reporting-MTA {per_message.get('reporting-mta')!r}")
        if "received-from-mta" in per_message:
            check(MTA.match(per_message["received-from-mta"]) is not None, "Received-From-MTA malformed")
        if "arrival-date" in per_message:
            date(per_message["arrival-date"], "Arrival-Date")
        summary["perMessage"] = per_message
        for index, block in enumerate(blocks[1:]):
            where = f"recipient {index + 1}"
            values = fields(block, PER_RECIPIENT, where)
            for required in ("final-recipient", "action", "status"):
                check(required in values, f"{where}: {required} missing")
            check(ADDRESS.match(values.get("final-recipient", "")) is not None, f"{where}: Final-Recipient {values.get('final-recipient')!r}")
            if "original-recipient" in values:
                check(ADDRESS.match(values["original-recipient"]) is not None, f"{where}: Original-Recipient malformed")
            action = values.get("action", "")
            status = values.get("status", "")
            check(action in ACTIONS, f"{where}: Action {action!r}")
            check(STATUS.match(status) is not None, f"{where}: Status {status!r} is not a bare class.subject.detail code")
            if action in ACTIONS and status:
                check(status[0] in ACTIONS[action], f"{where}: Status {status} does not fit Action {action}")
            if "remote-mta" in values:
                check(MTA.match(values["remote-mta"]) is not None, f"{where}: Remote-MTA malformed")
            if "diagnostic-code" in values:
                diagnostic = DIAGNOSTIC.match(values["diagnostic-code"])
                check(diagnostic is not None, f"{where}: Diagnostic-Code {values['diagnostic-code']!r}")
                if diagnostic and diagnostic.group(1).lower() == "smtp":
                    reply = SMTP_REPLY.match(diagnostic.group(2))
                    check(reply is not None, f"{where}: smtp diagnostic is not an SMTP reply")
                    if reply and reply.group(2):
                        check(reply.group(2) == status, f"{where}: Status {status} differs from the reply's {reply.group(2)}")
            if "last-attempt-date" in values:
                date(values["last-attempt-date"], f"{where}: Last-Attempt-Date")
            summary["recipients"].append(values)
    summary["errors"] = errors
    print(json.dumps(summary))
    return 0 if not errors else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1]))
    except Exception as failure:  # a strict-policy parse failure is a violation too
        print(json.dumps({"errors": [f"{type(failure).__name__}: {failure}"]}))
        sys.exit(1)
