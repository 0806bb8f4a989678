"""CSRF tokens as a browser holds them: this session's own, issued hours ago."""

import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer


class _Backdated(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 13 * 3600  # past WTF_CSRF_TIME_LIMIT (12 hours)


def expired_own_token(client) -> str:
    """A token signed for this client's session that has timed out (the session gets one)."""
    client.get("/login")
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    serializer = URLSafeTimedSerializer(client.application.secret_key, salt="wtf-csrf-token",
                                        signer=_Backdated)
    return serializer.dumps(raw)
