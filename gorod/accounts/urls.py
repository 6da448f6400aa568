from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from gorod.accounts import oidc, views, views_levels, views_oidc, views_second_factor
from gorod.accounts.forms import ResidentPasswordResetForm, SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/sign_in.html",
            authentication_form=SignInForm,
            extra_context={"identity_providers": oidc.providers},
        ),
        name="sign_in",
    ),
    path("sign-out/", views_oidc.sign_out, name="sign_out"),
    path("oidc/<slug:provider>/sign-in/", views_oidc.oidc_sign_in, name="oidc_sign_in"),
    path("oidc/<slug:provider>/connect/", views_oidc.oidc_link, name="oidc_link"),
    path("oidc/<slug:provider>/callback/", views_oidc.oidc_callback, name="oidc_callback"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("second-factor/", views_second_factor.second_factor, name="second_factor"),
    path("second-factor/recovery-codes/", views_second_factor.recovery_codes, name="recovery_codes"),
    path("profile/", views.profile, name="profile"),
    path("addresses/", views.address_suggestions, name="addresses"),
    path("level/", views_levels.level_request, name="level_request"),
    path("staff/level-requests/", views_levels.level_queue, name="level_queue"),
    path("staff/level-requests/<int:request_id>/", views_levels.level_review, name="level_review"),
    path("consent/", views.processing_consent, name="consent"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            form_class=ResidentPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:sign_in"),
        ),
        name="password_reset_confirm",
    ),
]
