"""The platform's own settings, changed by its administrators (SETTINGS_MANAGE) without the
Django admin: public name, secretariat and phone, public site address, the leaflet's texts and
作成年月, and the membership target of each 年度. Every change is a PlatformChange.
"""
