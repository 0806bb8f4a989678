"""Forms of the client page; each also works as a plain HTML form without JavaScript."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from companion.clients.operations import DIMENSIONS, MAX_REASON
from companion.vocabulary import PHASES

SCORES = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


class PhaseForm(FlaskForm):
    to_phase = SelectField(
        _l("New phase"), choices=[SelectChoice(key, label) for key, label in PHASES.items()]
    )
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=MAX_REASON)])


class DecisionForm(FlaskForm):
    """Names the suggestion the worker saw, so a changed one is not confirmed by mistake."""

    suggestion = HiddenField(validators=[DataRequired(), Length(max=32)])


class MilestoneForm(FlaskForm):
    title = StringField(_l("New milestone"), validators=[DataRequired(), Length(max=120)])
    target_month = StringField(
        _l("Target month (optional)"),
        validators=[Optional(), Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=_l("Use YYYY-MM."))],
    )


class MilestoneStatusForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s) for s in ("open", "reached", "dropped")],
    )


class RatingForm(FlaskForm):
    radicalisation = RadioField(DIMENSIONS["radicalisation"], choices=SCORES,
                                validators=[InputRequired()], coerce=int)
    extremist_activity = RadioField(DIMENSIONS["extremist_activity"], choices=SCORES,
                                    validators=[InputRequired()], coerce=int)
    crime = RadioField(DIMENSIONS["crime"], choices=SCORES, validators=[InputRequired()],
                       coerce=int)
    marginalisation = RadioField(DIMENSIONS["marginalisation"], choices=SCORES,
                                 validators=[InputRequired()], coerce=int)
    mental_health = RadioField(DIMENSIONS["mental_health"], choices=SCORES,
                               validators=[InputRequired()], coerce=int)

    def values(self) -> dict[str, int]:
        return {name: getattr(self, name).data for name in DIMENSIONS}
