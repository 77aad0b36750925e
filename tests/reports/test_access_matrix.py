"""The annual report in the access matrix: a public page that counts member-only meetings and
names them to those who may read them, whichever role asks."""

from datetime import date

from reports import services
from tests.access_matrix import MEMBERS, assert_shown_only
from tests.helpers import path_of
from tests.minutes.factories import MeetingFactory
from tests.reports.helpers import justera


def test_the_report_names_a_member_only_meeting_to_members_only(world):
    MeetingFactory(parent=world.space, title=f"Möte {world.secret}", day=date(2017, 3, 15))
    report = services.report_generate(
        site=world.network.get_site(),
        year=2017,
        networks=[world.network],
        user=world.users["strategist"],
    )
    report = justera(report, [world.users["member"], world.users["coordinator"]])
    assert_shown_only(world.client, path_of(report.url), MEMBERS, world.secret)
