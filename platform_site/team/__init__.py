"""Users and roles of one platform, managed by its administrators (USERS_MANAGE).

A user may hold roles in several platforms; an administrator here sees and changes only the
roles of this platform, never the user's roles elsewhere.
"""
