"""Excel/CSV import and export routes (namespace orgs)."""

urlpatterns: list = []
