"""Start the test OpenID Connect provider (provider.mjs, oidc-provider from npm) on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID, CLIENT_SECRET = "trellis", "trellis-test-secret"


@dataclass(frozen=True)
class IdentityProvider:
    issuer: str

    def settings(self) -> dict[str, Any]:
        """The Django settings a deployment derives from the TRELLIS_OIDC_* environment: the issuer
        alone, the endpoints discovered from it."""
        return {"OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET, "OIDC_OP_ISSUER": self.issuer,
                "OIDC_RP_SCOPES": "openid email profile groups"}


@contextmanager
def identity_provider(redirect_uri: str, accounts: dict[str, dict[str, Any]],
                      folder: Path, post_logout_redirect_uri: str = "") -> Iterator[IdentityProvider]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = folder / "oidc-provider.json"
    config.write_text(json.dumps({"port": port, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                  "redirect_uri": redirect_uri, "post_logout_redirect_uri": post_logout_redirect_uri,
                                  "accounts": accounts}))
    log = folder / "oidc-provider.log"
    process = subprocess.Popen(["node", str(SCRIPT), str(config)], stdout=subprocess.PIPE, stderr=log.open("w"),
                               text=True, cwd=SCRIPT.parents[2])
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "ready", f"the OpenID Connect provider did not start: {log.read_text()}"
        yield IdentityProvider(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=30)
