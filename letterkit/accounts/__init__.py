"""Accounts: first-run set-up, log in and out, invitations, roles, passwords, group details."""
