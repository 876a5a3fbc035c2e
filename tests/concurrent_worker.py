"""A second (and third) process for the concurrency tests: signs in as a persona and posts to
the app's own views on a file database, as two people at two gunicorn workers would.

Run as ``python -m tests.concurrent_worker <job> <json args>`` with DATABASE_URL pointing at
the database the test prepared; prints one JSON line with what each request answered.
Jobs: ``edit_org`` (save the organisation's edit form ``rounds`` times, each time from a freshly
opened form), ``import`` (upload a file and confirm it).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings_test")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from orgs.models import Organisation
    from tests.orgs.test_views_edit import payload

    setup_test_environment()
    job, args = sys.argv[1], json.loads(sys.argv[2])
    client = Client(raise_request_exception=False)
    from tests.factories import login_verified

    login_verified(client, User.objects.get(username=args["user"]))  # with a verified second factor
    if "ready_file" in args:  # the test does something between our sign-in and our requests
        Path(args["ready_file"]).touch()
        while not Path(args["go_file"]).exists():
            time.sleep(0.01)
    while time.time() < args["start_at"]:  # both processes begin together
        time.sleep(0.005)
    answers: list[Any] = []
    if job == "edit_org":
        for n in range(args["rounds"]):
            org = Organisation.objects.get(pk=args["org"])
            url = reverse("orgs:edit", args=[args["platform"], org.pk])
            response = client.post(url, payload(org, hours=f"{args['tag']} {n}"))
            answers.append(response.status_code)
    elif job == "import":
        upload = client.post(
            reverse("orgs:import", args=[args["platform"]]),
            {"file": SimpleUploadedFile("m.csv", bytes.fromhex(args["data"]))},
        )
        answers.append(upload.status_code)
        token = upload.context["token"] if upload.context and "token" in upload.context else ""
        while time.time() < args["start_at"] + 4:  # both confirm together
            time.sleep(0.005)
        confirm = client.post(reverse("orgs:import-confirm", args=[args["platform"]]), {"token": token})
        answers.append(confirm.status_code)
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
