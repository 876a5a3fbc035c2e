"""gunicorn's settings for `make serve` and production (`gunicorn -c python:platform_site.gunicorn_conf`).

Threaded workers (gthread): each process serves several requests at once and keeps connections
alive, so a page waiting on the database does not hold a whole process; processes use both cores.
Every value can be changed by gunicorn's own environment variable GUNICORN_CMD_ARGS or the
variables below (docs/configuration.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = 60  # long work is on the task worker, never in a request
graceful_timeout = 30
max_requests = 5000  # recycle a process now and then (memory)
max_requests_jitter = 500
preload_app = True  # import once, fork the workers: less memory, a failing start fails at once
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
errorlog = "-"
wsgi_app = "platform_site.wsgi:application"
