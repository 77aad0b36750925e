"""The organisation register: Sweden's and Norway's counties and municipalities, and the
Norwegian numbers that the 2018, 2020 and 2024 reforms retired."""

from collections import Counter
from datetime import date

import pytest

from goodpractice.forms import SubmissionForm
from portal.accounts.forms import ProfileForm, SignupProfileForm
from portal.models import (
    County,
    FormerCountyCode,
    FormerMunicipalityCode,
    Organisation,
)
from portal.organisation_data import load_organisations
from portal.organisations import (
    municipalities_for_code,
    municipality_register,
    predecessors,
    successions,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NORWAY_2024 = {
    "Oslo": 1,
    "Rogaland": 23,
    "Møre og Romsdal": 27,
    "Nordland": 41,
    "Østfold": 12,
    "Akershus": 21,
    "Buskerud": 18,
    "Innlandet": 46,
    "Vestfold": 6,
    "Telemark": 17,
    "Agder": 25,
    "Vestland": 43,
    "Trøndelag": 38,
    "Troms - Romsa - Tromssa": 21,
    "Finnmark - Finnmárku - Finmarkku": 18,
}


def load():
    load_organisations(County, Organisation, FormerCountyCode, FormerMunicipalityCode)


def municipalities_per_county(country):
    return Counter(
        Organisation.objects.current()
        .filter(country=country, kind="municipality")
        .values_list("county__name", flat=True)
    )


def codes(code):
    return [(o.official_code, o.name) for o in municipalities_for_code(code, country="NO")]


def test_norway_has_its_fifteen_fylker_and_their_kommuner_of_2024():
    assert municipalities_per_county("NO") == NORWAY_2024
    assert sum(NORWAY_2024.values()) == 357
    assert County.objects.filter(country="NO").count() == 15


def test_sweden_keeps_its_twentyone_lan_and_290_kommuner():
    per_county = municipalities_per_county("SE")
    assert len(per_county) == 21
    assert sum(per_county.values()) == 290
    assert per_county["Stockholms län"] == 26


def test_halden_is_found_by_its_numbers_of_2019_2020_and_2024():
    assert codes("0101") == codes("3001") == codes("3101") == [("3101", "Halden kommune")]


def test_a_merged_kommune_leads_to_the_one_it_became():
    assert codes("0138") == [("3118", "Indre Østfold kommune")]  # Hobøl
    # Rømskog (Østfold) joined Aurskog-Høland, which is in Akershus today.
    (aurskog,) = municipalities_for_code("0121", country="NO")
    assert (aurskog.name, aurskog.county.name) == ("Aurskog-Høland kommune", "Akershus")


def test_a_split_kommune_leads_to_each_successor():
    assert codes("1507") == [("1508", "Ålesund kommune"), ("1580", "Haram kommune")]


def test_an_unknown_number_leads_nowhere():
    assert codes("0199") == []


def test_the_former_fylke_numbers_lead_to_todays_fylker():
    def successors(code):
        return sorted(
            FormerCountyCode.objects.filter(country="NO", code=code).values_list(
                "county__code", flat=True
            )
        )

    assert successors("30") == ["31", "32", "33"]  # Viken
    assert successors("38") == ["39", "40"]  # Vestfold og Telemark
    assert "31" in successors("01")  # Østfold before 2020


def test_a_merged_kommune_stays_retired_with_its_successor_and_its_last_day():
    hobol = Organisation.objects.get(country="NO", official_code="0138")
    assert (hobol.name, hobol.county.name, hobol.valid_until) == (
        "Hobøl kommune",
        "Østfold",
        date(2019, 12, 31),
    )
    [indre_ostfold] = successions([hobol])[hobol.pk]
    assert (indre_ostfold.name, indre_ostfold.valid_from) == (
        "Indre Østfold kommune",
        date(2020, 1, 1),
    )
    assert [o.name for o in predecessors(indre_ostfold)] == [
        "Askim kommune", "Eidsberg kommune", "Hobøl kommune", "Spydeberg kommune",
        "Trøgstad kommune",
    ]  # fmt: skip
    # Rømskog lay in Østfold; its successor is in Akershus.
    romskog = Organisation.objects.get(country="NO", official_code="0121")
    assert romskog.county.name == "Østfold"
    assert romskog.retired


def test_a_renumbered_kommune_is_one_row_that_is_not_retired():
    halden = Organisation.objects.get(country="NO", name="Halden kommune")
    assert (halden.official_code, halden.valid_from, halden.valid_until) == ("3101", None, None)
    assert sorted(halden.former_codes.values_list("code", flat=True)) == ["0101", "3001"]
    assert predecessors(halden) == []


def test_a_split_kommune_is_retired_once_with_each_successor():
    # Snillfjord was 1613 until Trøndelag's merger in 2018, then 5012 until it was split.
    [snillfjord] = Organisation.objects.filter(country="NO", name="Snillfjord kommune")
    assert (snillfjord.official_code, snillfjord.valid_until.year) == ("5012", 2019)
    assert [o.name for o in successions([snillfjord])[snillfjord.pk]] == [
        "Heim kommune", "Hitra kommune", "Orkland kommune",
    ]  # fmt: skip
    assert codes("1613") == codes("5012")
    assert Organisation.objects.filter(country="NO", kind="municipality").retired().count() == 89


def test_a_number_of_a_year_finds_the_kommune_of_that_year():
    def name(code, year=None):
        found = municipality_register(country="NO", year=year).get(code)
        return found and found.name

    assert name("0136", 2015) == "Rygge kommune"
    assert name("0136", 2020) == name("0136") == name("3103") == "Moss kommune"
    assert name("0101", 2015) == name("3001") == "Halden kommune"
    assert name("1507") is None  # split: no one kommune of today


def test_the_load_is_a_few_bulk_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        load()


def test_loading_again_changes_nothing():
    before = (
        Organisation.objects.count(),
        County.objects.count(),
        FormerMunicipalityCode.objects.count(),
        FormerCountyCode.objects.count(),
    )
    load()
    after = (
        Organisation.objects.count(),
        County.objects.count(),
        FormerMunicipalityCode.objects.count(),
        FormerCountyCode.objects.count(),
    )
    assert after == before


def test_a_register_loaded_with_the_2018_numbers_is_brought_to_todays():
    """An installation that loaded Østfold's 18 kommuner of 2018 under county 01: Halden's
    row takes today's number, and Hobøl's is kept, retired; its member works for Indre
    Østfold now."""
    Organisation.objects.filter(country="NO", official_code="3118").delete()
    halden = Organisation.objects.get(country="NO", official_code="3101")
    Organisation.objects.filter(pk=halden.pk).update(official_code="0101")
    County.objects.filter(country="NO", code="31").update(code="01")
    Organisation.objects.filter(country="NO", official_code="0138").update(valid_until=None)
    hobol = Organisation.objects.get(country="NO", official_code="0138")
    member = UserFactory(organisation=hobol)

    load()

    halden.refresh_from_db()
    hobol.refresh_from_db()
    member.refresh_from_db()
    assert (halden.official_code, halden.county.code) == ("3101", "31")
    assert (hobol.valid_until, hobol.county.code) == (date(2019, 12, 31), "31")
    indre_ostfold = Organisation.objects.get(country="NO", official_code="3118")
    assert member.organisation == indre_ostfold
    assert [o.name for o in successions([hobol])[hobol.pk]] == [indre_ostfold.name]
    assert municipalities_per_county("NO") == NORWAY_2024


def test_an_account_of_a_merged_away_kommune_takes_the_one_it_became():
    hobol = Organisation.objects.get(country="NO", name="Hobøl kommune")
    split = Organisation.objects.get(country="NO", name="Snillfjord kommune")  # into three
    tyreso = Organisation.objects.get(country="SE", official_code="0138")  # Hobøl's number
    people = [UserFactory(organisation=o) for o in (hobol, split, tyreso)]
    answered = FormerMunicipalityCode.objects.filter(code="0138").count()

    load()

    for person in people:
        person.refresh_from_db()
    assert [person.organisation.name for person in people] == [
        "Indre Østfold kommune",
        split.name,  # split: only the person knows which successor
        tyreso.name,
    ]
    assert FormerMunicipalityCode.objects.filter(code="0138").count() == answered


def offered(form, field="organisation"):
    return set(form.fields[field].queryset.values_list("name", flat=True))


def test_choosers_offer_todays_organisations_and_keep_the_one_already_chosen():
    hobol = Organisation.objects.get(country="NO", name="Hobøl kommune")
    profile = offered(ProfileForm(instance=UserFactory(organisation=hobol)))
    assert {"Hobøl kommune", "Indre Østfold kommune", "NAV"} <= profile
    assert "Askim kommune" not in profile
    for fresh in (offered(SignupProfileForm()), offered(SubmissionForm(), "organisations")):
        assert "Indre Østfold kommune" in fresh
        assert not {"Hobøl kommune", "Askim kommune"} & fresh
