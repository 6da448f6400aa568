"""City news with topics and districts, residents' interests, the services catalogue and
"people of the project" stories."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Address, District
from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.images import ImageUploadField

TOPIC_LABELS = {
    "transport": _("Transport"),
    "roads": _("Roads"),
    "road_closures": _("Road closures"),
    "housing": _("Housing"),
    "health": _("Health"),
    "education": _("Education"),
    "children": _("Children"),
    "pets": _("Pets"),
    "culture": _("Culture"),
    "sport": _("Sport"),
    "ecology": _("Ecology"),
    "city": _("City life"),
}


class Topic(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = ContentCharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The topic's name in the reader's language (operator-added topics keep their name)."""
        return str(TOPIC_LABELS.get(self.code, self.name))


class NewsItem(models.Model):
    title = ContentCharField(_("title"), max_length=200)
    text = ContentTextField(_("text"))
    image = ImageUploadField(_("image"), upload_to="news/%Y/%m/", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="items", verbose_name=_("topics"))
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="+",
        verbose_name=_("districts"),
        help_text=_("Empty for the whole city."),
    )
    address = models.ForeignKey(
        Address,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
        help_text=_("For an announcement to one building."),
    )
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published = models.BooleanField(_("published"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Interests(models.Model):
    """What a resident told us about themselves so that their feed puts the right news first."""

    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_interests"
    )
    car_plate = models.CharField(_("car plate number"), max_length=12, blank=True)
    has_children = models.BooleanField(_("I have children"), default=False)
    has_pets = models.BooleanField(_("I have pets"), default=False)
    address = models.ForeignKey(
        Address,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("my building"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("news interests")
        verbose_name_plural = _("news interests")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    DRIVERS = "drivers", _("drivers")
    PARENTS = "parents", _("parents")
    PET_OWNERS = "pet_owners", _("pet owners")
    OWNERS = "owners", _("flat owners")
    SENIORS = "seniors", _("older people")


class CityService(models.Model):
    """An entry of the city's services catalogue: gorod's own or an external one."""

    name = ContentCharField(_("name"), max_length=160)
    description = ContentTextField(_("description"))
    category = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    audience = models.CharField(
        _("who it is for"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    link = models.CharField(
        _("link"), max_length=300, help_text=_("A site path (/missions/) or a full https:// address.")
    )
    is_external = models.BooleanField(_("external service"), default=False)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("city service")
        verbose_name_plural = _("city services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StoryKind(models.TextChoices):
    RESIDENT = "resident", _("a resident's story")
    DECISION = "decision", _("a decision carried out")


class Story(models.Model):
    """'People of the project': stories of residents and of decisions carried out."""

    kind = models.CharField(_("kind"), max_length=10, choices=StoryKind.choices)
    title = ContentCharField(_("title"), max_length=200)
    text = ContentTextField(_("text"))
    image = ImageUploadField(_("image"), upload_to="stories/%Y/%m/", blank=True)
    decision_id = models.PositiveIntegerField(
        _("decision on the map"),
        null=True,
        blank=True,
        help_text=_("The Active Citizen decision it tells about."),
    )
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Follow(models.Model):
    """A topic or a district whose news a resident follows: by the daily e-mail digest (the
    notification kind ``news_digest``) and in the feeds of ``/news/feeds/``."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed news")
        verbose_name_plural = _("followed news")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topic__isnull=False, district__isnull=True)
                | models.Q(topic__isnull=True, district__isnull=False),
                name="news_follow_topic_or_district",
            ),
            models.UniqueConstraint(fields=["resident", "topic"], name="news_follow_topic_once"),
            models.UniqueConstraint(fields=["resident", "district"], name="news_follow_district_once"),
        ]
