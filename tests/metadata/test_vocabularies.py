"""Vocabularies: every kind loads, lookups are case-insensitive with aliases, search pages."""

from __future__ import annotations

import pytest

from callimachus.metadata.vocabularies import KINDS, Vocabulary, VocabularyEntry, get_vocabulary

pytestmark = pytest.mark.backend_independent

DATACITE_RESOURCE_TYPES_46 = set(
    [
        "Audiovisual",
        "Award",
        "Book",
        "BookChapter",
        "Collection",
        "ComputationalNotebook",
        "ConferencePaper",
        "ConferenceProceeding",
        "DataPaper",
        "Dataset",
        "Dissertation",
        "Event",
        "Image",
        "Instrument",
        "InteractiveResource",
        "Journal",
        "JournalArticle",
        "Model",
        "OutputManagementPlan",
        "PeerReview",
        "PhysicalObject",
        "Preprint",
        "Project",
        "Report",
        "Service",
        "Software",
        "Sound",
        "Standard",
        "StudyRegistration",
        "Text",
        "Workflow",
        "Other",
    ]
)
CSL_TYPES = set(
    [
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    ]
)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_loads_with_well_formed_entries(kind: str) -> None:
    vocabulary = get_vocabulary(kind)
    assert isinstance(vocabulary, Vocabulary)
    assert len(vocabulary) > 0
    for entry in vocabulary.all():
        assert isinstance(entry, VocabularyEntry)
        assert entry.kind == kind
        assert entry.title["en"]
        assert all(isinstance(v, str | bool) for v in entry.props.values())
        assert vocabulary.get(entry.id) is entry
        as_dict = entry.as_dict()
        assert as_dict["id"] == entry.id and as_dict["type"] == kind
        assert as_dict["title"] == entry.title and as_dict["props"] == entry.props


def test_vocabularies_are_cached() -> None:
    assert get_vocabulary("licenses") is get_vocabulary("licenses")


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown vocabulary 'colours'"):
        get_vocabulary("colours")


def test_lookup_is_case_insensitive_and_returns_canonical_id() -> None:
    types = get_vocabulary("resourcetypes")
    entry = types.get("Dataset")
    assert entry is not None and entry.id == "dataset"
    assert types.get(" PUBLICATION-Article ").id == "publication-article"  # type: ignore[union-attr]
    assert types.get("no-such-type") is None


def test_licences_cover_spdx_with_expected_props() -> None:
    licences = get_vocabulary("licenses")
    cc_by = licences.get("CC-BY-4.0")
    assert cc_by is not None
    assert cc_by.id == "cc-by-4.0"
    assert cc_by.title["en"] == "Creative Commons Attribution 4.0 International"
    assert cc_by.props == {
        "scheme": "spdx",
        "url": "https://creativecommons.org/licenses/by/4.0/legalcode",
        "osi_approved": False,
        "spdx_id": "CC-BY-4.0",
    }
    assert (
        licences.get("cc0-1.0").props["url"] == "https://creativecommons.org/publicdomain/zero/1.0/legalcode"
    )  # type: ignore[union-attr]
    mit = licences.get("MIT")
    assert mit is not None and mit.props["url"] == "https://spdx.org/licenses/MIT.html"
    assert mit.props["osi_approved"] is True and mit.props["spdx_id"] == "MIT"
    assert licences.get("cc-by-nc-sa-2.0-uk").props["url"] == (  # type: ignore[union-attr]
        "https://creativecommons.org/licenses/by-nc-sa/2.0/uk/legalcode"
    )
    assert len(licences) >= 700


def test_deprecated_licences_resolve_but_are_not_offered() -> None:
    licences = get_vocabulary("licenses")
    gpl = licences.get("GPL-3.0")
    assert gpl is not None and gpl.deprecated and "deprecated" in gpl.tags
    hits, total = licences.search("gpl-3.0", size=100)
    assert "gpl-3.0-only" in [h.id for h in hits]
    assert all(not h.deprecated for h in hits)
    assert "gpl-3.0" not in [h.id for h in hits]
    everything, all_total = licences.search(None, size=1000)
    assert all_total == len(licences) - sum(e.deprecated for e in licences.all())


@pytest.mark.parametrize(
    ("alias", "expected"),
    [("cc-zero", "cc0-1.0"), ("cc-by", "cc-by-4.0"), ("CC-BY-SA", "cc-by-sa-4.0"), ("mit-license", "mit")],
)
def test_zenodo_legacy_licence_ids_are_aliases(alias: str, expected: str) -> None:
    entry = get_vocabulary("licenses").get(alias)
    assert entry is not None and entry.id == expected


def test_spdx_deprecated_id_wins_over_legacy_alias() -> None:
    # "gpl-2.0" was a Zenodo legacy id and is an SPDX (deprecated) id: the SPDX entry is used.
    entry = get_vocabulary("licenses").get("gpl-2.0")
    assert entry is not None and entry.id == "gpl-2.0"


def test_resource_types_have_zenodo_ids_and_mappings() -> None:
    types = get_vocabulary("resourcetypes")
    expected = {
        "publication", "publication-article", "publication-book", "publication-section",
        "publication-conferencepaper", "publication-datamanagementplan", "publication-patent",
        "publication-preprint", "publication-deliverable", "publication-milestone", "publication-proposal",
        "publication-report", "publication-softwaredocumentation", "publication-taxonomictreatment",
        "publication-technicalnote", "publication-thesis", "publication-workingpaper",
        "publication-annotationcollection", "publication-other", "poster", "presentation", "dataset", "image",
        "image-figure", "image-plot", "image-drawing", "image-diagram", "image-photo", "image-other", "video",
        "software", "lesson", "physicalobject", "workflow", "model", "event", "other",
    }  # fmt: skip
    ids = {e.id for e in types.all()}
    assert expected <= ids
    for entry in types.all():
        props = entry.props
        assert props["type"] == entry.id.split("-")[0]
        assert props["subtype"] == (entry.id if "-" in entry.id else "")
        assert props["datacite_general"] in DATACITE_RESOURCE_TYPES_46
        assert props["datacite_type"]
        assert str(props["schema.org"]).startswith("https://schema.org/")
        assert props["csl"] in CSL_TYPES
        assert props["openaire_type"] in {"publication", "dataset", "software", "other"}
        assert props["coar"] == f"http://purl.org/coar/resource_type/{props['openaire_resourceType']}"
        assert str(props["eurepo"]).startswith("info:eu-repo/semantics/")


@pytest.mark.parametrize(
    ("id_", "title", "general", "schema_org", "csl"),
    [
        ("publication-article", "Journal article", "JournalArticle", "ScholarlyArticle", "article-journal"),
        ("dataset", "Dataset", "Dataset", "Dataset", "dataset"),
        ("software", "Software", "Software", "SoftwareSourceCode", "software"),
        ("image-photo", "Photo", "Image", "Photograph", "graphic"),
        ("poster", "Poster", "Text", "Poster", "graphic"),
        ("presentation", "Presentation", "Text", "PresentationDigitalDocument", "speech"),
        ("publication-thesis", "Thesis", "Dissertation", "Thesis", "thesis"),
        ("publication-section", "Book chapter", "BookChapter", "Chapter", "chapter"),
        ("video", "Video/Audio", "Audiovisual", "VideoObject", "motion_picture"),
    ],
)
def test_resource_type_examples(id_: str, title: str, general: str, schema_org: str, csl: str) -> None:
    entry = get_vocabulary("resourcetypes").get(id_)
    assert entry is not None
    assert entry.title["en"] == title
    assert entry.props["datacite_general"] == general
    assert entry.props["schema.org"] == f"https://schema.org/{schema_org}"
    assert entry.props["csl"] == csl


def test_journal_article_coar_and_openaire() -> None:
    props = get_vocabulary("resourcetypes").get("publication-article").props  # type: ignore[union-attr]
    assert props["openaire_resourceType"] == "c_6501"
    assert props["coar"] == "http://purl.org/coar/resource_type/c_6501"
    assert props["eurepo"] == "info:eu-repo/semantics/article"


def test_languages_accept_iso_639_1_and_639_2b() -> None:
    languages = get_vocabulary("languages")
    assert len(languages) > 7000
    english = languages.get("en")
    assert english is not None and english.id == "eng" and english.title["en"] == "English"
    assert english.props["alpha_2"] == "en"
    assert languages.get("ger").id == "deu"  # type: ignore[union-attr]
    assert languages.get("FRE").id == "fra"  # type: ignore[union-attr]
    assert languages.get("ENG") is english
    assert languages.get("zz") is None
    no_alpha2 = languages.get("gsw")
    assert no_alpha2 is not None and "alpha_2" not in no_alpha2.props


@pytest.mark.parametrize(
    ("kind", "id_", "datacite", "title"),
    [
        ("relationtypes", "iscitedby", "IsCitedBy", "Is cited by"),
        ("relationtypes", "isoriginalformof", "IsOriginalFormOf", "Is original form of"),
        ("relationtypes", "hastranslation", "HasTranslation", "Has translation"),
        ("creatorroles", "contactperson", "ContactPerson", "Contact person"),
        ("creatorroles", "workpackageleader", "WorkPackageLeader", "Work package leader"),
        ("datetypes", "withdrawn", "Withdrawn", "Withdrawn"),
        ("descriptiontypes", "notes", "Other", "Notes"),
        ("descriptiontypes", "series-information", "SeriesInformation", "Series information"),
        ("titletypes", "alternative-title", "AlternativeTitle", "Alternative title"),
    ],
)
def test_datacite_type_lists(kind: str, id_: str, datacite: str, title: str) -> None:
    entry = get_vocabulary(kind).get(id_)
    assert entry is not None
    assert entry.id == id_
    assert entry.props["datacite"] == datacite
    assert entry.title["en"] == title


def test_datacite_lists_match_docs() -> None:
    assert len(get_vocabulary("relationtypes")) == 38
    roles = {e.id for e in get_vocabulary("creatorroles").all()}
    assert {"contactperson", "datacollector", "researcher", "rightsholder", "supervisor", "other"} <= roles
    assert {e.id for e in get_vocabulary("datetypes").all()} == {
        "accepted", "available", "collected", "copyrighted", "created", "issued", "other", "submitted",
        "updated", "valid", "withdrawn",
    }  # fmt: skip
    assert {e.id for e in get_vocabulary("descriptiontypes").all()} == {
        "abstract", "methods", "series-information", "table-of-contents", "technical-info", "other", "notes",
    }  # fmt: skip
    assert {e.id for e in get_vocabulary("titletypes").all()} == {
        "alternative-title", "subtitle", "translated-title", "other",
    }  # fmt: skip


def test_search_matches_id_prefix_and_title_words() -> None:
    licences = get_vocabulary("licenses")
    hits, total = licences.search("attribution share", size=100)
    assert total == len(hits) > 0
    assert all("attribution" in h.title["en"].lower() and "share" in h.title["en"].lower() for h in hits)
    hits, _ = licences.search("cc-by-4")
    assert hits[0].id == "cc-by-4.0"
    hits, _ = licences.search("CREATIVE")
    assert hits and all(h.title["en"].lower().startswith("creative") for h in hits)
    assert licences.search("zzzz-no-such") == ([], 0)


def test_search_puts_exact_matches_and_aliases_first() -> None:
    assert get_vocabulary("licenses").search("mit")[0][0].id == "mit"
    assert get_vocabulary("licenses").search("cc-zero")[0][0].id == "cc0-1.0"
    assert get_vocabulary("languages").search("en")[0][0].id == "eng"
    assert get_vocabulary("resourcetypes").search("image")[0][0].id == "image"


def test_search_pages() -> None:
    types = get_vocabulary("resourcetypes")
    first, total = types.search("publication", page=1, size=10)
    second, total2 = types.search("publication", page=2, size=10)
    assert total == total2 >= 20
    assert len(first) == 10 and first[0].id == "publication"
    assert not {e.id for e in first} & {e.id for e in second}
    everything = [e for page in range(1, total // 10 + 2) for e in types.search("publication", page=page)[0]]
    assert len(everything) == total
    beyond, total3 = types.search("publication", page=99)
    assert beyond == [] and total3 == total
    with pytest.raises(ValueError):
        types.search("x", page=0)


def test_search_without_query_lists_everything() -> None:
    roles = get_vocabulary("creatorroles")
    hits, total = roles.search("", size=100)
    assert total == len(roles) and [h.id for h in hits] == [e.id for e in roles.all()]


def test_as_dict_has_invenio_vocabulary_shape() -> None:
    entry = get_vocabulary("licenses").get("cc-by-4.0")
    assert entry is not None
    data = entry.as_dict()
    assert data["type"] == "licenses"
    assert set(data) >= {"id", "title", "props", "tags", "type"}
    assert entry.as_ref() == {"id": "cc-by-4.0", "title": entry.title, "props": entry.props}
