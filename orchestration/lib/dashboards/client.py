"""A logged-in session on Superset's REST API (JWT for the API, CSRF token for writes)."""

from __future__ import annotations

from typing import Any

import prison
import requests


class SupersetError(RuntimeError):
    pass


class SupersetClient:
    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        response = self.session.post(
            self._url("/api/v1/security/login"),
            json={"username": username, "password": password, "provider": "db", "refresh": False},
            timeout=60,
        )
        if response.status_code != 200:
            raise SupersetError(f"login of {username!r} refused: {response.status_code} {response.text[:200]}")
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        token = self.session.get(self._url("/api/v1/security/csrf_token/"), timeout=60)
        token.raise_for_status()
        self.session.headers["X-CSRFToken"] = token.json()["result"]
        self.session.headers["Referer"] = self.base_url

    def _url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def request(self, method: str, path: str, expected: tuple[int, ...] = (200, 201), **kwargs: Any) -> dict:
        response = self.session.request(method, self._url(path), timeout=300, **kwargs)
        if response.status_code not in expected:
            raise SupersetError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else {}

    def get(self, path: str, **kwargs: Any) -> dict:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> dict:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> dict:
        return self.request("PUT", path, **kwargs)

    def list_all(self, path: str, **query: Any) -> list[dict]:
        """Every row of a list endpoint, page after page."""
        rows: list[dict] = []
        page = 0
        while True:
            result = self.get(path, params={"q": prison.dumps({**query, "page": page, "page_size": 100})})
            rows += result["result"]
            if len(rows) >= result.get("count", 0) or not result["result"]:
                return rows
            page += 1
