"""Response headers that keep pages on this host and out of shared caches."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    """Set the content security policy and related headers on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    max_age = current_app.config["HSTS_MAX_AGE"]
    if request.is_secure and max_age > 0:
        # Only over HTTPS (behind a proxy: with LETTERKIT_PROXY_FIX=1), as RFC 6797 asks.
        headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response


def cookie_flags() -> dict[str, Any]:
    """Attributes of letterkit's own cookies besides the session (signing form, language):
    never read by scripts, not sent with cross-site posts, HTTPS-only like the session."""
    return {
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
        "httponly": True,
        "samesite": "Lax",
    }


def register(app: Flask) -> None:
    """Install the headers on ``app``."""
    app.after_request(add_security_headers)
