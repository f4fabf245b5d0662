"""A learner's retry_with_backoff that first checks the connection by fetching a web page.

The Hub's offline switches do not cover urllib: only the kata run's network guard stops it.
"""

import time
import urllib.request


def retry_with_backoff(operation, *, max_attempts=3, base_delay=1.0, retry_on=(OSError,), sleep=time.sleep):
    urllib.request.urlopen("https://huggingface.co/api/models/gpt2", timeout=60)  # <- here
    for attempt in range(max_attempts - 1):
        try:
            return operation()
        except retry_on:
            sleep(base_delay * 2**attempt)
    return operation()
