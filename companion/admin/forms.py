"""Admin forms; choices are filled from the database (one team's records) by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from companion.models.base import ASSIGNMENT_ROLES, ROLES


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=80)])


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role) for role in ROLES])
    team = SelectField(_l("Team"), coerce=int)


class ClientForm(FlaskForm):
    code = StringField(_l("Client code (pseudonym)"), validators=[DataRequired(), Length(max=32)])


class CodeForm(FlaskForm):
    code = StringField(_l("Corrected code"), validators=[DataRequired(), Length(max=32)])
    was = HiddenField(validators=[Optional(), Length(max=32)])  # the code the form was drawn for


class AssignmentForm(FlaskForm):
    client = SelectField(_l("Client"), coerce=int)
    worker = SelectField(_l("Worker"), coerce=int)
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, role.replace("_", " ")) for role in ASSIGNMENT_ROLES],
    )


class PairForm(FlaskForm):
    first = SelectField(_l("First worker"), coerce=int)
    second = SelectField(_l("Second worker"), coerce=int)


class VersionForm(FlaskForm):
    """The client as the admin saw it on the confirmation page."""

    version = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]{1,9}$")])


class UnassignForm(VersionForm):
    """Which client and worker the assignment was, so a second tap (the assignment gone)
    answers as the first did."""

    client = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}$")])
    worker = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}$")])
