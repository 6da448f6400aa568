"""Million Prizes: partners, pickup points, rewards, promo code pools, orders, charity funds.

Stock, per-resident limits and promo codes are guarded by the database (CHECK constraints,
guarded UPDATEs, unique constraints); points are held and moved only through ``gorod.points``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import AccountLevel, District
from gorod.core.content import ContentCharField, ContentTextField
from gorod.core.images import ImageUploadField
from gorod.points.models import Hold, LedgerAccount, Transfer


class Category(models.Model):
    name = ContentCharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    ordering_weight = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["ordering_weight", "name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A business or institution that gives rewards and is paid in points at settlement."""

    name = ContentCharField(_("name"), max_length=160, unique=True)
    description = ContentTextField(_("description"), blank=True)
    logo = ImageUploadField(_("logo"), upload_to="rewards/partners/", blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    ledger_account = models.OneToOneField(
        LedgerAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement account"),
        help_text=_("Opened automatically when the partner is created."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerStaff(models.Model):
    """A resident account working at a partner's desk; one partner per staff member."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="staff", verbose_name=_("partner")
    )
    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_staff",
        verbose_name=_("staff member"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner staff member")
        verbose_name_plural = _("partner staff")

    def __str__(self) -> str:
        return f"{self.resident} @ {self.partner}"


class PickupPoint(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="pickup_points", verbose_name=_("partner")
    )
    name = ContentCharField(_("name"), max_length=160)
    address = ContentCharField(_("address"), max_length=255)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = ContentCharField(_("opening hours"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["partner__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.address})"


class CharityFund(models.Model):
    class Verification(models.TextChoices):
        PENDING = "pending", _("being checked")
        VERIFIED = "verified", _("verified")
        SUSPENDED = "suspended", _("suspended")

    name = ContentCharField(_("name"), max_length=160, unique=True)
    description = ContentTextField(_("description"), blank=True)
    outcome = ContentCharField(
        _("what the points become"), max_length=255, help_text=_("e.g. 1,000 points buy one meal")
    )
    verification = models.CharField(
        _("verification"), max_length=12, choices=Verification.choices, default=Verification.PENDING
    )
    ledger_account = models.OneToOneField(
        LedgerAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fund account"),
        help_text=_("Opened automatically when the fund is created."),
    )
    min_donation = models.PositiveIntegerField(_("smallest donation"), default=1)
    max_donation = models.PositiveIntegerField(_("largest donation"), null=True, blank=True)

    class Meta:
        verbose_name = _("charity fund")
        verbose_name_plural = _("charity funds")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(min_donation__gte=1), name="fund_min_donation_positive"),
            models.CheckConstraint(
                condition=Q(max_donation__isnull=True) | Q(max_donation__gte=models.F("min_donation")),
                name="fund_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RewardKind(models.TextChoices):
    ITEM = "item", _("item to pick up")
    PROMO_CODE = "promo_code", _("promo code")
    TICKET = "ticket", _("electronic ticket")
    CHARITY = "charity", _("charity")


class StockScope(models.TextChoices):
    REWARD = "reward", _("one stock for the reward")
    PICKUP_POINT = "pickup_point", _("stock per pickup point")


class LimitPeriod(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    LIFETIME = "lifetime", _("in total")


class Reward(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="rewards", verbose_name=_("partner")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rewards",
        verbose_name=_("category"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RewardKind.choices)
    title = ContentCharField(_("title"), max_length=160)
    description = ContentTextField(_("description"), blank=True)
    terms = ContentTextField(_("terms"), blank=True)
    image = ImageUploadField(_("image"), upload_to="rewards/rewards/", blank=True)
    price = models.PositiveIntegerField(_("price in points"))
    stock_scope = models.CharField(
        _("stock kept"), max_length=12, choices=StockScope.choices, default=StockScope.REWARD
    )
    # None: unlimited (charity). For promo codes the stock is the number of unused codes.
    stock = models.IntegerField(_("in stock"), null=True, blank=True)
    limit_per_resident = models.PositiveIntegerField(_("orders per resident"), null=True, blank=True)
    limit_period = models.CharField(
        _("limit period"), max_length=10, choices=LimitPeriod.choices, default=LimitPeriod.LIFETIME
    )
    min_level = models.CharField(
        _("minimum account level"),
        max_length=16,
        choices=AccountLevel.choices,
        default=AccountLevel.SIMPLIFIED,
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    pickup_days = models.PositiveSmallIntegerField(_("days to pick up"), default=14)
    event_starts_at = models.DateTimeField(_("event starts at"), null=True, blank=True)
    event_venue = ContentCharField(_("event venue"), max_length=255, blank=True)
    fund = models.ForeignKey(
        CharityFund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rewards",
        verbose_name=_("charity fund"),
    )
    pickup_points: models.ManyToManyField[PickupPoint, RewardPickupPoint] = models.ManyToManyField(
        PickupPoint,
        through="RewardPickupPoint",
        related_name="rewards",
        blank=True,
        verbose_name=_("pickup points"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["price", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="reward_price_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="reward_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="charity") | Q(fund__isnull=False), name="reward_charity_has_fund"
            ),
        ]
        indexes = [models.Index(fields=["kind", "price"], name="reward_kind_price")]

    def __str__(self) -> str:
        return self.title


class RewardPickupPoint(models.Model):
    """Where an item can be picked up; holds the stock when it is kept per pickup point."""

    reward = models.ForeignKey(
        Reward, on_delete=models.CASCADE, related_name="placements", verbose_name=_("reward")
    )
    pickup_point = models.ForeignKey(
        PickupPoint, on_delete=models.CASCADE, related_name="placements", verbose_name=_("pickup point")
    )
    stock = models.IntegerField(_("in stock here"), default=0)

    class Meta:
        verbose_name = _("reward at a pickup point")
        verbose_name_plural = _("rewards at pickup points")
        constraints = [
            models.UniqueConstraint(fields=["reward", "pickup_point"], name="reward_pickup_point_unique"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="reward_pickup_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} · {self.pickup_point}"


class LimitUsage(models.Model):
    """How many live orders a resident has of a limited reward in one period."""

    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    used = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reward", "resident", "period"], name="limit_usage_unique"),
            models.CheckConstraint(condition=Q(used__gte=0), name="limit_usage_not_negative"),
        ]


class OrderStatus(models.TextChoices):
    RESERVED = "reserved", _("waiting for pickup")
    HANDED_OVER = "handed_over", _("handed over")
    ISSUED = "issued", _("issued")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")


class StockSource(models.TextChoices):
    NONE = "none", _("unlimited")
    REWARD = "reward", _("reward stock")
    PICKUP_POINT = "pickup_point", _("pickup point stock")


class Order(models.Model):
    code = models.CharField(_("order code"), max_length=16, unique=True)
    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="orders", verbose_name=_("reward")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="orders", verbose_name=_("partner")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reward_orders",
        verbose_name=_("resident"),
    )
    pickup_point = models.ForeignKey(
        PickupPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("pickup point"),
    )
    placement = models.ForeignKey(
        RewardPickupPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reward at a pickup point"),
    )
    stock_source = models.CharField(
        _("stock source"), max_length=12, choices=StockSource.choices, default=StockSource.NONE
    )
    limit_usage = models.ForeignKey(
        LimitUsage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("limit usage"),
    )
    price = models.PositiveIntegerField(_("points"))
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices)
    hold = models.OneToOneField(
        Hold, on_delete=models.PROTECT, related_name="reward_order", verbose_name=_("hold")
    )
    transfer = models.OneToOneField(
        Transfer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_order",
        verbose_name=_("transfer"),
    )
    ticket_number = models.CharField(_("ticket number"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    pickup_until = models.DateTimeField(_("pick up by"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cancelled or expired at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    handed_over_at_point = models.ForeignKey(
        PickupPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over at pickup point"),
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="order_price_positive")]
        indexes = [
            models.Index(fields=["pickup_until"], condition=Q(status="reserved"), name="order_reserved_due"),
            models.Index(fields=["resident", "-id"], name="order_resident_recent"),
            models.Index(fields=["partner", "-id"], name="order_partner_recent"),
            models.Index(fields=["partner", "completed_at"], name="order_partner_completed"),
        ]

    def __str__(self) -> str:
        return self.code


class PromoCode(models.Model):
    """One code of a reward's pool; given to exactly one order."""

    reward = models.ForeignKey(Reward, on_delete=models.CASCADE, related_name="promo_codes")
    code = models.CharField(_("code"), max_length=64)
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="promo_code"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("promo code")
        verbose_name_plural = _("promo codes")
        constraints = [models.UniqueConstraint(fields=["reward", "code"], name="promo_code_unique_in_pool")]
        indexes = [
            models.Index(fields=["reward", "id"], condition=Q(order__isnull=True), name="promo_code_free")
        ]


class Donation(models.Model):
    receipt_number = models.CharField(_("receipt number"), max_length=24, unique=True)
    fund = models.ForeignKey(
        CharityFund, on_delete=models.PROTECT, related_name="donations", verbose_name=_("fund")
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("resident"),
    )
    amount = models.PositiveIntegerField(_("points"))
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, related_name="donation", verbose_name=_("transfer")
    )
    order = models.OneToOneField(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donation",
        verbose_name=_("order"),
    )
    created_at = models.DateTimeField(_("donated at"), default=timezone.now)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive")]
        indexes = [models.Index(fields=["resident", "-id"], name="donation_resident_recent")]

    def __str__(self) -> str:
        return self.receipt_number
