"""Tracking: which authorities have the group's letters, since when, and who is late.

``operations`` holds the domain verbs (record a dispatch, a registration, an extension, a reply,
close, recompute due dates, follow-up letters, calendar feeds), ``queries`` the dashboard's SQL,
``exports`` the CSV and iCalendar writers, ``files`` the checks on uploaded proofs.
"""
