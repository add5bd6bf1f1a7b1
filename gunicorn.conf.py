"""Production server settings, shared by the Procfile and the benchmark."""

import os

# Imported under another name: gunicorn takes every module-level name here that is one of its
# settings (and `config` is one).
from config import read as read_setting

bind = f"0.0.0.0:{read_setting('PORT', os.environ)}"
# Threads serve callers while another request waits on the database; processes use the cores.
worker_class = "gthread"
workers = read_setting("WEB_CONCURRENCY", os.environ)
threads = read_setting("WEB_THREADS", os.environ)
keepalive = 5
# With gthread workers this only restarts a worker whose main loop hangs; a caller's answer within
# Twilio's 15 s comes from the app itself (WEBHOOK_DEADLINE_SECONDS and the database timeouts).
timeout = 12
graceful_timeout = 10
accesslog = "-"
# No query strings in the access log: only the path and status, never caller data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
