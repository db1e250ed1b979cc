from django.urls import path

from governance.views import elections, proposals, rules

app_name = "governance"

urlpatterns = [
    path("decisions/", proposals.proposal_list, name="proposal_list"),
    path("decisions/new/", proposals.proposal_new, name="proposal_new"),
    path("decisions/rules/", rules.rules_page, name="rules"),
    path("decisions/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("decisions/<int:pk>/publish/", proposals.proposal_publish_view, name="proposal_publish"),
    path("decisions/<int:pk>/amend/", proposals.proposal_amend_view, name="proposal_amend"),
    path("decisions/<int:pk>/withdraw/", proposals.proposal_withdraw_view, name="proposal_withdraw"),
    path("decisions/<int:pk>/comment/", proposals.proposal_comment_view, name="proposal_comment"),
    path("decisions/<int:pk>/vote/", proposals.vote_view, name="proposal_vote"),
    path("decisions/<int:pk>/proxy/", proposals.proxy_appoint_view, name="proxy_appoint"),
    path("decisions/<int:pk>/proxy/revoke/", proposals.proxy_revoke_view, name="proxy_revoke"),
    path("decisions/<int:pk>/execute/", proposals.execution_retry_view, name="execution_retry"),
    path("decisions/<int:pk>/minutes/", proposals.proposal_minutes, name="proposal_minutes"),
    path("elections/", elections.election_list, name="election_list"),
    path("elections/new/", elections.election_new, name="election_new"),
    path("elections/<int:pk>/", elections.election_detail, name="election_detail"),
    path("elections/<int:pk>/nominate/", elections.nominate_view, name="election_nominate"),
    path("elections/<int:pk>/withdraw/", elections.withdraw_view, name="election_withdraw"),
    path("elections/<int:pk>/vote/", elections.election_vote_view, name="election_vote"),
    path("elections/<int:pk>/ballots.blt", elections.election_blt, name="election_blt"),
]
