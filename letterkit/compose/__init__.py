"""Compose letters in the browser, from country to printed page, and keep them."""
