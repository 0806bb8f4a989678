"""Forms of a case's life: hand-over, close, reopen. Each names the client's version the
person saw, so a change made from an older page is refused rather than merged."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from companion.clients.lifecycle import CLOSE_LABELS


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(),
                           validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)])


class HandoverForm(VersionedForm):
    from_worker = SelectField(_l("Hands over"), coerce=int, default=0)
    to_worker = SelectField(_l("Takes over"), coerce=int, default=0)


class CloseForm(VersionedForm):
    reason = SelectField(_l("Why the case closes"),
                         choices=[SelectChoice(k, v) for k, v in CLOSE_LABELS.items()])
    note = StringField(_l("Note (needed for other)"), validators=[Optional(), Length(max=200)])


class ReopenForm(VersionedForm):
    pass


def handover_form(client, team_workers, assignments, formdata=None) -> HandoverForm:
    """Choices from this client's team only: who works with it now, and who could take over."""
    form = HandoverForm(formdata=formdata) if formdata is not None else HandoverForm(
        formdata=None, version=client.version)
    current = {a.user_id for a in assignments}
    form.from_worker.choices = [SelectChoice(0, _l("Nobody (add a worker)"))] + [
        SelectChoice(a.user_id, a.user.username) for a in assignments]
    form.to_worker.choices = [SelectChoice(0, _l("Nobody (remove the worker)"))] + [
        SelectChoice(w.id, w.username) for w in team_workers if w.id not in current]
    return form
