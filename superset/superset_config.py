"""Superset's configuration for the warehouse's dashboards (loaded through SUPERSET_CONFIG_PATH).

Secrets come from the environment only: Superset refuses to start without them.
"""

import os
from pathlib import Path


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"{name} is not set: Superset needs it (see .env.example)")
    return value


SECRET_KEY = _required("CCW_SUPERSET_SECRET_KEY")
HOME = Path(_required("CCW_SUPERSET_HOME"))
"""Superset's own state: its metadata database and logs, beside the warehouse (set by `ccw serve`)."""

SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"
DATA_DIR = str(HOME)

FEATURE_FLAGS = {
    "DASHBOARD_NATIVE_FILTERS": True,
    "DASHBOARD_CROSS_FILTERS": True,
    "ENABLE_TEMPLATE_PROCESSING": False,
}

# Everything is served from this host: no telemetry pixel, fonts or maps from outside.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
SCARF_ANALYTICS = False

# Team leads must not run SQL: row-level security only applies to charts, not to SQL Lab.
RLS_IN_SQLLAB = True
PREVENT_UNSAFE_DB_CONNECTIONS = True
SQLLAB_CTAS_NO_LIMIT = False
WTF_CSRF_ENABLED = True
FAB_ADD_SECURITY_API = True
PUBLIC_ROLE_LIKE = None
ROW_LIMIT = 50000
