"""Campaigns: one letter to many authorities across countries, printed in one go, each tracked."""
