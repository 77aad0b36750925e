from .organisations import (
    Country,
    County,
    FormerCountyCode,
    FormerMunicipalityCode,
    Organisation,
    OrganisationKind,
)
from .pages import HomePage, NewsIndexPage, NewsPage, NewsPageTag, StandardPage
from .site_settings import PortalSettings
from .users import User

__all__ = [
    "County",
    "Country",
    "FormerCountyCode",
    "FormerMunicipalityCode",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "Organisation",
    "OrganisationKind",
    "PortalSettings",
    "StandardPage",
    "User",
]
