from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("employers/credits/", views.credits, name="credits"),
    path("employers/credits/<slug:company_slug>/", views.company_credits, name="company_credits"),
    path("employers/credits/<slug:company_slug>/buy/", views.buy, name="buy"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
