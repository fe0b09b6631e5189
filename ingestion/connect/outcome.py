"""The outcome of a call leg, decided as a call-centre analyst reads a contact record.

What the records prove comes first, then what the agent or the flow recorded:

1. A later leg continues this one (a contact whose PreviousContactId is this contact, or this
   contact's NextContactId, or a transfer out of Connect): `callback_required` when that leg is
   a queued callback the customer asked for, `transferred` otherwise. A caller who left the queue
   for a callback or another queue did not abandon.
2. Inbound and never connected to an agent: `abandoned`.
3. Outbound and the customer never answered (no ConnectedToSystemTimestamp): `no_answer`.
4. The configured contact attribute, when it holds an outcome.
5. Otherwise `resolved`.
"""

from __future__ import annotations

CALLBACK = "CALLBACK"


def call_outcome(
    contact: dict, *, direction: str, answered: bool, following: list[dict], recorded: str | None
) -> str:
    """`following`: the contacts whose PreviousContactId is this one; `recorded`: the attribute's outcome."""
    if following or contact.get("NextContactId") or contact.get("TransferredToEndpoint") or contact.get("TransferCompletedTimestamp"):
        if any(leg.get("InitiationMethod") == CALLBACK for leg in following):
            return "callback_required"
        return "transferred"
    if direction == "inbound" and not answered:
        return "abandoned"
    if direction == "outbound" and not answered:
        return "no_answer"
    return recorded or "resolved"
