"""The word normalisation that makes search understand Swedish and Norwegian."""

from wagtail.search.query import And, PlainText

from portal import text


def test_inflected_forms_share_the_lemma():
    for word in ["bostad", "bostäder", "bostäderna"]:
        assert "bostad" in text.index_terms(word).split()


def test_compound_is_indexed_with_its_parts_and_its_lemma():
    assert text.index_terms("bostadsbolaget").split() == [
        "bostadsbolaget",
        "bostadsbolag",
        "bostad",
        "bolag",
    ]


def test_compound_split_runs_through_three_parts():
    assert text.compound_parts("lokalförsörjningsgrupp") == ("lokal", "försörjnings", "grupp")


def test_a_word_longer_than_any_compound_is_not_split():
    # Splitting costs a dictionary lookup per letter at every level: 2,000 letters took seconds
    # and ended in a RecursionError (a 500 on the search page).
    assert text.compound_parts("bostads" * 9) == ()
    assert text.compound_parts("a" * 2000) == ()


def test_short_words_are_not_split_into_fragments():
    assert text.compound_parts("kommun") == ()
    assert text.compound_parts("avtalar") == ()


def test_norwegian_plural_is_lemmatised():
    assert "bolig" in text.index_terms("boliger").split()


def test_function_words_are_dropped_on_both_sides():
    assert text.index_terms("bostad i kommunen och").split()[:3] == ["bostad", "kommunen", "kommun"]
    assert text.index_terms("bostad bostad") == "bostad bostad"
    assert text.search_query("och i") is None


def test_known_query_word_searches_its_lemma_only():
    query = text.search_query("bostadsbolag")
    assert isinstance(query, PlainText)
    assert query.query_string == "bostadsbolag"


def test_unknown_query_compound_requires_every_part():
    query = text.search_query("kommunanvisning")
    assert isinstance(query, And)
    assert [q.query_string for q in query.subqueries] == ["kommun", "anvisning"]
