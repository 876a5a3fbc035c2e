"""Signals of the councils app: the ledger listens, so that a person who stops being bound by
the duty leaves every working group at once (the ledger builds on this app, not it on the ledger)."""

from django.dispatch import Signal

#: Sent inside the transaction that ends a seat, with `seat` (a DutyAcknowledgement) and `actor`.
seat_ended = Signal()
