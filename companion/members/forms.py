"""Completing an invitation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from companion.passwords import MAX_PASSWORD


class InvitationForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    code = StringField(_l("Invitation code"), validators=[DataRequired(), Length(max=32)])
    password = PasswordField(
        _l("Choose a password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[EqualTo("password", message=_l("The passwords differ."))],
    )
