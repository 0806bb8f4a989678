"""Forms of the client page; each also works as a plain HTML form without JavaScript."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from companion.clients.operations import MAX_REASON
from companion.vocabulary import DIMENSIONS, MILESTONE_AREAS, PHASES

NOT_KNOWN = "unknown"
SCORES = [SelectChoice(str(n), str(n)) for n in range(1, 6)] + [
    SelectChoice(NOT_KNOWN, _l("Not known"))]


class PhaseForm(FlaskForm):
    to_phase = SelectField(
        _l("New phase"), choices=[SelectChoice(key, label) for key, label in PHASES.items()]
    )
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=MAX_REASON)])


class DecisionForm(FlaskForm):
    """Names the suggestion the worker saw, so a changed one is not confirmed by mistake."""

    suggestion = HiddenField(validators=[DataRequired(), Length(max=32)])


class MilestoneForm(FlaskForm):
    title = StringField(_l("Goal"), validators=[
        DataRequired(_l("Write the goal in a few words.")), Length(max=120)])
    area = SelectField(_l("Area"), choices=[SelectChoice(k, v) for k, v in MILESTONE_AREAS.items()])
    target_month = StringField(_l("Target month"), validators=[
        DataRequired(_l("Give the target month."))])
    agreed = BooleanField(_l("Agreed with the client"), validators=[
        DataRequired(_l("A milestone is set with the client: tick that you agreed it together."))])

    def validate_area(self, field):
        if field.data not in MILESTONE_AREAS:
            raise ValidationError(_l("Choose one of the areas."))


class MilestoneStatusForm(FlaskForm):
    """Reached, dropped, or "open" again to undo either."""

    status = SelectField(_l("Status"), choices=[SelectChoice(s) for s in
                                                ("reached", "dropped", "open")])


class ReviewForm(FlaskForm):
    """Only the CSRF token: the worker says the review was held today."""


class ReviewIntervalForm(FlaskForm):
    months = SelectField(_l("Review the milestones every"), choices=[
        SelectChoice(str(n), _l("%(num)s months", num=n) if n > 1 else _l("1 month"))
        for n in range(1, 13)], validate_choice=False)

    def validate_months(self, field):
        if field.data not in {str(n) for n in range(1, 13)}:
            raise ValidationError(_l("Choose 1 to 12 months."))


class ScoreField(RadioField):
    """1 to 5 or "not known"; anything else gets one clear message."""

    def pre_validate(self, form):
        if self.data not in {c.value for c in SCORES}:
            raise ValidationError(_l("Choose 1 to 5, or not known."))


def _score(name: str) -> ScoreField:
    return ScoreField(DIMENSIONS[name], choices=SCORES,
                      validators=[InputRequired(_l("Choose 1 to 5, or not known."))])


class RatingForm(FlaskForm):
    month = HiddenField(validators=[Optional(), Length(max=7)])  # this month when left out
    radicalisation = _score("radicalisation")
    extremist_activity = _score("extremist_activity")
    crime = _score("crime")
    marginalisation = _score("marginalisation")
    mental_health = _score("mental_health")

    def values(self) -> dict[str, int | None]:
        """Each dimension's score, None for "not known"."""
        return {name: None if getattr(self, name).data == NOT_KNOWN
                else int(getattr(self, name).data) for name in DIMENSIONS}
