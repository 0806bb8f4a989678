"""Alliance Companion: prompt cards, quick capture and paired debriefs for exit workers."""

from pathlib import Path

from flask import Flask

from companion import config

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A top-level folder (templates, static, migrations) in a checkout, or inside an install."""
    in_checkout = PACKAGE_DIR.parent / name
    return in_checkout if in_checkout.is_dir() else PACKAGE_DIR / name


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    configure(app, test_config)
    register_content(app)
    register_extensions(app)
    register_templating(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Defaults, then the environment (or a test's "ENV" dict), then the test config."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    test_config = dict(test_config or {})
    env = test_config.pop("ENV", None)
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_env(app.instance_path, env))
    if test_config:
        app.config.update(test_config)
    app.config["SESSION_COOKIE_SECURE"] = app.config["SECURE_COOKIES"]
    if app.config["SECURE_COOKIES"]:
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"


def register_content(app: Flask) -> None:
    """Prompt cards, markers and debrief prompts, read and checked once; a ContentError or
    PromptError stops start-up."""
    from companion.content import CONTENT_DIR, load_content
    from companion.content.languages import load_languages
    from companion.i18n import LANGUAGES

    extra = Path(app.instance_path) / "content"
    app.extensions["content"] = load_content(extra)
    app.extensions["content_languages"] = load_languages(
        app.extensions["content"], LANGUAGES, extra, CONTENT_DIR)


def register_extensions(app: Flask) -> None:
    from companion import assets, auth, database, i18n, security
    from companion.extensions import babel, csrf, db, htmx, migrate

    database.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   timezone_selector=i18n.select_timezone)
    assets.init_app(app)
    security.init_app(app)
    auth.init_app(app)


def register_templating(app: Flask) -> None:
    from companion import i18n, templating

    templating.init_app(app)
    i18n.init_app(app)


def register_request_hooks(app: Flask) -> None:
    """Before each request, in this order: a request id, refuse control characters and file
    parts, check the session (expiry, idle lock), check the view's declared roles, refuse ids
    beyond the integer columns. After it: commit the
    audit entries still pending, then add the security headers."""
    from companion import access, audit, security
    from companion.auth import sessions

    for hook in (security.assign_request_id, security.refuse_control_characters,
                 security.refuse_file_parts, sessions.check, access.check_request,
                 security.refuse_out_of_range_ids):
        app.before_request(hook)
    for hook in (security.add_headers, audit.commit_pending):  # Flask runs these last first
        app.after_request(hook)


def register_blueprints(app: Flask) -> None:
    from companion import (
        admin,
        auth,
        capture,
        clients,
        debriefs,
        home,
        members,
        offline,
        reports,
        workers,
    )
    from companion.audit.views import bp as audit_bp

    for blueprint in (auth.bp, auth.account_bp, home.bp, clients.bp, admin.bp, audit_bp,
                      reports.bp, debriefs.bp, capture.bp, offline.bp, workers.bp, members.bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from companion import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from companion import commands

    commands.init_app(app)
