"""Debrief forms: the agreed next step, and closing (a form only for its CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

NEXT_STEP_MAX = 140


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NextStepForm(FlaskForm):
    next_step = StringField(
        _l("Next step you both agree on"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write the next step you agreed on.")),
            Length(max=NEXT_STEP_MAX, message=_l("At most 140 characters.")),
        ],
    )


class CloseForm(FlaskForm):
    pass
