"""Sign-on letters and petitions: public signing pages, display choices, withdrawal,
moderation, exports, the annex of signatories and the retention of signers' data."""
