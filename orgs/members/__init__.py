"""The members' side of the platform: what members need to know about each other (the
working-together facts and the members' directory), applying to be listed (a public form and
its review), and the secretariat's notices to members (home screen and email)."""
