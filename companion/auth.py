"""Signing in and out; the session names the user and their session version."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from companion import access, audit
from companion.extensions import db, login_manager
from companion.models import User
from companion.passwords import hash_secret, needs_rehash, verify_secret

bp = Blueprint("auth", __name__)

WRONG_LOGIN = _l("Wrong username or password.")


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.login_message = _l("Please sign in.")
    app.before_request(access.check_request)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Find the user named by the session, if it is still current and the account active."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None; upgrades old hashes."""
    user = db.session.scalar(select(User).where(User.username == username))
    if not verify_secret(user.password_hash if user else None, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_secret(password)
    return user


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@access.public
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    user = authenticate(form.username.data, form.password.data)
    if user is None:
        audit.record("login.failed", f"username:{form.username.data[:40]}")
        db.session.commit()
        form.password.errors.append(WRONG_LOGIN)
        return render_template("auth/login.html", form=form), 401
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    audit.record("login", f"user:{user.id}", user=user)
    db.session.commit()
    return redirect(safe_next(form.next.data), 303)


@bp.post("/logout")
@access.allow(*access.ANY_ROLE)
def logout():
    audit.record("logout", f"user:{current_user.id}")
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    response = redirect(url_for("auth.login"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
