"""Languages: each user's choice (Account), else the browser's Accept-Language; dates and
times through Babel in the team's time zone."""

from flask import Flask, current_app, g, has_request_context, render_template, request, url_for
from flask_babel import Domain, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from companion import access, audit
from companion.auth.account import bp as account_bp
from companion.extensions import db
from companion.rendering import see_other
from companion.timewords import FORMATS, when

__all__ = ["FORMATS", "LANGUAGES", "when"]

LANGUAGES = {"en": "English", "de": "Deutsch"}  # each with a catalogue in translations/


def select_locale() -> str:
    """The signed-in user's language, else the best match for the browser, else English (also
    outside a request: the command line and PDFs made there)."""
    if not has_request_context():
        return "en"
    chosen = getattr(current_user, "language", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def translations():
    """This request's catalogue, looked up once: Flask-Babel finds it again for every string
    (locale, domain and cache key each time), a sixth of a client page's time."""
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


class RequestDomain(Domain):
    """Flask-Babel's message domain, its catalogue kept for the request (`_()` and `_l()`)."""

    def get_translations(self):
        if not g:
            return super().get_translations()
        found = g.get("_translations")
        if found is None:
            found = g._translations = super().get_translations()
        return found


def init_app(app: Flask) -> None:
    babel = app.extensions["babel"]
    babel.instance.__dict__["domain_instance"] = RequestDomain(domain=babel.default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n), newstyle=True)
    app.jinja_env.filters["when"] = when
    app.jinja_env.globals["when"] = when
    app.jinja_env.globals.update(languages=LANGUAGES, current_locale=get_locale,
                                 language_form=lambda: LanguageForm(
                                     formdata=None, language=current_user.language or ""))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=[SelectChoice("", _l("As my browser says"))]
                           + [SelectChoice(code, name) for code, name in LANGUAGES.items()])


@account_bp.post("/language")
@access.allow(*access.ANY_ROLE)
def choose_language():
    """Keep the user's language (empty: follow the browser)."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return render_template("account/index.html", bound_language_form=form), 400
    current_user.language = form.language.data or None
    audit.record("account.language", f"user:{current_user.id}")
    db.session.commit()
    return see_other(url_for("account.index"))
