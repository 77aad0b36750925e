"""Timing helpers the benchmarks share: request latencies and their 95th percentile."""

import statistics
import time


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def latencies(client, url, *, requests: int, warm_up: int) -> list[float]:
    """Milliseconds per GET of `url`, after `warm_up` untimed requests; every answer is a 200."""
    for _ in range(warm_up):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, url
    return timings
