"""Sign-in, second-factor, unlock and account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from companion.passwords import MAX_PASSWORD

SIX_DIGITS = Regexp(r"^\d{6}$", message=_l("Six digits, please."))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    next = HiddenField(validators=[Length(max=512)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=32)],
    )


class EnrolForm(FlaskForm):
    code = StringField(_l("Code shown by your authenticator app"), validators=[SIX_DIGITS])


class UnlockForm(FlaskForm):
    pin = PasswordField(_l("Your 6-digit PIN"), validators=[SIX_DIGITS])


def _not_trivial(form, field):
    digits = field.data or ""
    ascending = "0123456789012345"
    if len(set(digits)) == 1 or digits in ascending or digits in ascending[::-1]:
        raise ValidationError(_l("That PIN is too easy to guess."))


class PinForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)])
    pin = PasswordField(_l("New 6-digit PIN"), validators=[SIX_DIGITS, _not_trivial])
    confirm = PasswordField(
        _l("The same PIN again"), validators=[EqualTo("pin", message=_l("The PINs differ."))]
    )


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new_password", message=_l("The passwords differ."))],
    )
