"""Demo content for the site-wide parts: users, home page, about pages and news from the seeds.

Demo accounts exist only when `load_demo` runs. Their passwords are random, made on first run,
kept in var/demo-credentials.txt (outside the repository) and printed by `make run`.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils.text import slugify
from wagtail.models import Page, Site

from networks.access import moderators_group, strategists_group
from portal.models import (
    HomePage,
    NewsIndexPage,
    NewsPage,
    Organisation,
    PortalSettings,
    StandardPage,
)
from portal.sites import site_create, site_setup

# The regional sites beside the default one (Etablering Södertörn), each at <key>.localhost on
# the demo's port: a browser sends every *.localhost name to this machine.
DEMO_SITES = {
    "skane": ("Kommunförbundet Skåne", "sv"),
    "ostfold": ("Fylkesmannen i Østfold", "nb"),
    "niski": ("NISKI – nationellt nätverk för regionala strateger", "sv"),
}
DEMO_SITE_INTROS = {
    "skane": "<p>Kommunförbundet Skåne stödjer de 33 skånska kommunerna i mottagandet av "
    "nyanlända: strategiska forum, Integrationsbloggen och goda exempel från kommunerna.</p>",
    "ostfold": "<p>Prosjekt Bosetting av flyktninger i Østfold: Fylkesmannens bidrag til "
    "kommunenes bosettingsarbeid, med kontaktpersoner i hver kommune.</p>",
    "niski": "<p>NISKI samlar regionala strateger från 134 kommuner och möts två gånger om "
    "året. Här finns den nationella kalendern och goda exempel från alla regioner.</p>",
}


# The demo's named accounts: (first name, last name, organisation, job title, other fields).
# fmt: off
ACCOUNTS = {
    "strateg@example.org": ("Sara", "Strateg", "Botkyrka kommun", "Regional strateg, Etablering Södertörn", {"phone": "08-530 610 00"}),
    "medlem@example.org": ("Maja", "Medlem", "Huddinge kommun", "Flyktingsamordnare", {"phone": "08-535 300 00"}),
    "kommun@example.org": ("Karl", "Kommunsson", "Höörs kommun", "Integrationssamordnare", {}),
    "admin@example.org": ("Ada", "Administratör", None, "", {"is_staff": True, "is_superuser": True}),
    "skane@example.org": ("Lena", "Lindqvist", "Kommunförbundet Skåne", "Regional strateg, Kommunförbundet Skåne", {"phone": "040-680 00 00"}),
    "kontakt.ostfold@example.org": ("Kjersti", "Prosjektleder", "Fylkesmannen i Østfold", "Prosjektleder, bosetting av flyktninger", {"preferred_language": "nb"}),
}
# fmt: on


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.txt"


@dataclass
class DemoContext:
    stdout: object = None
    base_dir: Path = field(default_factory=lambda: Path(settings.BASE_DIR))
    users: dict = field(default_factory=dict)
    passwords: dict = field(default_factory=dict)

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(f"  {message}")

    @property
    def home(self):
        """The default site's home page: Etablering Södertörn."""
        return self.site_home("sodertorn")

    def site(self, key: str) -> Site:
        """A demo site by its key: "sodertorn" (the default site) or one of DEMO_SITES."""
        if key == "sodertorn":
            return Site.objects.get(is_default_site=True)
        return Site.objects.get(hostname=f"{key}.localhost")

    def site_home(self, key: str) -> HomePage:
        return self.site(key).root_page.specific

    def organisation(self, name):
        return Organisation.objects.get(name=name)

    def user(self, email, *, first_name, last_name, organisation=None, job_title="", **extra):
        """Get or create a demo user; a new one gets a random password that is written down."""
        from portal.models import User

        user = User.objects.filter(email=email).first()
        if user is None:
            password = self._known_passwords().get(email) or secrets.token_urlsafe(9)
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                organisation=organisation,
                job_title=job_title,
                preferred_language=extra.pop("preferred_language", "sv"),
                **extra,
            )
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.passwords[email] = password
        self.users[email] = user
        return user

    def account(self, email):
        """A named demo account (ACCOUNTS), made the first time."""
        if email in self.users:
            return self.users[email]
        first_name, last_name, organisation, job_title, extra = ACCOUNTS[email]
        return self.user(
            email,
            first_name=first_name,
            last_name=last_name,
            organisation=self.organisation(organisation) if organisation else None,
            job_title=job_title,
            **extra,
        )

    def person(self, first_name, last_name, organisation, job_title, **extra):
        """An invented member of a network, at first.last@example.org."""
        return self.user(
            f"{slugify(first_name)}.{slugify(last_name)}@example.org",
            first_name=first_name,
            last_name=last_name,
            organisation=self.organisation(organisation),
            job_title=job_title,
            **extra,
        )

    def child_page(self, parent, model, *, slug, **fields):
        """The child with this slug, created and published the first time."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _known_passwords(self) -> dict:
        path = credentials_path()
        known = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) >= 2 and "@" in parts[0]:
                    known[parts[0]] = parts[1]
        return known

    def write_credentials(self):
        known = self._known_passwords()
        known.update(self.passwords)
        if not known:
            return
        path = credentials_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{email}  {password}" for email, password in sorted(known.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)


NEWS = [
    (
        "prioriterat-arbete-2017",
        "Prioriterat arbete 2017",
        date(2017, 1, 20),
        "Under tre dagar i december 2016 träffades 19 skånska kommuner hos Kommunförbundet Skåne "
        "för att lämna nulägesbild och önskemål inför 2017.",
        [
            "Nedanstående fyra rubriker motsvarar de områden som kommunerna identifierade som de "
            "viktigaste fokusområdena inför det nya året: bostadsförsörjning, långsiktig strategi och "
            "organisation, nya arbetssätt kring etableringsuppdraget samt ensamkommande barn och unga.",
            "Integrationsbloggen är under utveckling, med avsikt att löpande informera om arbetet, "
            "vara en informationskanal mellan regional och lokal nivå, samt lyfta fram intressanta "
            "exempel och frågeställningar från kommunerna.",
        ],
        ["bostadsförsörjning", "strategi"],
    ),
    (
        "bostadsforsorjningen-storsta-utmaningen",
        "Bostadsförsörjningen är den största utmaningen",
        date(2017, 2, 14),
        "Alla kommuner nämner bostadsförsörjningen som det område som kommer att vara den största "
        "utmaningen under 2017.",
        [
            "Det handlar dels om att skapa de fysiska bostäderna, dels kring prövningar från "
            "Räddningstjänst, Försäkringskassan och försäkringsbolag men även frågor kring avtals- och "
            "kontraktsskrivning.",
            "En referensgrupp med kommunrepresentanter, Räddningstjänst och Försäkringskassan "
            "sammankallas under våren för att diskutera regelverk och tolkningar.",
        ],
        ["bostadsförsörjning"],
    ),
    (
        "verksamhetsberattelse-etablering-sodertorn-2017",
        "Verksamhetsberättelse för Etablering Södertörn 2017",
        date(2018, 2, 1),
        "Etablering Södertörn har varit en kommunövergripande verksamhet sedan 2009, först i "
        "projektform och från 2012 som en permanent verksamhet.",
        [
            "Verksamheten finansieras gemensamt av kommunerna Botkyrka, Haninge, Huddinge, Nacka, "
            "Nykvarn, Nynäshamn, Salem, Södertälje, Tyresö och Värmdö.",
            "Under 2017 fanns fem nätverk och en ledningsgrupp. Arbetet innefattar att bjuda in gäster, "
            "sammankalla deltagarna, boka lokaler, hålla mötet, föra minnesanteckningar och skicka ut "
            "dessa, och därefter följa upp frågor med externa aktörer.",
        ],
        ["verksamhetsberättelse", "nätverk"],
    ),
    (
        "seminarium-kvotflyktingar",
        "Seminarium om mottagande av kvotflyktingar",
        date(2017, 6, 20),
        "Den 15 juni samlades Södertörnskommunerna till ett seminarium om mottagandet av "
        "kvotflyktingar.",
        [
            "Östersunds kommun berättade om sitt arbete med kvotflyktingar, från förberedelser före "
            "ankomsten till de första månaderna i kommunen.",
        ],
        ["kvotflyktingar", "seminarium"],
    ),
]


def _paragraphs(texts):
    return [("paragraph", "".join(f"<p>{t}</p>" for t in texts))]


def _load_users(context):
    # Rights are per site: Sara is the Södertörn site's strategist and moderator, not the
    # whole installation's (its groups have page rights on that site's root only).
    strategists = strategists_group()
    moderators = moderators_group()
    strateg = context.account("strateg@example.org")
    strateg.groups.remove(*Group.objects.filter(name="Editors"))
    strateg.groups.add(strategists, moderators)
    context.account("medlem@example.org")
    context.account("kommun@example.org")
    admin = context.account("admin@example.org")
    admin.groups.add(strategists)


def _load_pages(context):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(sites_rooted_here__is_default_site=True).first()
    if home is None:
        home = HomePage(
            title="Samverkansportalen",
            slug="start",
            intro=(
                "<p>Samverkansportalen samlar de regionala nätverken för bosättning och etablering av "
                "nyanlända: minnesanteckningar, kalender, goda exempel och nyhetsbrev.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        old_default = Site.objects.filter(is_default_site=True).first()
        # The site's own address is what Wagtail puts in links (e-mails, previews, sitemaps).
        base = urlsplit(settings.PORTAL_BASE_URL)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": base.hostname or "localhost",
                "port": base.port or (443 if base.scheme == "https" else 80),
                "root_page": home,
                "site_name": "Samverkansportalen",
            },
        )
        welcome = Page.objects.filter(depth=2, slug="home").exclude(pk=home.pk).first()
        if welcome is not None and old_default is not None:
            welcome.delete()
    about = context.child_page(
        home,
        StandardPage,
        slug="om-portalen",
        title="Om portalen",
        show_in_menus=True,
        intro="Samverkansportalen är en gemensam plats för regionala strategers nätverk.",
        body=_paragraphs(
            [
                "Regionala strateger samordnar nätverk där kommunerna samverkar kring bosättning och "
                "etablering av nyanlända. Här hittar nätverkens medlemmar minnesanteckningar, dokument "
                "och varandra.",
                "Kommuner kan dela goda exempel, och alla kan prenumerera på kalendern och nyhetsbrevet.",
            ]
        ),
    )
    accessibility = context.child_page(
        home,
        StandardPage,
        slug="tillganglighet",
        title="Tillgänglighetsredogörelse",
        intro="Vi vill att så många som möjligt ska kunna använda portalen.",
        body=_paragraphs(
            [
                "Portalen ska uppfylla kraven i WCAG 2.1 nivå AA enligt lagen om tillgänglighet till "
                "digital offentlig service. Varje sidtyp kontrolleras automatiskt med axe-core.",
                "Om du upptäcker brister kan du kontakta oss. Om du inte är nöjd med svaret kan du "
                "kontakta Myndigheten för digital förvaltning (Digg).",
            ]
        ),
    )
    news_index = context.child_page(
        home,
        NewsIndexPage,
        slug="aktuellt",
        title="Aktuellt",
        show_in_menus=True,
        intro="Integrationsbloggen: nyheter från nätverken och regionen.",
    )
    for slug, title, day, intro, body, tags in NEWS:
        if news_index.get_children().filter(slug=slug).exists():
            continue
        post = NewsPage(slug=slug, title=title, date=day, intro=intro, body=_paragraphs(body))
        news_index.add_child(instance=post)
        post.tags.add(*tags)
        post.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    portal_settings = PortalSettings.for_site(site)
    if not portal_settings.contact_email:
        portal_settings.organisation_name = "Samverkansportalen"
        portal_settings.contact_email = "kontakt@example.org"
        portal_settings.contact_phone = "08-530 610 00"
        portal_settings.address = "Etablering Södertörn\nBotkyrka kommun\n147 85 Tumba"
        portal_settings.accessibility_page = accessibility
        portal_settings.save()
    context.log(f"pages: {home.title}, {about.title}, {news_index.title}")


def _load_sites(context):
    """The default site is Etablering Södertörn; the others are made as an administrator makes
    a site (portal.sites.site_create), each with a home page that says who runs it."""
    default = context.site("sodertorn")
    if default.site_name != "Etablering Södertörn":
        default.site_name = "Etablering Södertörn"
        default.save(update_fields=["site_name"])
    site_setup(site=default, language="sv")
    port = urlsplit(settings.PORTAL_BASE_URL).port or 80
    for key, (name, language) in DEMO_SITES.items():
        site = site_create(name=name, hostname=f"{key}.localhost", port=port, language=language)
        home = site.root_page.specific
        if not home.intro:
            home.intro = DEMO_SITE_INTROS[key]
            home.save_revision().publish()
    skane = context.site("skane")
    lena = context.account("skane@example.org")
    lena.groups.add(strategists_group(skane), moderators_group(skane))
    context.log("sites: " + ", ".join(site.root_url for site in Site.objects.order_by("pk")))


def load(context):
    _load_users(context)
    _load_pages(context)
    _load_sites(context)
