"""Production server settings, shared by the Procfile and the benchmark."""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Threads serve callers while another request waits on the database; processes use the cores.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 4))
keepalive = 5
# Twilio waits 15 s for a webhook before it plays the fallback: give up on our side first.
timeout = 12
graceful_timeout = 10
accesslog = "-"
# No query strings in the access log: only the path and status, never caller data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

