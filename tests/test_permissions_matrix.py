"""The permission matrix: every named URL the app serves × every persona → the expected status.

The rules (deny by default; docs/roles.md):
- anonymous → 302 to the login page (the public pages aside: home, healthz, login, directory);
- another platform's staff (secretariat_b) → 404: nothing says the platform or the object exists;
- a coordinator whose organisation got no referral of the case → 404 on every case URL, likewise;
- same platform without the capability → 403;
- a POST-only view: its POST is a row; a GET is another row, 405 once the access checks pass.

The URL names come from the resolver (every namespace; Django's admin aside). A name with no row
fails test_every_url_has_a_row, a row whose name is gone fails test_every_row_names_a_url: adding a
screen means adding its row here. URL kwargs are filled from the shared fixtures (tests/conftest.py:
platform A, org_a, case_a referred to org_a with consent, its working group...), see `kwargs_for`.
One test per row; each cell is one request through the test client, as that persona, inside a
savepoint rolled back afterwards, so a POST by one persona changes nothing the next one sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from orgs.hsds import hsds_id
from platform_site.models import Platform, PlatformRole

# case_a and the ledger's forms carry dates: every cell runs at the pinned moment (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("frozen_now")

PERSONAS = (
    "anon",
    "secretariat_b",
    "other_coordinator_a",
    "coordinator_a",
    "secretariat_a",
    "admin_a",
    "secretariat_a_no_otp",
)
GET, POST = "get", "post"


class Row(NamedTuple):
    name: str  # namespaced URL name ("cases:detail")
    method: str
    statuses: tuple[int, ...]  # in PERSONAS order
    variant: str = ""  # a key of VARIANTS: other kwargs than the default objects


def row(name: str, method: str, *statuses: int, variant: str = "") -> Row:
    assert len(statuses) == len(PERSONAS), f"{name}: {len(statuses)} statuses for {len(PERSONAS)} personas"
    return Row(name, method, statuses, variant)


# Columns: anonymous; secretariat_b (another platform's staff); other_coordinator_a (coordinator of
# other_org_a: neither org_a's entry nor case_a is theirs); coordinator_a (coordinator of org_a, to
# which case_a is referred); secretariat_a; admin_a (administrator of platform A); noOTP
# (secretariat_a_no_otp: a secretariat of A signed in with the password only, no second factor
# yet: sent to set one up (302) from every staff page, public pages and signing in/out aside).
# fmt: off
MATRIX: list[Row] = [
    #    url name                     method  anon secB oCoA coA secA admA noOTP
    # --- the site: public pages; signed in with one role, home goes to that platform
    row("home",                       GET,    200, 302, 302, 302, 302, 302, 302),
    row("healthz",                    GET,    200, 200, 200, 200, 200, 200, 200),
    row("login",                      GET,    200, 200, 200, 200, 200, 200, 200),
    row("logout",                     POST,   302, 302, 302, 302, 302, 302, 302),
    row("logout",                     GET,    405, 405, 405, 405, 405, 405, 405),
    # --- signing in: the second factor (verified personas are sent on from its form), password reset
    row("signin:verify",              GET,    302, 302, 302, 302, 302, 302, 302),
    row("signin:setup",               GET,    302, 200, 200, 200, 200, 200, 200),
    row("signin:recovery",            GET,    302, 200, 200, 200, 200, 200, 302),
    row("signin:recovery-new",        POST,   302, 200, 200, 200, 200, 200, 302),
    row("signin:recovery-new",        GET,    405, 405, 405, 405, 405, 405, 405),  # method checked first
    row("signin:password-reset",      GET,    200, 200, 200, 200, 200, 200, 200),
    row("signin:password-reset-done", GET,    200, 200, 200, 200, 200, 200, 200),
    row("signin:password-reset-confirm", GET, 200, 200, 200, 200, 200, 200, 200),  # a made-up link: "not valid"
    row("signin:password-reset-complete", GET, 200, 200, 200, 200, 200, 200, 200),
    row("platform-home",              GET,    302, 404, 200, 200, 200, 200, 302),
    row("platform-home",              GET,    302, 404, 404, 404, 404, 404, 302, variant="unknown platform"),
    row("platform-dashboard",         GET,    302, 404, 403, 403, 200, 200, 302),
    # --- the public directory: no login, any platform's published members
    row("directory:index",            GET,    200, 200, 200, 200, 200, 200, 200),
    row("directory:index",            GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("directory:print",            GET,    200, 200, 200, 200, 200, 200, 200),
    row("directory:print",            GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("directory:hsds",             GET,    200, 200, 200, 200, 200, 200, 200),
    row("directory:hsds",             GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("directory:org",              GET,    200, 200, 200, 200, 200, 200, 200),
    row("directory:org",              GET,    404, 404, 404, 404, 404, 404, 404, variant="B's organisation"),
    # the public application to be listed (no account): the form, its errors (an empty POST), the thanks
    row("directory:apply",            GET,    200, 200, 200, 200, 200, 200, 200),
    row("directory:apply",            POST,   400, 400, 400, 400, 400, 400, 400),
    row("directory:apply",            GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("directory:apply-sent",       GET,    200, 200, 200, 200, 200, 200, 200),
    # --- the HSDS 3.0 API of the public directory: open data, no login
    row("hsds:root",                  GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:root",                  GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:services",              GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:services",              GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:service",               GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:service",               GET,    404, 404, 404, 404, 404, 404, 404, variant="B's organisation"),
    row("hsds:organizations",         GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:organizations",         GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:organization",          GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:organization",          GET,    404, 404, 404, 404, 404, 404, 404, variant="B's organisation"),
    row("hsds:taxonomies",            GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:taxonomies",            GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:taxonomy",              GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:taxonomy",              GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:taxonomy-terms",        GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:taxonomy-terms",        GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("hsds:taxonomy-term",         GET,    200, 200, 200, 200, 200, 200, 200),
    row("hsds:taxonomy-term",         GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    row("public-events:list",         GET,    200, 200, 200, 200, 200, 200, 200),
    row("public-events:list",         GET,    404, 404, 404, 404, 404, 404, 404, variant="unknown platform"),
    # --- the member registry (org pages: org_a, coordinator_a's own, not other_coordinator_a's)
    row("orgs:list",                  GET,    302, 404, 200, 200, 200, 200, 302),
    row("orgs:create",                GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:pipeline",              GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:categories",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:checks",                GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:checks",                POST,   302, 404, 403, 403, 302, 302, 302),  # sends this 年度's links
    # --- the yearly check's link: no account; an unknown token says only that the link is gone
    row("entry-check",                GET,    404, 404, 404, 404, 404, 404, 404),
    row("entry-check",                GET,    200, 200, 200, 200, 200, 200, 200, variant="entry check link"),
    row("orgs:categories",            GET,    302, 404, 403, 403, 200, 200, 302, variant="activity fields"),
    row("orgs:detail",                GET,    302, 404, 200, 200, 200, 200, 302),
    row("orgs:edit",                  GET,    302, 404, 403, 200, 200, 200, 302),
    row("orgs:verify",                POST,   302, 404, 403, 302, 302, 302, 302),
    row("orgs:verify",                GET,    302, 404, 405, 405, 405, 405, 302),
    row("orgs:membership",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:history",               GET,    302, 404, 200, 200, 200, 200, 302),
    # --- the members' side: working-together facts (members only), applications, notices
    row("orgs:members-directory",     GET,    302, 404, 200, 200, 200, 200, 302),
    row("orgs:working",               GET,    302, 404, 403, 200, 200, 200, 302),
    row("orgs:working",               POST,   302, 404, 403, 302, 302, 302, 302),  # all fields may be empty
    row("orgs:applications",          GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:application",           GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:application",           POST,   302, 404, 403, 403, 200, 200, 302),  # the form with its errors
    row("orgs:application",           GET,    302, 404, 403, 403, 404, 404, 302, variant="B's application"),
    row("orgs:notices",               GET,    302, 404, 200, 200, 200, 200, 302),
    row("orgs:notice-new",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:notice-new",            POST,   302, 404, 403, 403, 200, 200, 302),  # the form with its errors
    row("orgs:notice",                GET,    302, 404, 200, 200, 200, 200, 302),
    row("orgs:notice",                GET,    302, 404, 404, 404, 404, 404, 302, variant="B's notice"),
    row("orgs:notice-email",          POST,   302, 404, 302, 302, 302, 302, 302),
    row("orgs:notice-email",          GET,    302, 404, 405, 405, 405, 405, 302),
    row("orgs:import",                GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:import-confirm",        POST,   302, 404, 403, 403, 302, 302, 302),
    row("orgs:import-confirm",        GET,    302, 404, 403, 403, 405, 405, 302),
    row("orgs:export",                GET,    302, 404, 403, 403, 200, 200, 302),
    row("orgs:leaflet-options",       GET,    302, 404, 403, 403, 200, 200, 302),
    # --- background jobs (job_a: secretariat_a's finished leaflet): its owner only, anyone else 404
    row("jobs:status",                GET,    302, 404, 404, 404, 200, 404, 302),
    row("jobs:download",              POST,   302, 404, 404, 404, 200, 404, 302),
    row("jobs:download",              GET,    302, 404, 405, 405, 405, 405, 302),
    # the leaflet: not typeset yet for this registry state → handed to the worker (302 to its job)
    row("orgs:leaflet",               GET,    302, 404, 403, 403, 302, 302, 302),
    # --- the ledger, platform-wide (the export is a grant no role carries)
    row("cases:list",                 GET,    302, 404, 200, 200, 200, 200, 302),
    row("cases:create",               GET,    302, 404, 403, 403, 200, 200, 302),
    row("cases:search",               GET,    302, 404, 403, 403, 200, 200, 302),
    row("cases:search",               POST,   302, 404, 403, 403, 200, 200, 302),  # the form with its errors
    row("cases:export",               GET,    302, 404, 403, 403, 403, 403, 302),
    row("cases:stats",                GET,    302, 404, 403, 403, 200, 200, 302),
    row("cases:user-audit-index",     GET,    302, 404, 403, 403, 403, 200, 302),
    row("cases:user-audit",           GET,    302, 404, 403, 403, 403, 200, 302),
    # --- the ledger, case_a (referred to org_a: other_coordinator_a may not know it exists)
    row("cases:detail",               GET,    302, 404, 404, 200, 200, 200, 302),
    row("cases:edit",                 GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:plan",                 GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:consent-create",       GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:consent-revoke",       POST,   302, 404, 404, 403, 400, 400, 302),  # no date: the case page again
    row("cases:consent-revoke",       GET,    302, 404, 404, 403, 405, 405, 302),
    row("cases:consent-correct",      GET,    302, 404, 404, 403, 302, 302, 302),  # case_a's consent: not withdrawn
    row("cases:referral-create",      GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:referral-respond",     GET,    302, 404, 404, 200, 403, 403, 302),
    row("cases:handoff-create",       GET,    302, 404, 404, 200, 403, 403, 302),
    row("cases:referral-respond-phone", GET,  302, 404, 404, 403, 200, 200, 302),  # the secretariat, for the org
    row("cases:handoff-phone",        GET,    302, 404, 404, 403, 302, 302, 302),  # not accepted yet: back to the case
    row("cases:handoff-phone",        GET,    302, 404, 404, 403, 200, 200, 302, variant="accepted, reported"),
    row("cases:report-read",          POST,   302, 404, 404, 403, 302, 302, 302, variant="accepted, reported"),
    row("cases:report-read",          GET,    302, 404, 404, 403, 405, 405, 302, variant="accepted, reported"),
    row("cases:print",                GET,    302, 404, 404, 200, 200, 200, 302),  # logged, what each may see
    row("cases:close",                GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:working-group",        GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:working-group-remove", POST,   302, 404, 404, 403, 302, 302, 302),
    row("cases:working-group-remove", GET,    302, 404, 404, 403, 405, 405, 302),
    row("cases:working-group-close",  POST,   302, 404, 404, 403, 302, 302, 302),  # none accepted yet: a message
    row("cases:working-group-close",  GET,    302, 404, 404, 403, 405, 405, 302),
    row("cases:audit",                GET,    302, 404, 404, 403, 403, 200, 302),
    # --- the duty-bound body (platform A's 地域協議会): members see it, the secretariat keeps it
    row("councils:detail",            GET,    302, 404, 200, 200, 200, 200, 302),
    row("councils:edit",              GET,    302, 404, 403, 403, 200, 200, 302),
    row("councils:edit",              POST,   302, 404, 403, 403, 200, 200, 302),  # re-shown with its errors
    row("councils:body-add",          GET,    302, 404, 403, 403, 200, 200, 302),
    row("councils:body-end",          POST,   302, 404, 403, 403, 400, 400, 302),  # no date: shown again in its row
    row("councils:body-end",          GET,    302, 404, 403, 403, 405, 405, 302),
    row("councils:meeting-create",    GET,    302, 404, 403, 403, 200, 200, 302),
    row("councils:meeting",           GET,    302, 404, 200, 200, 200, 200, 302),
    row("councils:seats",             GET,    302, 404, 403, 403, 200, 200, 302),
    row("councils:seat-end",          POST,   302, 404, 403, 403, 400, 400, 302),  # no date: shown again in its row
    row("councils:seat-end",          GET,    302, 404, 403, 403, 405, 405, 302),
    # NPO → NPO: a hand-on from org_a's own referral, once accepted (not yet: back to the case);
    # accepted, the consent covers no other member: the page says so (200), and nothing can be sent
    row("cases:hand-on",              GET,    302, 404, 404, 302, 403, 403, 302),
    row("cases:hand-on",              GET,    302, 404, 404, 200, 403, 403, 302, variant="another case, accepted"),
    # --- the two-way flow, NPO → 行政 (request_a: org_a's request, not answered): the sending
    # organisation and the secretariat see it; another member may not know it exists
    row("cases:requests",             GET,    302, 404, 200, 200, 200, 200, 302),
    row("cases:request-create",       GET,    302, 404, 200, 200, 403, 403, 302),
    row("cases:request-detail",       GET,    302, 404, 404, 200, 200, 200, 302),
    row("cases:request-accept",       GET,    302, 404, 404, 403, 200, 200, 302),
    row("cases:request-answer",       GET,    302, 404, 404, 403, 200, 200, 302),
    # --- つながりサポーター (report_a: a supporter's report). Sending is the supporter's own right
    # (tests/test_permissions_supporter.py); reports reach only the person named by the grant
    # cases.supporter_intake, given to secretariat_a in the "supporter intake" rows: 404 for the rest
    row("cases:supporters",           GET,    302, 404, 403, 403, 200, 200, 302),
    row("cases:supporter-report-create", GET, 302, 404, 403, 403, 403, 403, 302),
    row("cases:supporter-reports-mine", GET,  302, 404, 403, 403, 403, 403, 302),
    row("cases:supporter-reports",    GET,    302, 404, 403, 403, 403, 403, 302),
    row("cases:supporter-reports",    GET,    302, 404, 403, 403, 200, 403, 302, variant="supporter intake"),
    row("cases:supporter-report",     GET,    302, 404, 404, 404, 404, 404, 302),
    row("cases:supporter-report",     GET,    302, 404, 404, 404, 200, 404, 302, variant="supporter intake"),
    row("cases:supporter-report-handled", POST, 302, 404, 404, 404, 302, 404, 302, variant="supporter intake"),
    row("cases:supporter-report-handled", GET, 302, 404, 405, 405, 405, 405, 302),
    row("cases:supporter-report-case", GET,   302, 404, 404, 404, 404, 404, 302),
    row("cases:supporter-report-case", GET,   302, 404, 404, 404, 200, 404, 302, variant="supporter intake"),
    # --- events and trial projects (event_a: org_a takes part, other_org_a does not)
    row("outreach:list",              GET,    302, 404, 200, 200, 200, 200, 302),
    row("outreach:create",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:types",             GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:import",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:detail",            GET,    302, 404, 404, 200, 200, 200, 302),
    row("outreach:edit",              GET,    302, 404, 404, 403, 200, 200, 302),  # org_a takes part, not organiser
    # an event org_a organises (member-run): its coordinator edits it and records the results
    row("outreach:detail",            GET,    302, 404, 404, 200, 200, 200, 302, variant="event org_a runs"),
    row("outreach:edit",              GET,    302, 404, 404, 200, 200, 200, 302, variant="event org_a runs"),
    row("outreach:edit",              POST,   302, 404, 404, 200, 200, 200, 302, variant="event org_a runs"),  # the form with its errors
    row("outreach:case-new",          GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:report",            GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:report-xlsx",       GET,    302, 404, 403, 403, 200, 200, 302),
    row("outreach:report-pdf",        GET,    302, 404, 403, 403, 200, 200, 302),
    # --- the record of consultations: no personal data; a coordinator sees and writes only their
    # organisation's records (other_coordinator_a: 404 on org_a's), the secretariat every record
    row("consultations:list",         GET,    302, 404, 200, 200, 200, 200, 302),
    row("consultations:create",       GET,    302, 404, 200, 200, 200, 200, 302),
    row("consultations:create",       POST,   302, 404, 200, 200, 200, 200, 302),  # the form with its errors
    row("consultations:export",       GET,    302, 404, 200, 200, 200, 200, 302),
    row("consultations:edit",         GET,    302, 404, 404, 200, 200, 200, 302, variant="org_a's consultation"),
    row("consultations:edit",         POST,   302, 404, 404, 200, 200, 200, 302, variant="org_a's consultation"),
    row("consultations:edit",         GET,    302, 404, 404, 404, 404, 404, 302, variant="B's consultation"),
    # --- the team screen (administrators only; the role edited is coordinator_a's)
    row("team:list",                  GET,    302, 404, 403, 403, 403, 200, 302),
    row("team:add",                   GET,    302, 404, 403, 403, 403, 200, 302),
    row("team:grant",                 GET,    302, 404, 403, 403, 403, 200, 302),
    row("team:edit",                  GET,    302, 404, 403, 403, 403, 200, 302),
    row("team:remove",                POST,   302, 404, 403, 403, 403, 302, 302),
    row("team:remove",                GET,    405, 405, 405, 405, 405, 405, 302),  # method checked first
    row("team:unlock",                POST,   302, 404, 403, 403, 403, 302, 302),
    row("team:unlock",                GET,    405, 405, 405, 405, 405, 405, 302),
    row("team:second-factor-reset",   POST,   302, 404, 403, 403, 403, 302, 302),
    row("team:second-factor-reset",   GET,    405, 405, 405, 405, 405, 405, 302),
    # --- the platform's settings (administrators only; an empty POST is re-shown with its errors)
    row("platform_settings:edit",     GET,    302, 404, 403, 403, 403, 200, 302),
    row("platform_settings:edit",     POST,   302, 404, 403, 403, 403, 200, 302),
    # --- the audit trail (administrators only; reading it is logged)
    row("trail:list",                 GET,    302, 404, 403, 403, 403, 200, 302),
    # --- surveys: results for every role, raw responses for staff (survey_a: a resident survey of A)
    row("surveys:list",               GET,    302, 404, 200, 200, 200, 200, 302),
    row("surveys:create",             GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:detail",             GET,    302, 404, 200, 200, 200, 200, 302),
    row("surveys:detail",             GET,    302, 404, 404, 404, 404, 404, 302, variant="B's survey"),
    row("surveys:edit",               GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:question-add",       GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:published",          GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:import",             GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:import-confirm",     POST,   302, 404, 403, 403, 302, 302, 302),
    row("surveys:import-confirm",     GET,    302, 404, 403, 403, 405, 405, 302),
    row("surveys:template",           GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:results-xlsx",       GET,    302, 404, 200, 200, 200, 200, 302),
    row("surveys:results-xlsx",       GET,    302, 404, 404, 404, 404, 404, 302, variant="B's survey"),
    row("surveys:report",             GET,    302, 404, 200, 200, 200, 200, 302),
    row("surveys:responses",          GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:responses",          GET,    302, 404, 403, 403, 404, 404, 302, variant="B's survey"),
    row("surveys:responses-csv",      GET,    302, 404, 403, 403, 200, 200, 302),
    row("surveys:resource",           GET,    302, 404, 403, 403, 200, 200, 302, variant="resource survey"),
    row("surveys:resource",           GET,    302, 404, 403, 403, 404, 404, 302),  # a resident survey has none
    row("surveys:resource-add",       POST,   302, 404, 403, 403, 302, 302, 302, variant="resource survey"),
    row("surveys:resource-add",       GET,    302, 404, 403, 403, 405, 405, 302, variant="resource survey"),
]
# fmt: on

#: Where the persona without a second factor may be sent: to set one up (or give it), or to sign in.
NO_OTP_TO = ("/accounts/2fa/", "/accounts/login/")

IGNORED_NAMESPACES = {"admin"}  # Django's admin: superusers only, its own tests


@dataclass
class World:
    """The objects URL kwargs are filled from."""

    platform: Platform
    org_a: Any
    org_b: Any
    case_a: Any
    team_role: PlatformRole  # coordinator_a's role, the one the team URLs edit
    survey_a: Any
    resource_survey_a: Any
    survey_b: Any
    event_a: Any  # an event of platform A that org_a takes part in
    job_a: Any  # a finished background job of secretariat_a in platform A, its result not downloaded
    request_a: Any = None  # org_a's request to the city (NPO → 行政), not answered yet
    report_a: Any = None  # a supporter's report in platform A, not handled yet


def kwargs_for(name: str, params: list[str], world: World, variant: str) -> dict[str, Any]:
    """The default objects for a URL's kwargs, then the row's variant on top."""
    namespace = name.rpartition(":")[0]
    case = world.case_a
    values: dict[str, Any] = {
        "platform": world.platform.slug,
        "kind": "worries",
        "consent_id": case.consents.get().pk,
        "referral_id": case.referrals.get().pk,
        "member_id": case.working_group.order_by("pk").first().pk,  # wg_member_a's
        "user_id": case.created_by_id,  # secretariat_a, whose access log the admin reads
        "year": world.event_a.fiscal_year,
        "job": world.job_a.pk,
        "token": "no-such-link",
        "request_id": world.request_a.pk,
        "report_id": world.report_a.pk,
        "uidb64": "MQ",  # a password-reset link that was never sent
    }
    pk = {
        "orgs": world.org_a,
        "directory": world.org_a,
        "cases": case,
        "team": world.team_role,
        "surveys": world.survey_a,
        "outreach": world.event_a,
    }
    if namespace in pk:
        values["pk"] = pk[namespace].pk
    if namespace == "hsds":  # the API's ids: the stable UUIDs of org_a's entry and platform A's lists
        org = world.org_b if variant == "B's organisation" else world.org_a
        values["pk"] = {
            "hsds:service": hsds_id("service", world.platform.pk, org.pk),
            "hsds:organization": hsds_id("organization", org.pk),
            "hsds:taxonomy": hsds_id("taxonomy", world.platform.pk, "worry"),
            "hsds:taxonomy-term": hsds_id("term", world.platform.pk, "support", "lgbtq"),
        }.get(name)
        variant = "" if variant == "B's organisation" else variant
    if "application_id" in params:  # an application to platform A, waiting (orgs.members)
        values["application_id"] = _application(world.platform).pk
    if "notice_id" in params:  # a notice of platform A to all its members
        values["notice_id"] = _notice(world.platform).pk
    if namespace == "councils":
        values |= _council_ids(world)
    values |= VARIANTS[variant](world)
    missing = [p for p in params if p not in values]
    assert not missing, f"{name}: no fixture value for {missing}: add it to kwargs_for"
    return {p: values[p] for p in params}


VARIANTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "": lambda w: {},
    "unknown platform": lambda w: {"platform": "nowhere"},
    "B's organisation": lambda w: {"pk": w.org_b.pk},  # under A's slug
    "activity fields": lambda w: {"kind": "fields"},
    "B's survey": lambda w: {"pk": w.survey_b.pk},  # under A's slug
    "resource survey": lambda w: {"pk": w.resource_survey_a.pk},
    "accepted, reported": lambda w: _accepted_with_report(w.case_a),
    "entry check link": lambda w: {"token": _entry_check_token(w)},
    "event org_a runs": lambda w: {"pk": _event_run_by(w.platform, w.org_a).pk},
    "org_a's consultation": lambda w: {"pk": _consultation(w.platform, w.org_a).pk},
    "B's consultation": lambda w: {"pk": _consultation(w.org_b.memberships.get().platform, w.org_b).pk},
    "B's application": lambda w: {"application_id": _application(w.org_b.memberships.get().platform).pk},
    "B's notice": lambda w: {"notice_id": _notice(w.org_b.memberships.get().platform).pk},
    "supporter intake": lambda w: _name_supporter_intake(w),
    "another case, accepted": lambda w: _another_accepted_case(w),
}


def _consultation(platform: Platform, organisation: Any) -> Any:
    """A consultation record taken by `organisation` (under A's slug for B's: 404 for everyone)."""
    from consultations.models import Consultation

    return Consultation.objects.create(
        platform=platform, date=dt.date(2026, 5, 1), channel="phone", organisation=organisation
    )


def _event_run_by(platform: Platform, organisation: Any) -> Any:
    """An event of platform A organised by a member (org_a), nobody else taking part."""
    from outreach.models import Event, EventType

    return Event.objects.create(
        platform=platform,
        fiscal_year=2023,
        name="みどり食堂の食糧配布",
        event_type=EventType.objects.get(code="food_distribution"),
        organiser_kind="member",
        organiser=organisation,
    )


def _application(platform: Platform) -> Any:
    from orgs.models import ListingApplication

    return ListingApplication.objects.create(
        platform=platform,
        wish="join",
        name="申込み団体（架空）",
        name_kana="モウシコミダンタイ",
        activity="相談",
        contact_name="架空 太郎",
        contact_email="taro@example.jp",
        sender_key="matrix",
    )


def _notice(platform: Platform) -> Any:
    from orgs.models import Notice

    return Notice.objects.create(platform=platform, kind="event", title="研修会", body="どうぞ", to_all=True)


def _council_ids(world: World) -> dict[str, Any]:
    """Platform A's council (made for case_a's working group): its first member body and seat
    (third_org_a, wg_member_a's), and a meeting."""
    from councils.models import Council, Meeting

    council = Council.objects.get(platform=world.platform)
    meeting = council.meetings.first() or Meeting.objects.create(
        council=council,
        held_on=world.case_a.intake_date,
        title="第1回 地域協議会",
        agenda="作業部会の運営について",
        recorded_by=world.case_a.created_by,
    )
    return {
        "body_id": council.bodies.order_by("pk")[0].pk,
        "seat_id": council.seats.order_by("pk")[0].pk,
        "meeting_id": meeting.pk,
    }


def _another_accepted_case(world: World) -> dict[str, Any]:
    """A second case of A referred to org_a and accepted by it (case_a stays as it is)."""
    from cases import services as case_services
    from tests.ledger import make_case

    staff = world.case_a.created_by
    case = make_case(world.platform, staff, org=world.org_a)
    coordinator = PlatformRole.objects.get(platform=world.platform, organisation=world.org_a).user
    referral = case_services.referral_respond(referral=case.referrals.get(), actor=coordinator, accept=True)
    return {"pk": case.pk, "referral_id": referral.pk}


def _name_supporter_intake(world: World) -> dict[str, Any]:
    """secretariat_a is the person the platform names to receive supporters' reports."""
    PlatformRole.objects.filter(platform=world.platform, user__username="secretariat_a").update(
        grants=["cases.supporter_intake"]
    )
    return {}


def _entry_check_token(world: World) -> str:
    """A yearly-check link sent to org_a (the token is only ever in the email)."""
    from orgs.checks.services import token_hash
    from orgs.models import EntryCheck

    token = "matrix-token-0123456789abcdef"
    EntryCheck.objects.create(
        platform=world.platform,
        organisation=world.org_a,
        fiscal_year=2026,
        token_hash=token_hash(token),
        sent_at=world.case_a.created_at,
        expires_on=world.case_a.intake_date + dt.timedelta(days=365),
    )
    return token


def _accepted_with_report(case: Any) -> dict[str, Any]:
    """case_a's referral accepted by org_a, which reported a handoff to the city (not read yet)."""
    from cases import services as case_services

    referral = case.referrals.get()
    actor = referral.sent_by
    coordinator = PlatformRole.objects.filter(organisation=referral.organisation).first()
    case_services.referral_respond(
        referral=referral, actor=coordinator.user if coordinator else actor, accept=True
    )
    referral.refresh_from_db()
    handoff = case_services.handoff_record(
        referral=referral,
        actor=coordinator.user if coordinator else actor,
        data={"date": referral.sent_at.date(), "given": "米5kg", "report_to_city": True},
    )
    return {"referral_id": referral.pk, "handoff_id": handoff.pk}


def _walk(patterns: list[Any], namespace: str = "", route: str = "", params: tuple = ()) -> Iterator[tuple]:
    for pattern in patterns:
        here, kwargs = route + str(pattern.pattern), params + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace not in IGNORED_NAMESPACES:
                yield from _walk(pattern.url_patterns, ns, here, kwargs)
        elif isinstance(pattern, URLPattern):  # an unnamed one is yielded as None: it must get a name
            yield (f"{namespace}{pattern.name}" if pattern.name else None), here, list(kwargs)


def served_urls() -> dict[str, tuple[str, list[str]]]:
    """name → (route, kwargs) for every named URL the app serves."""
    return {name: (route, params) for name, route, params in _walk(get_resolver().url_patterns) if name}


def _row_id(r: Row) -> str:
    return f"{r.name}-{r.method}" + (f"-{r.variant.replace(' ', '_')}" if r.variant else "")


@pytest.fixture
def world(
    platform_a,
    platform_b,
    org_a,
    other_org_a,
    org_b,
    case_a,
    coordinator_a,
    secretariat_a,
    survey_a,
    resource_survey_a,
    survey_b,
) -> World:
    from outreach.models import Event, EventType
    from platform_site.models import Job, JobStatus

    role = PlatformRole.objects.get(user=coordinator_a.user, platform=platform_a)
    event = Event.objects.create(
        platform=platform_a,
        fiscal_year=2023,
        name="研修会",
        event_type=EventType.objects.get(code="training"),
    )
    event.participants.set([org_a])
    job = Job.objects.create(
        platform=platform_a,
        owner=secretariat_a.user,
        kind="orgs.leaflet",
        params={"grouping": "each", "category": None},
        status=JobStatus.DONE,
        result=b"%PDF-1.7 test",
        result_name="a-leaflet.pdf",
        result_type="application/pdf",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    from cases import services as case_services
    from cases.models import SupporterReport
    from platform_site.models import Role
    from tests import factories as f

    request_a = case_services.intake_request_send(
        platform=platform_a,
        actor=coordinator_a.user,
        organisation=org_a,
        data={
            "urgency": "high",
            "situation": "架空: 炊き出しで会った高齢の夫婦。食べるものが足りない。",
            "consent_method": "oral",
            "consent_given_by": "本人",
            "consent_given_on": timezone.localdate(),
        },
    )
    reporter = f.make_user("supporter_of_world")
    f.make_role(reporter, platform_a, Role.SUPPORTER)
    report_a = SupporterReport.objects.create(
        platform=platform_a,
        supporter=reporter,
        area="中央",
        body="架空: 新聞がたまっている家がある。",
        sent_at=timezone.now(),
    )
    # worries on the public directory (a listed member in one), so its checkboxes are shown
    lonely = f.make_category(platform_a, name="孤独・孤立", description="ひとりぼっちと感じる", order=0)
    f.make_category(platform_a, name="生活費・お金", order=1)
    org_a.worry_categories.set([lonely])
    return World(
        platform=platform_a,
        org_a=org_a,
        org_b=org_b,
        case_a=case_a,
        team_role=role,
        survey_a=survey_a,
        resource_survey_a=resource_survey_a,
        survey_b=survey_b,
        event_a=event,
        job_a=job,
        request_a=request_a,
        report_a=report_a,
    )


def _request(client: Client, method: str, url: str):
    """One cell: the request inside a savepoint rolled back afterwards."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def _kept_by_no_browser(response, opted_out: bool) -> bool:
    """no-store; or, for a view that opts out (`@keeps_cache_control`: nothing personal in it),
    at least private, so that no shared cache keeps it."""
    cache_control = response.get("Cache-Control", "")
    return "no-store" in cache_control or (opted_out and "private" in cache_control)


@pytest.mark.parametrize("r", MATRIX, ids=_row_id)
def test_matrix(r: Row, request, world):
    params = served_urls()[r.name][1]
    url = reverse(r.name, kwargs=kwargs_for(r.name, params, world, r.variant))
    clients = {p: request.getfixturevalue(p) for p in PERSONAS}
    opted_out = getattr(resolve(url).func, "keeps_cache_control", False)
    wrong = []
    for persona, expected in zip(PERSONAS, r.statuses, strict=True):
        response = _request(clients[persona], r.method, url)
        got: int | str = response.status_code
        if got == 302 and persona == "anon" and not response["Location"].startswith(reverse("login")):
            got = f"302 to {response['Location']}"  # anonymous is only ever sent to sign in
        if (
            got == 302
            and persona == "secretariat_a_no_otp"
            and not response["Location"].startswith(NO_OTP_TO)
        ):
            got = f"302 to {response['Location']}"  # only ever to the second factor, or to sign in
        if got != expected:
            wrong.append(f"{persona}: expected {expected}, got {got}")
        if persona != "anon" and not _kept_by_no_browser(response, opted_out):
            # a signed-in person's pages are never kept by the browser (Back after sign-out)
            wrong.append(f"{persona}: Cache-Control {response.get('Cache-Control')!r}, not no-store")
    assert not wrong, f"{r.method.upper()} {url} ({r.name})\n" + "\n".join(wrong)


def test_every_url_has_a_row():
    served = served_urls()
    missing = sorted(set(served) - {r.name for r in MATRIX})
    assert not missing, "URLs without a row in MATRIX (tests/test_permissions_matrix.py):\n" + "\n".join(
        f"  {name}  /{served[name][0]}" for name in missing
    )


def test_every_url_has_a_name():
    """An unnamed URL could never get a row: it would escape the matrix."""
    unnamed = [route for name, route, _ in _walk(get_resolver().url_patterns) if name is None]
    assert not unnamed, f"URLs without a name (so without a row in MATRIX): {unnamed}"


def test_every_row_names_a_url():
    gone = sorted({r.name for r in MATRIX} - set(served_urls()))
    assert not gone, f"rows for URL names that no longer exist: {gone}"


def test_the_table_is_well_formed():
    keys = [(r.name, r.method, r.variant) for r in MATRIX]
    assert len(keys) == len(set(keys)), "a row is there twice"
    assert {r.variant for r in MATRIX} <= set(VARIANTS)
    posts = {r.name for r in MATRIX if r.method == POST}
    gets = {r.name for r in MATRIX if r.method == GET}
    assert posts <= gets, f"POST-only views need their GET row (405): {sorted(posts - gets)}"
