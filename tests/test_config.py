"""Settings come from the environment; a bad one stops start-up naming it."""

import pytest

from companion import create_app
from companion.config import ConfigError, from_env

SECRET = "s" * 40


def test_production_without_secret_key_stops_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_env(tmp_path, {})


def test_short_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_env(tmp_path, {"SECRET_KEY": "short"})


def test_demo_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = from_env(tmp_path, {"COMPANION_DEMO": "1"})["SECRET_KEY"]
    second = from_env(tmp_path, {"COMPANION_DEMO": "1"})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"COMPANION_DEMO": "maybe"}, "COMPANION_DEMO"),
        ({"COMPANION_IDLE_LOCK_MINUTES": "soon"}, "COMPANION_IDLE_LOCK_MINUTES"),
        ({"COMPANION_RETENTION_MONTHS": "0"}, "COMPANION_RETENTION_MONTHS"),
        ({"COMPANION_TIMEZONE": "Mars/Olympus"}, "COMPANION_TIMEZONE"),
    ],
)
def test_malformed_setting_is_named(tmp_path, env, name):
    with pytest.raises(ConfigError, match=name):
        from_env(tmp_path, {"SECRET_KEY": SECRET} | env)


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    settings = from_env(tmp_path, {"SECRET_KEY": SECRET})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'companion.sqlite'}"


def test_postgres_urls_use_the_psycopg_driver(tmp_path):
    settings = from_env(tmp_path, {"SECRET_KEY": SECRET, "DATABASE_URL": "postgres://u@h/db"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_production_defaults_require_totp_and_secure_cookies(tmp_path):
    settings = from_env(tmp_path, {"SECRET_KEY": SECRET})
    assert settings["REQUIRE_TOTP"] and settings["SECURE_COOKIES"] and not settings["DEMO_MODE"]


def test_factory_applies_test_config_over_environment(tmp_path):
    app = create_app(
        {"ENV": {"SECRET_KEY": SECRET}, "TESTING": True, "IDLE_LOCK_MINUTES": 3},
        instance_path=str(tmp_path),
    )
    assert app.testing and app.config["IDLE_LOCK_MINUTES"] == 3
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_factory_stops_on_a_bad_setting(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"ENV": {}}, instance_path=str(tmp_path))
