"""Which failed requests the key pages' JavaScript check leaves out: aborts its own navigation caused."""

from runner.clients.journey import left_behind


def test_an_abort_of_a_request_made_before_the_latest_navigation_is_left_out():
    assert left_behind("net::ERR_ABORTED", made_during=1, navigations=2)


def test_an_abort_on_the_page_still_shown_counts():
    assert not left_behind("net::ERR_ABORTED", made_during=2, navigations=2)


def test_other_failures_count_whenever_they_happen():
    for failure in ("net::ERR_CONNECTION_REFUSED", "net::ERR_CERT_AUTHORITY_INVALID", None):
        assert not left_behind(failure, made_during=1, navigations=2)
