"""The web shell: home page, language switch, access rules, audit, errors and security headers."""
