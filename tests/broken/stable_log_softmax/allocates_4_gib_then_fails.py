"""A learner's stable_log_softmax that fills a 4 GiB scratch buffer, then fails: the failure's
traceback holds the buffer."""


def stable_log_softmax(logits, dim=-1):
    scratch = bytearray(4 * 2**30)  # <- here
    raise ValueError(f"not finished, {len(scratch)} bytes of scratch space in use")
