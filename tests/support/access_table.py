"""The access table: every route x method x kind of user, with the status each gets. A new
route must be added here (tests/test_access_matrix.py fails until it is)."""

# Columns: anonymous, worker w1, paired partner w2, other worker of the team w3, lead,
# other team's lead, admin. The records in the URL belong to w1 and w2's team.
WHO = ("anonymous", "w1", "w2", "w3", "lead", "lead_b", "admin")
EXPECTED = {
    # endpoint method: anonymous, w1, w2, w3, lead, lead_b, admin
    "static GET": (200, 200, 200, 200, 200, 200, 200),
    "home.healthz GET": (200, 200, 200, 200, 200, 200, 200),
    "home.index GET": (302, 200, 200, 200, 200, 200, 200),
    "auth.login GET": (200, 200, 200, 200, 200, 200, 200),
    "auth.login POST": (400, 400, 400, 400, 400, 400, 400),
    "auth.second_factor GET": (303, 303, 303, 303, 303, 303, 303),
    "auth.second_factor POST": (303, 303, 303, 303, 303, 303, 303),
    "auth.logout POST": (302, 303, 303, 303, 303, 303, 303),
    "auth.unlock GET": (302, 303, 303, 303, 303, 303, 303),
    "auth.unlock POST": (302, 303, 303, 303, 303, 303, 303),
    "auth.lock_check GET": (302, 204, 204, 204, 204, 204, 204),
    "auth.passkey_unlock_options POST": (302, 409, 409, 409, 409, 409, 409),  # not locked
    "auth.unlock_with_passkey POST": (302, 409, 409, 409, 409, 409, 409),
    "account.index GET": (302, 200, 200, 200, 200, 200, 200),
    "account.choose_language POST": (302, 400, 400, 400, 400, 400, 400),
    "account.password GET": (302, 200, 200, 200, 200, 200, 200),
    "account.password POST": (302, 400, 400, 400, 400, 400, 400),
    "account.pin GET": (302, 200, 200, 200, 200, 200, 200),
    "account.pin POST": (302, 400, 400, 400, 400, 400, 400),
    "account.two_factor GET": (302, 200, 200, 200, 200, 200, 200),
    "account.two_factor POST": (302, 400, 400, 400, 400, 400, 400),
    "account.list_passkeys GET": (302, 200, 200, 200, 200, 200, 200),
    "account.passkey_options POST": (302, 200, 200, 200, 200, 200, 200),
    "account.add_passkey POST": (302, 400, 400, 400, 400, 400, 400),
    "account.remove_passkey POST": (302, 404, 404, 404, 404, 404, 404),  # nobody's passkey
    "audit.team GET": (302, 403, 403, 403, 200, 200, 403),
    "audit.accounts GET": (302, 403, 403, 403, 403, 403, 200),
    "audit.team_csv GET": (302, 403, 403, 403, 200, 200, 403),
    "audit.accounts_csv GET": (302, 403, 403, 403, 403, 403, 200),
    "admin.index GET": (302, 403, 403, 403, 403, 403, 200),
    "admin.create_team POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_user POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_client POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_assignment POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.create_pair POST": (302, 403, 403, 403, 403, 403, 400),
    "admin.disable_user POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.enable_user POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.end_sessions POST": (302, 403, 403, 403, 403, 403, 303),
    "admin.reset_second_factor POST": (302, 403, 403, 403, 403, 403, 200),  # shows the code
    "members.accept GET": (200, 200, 200, 200, 200, 200, 200),
    "members.accept POST": (400, 400, 400, 400, 400, 400, 400),
    "members.waiting GET": (302, 303, 303, 303, 303, 303, 303),  # all confirmed: home
    "members.index GET": (302, 403, 403, 403, 200, 200, 200),
    "members.confirm POST": (302, 403, 403, 403, 404, 404, 404),  # b1: confirmed already
    "clients.show GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.card GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.decide POST": (302, 409, 409, 404, 403, 403, 403),
    "clients.change_phase POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.add_milestone POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.update_milestone POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.rate POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.hold_review POST": (302, 303, 303, 404, 403, 403, 403),
    "clients.set_review_interval POST": (302, 400, 400, 404, 403, 403, 403),
    "clients.goals_pdf GET": (302, 200, 200, 404, 200, 404, 403),
    "clients.hand_over POST": (302, 403, 403, 403, 409, 404, 403),
    "clients.close POST": (302, 400, 400, 404, 400, 404, 403),
    "clients.reopen POST": (302, 409, 409, 404, 409, 404, 403),
    "debriefs.show GET": (302, 200, 200, 404, 200, 404, 403),
    "debriefs.agree POST": (302, 409, 409, 404, 403, 403, 403),  # closed just before
    "debriefs.close POST": (302, 303, 303, 404, 403, 403, 403),
    "debriefs.pairs GET": (302, 200, 200, 200, 200, 200, 403),
    "debriefs.pair GET": (302, 200, 200, 404, 200, 404, 403),
    "capture.new GET": (302, 200, 200, 404, 403, 403, 403),
    "capture.new POST": (302, 422, 422, 404, 403, 403, 403),
    "capture.meeting GET": (302, 303, 303, 404, 403, 403, 403),  # both have captured it
    "capture.meeting POST": (302, 303, 303, 404, 403, 403, 403),
    "capture.edit GET": (302, 200, 404, 404, 403, 403, 403),  # w1's capture
    "capture.edit POST": (302, 422, 404, 404, 403, 403, 403),
    "offline.favicon GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.manifest GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.service_worker GET": (200, 200, 200, 200, 200, 200, 200),
    "offline.home GET": (302, 200, 200, 200, 403, 403, 403),
    "offline.prompts GET": (302, 200, 200, 404, 403, 403, 403),
    "offline.pack GET": (302, 200, 200, 200, 403, 403, 403),
    "offline.token GET": (302, 204, 204, 204, 403, 403, 403),
    "reports.index GET": (302, 403, 403, 403, 200, 200, 403),
    "reports.monthly GET": (302, 403, 403, 403, 200, 404, 403),
    "workers.show GET": (302, 403, 403, 403, 200, 404, 403),
}
# Values for URL variables: (this team's record, the other team's record or None).
